# A study without its review.
# expect: shape:Study-reviewedIn
# severity: Violation
DELETE WHERE { study:cherin-2002 ibmkg:reviewedIn ?old }
