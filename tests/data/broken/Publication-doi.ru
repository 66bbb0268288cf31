# A DOI written as a URL.
# expect: shape:Publication-doi
# severity: Violation
DELETE { pub:cherin-2002 bibo:doi ?old } INSERT { pub:cherin-2002 bibo:doi "https://doi.org/10.1212/wnl.58.2.326" } WHERE { pub:cherin-2002 bibo:doi ?old }
