# A finding measured by an outcome domain instead of a measure.
# expect: shape:Finding-measuredBy
# severity: Violation
INSERT DATA { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:measuredBy outcome:dysphagia }
