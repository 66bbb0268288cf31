# A finding measured by a measure the study does not use.
# expect: shape:Study-findingMeasureUsed
# severity: Violation
INSERT DATA { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:measuredBy measure:mmt }
