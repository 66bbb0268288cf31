# More studies selected than records retrieved.
# expect: shape:Search-selected
# severity: Violation
DELETE { <https://w3id.org/ibmkg/review/fontanelli-2024/search> ibmkg:studiesSelected ?old } INSERT { <https://w3id.org/ibmkg/review/fontanelli-2024/search> ibmkg:studiesSelected 300 } WHERE { <https://w3id.org/ibmkg/review/fontanelli-2024/search> ibmkg:studiesSelected ?old }
