# A study with weaknesses also marked 'none stated'.
# expect: shape:Study-weaknessXorNone
# severity: Violation
INSERT DATA { study:cherin-2002 ibmkg:weaknessReporting ibmkg:NoneStated }
