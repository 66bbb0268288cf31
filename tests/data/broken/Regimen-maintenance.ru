# Maintenance doses as a string.
# expect: shape:Regimen-maintenance
# severity: Violation
INSERT DATA { <https://w3id.org/ibmkg/study/soueidan-1993/regimen-ivig> ibmkg:maintenanceDoses "yes" }
