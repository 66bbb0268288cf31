# A weakness link to something that is not a weakness statement.
# expect: shape:Study-hasWeakness
# severity: Violation
INSERT DATA { study:cherin-2002 ibmkg:hasWeakness <https://w3id.org/ibmkg/study/cherin-2002/row> }
