# Clinical significance as a string.
# expect: shape:Finding-clinSig
# severity: Violation
INSERT DATA { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:clinicallySignificant "no" }
