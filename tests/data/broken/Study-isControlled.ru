# isControlled as a string.
# expect: shape:Study-isControlled
# severity: Violation
DELETE { study:dalakas-1997 ibmkg:isControlled ?old } INSERT { study:dalakas-1997 ibmkg:isControlled "yes" } WHERE { study:dalakas-1997 ibmkg:isControlled ?old }
