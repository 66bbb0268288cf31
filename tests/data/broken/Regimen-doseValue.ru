# A negative dose.
# expect: shape:Regimen-doseValue
# severity: Violation
DELETE { <https://w3id.org/ibmkg/study/soueidan-1993/regimen-ivig> ibmkg:doseValue ?old } INSERT { <https://w3id.org/ibmkg/study/soueidan-1993/regimen-ivig> ibmkg:doseValue -2.0 } WHERE { <https://w3id.org/ibmkg/study/soueidan-1993/regimen-ivig> ibmkg:doseValue ?old }
