# An author without the printed name.
# expect: shape:Authorship-printed
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/publication/cherin-2002/author-1> ibmkg:printedName ?old }
