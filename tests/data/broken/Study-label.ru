# A study label not of the form 'Author et al. year'.
# expect: shape:Study-label
# severity: Violation
DELETE { study:cherin-2002 rdfs:label ?old } INSERT { study:cherin-2002 rdfs:label "Cherin 2002" } WHERE { study:cherin-2002 rdfs:label ?old }
