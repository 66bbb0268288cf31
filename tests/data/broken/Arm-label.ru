# An arm without a label.
# expect: shape:Arm-label
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/arm-ivig> rdfs:label ?old }
