# An objective finding without its measure.
# expect: shape:Finding-objectiveNeedsMeasure
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:measuredBy ?old }
