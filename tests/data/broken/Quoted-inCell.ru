# A finding quoting words that are not in its cell.
# expect: shape:Quoted-inCell
# severity: Violation
DELETE { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:quotedText ?old } INSERT { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:quotedText "Dysphagia was cured in all patients." } WHERE { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:quotedText ?old }
