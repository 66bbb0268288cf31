# A per-day dose without its number of days.
# expect: shape:Regimen-perDayDays
# severity: Warning
DELETE WHERE { <https://w3id.org/ibmkg/study/recher-2012/regimen-ivig> ibmkg:treatmentDaysPerCycle ?old }
