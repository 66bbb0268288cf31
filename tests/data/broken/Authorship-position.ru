# An author without a position.
# expect: shape:Authorship-position
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/publication/cherin-2002/author-1> ibmkg:authorPosition ?old }
