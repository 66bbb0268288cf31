# A study neither from the letter (no review, no Table I row) nor curator-sourced.
# expect: shape:Study-sourced
# severity: Violation
DELETE WHERE { study:cherin-2002 ibmkg:reviewedIn ?review } ;
DELETE WHERE { study:cherin-2002 ibmkg:tableRow ?row . ?row ?p ?o }
