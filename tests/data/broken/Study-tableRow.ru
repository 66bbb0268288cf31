# A study without its table row.
# expect: shape:Study-tableRow
# severity: Violation
DELETE WHERE { study:cherin-2002 ibmkg:tableRow ?old }
