# A specified dose without its unit.
# expect: shape:Regimen-specifiedDose
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/soueidan-1993/regimen-ivig> ibmkg:doseUnit ?old }
