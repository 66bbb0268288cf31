# A review without its literature search.
# expect: shape:Review-search
# severity: Violation
DELETE WHERE { review:fontanelli-2024 ibmkg:hasLiteratureSearch ?old }
