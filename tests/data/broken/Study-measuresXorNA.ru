# A study with measures also marked 'NA'.
# expect: shape:Study-measuresXorNA
# severity: Violation
INSERT DATA { study:cherin-2002 ibmkg:measureReporting ibmkg:MeasuresNotAvailable }
