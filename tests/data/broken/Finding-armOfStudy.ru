# A finding placed in another study's arm.
# expect: shape:Finding-armOfStudy
# severity: Violation
INSERT DATA { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:inArm <https://w3id.org/ibmkg/study/recher-2012/arm-ivig> }
