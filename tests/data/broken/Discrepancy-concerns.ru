# A discrepancy that concerns nothing.
# expect: shape:Discrepancy-concerns
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/review/fontanelli-2024/discrepancy-dobloug> ibmkg:concerns ?old }
