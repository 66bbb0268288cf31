# A row without its study-type cell.
# expect: shape:Row-studyType
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/row> ibmkg:studyTypeCell ?old }
