# A study using an outcome domain as a measure.
# expect: shape:Study-usesMeasure
# severity: Violation
INSERT DATA { study:cherin-2002 ibmkg:usesMeasure outcome:dysphagia }
