# A publication without a title.
# expect: shape:Publication-title
# severity: Violation
DELETE WHERE { pub:cherin-2002 dcterms:title ?old }
