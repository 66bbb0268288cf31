# A zero denominator.
# expect: shape:Finding-denominator
# severity: Violation
DELETE { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:denominator ?old } INSERT { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:denominator 0 } WHERE { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:denominator ?old }
