# A regimen without a role.
# expect: shape:Regimen-role
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/regimen-ivig> ibmkg:role ?old }
