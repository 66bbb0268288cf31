# A weakness statement without its words.
# expect: shape:Weakness-quote
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/weakness-1> ibmkg:quotedText ?old }
