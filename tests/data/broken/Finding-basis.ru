# A finding without a basis.
# expect: shape:Finding-basis
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:basis ?old }
