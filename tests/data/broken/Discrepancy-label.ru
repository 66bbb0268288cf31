# A discrepancy without a label.
# expect: shape:Discrepancy-label
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/review/fontanelli-2024/discrepancy-dobloug> rdfs:label ?old }
