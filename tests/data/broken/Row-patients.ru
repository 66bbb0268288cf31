# A row without its patients cell.
# expect: shape:Row-patients
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/row> ibmkg:patientsCell ?old }
