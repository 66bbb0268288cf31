# Statistical significance as a string.
# expect: shape:Finding-statSig
# severity: Violation
INSERT DATA { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:statisticallySignificant "yes" }
