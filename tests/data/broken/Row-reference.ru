# A row without its reference cell.
# expect: shape:Row-reference
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/row> ibmkg:referenceCell ?old }
