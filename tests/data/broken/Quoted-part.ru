# A quote without its source part.
# expect: shape:Quoted-part
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/finding-1> ibmkg:sourcePart ?old }
