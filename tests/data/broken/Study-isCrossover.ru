# isCrossover as a string.
# expect: shape:Study-isCrossover
# severity: Violation
DELETE { study:dalakas-1997 ibmkg:isCrossover ?old } INSERT { study:dalakas-1997 ibmkg:isCrossover "yes" } WHERE { study:dalakas-1997 ibmkg:isCrossover ?old }
