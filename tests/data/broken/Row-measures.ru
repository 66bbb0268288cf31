# A row without its outcome-measures cell.
# expect: shape:Row-measures
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/row> ibmkg:outcomeMeasuresCell ?old }
