# A study whose arm receives no regimen.
# expect: shape:Study-regimen
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/arm-ivig> ibmkg:receives ?old }
