# A discrepancy without the printed words.
# expect: shape:Discrepancy-asPrinted
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/review/fontanelli-2024/discrepancy-dobloug> ibmkg:asPrinted ?old }
