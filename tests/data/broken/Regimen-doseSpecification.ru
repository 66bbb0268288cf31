# A regimen that does not say whether its dose is known.
# expect: shape:Regimen-doseSpecification
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/regimen-ivig> ibmkg:doseSpecification ?old }
