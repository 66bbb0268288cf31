# isRetrospective as a string.
# expect: shape:Study-isRetrospective
# severity: Violation
DELETE { study:dalakas-1997 ibmkg:isRetrospective ?old } INSERT { study:dalakas-1997 ibmkg:isRetrospective "no" } WHERE { study:dalakas-1997 ibmkg:isRetrospective ?old }
