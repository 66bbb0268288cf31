# isRandomised as a string.
# expect: shape:Study-isRandomised
# severity: Violation
DELETE { study:dalakas-1997 ibmkg:isRandomised ?old } INSERT { study:dalakas-1997 ibmkg:isRandomised "yes" } WHERE { study:dalakas-1997 ibmkg:isRandomised ?old }
