# A unit outside the unit list.
# expect: shape:Regimen-doseUnit
# severity: Violation
DELETE { <https://w3id.org/ibmkg/study/soueidan-1993/regimen-ivig> ibmkg:doseUnit ?old } INSERT { <https://w3id.org/ibmkg/study/soueidan-1993/regimen-ivig> ibmkg:doseUnit ibmkg:Milligram } WHERE { <https://w3id.org/ibmkg/study/soueidan-1993/regimen-ivig> ibmkg:doseUnit ?old }
