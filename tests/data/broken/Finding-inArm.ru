# A finding placed in a regimen instead of an arm.
# expect: shape:Finding-inArm
# severity: Violation
INSERT DATA { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:inArm <https://w3id.org/ibmkg/study/cherin-2002/regimen-ivig> }
