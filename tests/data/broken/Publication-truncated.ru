# A publication that does not say whether its author list is cut.
# expect: shape:Publication-truncated
# severity: Violation
DELETE WHERE { pub:cherin-2002 ibmkg:authorListTruncated ?old }
