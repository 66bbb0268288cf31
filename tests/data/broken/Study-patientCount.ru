# A study without its patient count.
# expect: shape:Study-patientCount
# severity: Violation
DELETE WHERE { study:cherin-2002 ibmkg:patientCount ?old }
