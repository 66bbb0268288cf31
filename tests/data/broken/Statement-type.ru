# A statement without its type.
# expect: shape:Statement-type
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/review/fontanelli-2024/statement-timing> ibmkg:statementType ?old }
