# A durability outside the value set.
# expect: shape:EffectFinding-durability
# severity: Violation
INSERT DATA { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:durability ibmkg:Moderate }
