# An effect finding without a direction.
# expect: shape:EffectFinding-direction
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:direction ?old }
