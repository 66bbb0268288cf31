# A row without its number.
# expect: shape:Row-number
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/row> ibmkg:rowNumber ?old }
