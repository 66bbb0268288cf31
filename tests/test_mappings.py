"""The SSSOM mapping set, its RDF graph, and the queries that follow it.

Protects: the TSV obeys the project's mapping rules (metadata, one prefix map, SKOS
predicates, the SECONDARY policy); ``ontology/mappings.ttl`` holds exactly the TSV's triples;
every row names terms that are declared, with the labels the row gives (a row pointing to a
term no import module declares fails naming its row); the direction of the key mappings; and
the exact answers of ``studies-by-external-term`` and ``findings-by-phenotype`` without the
reasoner, on every backend.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph
import pytest

from ibmkg.curie import expand
from ibmkg.generate import check_declared, mappings_ttl
from ibmkg.graph_io import LoadedData, load_turtle, read_text
from ibmkg.imports import load_modules
from ibmkg.mappings import (
    EXAMPLE,
    MAPPING_SET_ID,
    MAPPINGS_HEADER,
    MappingSet,
    mapping_triples,
    parse_mapping_set,
    read_mapping_set,
)
from ibmkg.namespaces import PREFIXES
from ibmkg.paths import MAPPINGS_GRAPH, Layout, find_root
from ibmkg.queries import find_query, run_query
from ibmkg.store.base import ResultTable, Store
from ibmkg.tabular import TableError

ROOT = find_root(Path(__file__).parent)
LAYOUT = Layout(ROOT)
BROKEN = Path(__file__).parent / "data" / "broken"

STUDY = "https://w3id.org/ibmkg/study/"
ALL_STUDIES = ["amato-1994", "cherin-2002", "dalakas-1997", "dalakas-2001", "dobloug-2012",
               "foreman-2017", "recher-2012", "soueidan-1993", "walter-2000", "zschuntzsch-2012"]


@pytest.fixture(scope="module")
def mapping_set() -> MappingSet:
    return read_mapping_set(LAYOUT.mappings, display="ontology/mappings.sssom.tsv")


def _canonical(triples: list[pyoxigraph.Triple]) -> set[pyoxigraph.Quad]:
    dataset = pyoxigraph.Dataset(pyoxigraph.Quad(t.subject, t.predicate, t.object)
                                 for t in triples)
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def _curies(table: ResultTable, *columns: str) -> list[tuple[str, ...]]:
    from ibmkg.export.results import display

    index = [table.columns.index(c) for c in columns]
    return [tuple(display(row[i]) for i in index) for row in table.rows]


# --- the TSV -------------------------------------------------------------------------------------


def test_metadata(mapping_set: MappingSet) -> None:
    meta = mapping_set.metadata
    assert meta["mapping_set_id"] == MAPPING_SET_ID
    assert meta["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert meta["creator_id"] == ["ibmkg:curators"]
    assert mapping_set.version
    used = {c.partition(":")[0] for m in mapping_set.mappings
            for c in (m.subject_curie, m.predicate_curie, m.object_curie, m.justification,
                      m.author)}
    assert set(meta["curie_map"]) == used, "the curie_map lists exactly the prefixes used"
    for prefix, namespace in meta["curie_map"].items():
        assert PREFIXES[prefix] == namespace


def test_counts_by_predicate_and_ontology(mapping_set: MappingSet) -> None:
    """A change in the mapping set shows here; update the numbers and ontology/MAPPINGS.md."""
    predicates = Counter(m.predicate_curie for m in mapping_set.mappings)
    assert predicates == {"skos:exactMatch": 14, "skos:closeMatch": 37, "skos:broadMatch": 11,
                          "skos:narrowMatch": 6, "skos:relatedMatch": 27}
    ontologies = Counter(m.object_curie.partition(":")[0] for m in mapping_set.mappings)
    assert ontologies == {"OBI": 17, "NCIT": 15, "HP": 11, "MAXO": 10, "SEPIO": 10, "MESH": 8,
                          "CHEBI": 5, "ECO": 5, "IAO": 3, "UO": 3, "OGMS": 2, "MONDO": 1,
                          "DOID": 1, "Orphanet": 1, "CL": 1, "UBERON": 1, "bibo": 1}
    assert Counter(m.status for m in mapping_set.mappings) == {
        "VERIFIED": 61, "VERIFIED-map": 19, "SECONDARY": 15}


def test_secondary_terms_are_at_most_close_matches(mapping_set: MappingSet) -> None:
    for m in mapping_set.mappings:
        if m.status == "SECONDARY":
            assert m.predicate_curie in ("skos:closeMatch", "skos:relatedMatch"), m
            assert m.confidence <= 0.6, m


@pytest.mark.parametrize(("subject", "predicate", "obj"), [
    ("ibmkg:SporadicInclusionBodyMyositis", "skos:exactMatch", "MONDO:0007827"),
    ("outcome:dysphagia", "skos:exactMatch", "HP:0002015"),
    ("outcome:fatigue", "skos:exactMatch", "HP:0012378"),
    # OBI's MMT-8 score is narrower than manual muscle testing in general
    ("measure:mmt", "skos:narrowMatch", "OBI:0003739"),
    # a finding about CK (elevated), not CK itself
    ("outcome:serum-ck", "skos:relatedMatch", "HP:0003236"),
    # a therapy, not the substance
    ("ibmkg:IVIG", "skos:closeMatch", "MAXO:0001480"),
    ("ibmkg:RandomisedControlledTrial", "skos:exactMatch", "OBI:0004001"),
    # UO has no g/kg; the dose unit is broader
    ("ibmkg:GramPerKilogram", "skos:broadMatch", "UO:0000307"),
])
def test_key_mappings_and_their_direction(mapping_set: MappingSet, subject: str,
                                           predicate: str, obj: str) -> None:
    found = {(m.subject_curie, m.object_curie): m.predicate_curie for m in mapping_set.mappings}
    assert found[(subject, obj)] == predicate


def test_every_row_names_declared_terms_with_their_labels(mapping_set: MappingSet) -> None:
    problems = check_declared(mapping_set, LAYOUT, load_modules(LAYOUT))
    assert problems == [], "\n".join(str(p) for p in problems)


def test_row_pointing_to_an_undeclared_term_fails_with_its_row_number() -> None:
    broken = read_mapping_set(BROKEN / "mappings-undeclared-object.sssom.tsv",
                              display="mappings-undeclared-object.sssom.tsv")
    problems = check_declared(broken, LAYOUT, load_modules(LAYOUT))
    assert [str(p) for p in problems] == [
        "mappings-undeclared-object.sssom.tsv:18 (row 3): object HP:9999999 is not declared in "
        "any import module; add it to the seed list ontology/imports/<name>_terms.tsv and run "
        "make imports"]
    assert problems[0].row == 3


def test_exact_match_to_a_secondary_term_fails_with_its_row_number() -> None:
    with pytest.raises(TableError) as info:
        read_mapping_set(BROKEN / "mappings-secondary-exact.sssom.tsv", display="x.tsv")
    assert info.value.row == 2
    assert str(info.value).startswith("x.tsv:17 (row 2): NCIT:C15417 is SECONDARY")


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("skos:exactMatch\tHP", "skos:sameAs\tHP", "unknown prefix 'skos'"),
    ("\tHP:0002015", "\thp:0002015", "write 'hp:0002015' with the preferred prefix"),
    ("\tHP:0002015", "\tfoo:1", "unknown prefix 'foo'"),
    ("0.9\t", "1.5\t", "confidence '1.5' is not a number between 0 and 1"),
    ("semapv:ManualMappingCuration\tibmkg", "semapv:LexicalMatching\tibmkg",
     "mapping_justification must be semapv:ManualMappingCuration"),
    ("VERIFIED; ID", "PROBABLY; ID", "must start with the object's verification status"),
    ("outcome:dysphagia\tdysphagia", "HP:0002016\tdysphagia", "is not an ibmkg concept"),
])
def test_bad_rows_are_reported_with_row_and_line(old: str, new: str, problem: str) -> None:
    text = EXAMPLE.replace(old, new)
    if "skos:sameAs" in new:
        # a predicate outside SKOS's mapping properties, with its prefix declared
        text = text.replace("skos:sameAs", "owl:sameAs").replace(
            "#  skos:", f"#  owl: {PREFIXES['owl']}\n#  skos:")
        problem = "owl:sameAs is not a SKOS mapping property"
    with pytest.raises(TableError) as info:
        parse_mapping_set(text, source="t.tsv")
    assert "(row 1)" in str(info.value)
    assert problem in str(info.value)


def test_prefix_missing_from_the_curie_map() -> None:
    text = EXAMPLE.replace(f"#  HP: {PREFIXES['HP']}\n", "")
    with pytest.raises(TableError, match=r"prefix 'HP' of HP:0002015 is not in the curie_map"):
        parse_mapping_set(text)


def test_curie_map_must_agree_with_the_prefix_map() -> None:
    text = EXAMPLE.replace(PREFIXES["HP"], "http://example.org/HP_")
    with pytest.raises(TableError, match="disagrees with the project prefix map"):
        parse_mapping_set(text)


def test_duplicate_and_conflicting_rows() -> None:
    row = EXAMPLE.splitlines()[-1]
    with pytest.raises(TableError, match=r"\(row 2\).*already in row 1"):
        parse_mapping_set(EXAMPLE + row + "\n")
    other = row.replace("skos:exactMatch", "skos:closeMatch")
    with pytest.raises(TableError, match=r"\(row 2\).*already mapped by skos:exactMatch"):
        parse_mapping_set(EXAMPLE + other + "\n")


# --- the RDF ---------------------------------------------------------------------------------


def test_mappings_ttl_is_the_tsv_as_rdf(mapping_set: MappingSet) -> None:
    path = mappings_ttl(LAYOUT)
    text = read_text(path)
    assert text.splitlines()[0] == f"# {MAPPINGS_HEADER}"
    committed = _canonical(load_turtle(path))
    generated = _canonical(mapping_triples(mapping_set))
    assert committed == generated, "ontology/mappings.ttl is stale: run `make mappings`"


def test_one_skos_triple_per_row(mapping_set: MappingSet) -> None:
    skos = {t for t in mapping_triples(mapping_set)
            if t.predicate.value.startswith(PREFIXES["skos"])}
    nn = pyoxigraph.NamedNode
    assert skos == {pyoxigraph.Triple(nn(m.subject), nn(m.predicate), nn(m.object))
                    for m in mapping_set.mappings}


def test_the_project_loads_the_mappings_graph(project_data: LoadedData) -> None:
    graph = project_data.graph(MAPPINGS_GRAPH)
    exact = pyoxigraph.NamedNode(PREFIXES["skos"] + "exactMatch")
    assert pyoxigraph.Triple(pyoxigraph.NamedNode(expand("outcome:dysphagia")), exact,
                             pyoxigraph.NamedNode(expand("HP:0002015"))) in graph.triples


# --- the queries -----------------------------------------------------------------------------


def _run(store: Store, name: str, **params: str) -> ResultTable:
    return run_query(store, find_query(name, LAYOUT.queries), params)


def test_mondo_finds_all_ten_studies(store: Store) -> None:
    table = _run(store, "studies-by-external-term", term="MONDO:0007827")
    assert _curies(table, "study", "via", "concept", "mapping") == [
        (f"study:{s}", "condition", "ibmkg:SporadicInclusionBodyMyositis", "skos:exactMatch")
        for s in ALL_STUDIES]


def test_obi_randomized_clinical_trial_finds_the_rcts_without_the_reasoner(store: Store) -> None:
    table = _run(store, "studies-by-external-term", term="OBI:0004001")
    assert _curies(table, "study", "via", "concept", "mapping") == [
        (f"study:{s}", "design", "ibmkg:RandomisedControlledTrial", "skos:exactMatch")
        for s in ("dalakas-1997", "dalakas-2001", "walter-2000")]


@pytest.mark.parametrize("term", ["HP:0002015", "hp:0002015",
                                  "<http://purl.obolibrary.org/obo/HP_0002015>"])
def test_dysphagia_finds_the_findings_with_their_direction(store: Store, term: str) -> None:
    table = _run(store, "studies-by-external-term", term=term)
    assert [(row[0], row[5], row[6]) for row in _curies(table, *table.columns)] == [
        ("study:cherin-2002", f"<{STUDY}cherin-2002/finding-1>", "ibmkg:Improved"),
        ("study:dalakas-1997", f"<{STUDY}dalakas-1997/finding-1>", "ibmkg:NoEffect"),
        ("study:dobloug-2012", f"<{STUDY}dobloug-2012/finding-1>", "ibmkg:NoEffect"),
        ("study:dobloug-2012", f"<{STUDY}dobloug-2012/finding-2>", "ibmkg:Improved"),
    ]
    assert set(table.column("via")) == {"finding"}


def test_agents_match_through_their_class_only_for_exact_close_broad(store: Store) -> None:
    # ChEBI corticosteroid is a closeMatch of ibmkg:CorticosteroidAgent: prednisone studies.
    table = _run(store, "studies-by-external-term", term="CHEBI:50858")
    assert _curies(table, "study", "via", "concept") == [
        ("study:dalakas-2001", "agent", "ibmkg:CorticosteroidAgent"),
        ("study:zschuntzsch-2012", "agent", "ibmkg:CorticosteroidAgent"),
    ]
    # ChEBI immunosuppressive agent is only a narrowMatch of ibmkg:ImmunotherapyAgent:
    # IVIG being an immunotherapy agent does not make it an immunosuppressive agent.
    assert _run(store, "studies-by-external-term", term="CHEBI:35705").rows == []
    table = _run(store, "studies-by-external-term", term="MAXO:0001480")
    assert len(table) == 10 and set(table.column("via")) == {"agent"}


def test_measures_and_defined_designs(store: Store) -> None:
    table = _run(store, "studies-by-external-term", term="OBI:0003739")
    assert [s for (s,) in _curies(table, "study")] == [
        f"study:{s}" for s in ("amato-1994", "dalakas-1997", "dalakas-2001", "dobloug-2012",
                               "recher-2012", "soueidan-1993", "walter-2000")]
    assert set(table.column("mapping")) == {PREFIXES["skos"] + "narrowMatch"}
    blinded = _run(store, "studies-by-external-term", term="NCIT:C70840")
    assert [s for (s,) in _curies(blinded, "study")] == [
        "study:dalakas-1997", "study:dalakas-2001", "study:walter-2000"]


def test_findings_by_phenotype_dysphagia(store: Store) -> None:
    table = _run(store, "findings-by-phenotype", phenotype="HP:0002015")
    assert _curies(table, "study", "domain", "mapping", "direction", "basis", "quote") == [
        ("study:cherin-2002", "outcome:dysphagia", "skos:exactMatch", "ibmkg:Improved",
         "ibmkg:ObjectiveMeasurement", "Dysphagia was ameliorated in all patients."),
        ("study:dalakas-1997", "outcome:dysphagia", "skos:exactMatch", "ibmkg:NoEffect",
         "ibmkg:ObjectiveMeasurement", "No effects."),
        ("study:dobloug-2012", "outcome:dysphagia", "skos:exactMatch", "ibmkg:NoEffect",
         "ibmkg:ObjectiveMeasurement", "No effects."),
        ("study:dobloug-2012", "outcome:dysphagia", "skos:exactMatch", "ibmkg:Improved",
         "ibmkg:PatientReported",
         "Improved swallowing function reported by three patients treated with IVIG."),
    ]


def test_findings_by_phenotype_ck_is_only_related(store: Store) -> None:
    table = _run(store, "findings-by-phenotype", phenotype="HP:0003236")
    assert _curies(table, "study", "mapping", "direction") == [
        ("study:amato-1994", "skos:relatedMatch", "ibmkg:NoEffect"),
        ("study:dobloug-2012", "skos:relatedMatch", "ibmkg:NoEffect"),
        ("study:recher-2012", "skos:relatedMatch", "ibmkg:Improved"),
        ("study:soueidan-1993", "skos:relatedMatch", "ibmkg:Improved"),
    ]


def test_findings_by_phenotype_fatigue_is_patient_reported(store: Store) -> None:
    table = _run(store, "findings-by-phenotype", phenotype="hp:0012378")
    assert _curies(table, "study", "direction", "basis") == [
        ("study:amato-1994", "ibmkg:Improved", "ibmkg:PatientReported"),
        ("study:soueidan-1993", "ibmkg:Improved", "ibmkg:PatientReported"),
    ]


def test_placebo_control_from_the_arms_without_the_reasoner(store: Store) -> None:
    table = _run(store, "studies-by-external-term", term="NCIT:C49648")
    assert _curies(table, "study", "via", "concept", "mapping") == [
        (f"study:{s}", "design", "ibmkg:PlaceboControlledStudy", "skos:closeMatch")
        for s in ("dalakas-1997", "dalakas-2001", "walter-2000")]


@pytest.mark.java
def test_inferred_types_give_the_same_rows(project_data: LoadedData, tmp_path: Path) -> None:
    """With the reasoner's graph loaded, inferred design classes match and nothing doubles."""
    from ibmkg.graph_io import SourceGraph
    from ibmkg.paths import kg_files
    from ibmkg.queries import INFERRED_GRAPH
    from ibmkg.reasoning import Engine, ensure_inferred, find_java, reason, write_inferred
    from ibmkg.store.embedded import EmbeddedStore

    if find_java() is None:
        pytest.skip("no Java runtime: HermiT cannot run")
    result = reason(LAYOUT.ontology, kg_files(LAYOUT), engine=Engine.HERMIT)
    inferred = tmp_path / "inferred.ttl"
    write_inferred(result, inferred)
    triples, _ = ensure_inferred(LAYOUT.ontology, kg_files(LAYOUT), inferred)
    data = project_data.with_graph(SourceGraph(INFERRED_GRAPH, "inferred", tuple(triples)))
    inferred_store = EmbeddedStore.from_data(data)
    for term, concept in (("OBI:0004001", "ibmkg:RandomisedControlledTrial"),
                          ("NCIT:C49648", "ibmkg:PlaceboControlledStudy")):
        table = _run(inferred_store, "studies-by-external-term", term=term)
        assert _curies(table, "study", "via", "concept") == [
            (f"study:{s}", "design", concept)
            for s in ("dalakas-1997", "dalakas-2001", "walter-2000")]
