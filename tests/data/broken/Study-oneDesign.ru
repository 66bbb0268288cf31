# A study typed with two designs of the partition.
# expect: shape:Study-oneDesign
# severity: Violation
INSERT DATA { study:cherin-2002 rdf:type ibmkg:CaseReport }
