# A finding without its quoted words.
# expect: shape:Finding-quote
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:quotedText ?old }
