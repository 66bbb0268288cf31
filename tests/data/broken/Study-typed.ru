# A study typed only by its design class.
# expect: shape:Study-typed
# severity: Violation
DELETE DATA { study:cherin-2002 a ibmkg:Study }
