"""One compliance suite for every store backend: the same query gives the same rows.

Runs on the fixture project (``tests/data/project``) for each backend of ``fixture_store``.
Exclusions go through :data:`XFAIL` (backend, case) -> reason, never through an ``if``.
"""

from __future__ import annotations

from decimal import Decimal

import pyoxigraph
import pytest

import virtuoso_server
from ibmkg.errors import EndpointError, InputError, QuerySyntaxError, UnsafeQueryError
from ibmkg.graph_io import LoadedData, parse_turtle
from ibmkg.paths import Layout
from ibmkg.queries import find_query, load_catalogue, run_query
from ibmkg.store.base import IRI, LangString, ResultTable, Store, TypedLiteral
from ibmkg.store.embedded import EmbeddedStore
from ibmkg.store.remote import RemoteStore

STUDY = "https://w3id.org/ibmkg/study/"
ONTO = "https://w3id.org/ibmkg/ontology/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
ALPHA = IRI(STUDY + "fixture-alpha-2001")
BETA = IRI(STUDY + "fixture-beta-2005")
INJECTION = 'x" } ; DROP ALL ; #'

#: Stored queries of the fixture project run on every backend, with their parameters.
CASES: dict[str, dict[str, str]] = {
    "studies": {},
    "studies-by-design": {},
    "studies-by-design/open-label": {"design": "ibmkg:OpenLabelStudy"},
    "studies-larger-than": {},
    "studies-larger-than/5": {"minimum": "5"},
    "study-by-label": {"label": 'Fixture "Alpha" trial (2001)'},
    "study-by-label/injection": {"label": INJECTION},
    "literal-values": {},
    "conditions": {},
    "checks/study-without-year-violation": {},
}

#: (backend, case) -> why that case cannot pass there. Empty: every case passes everywhere.
XFAIL: dict[tuple[str, str], str] = {}


def test_every_case_is_collected(fixture_layout: Layout) -> None:
    """Guard against a case list quietly narrowed: 10 cases, every stored query but one."""
    assert len(CASES) == 10
    catalogue = load_catalogue(fixture_layout.queries)
    assert set(catalogue) - {_query_name(case) for case in CASES} == {"mondo-federated"}


def _query_name(case: str) -> str:
    """``studies-by-design/open-label`` -> ``studies-by-design``; checks keep their folder."""
    return case if case.startswith("checks/") else case.split("/")[0]


def _run(store: Store, case: str, fixture_layout: Layout) -> ResultTable:
    query = find_query(_query_name(case), fixture_layout.queries)
    return run_query(store, query, CASES[case])


def _backend(store: Store) -> str:
    return "embedded" if isinstance(store, EmbeddedStore) else "virtuoso"


