# A cited publication without a DOI.
# expect: shape:Cited-doiInfo
# severity: Info
DELETE WHERE { pub:cherin-2002 bibo:doi ?old }
