# Turns the letter's Cherin et al. 2002 into a curator-sourced study (test data only: the
# curator, date and locations are fictional). The broken fixtures CuratorStudy-*.ru and
# Study-sourced.ru start from this conversion; tests/test_curator_sourced.py checks that the
# converted graph conforms.
DELETE WHERE { study:cherin-2002 ibmkg:reviewedIn ?review } ;
DELETE WHERE { study:cherin-2002 ibmkg:tableRow ?row . ?row ?p ?o } ;
DELETE { ?quoted ibmkg:sourcePart ?part }
INSERT { ?quoted ibmkg:sourcePart ibmkg:StudyPublication ; ibmkg:sourceLocation "Results" }
WHERE {
  study:cherin-2002 (ibmkg:hasArm|ibmkg:hasArm/ibmkg:receives|ibmkg:hasFinding|ibmkg:hasWeakness) ?quoted .
  ?quoted ibmkg:sourcePart ?part .
} ;
INSERT DATA {
  study:cherin-2002 a ibmkg:CuratorSourcedStudy ;
    prov:wasAttributedTo <https://w3id.org/ibmkg/study/cherin-2002/curator> ;
    prov:generatedAtTime "2026-01-31"^^xsd:date .
  <https://w3id.org/ibmkg/study/cherin-2002/curator> a prov:Agent ; rdfs:label "Test Curator" .
}
