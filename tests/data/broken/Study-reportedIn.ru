# A study without its publication.
# expect: shape:Study-reportedIn
# severity: Violation
DELETE WHERE { study:cherin-2002 ibmkg:reportedIn ?old }
