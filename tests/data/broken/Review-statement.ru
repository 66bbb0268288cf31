# A statement link to a study.
# expect: shape:Review-statement
# severity: Violation
INSERT DATA { review:fontanelli-2024 ibmkg:hasStatement study:cherin-2002 }
