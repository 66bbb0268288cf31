# A year typed as a plain string.
# expect: shape:Publication-year
# severity: Violation
DELETE { pub:cherin-2002 ibmkg:publicationYear ?old } INSERT { pub:cherin-2002 ibmkg:publicationYear "2002" } WHERE { pub:cherin-2002 ibmkg:publicationYear ?old }
