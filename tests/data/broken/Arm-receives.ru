# An arm that receives nothing.
# expect: shape:Arm-receives
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/arm-ivig> ibmkg:receives ?old }
