# A row without its key-results cell.
# expect: shape:Row-results
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/row> ibmkg:keyResultsCell ?old }
