# An empty quote.
# expect: shape:Quoted-text
# severity: Violation
DELETE { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:quotedText ?old } INSERT { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:quotedText "" } WHERE { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:quotedText ?old }
