# A dose basis outside the value set.
# expect: shape:Regimen-doseBasis
# severity: Violation
DELETE { <https://w3id.org/ibmkg/study/soueidan-1993/regimen-ivig> ibmkg:doseBasis ?old } INSERT { <https://w3id.org/ibmkg/study/soueidan-1993/regimen-ivig> ibmkg:doseBasis ibmkg:Monthly } WHERE { <https://w3id.org/ibmkg/study/soueidan-1993/regimen-ivig> ibmkg:doseBasis ?old }
