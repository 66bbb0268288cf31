# An interval outside the value set.
# expect: shape:Regimen-interval
# severity: Violation
DELETE { <https://w3id.org/ibmkg/study/soueidan-1993/regimen-ivig> ibmkg:interval ?old } INSERT { <https://w3id.org/ibmkg/study/soueidan-1993/regimen-ivig> ibmkg:interval ibmkg:Weekly } WHERE { <https://w3id.org/ibmkg/study/soueidan-1993/regimen-ivig> ibmkg:interval ?old }
