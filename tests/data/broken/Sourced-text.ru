# An arm that says which Table I column it comes from but has lost the letter's words.
# expect: shape:Sourced-text
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/arm-ivig> ibmkg:quotedText ?quote }
