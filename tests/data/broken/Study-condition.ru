# A study without its condition.
# expect: shape:Study-condition
# severity: Violation
DELETE WHERE { study:cherin-2002 ibmkg:condition ?old }
