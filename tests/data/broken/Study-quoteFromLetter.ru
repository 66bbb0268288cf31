# A letter-sourced study with a quote that claims to come from the study's own publication.
# expect: shape:Study-quoteFromLetter
# severity: Violation
DELETE { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:sourcePart ?old } INSERT { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:sourcePart ibmkg:StudyPublication } WHERE { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:sourcePart ?old }
