# A study without arms.
# expect: shape:Study-hasArm
# severity: Violation
DELETE WHERE { study:cherin-2002 ibmkg:hasArm ?old }
