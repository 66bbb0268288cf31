# A design attribute that is not an attribute individual.
# expect: shape:Study-attributeNotReported
# severity: Violation
INSERT DATA { study:cherin-2002 ibmkg:attributeNotReported ibmkg:DoubleBlind }
