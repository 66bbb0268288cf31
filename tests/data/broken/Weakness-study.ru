# A weakness statement shared by two studies.
# expect: shape:Weakness-study
# severity: Violation
INSERT DATA { study:recher-2012 ibmkg:hasWeakness <https://w3id.org/ibmkg/study/cherin-2002/weakness-1> }
