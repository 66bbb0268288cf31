# An arm shared by two studies.
# expect: shape:Arm-study
# severity: Violation
INSERT DATA { study:recher-2012 ibmkg:hasArm <https://w3id.org/ibmkg/study/cherin-2002/arm-ivig> }
