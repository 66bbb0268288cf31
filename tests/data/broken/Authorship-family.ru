# An author without a family name.
# expect: shape:Authorship-family
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/publication/cherin-2002/author-1> ibmkg:familyName ?old }
