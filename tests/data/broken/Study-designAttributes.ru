# A case series recorded as controlled.
# expect: shape:Study-designAttributes
# severity: Violation
DELETE { study:cherin-2002 ibmkg:isControlled ?old } INSERT { study:cherin-2002 ibmkg:isControlled true } WHERE { study:cherin-2002 ibmkg:isControlled ?old }
