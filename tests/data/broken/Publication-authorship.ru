# A publication without authors.
# expect: shape:Publication-authorship
# severity: Violation
DELETE WHERE { pub:cherin-2002 ibmkg:hasAuthorship ?old }
