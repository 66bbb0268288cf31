# A row that does not say which review it quotes.
# expect: shape:Row-source
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/row> prov:wasQuotedFrom ?old }
