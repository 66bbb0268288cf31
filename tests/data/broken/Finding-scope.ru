# A finding without a scope.
# expect: shape:Finding-scope
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:scope ?old }
