# Zero treatment days per cycle.
# expect: shape:Regimen-days
# severity: Violation
DELETE { <https://w3id.org/ibmkg/study/recher-2012/regimen-ivig> ibmkg:treatmentDaysPerCycle ?old } INSERT { <https://w3id.org/ibmkg/study/recher-2012/regimen-ivig> ibmkg:treatmentDaysPerCycle 0 } WHERE { <https://w3id.org/ibmkg/study/recher-2012/regimen-ivig> ibmkg:treatmentDaysPerCycle ?old }
