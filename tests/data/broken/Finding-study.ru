# A finding shared by two studies.
# expect: shape:Finding-study
# severity: Violation
INSERT DATA { study:recher-2012 ibmkg:hasFinding <https://w3id.org/ibmkg/study/cherin-2002/finding-1> }
