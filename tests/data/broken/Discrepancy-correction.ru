# A discrepancy without its correction.
# expect: shape:Discrepancy-correction
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/review/fontanelli-2024/discrepancy-dobloug> ibmkg:correction ?old }
