# An agent outside the agent list.
# expect: shape:Regimen-agent
# severity: Violation
DELETE { <https://w3id.org/ibmkg/study/cherin-2002/regimen-ivig> ibmkg:agent ?old } INSERT { <https://w3id.org/ibmkg/study/cherin-2002/regimen-ivig> ibmkg:agent ibmkg:Prednisolone } WHERE { <https://w3id.org/ibmkg/study/cherin-2002/regimen-ivig> ibmkg:agent ?old }
