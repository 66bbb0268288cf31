# A search without its record count.
# expect: shape:Search-retrieved
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/review/fontanelli-2024/search> ibmkg:recordsRetrieved ?old }
