# A row claimed by two studies.
# expect: shape:Row-study
# severity: Violation
INSERT DATA { study:recher-2012 ibmkg:tableRow <https://w3id.org/ibmkg/study/cherin-2002/row> }
