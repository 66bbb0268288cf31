# isBlinded as a string.
# expect: shape:Study-isBlinded
# severity: Violation
DELETE { study:dalakas-1997 ibmkg:isBlinded ?old } INSERT { study:dalakas-1997 ibmkg:isBlinded "yes" } WHERE { study:dalakas-1997 ibmkg:isBlinded ?old }