class TestCompliance:
    """Every backend answers like the embedded reference, row for row."""

    @pytest.mark.parametrize("case", sorted(CASES))
    def test_same_rows_as_reference(self, fixture_store: Store,
                                    embedded_fixture_store: EmbeddedStore, case: str,
                                    fixture_layout: Layout) -> None:
        reason = XFAIL.get((_backend(fixture_store), case))
        if reason:
            pytest.xfail(reason)
        got = _run(fixture_store, case, fixture_layout)
        expected = _run(embedded_fixture_store, case, fixture_layout)
        assert got.columns == expected.columns
        assert got.sorted().rows == expected.sorted().rows

    def test_studies_exact(self, fixture_store: Store) -> None:
        rows = fixture_store.query(
            "SELECT ?study ?size WHERE { ?study ibmkg:sampleSize ?size } ORDER BY ?study").rows
        assert rows == [(ALPHA, 19), (BETA, 9)]

    def test_literal_types(self, fixture_store: Store) -> None:
        table = fixture_store.query(
            f"SELECT ?p ?o WHERE {{ <{ALPHA}> ?p ?o FILTER(isLiteral(?o)) }}")
        values = {str(p): o for p, o in table.rows}
        assert values[ONTO + "sampleSize"] == 19
        assert values[ONTO + "meanChange"] == Decimal("0.50")
        assert values[ONTO + "weight"] == 1.25
        assert values[ONTO + "blinded"] is True
        assert values[RDFS + "label"] == 'Fixture "Alpha" trial (2001)'
        comment = values[RDFS + "comment"]
        assert isinstance(comment, LangString) and comment.language == "fr"
        assert comment == "Essai fictif – données de test"

    def test_date_literal(self, fixture_store: Store) -> None:
        (value,), = fixture_store.query(
            "SELECT ?d WHERE { ?r dcterms:date ?d }").rows
        assert isinstance(value, TypedLiteral)
        assert (value, value.datatype) == ("2024-03-01", XSD + "date")

    def test_multiline_string(self, fixture_store: Store) -> None:
        (value,), = fixture_store.query(
            f"SELECT ?c WHERE {{ <{BETA}> rdfs:comment ?c }}").rows
        assert value == "Two lines:\nthe second one mentions { braces } and a # sign."

    def test_default_graph_is_the_merge(self, fixture_store: Store) -> None:
        """A triple stated in two study graphs is seen once without GRAPH, twice with it."""
        (n,), = fixture_store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { MONDO:0007827 rdfs:label ?l }").rows
        assert n == 1
        (n,), = fixture_store.query(
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { MONDO:0007827 rdfs:label ?l } }").rows
        assert n == 2

    def test_named_graphs(self, fixture_store: Store) -> None:
        table = fixture_store.query(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ibmkg:sampleSize ?n } } ORDER BY ?g")
        assert table.column("g") == [ALPHA, BETA]
        assert fixture_store.graph_names() == sorted([
            ONTO, "https://w3id.org/ibmkg/review/fontanelli-2024", ALPHA, BETA])

    def test_ask_and_construct(self, fixture_store: Store) -> None:
        assert fixture_store.ask("ASK { ?s a ibmkg:RandomizedControlledTrial }")
        assert not fixture_store.ask("ASK { ?s a ibmkg:CaseReport }")
        triples = fixture_store.construct(
            "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a ibmkg:OpenLabelStudy ; rdfs:label ?l }")
        assert [str(t.subject) for t in triples] == [f"<{BETA}>"]

    def test_binding_reaches_nested_groups(self, fixture_store: Store) -> None:
        """Bound values are substituted inside nested groups, as SEP-0007 says."""
        query = """SELECT ?study ?name WHERE {
          { FILTER (isIRI(?name)) ?study ?p ?name }
          UNION
          { FILTER (isLiteral(?name)) ?study rdfs:label ?label FILTER (CONTAINS(?label, ?name)) }
        }"""
        rows = fixture_store.query(query, bindings={"name": pyoxigraph.Literal("Beta")}).rows
        assert rows == [(BETA, "Beta")]

    def test_count_triples(self, fixture_store: Store, fixture_data: LoadedData) -> None:
        assert fixture_store.count_triples() == sum(len(set(g.triples))
                                                    for g in fixture_data.graphs)
        assert fixture_store.count_triples(ALPHA) == len(set(fixture_data.graph(ALPHA).triples))

    def test_syntax_error(self, fixture_store: Store) -> None:
        with pytest.raises(QuerySyntaxError):
            fixture_store.query("SELECT ?s WHERE { ?s ?p }")

    def test_wrong_form(self, fixture_store: Store) -> None:
        with pytest.raises(QuerySyntaxError, match="query\\(\\) runs SELECT"):
            fixture_store.query("ASK { ?s ?p ?o }")

    def test_service_refused(self, fixture_store: Store) -> None:
        with pytest.raises(UnsafeQueryError, match="SERVICE"):
            fixture_store.query("SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }")

    def test_update_refused(self, fixture_store: Store) -> None:
        with pytest.raises(UnsafeQueryError):
            fixture_store.query("DROP ALL")


class TestInjection:
    """A parameter value is data: it cannot end the string, the group or the query."""

    def test_string_payload_is_data(self, fixture_store: Store, fixture_layout: Layout,
                                    fixture_data: LoadedData) -> None:
        before = fixture_store.count_triples()
        table = run_query(fixture_store, find_query("study-by-label", fixture_layout.queries),
                          {"label": INJECTION})
        assert table.rows == []
        assert fixture_store.count_triples() == before == sum(
            len(set(g.triples)) for g in fixture_data.graphs)

    def test_payload_matches_itself_exactly(self) -> None:
        """Stored as a label, the payload is found again verbatim: it was bound, not spliced."""
        store = EmbeddedStore()
        store.load([pyoxigraph.Triple(pyoxigraph.NamedNode(ALPHA),
                                      pyoxigraph.NamedNode(RDFS + "label"),
                                      pyoxigraph.Literal(INJECTION))], ALPHA)
        rows = store.query("SELECT ?s WHERE { ?s rdfs:label ?l }",
                           bindings={"l": pyoxigraph.Literal(INJECTION)}).rows
        assert rows == [(ALPHA,)]

    def test_iri_payload_is_rejected(self, fixture_layout: Layout) -> None:
        query = find_query("studies-by-design", fixture_layout.queries)
        with pytest.raises(InputError, match="design"):
            run_query(EmbeddedStore(), query, {"design": "http://ex/a> } ; DROP ALL ; #"})


