# A course of 200 months.
# expect: shape:Regimen-courseDuration
# severity: Violation
DELETE { <https://w3id.org/ibmkg/study/soueidan-1993/regimen-ivig> ibmkg:courseDurationMonths ?old } INSERT { <https://w3id.org/ibmkg/study/soueidan-1993/regimen-ivig> ibmkg:courseDurationMonths 200.0 } WHERE { <https://w3id.org/ibmkg/study/soueidan-1993/regimen-ivig> ibmkg:courseDurationMonths ?old }
