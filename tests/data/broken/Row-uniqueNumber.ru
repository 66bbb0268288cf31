# Two rows numbered 7.
# expect: shape:Row-uniqueNumber
# severity: Violation
DELETE { <https://w3id.org/ibmkg/study/recher-2012/row> ibmkg:rowNumber ?old } INSERT { <https://w3id.org/ibmkg/study/recher-2012/row> ibmkg:rowNumber 7 } WHERE { <https://w3id.org/ibmkg/study/recher-2012/row> ibmkg:rowNumber ?old }