class TestEmbedded:
    def test_replace_graph(self) -> None:
        store = EmbeddedStore()
        graph = STUDY + "scratch"
        store.load(parse_turtle(f"<{graph}> <http://ex/p> 1, 2 ."), graph)
        store.replace_graph(graph, parse_turtle(f"<{graph}> <http://ex/p> 3 ."))
        assert store.query(f"SELECT ?o WHERE {{ <{graph}> ?p ?o }}").rows == [(3,)]
        assert store.count_triples(graph) == 1


@pytest.mark.virtuoso
class TestVirtuoso:
    """What only a remote server can do wrong."""

    def test_truncated_result_raises(self, virtuoso_fixture: Store) -> None:
        numbers = " ".join(str(i) for i in range(101))
        query = f"SELECT ?a ?b WHERE {{ VALUES ?a {{ {numbers} }} VALUES ?b {{ {numbers} }} }}"
        with pytest.raises(EndpointError, match="X-SPARQL-MaxRows"):
            virtuoso_fixture.query(query)

    def test_below_the_cap_is_complete(self, virtuoso_fixture: Store) -> None:
        numbers = " ".join(str(i) for i in range(99))
        query = f"SELECT ?a ?b WHERE {{ VALUES ?a {{ {numbers} }} VALUES ?b {{ {numbers} }} }}"
        assert len(virtuoso_fixture.query(query)) == 99 * 99

    def test_replace_graph_is_staged(
            self, virtuoso_fixture_server: virtuoso_server.VirtuosoServer) -> None:
        store = virtuoso_fixture_server.store("scratch")
        graph = STUDY + "scratch-remote"
        store.replace_graph(graph, parse_turtle(f"<{graph}> <http://ex/p> 1, 2 ."))
        store.replace_graph(graph, parse_turtle(f"<{graph}> <http://ex/p> 3 ."))
        assert store.query(f"SELECT ?o WHERE {{ <{graph}> ?p ?o }}").rows == [(3,)]
        staging = store.query(  # no staging graph is left behind
            "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER STRSTARTS(STR(?g), 'urn:ibmkg') }")
        assert staging.rows == []

    def test_wrong_password(self, virtuoso_fixture_server: virtuoso_server.VirtuosoServer,
                            ) -> None:
        store = RemoteStore(virtuoso_fixture_server.update_endpoint, user="dba",
                            password="wrong", timeout=10)
        with pytest.raises(EndpointError, match=r"denied|401|credentials"):
            store.update("INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> 1 } }")

    def test_anonymous_update_refused(
            self, virtuoso_fixture_server: virtuoso_server.VirtuosoServer) -> None:
        store = RemoteStore(virtuoso_fixture_server.endpoint, timeout=10)
        with pytest.raises(EndpointError):
            store.update("INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> 1 } }")


class TestRemoteWithoutServer:
    def test_only_http(self) -> None:
        with pytest.raises(InputError, match="http"):
            RemoteStore("file:///etc/passwd")

    def test_timeout_must_be_positive(self) -> None:
        with pytest.raises(InputError, match="timeout"):
            RemoteStore("http://127.0.0.1:1/sparql", timeout=0)

    def test_connection_refused(self) -> None:
        store = RemoteStore(f"http://127.0.0.1:{virtuoso_server.free_port()}/sparql", timeout=5)
        with pytest.raises(EndpointError, match="cannot connect"):
            store.query("SELECT * WHERE { ?s ?p ?o }")


def test_queries_leave_the_garbage_collector_as_they_found_it() -> None:
    """``gc_paused`` around answers: the collector is back on after a query, also one that
    fails, and stays off when the caller had turned it off."""
    import gc

    store = EmbeddedStore()
    store.load([pyoxigraph.Triple(pyoxigraph.NamedNode("https://example.org/a"),
                                  pyoxigraph.NamedNode("https://example.org/p"),
                                  pyoxigraph.Literal("x"))], "https://example.org/g")
    assert gc.isenabled()
    assert len(store.query("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?s").rows) == 1
    assert gc.isenabled()
    with pytest.raises(QuerySyntaxError):
        store.query("SELECT ?s WHERE { ?s ?p }")
    assert gc.isenabled()
    gc.disable()
    try:
        store.query("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert not gc.isenabled()
    finally:
        gc.enable()
