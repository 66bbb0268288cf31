# The publication of a curator-sourced study without DOI or PMID.
# (Cherin et al. 2002 turned into a curator-sourced study first, as in
# tests/data/curator/as-curator-sourced.ru.)
# expect: shape:CuratorStudy-sourceId
# severity: Violation
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
} ;
DELETE WHERE { pub:cherin-2002 bibo:doi ?doi }
