# A finding without an outcome domain.
# expect: shape:Finding-outcomeDomain
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:outcomeDomain ?old }
