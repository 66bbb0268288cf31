# A volume typed as an integer.
# expect: shape:Publication-volume
# severity: Violation
DELETE { pub:cherin-2002 bibo:volume ?old } INSERT { pub:cherin-2002 bibo:volume 58 } WHERE { pub:cherin-2002 bibo:volume ?old }
