# A blinding level outside the value set.
# expect: shape:Study-blinding
# severity: Violation
INSERT DATA { study:cherin-2002 ibmkg:blinding ibmkg:SingleBlind }
