# A design attribute both given and listed as not reported.
# expect: shape:Study-attributeTwice
# severity: Violation
INSERT DATA { study:cherin-2002 ibmkg:isBlinded false }
