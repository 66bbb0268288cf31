# A row without its weakness cell.
# expect: shape:Row-weakness
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/row> ibmkg:weaknessCell ?old }
