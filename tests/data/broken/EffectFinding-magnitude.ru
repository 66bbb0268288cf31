# A magnitude outside the value set.
# expect: shape:EffectFinding-magnitude
# severity: Violation
INSERT DATA { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:magnitude ibmkg:Improved }
