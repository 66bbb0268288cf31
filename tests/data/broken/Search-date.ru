# A search date written in words.
# expect: shape:Search-date
# severity: Violation
DELETE { <https://w3id.org/ibmkg/review/fontanelli-2024/search> ibmkg:searchDate ?old } INSERT { <https://w3id.org/ibmkg/review/fontanelli-2024/search> ibmkg:searchDate "26 January 2024" } WHERE { <https://w3id.org/ibmkg/review/fontanelli-2024/search> ibmkg:searchDate ?old }
