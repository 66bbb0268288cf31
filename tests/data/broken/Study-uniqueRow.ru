# The same study described twice: a second study node with the first one's Table I row.
# expect: shape:Study-uniqueRow
# severity: Violation
INSERT { study:cherin-2002-again a ibmkg:Study, ibmkg:SingleGroupTrial ; ibmkg:tableRow ?row }
WHERE { study:cherin-2002 ibmkg:tableRow ?row }
