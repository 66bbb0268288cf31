# An arm without its quoted words.
# expect: shape:Arm-quote
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/arm-ivig> ibmkg:quotedText ?old }
