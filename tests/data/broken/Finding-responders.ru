# More responders than patients.
# expect: shape:Finding-responders
# severity: Violation
DELETE { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:responders ?old } INSERT { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:responders 5 } WHERE { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:responders ?old }
