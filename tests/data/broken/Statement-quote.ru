# A statement without its words.
# expect: shape:Statement-quote
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/review/fontanelli-2024/statement-timing> ibmkg:quotedText ?old }
