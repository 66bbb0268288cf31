# An author without initials.
# expect: shape:Authorship-initials
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/publication/cherin-2002/author-1> ibmkg:initials ?old }
