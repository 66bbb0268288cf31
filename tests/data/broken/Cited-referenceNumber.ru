# A cited publication without its reference number.
# expect: shape:Cited-referenceNumber
# severity: Violation
DELETE WHERE { pub:cherin-2002 ibmkg:referenceNumber ?old }
