# A finding without a label.
# expect: shape:Finding-label
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> rdfs:label ?old }
