# A publication without a journal.
# expect: shape:Publication-journal
# severity: Violation
DELETE WHERE { pub:cherin-2002 ibmkg:journal ?old }
