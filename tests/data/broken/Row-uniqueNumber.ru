# Two rows with the same number: Recher et al.'s row takes the number of Cherin et al.'s.
# expect: shape:Row-uniqueNumber
# severity: Violation
DELETE { <https://w3id.org/ibmkg/study/recher-2012/row> ibmkg:rowNumber ?old }
INSERT { <https://w3id.org/ibmkg/study/recher-2012/row> ibmkg:rowNumber ?taken }
WHERE {
  <https://w3id.org/ibmkg/study/recher-2012/row> ibmkg:rowNumber ?old .
  <https://w3id.org/ibmkg/study/cherin-2002/row> ibmkg:rowNumber ?taken .
}
