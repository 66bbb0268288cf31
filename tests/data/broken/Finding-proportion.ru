# A proportion given as a percentage.
# expect: shape:Finding-proportion
# severity: Violation
INSERT DATA { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:responderProportion 83.0 }
