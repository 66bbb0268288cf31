# A row without its dose cell.
# expect: shape:Row-dose
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/row> ibmkg:doseCell ?old }
