# A search without its database.
# expect: shape:Search-database
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/review/fontanelli-2024/search> ibmkg:database ?old }
