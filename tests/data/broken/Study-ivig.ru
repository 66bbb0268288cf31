# A study in which no arm receives IVIG.
# expect: shape:Study-ivig
# severity: Violation
DELETE { <https://w3id.org/ibmkg/study/cherin-2002/regimen-ivig> ibmkg:agent ?old } INSERT { <https://w3id.org/ibmkg/study/cherin-2002/regimen-ivig> ibmkg:agent ibmkg:OtherDrugs } WHERE { <https://w3id.org/ibmkg/study/cherin-2002/regimen-ivig> ibmkg:agent ?old }
