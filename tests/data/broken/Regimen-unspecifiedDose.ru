# A 'variable' dose that also gives a value.
# expect: shape:Regimen-unspecifiedDose
# severity: Violation
INSERT DATA { <https://w3id.org/ibmkg/study/cherin-2002/regimen-ivig> ibmkg:doseValue 2.0 }
