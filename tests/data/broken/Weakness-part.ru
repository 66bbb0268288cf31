# A weakness quoted from the wrong column.
# expect: shape:Weakness-part
# severity: Violation
DELETE { <https://w3id.org/ibmkg/study/cherin-2002/weakness-1> ibmkg:sourcePart ?old } INSERT { <https://w3id.org/ibmkg/study/cherin-2002/weakness-1> ibmkg:sourcePart ibmkg:KeyResultsColumn } WHERE { <https://w3id.org/ibmkg/study/cherin-2002/weakness-1> ibmkg:sourcePart ?old }
