# Two authors in position 1.
# expect: shape:Publication-positions
# severity: Violation
DELETE { <https://w3id.org/ibmkg/publication/cherin-2002/author-2> ibmkg:authorPosition ?old } INSERT { <https://w3id.org/ibmkg/publication/cherin-2002/author-2> ibmkg:authorPosition 1 } WHERE { <https://w3id.org/ibmkg/publication/cherin-2002/author-2> ibmkg:authorPosition ?old }
