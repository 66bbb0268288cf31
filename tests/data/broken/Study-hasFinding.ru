# A study without findings.
# expect: shape:Study-hasFinding
# severity: Violation
DELETE WHERE { study:cherin-2002 ibmkg:hasFinding ?old }
