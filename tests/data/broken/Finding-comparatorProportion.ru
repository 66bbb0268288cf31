# A comparator proportion above 1.
# expect: shape:Finding-comparatorProportion
# severity: Violation
INSERT DATA { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:comparatorProportion 1.5 }
