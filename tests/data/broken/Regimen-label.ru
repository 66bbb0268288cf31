# A regimen without a label.
# expect: shape:Regimen-label
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/regimen-ivig> rdfs:label ?old }
