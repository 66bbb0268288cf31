# A weakness statement without a type.
# expect: shape:Weakness-type
# severity: Violation
DELETE WHERE { <https://w3id.org/ibmkg/study/cherin-2002/weakness-1> ibmkg:weaknessType ?old }
