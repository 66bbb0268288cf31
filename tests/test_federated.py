"""Federated stored queries, run offline against a local SPARQL endpoint standing in for Wikidata.

Protects: :func:`rewrite_service` touches only the endpoint of ``SERVICE`` clauses and refuses
unknown endpoints; :class:`LocalEndpoint` speaks the SPARQL protocol and refuses updates and
nested ``SERVICE``; the two Wikidata queries join the graph's mappings with the fixture
(``tests/data/wikidata-fixture.ttl``) giving exactly the expected rows; the IDs their
``SERVICE`` groups ask for are the ones the mapping set uses.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest

from ibmkg.errors import UnsafeQueryError
from ibmkg.export.results import display
from ibmkg.federation import (
    WIKIDATA_SPARQL,
    LocalEndpoint,
    rewrite_service,
    run_federated,
    service_iris,
)
from ibmkg.graph_io import LoadedData
from ibmkg.mappings import read_mapping_set
from ibmkg.paths import Layout, find_root
from ibmkg.queries import find_query, parse_stored_query, run_query
from ibmkg.store.base import ResultTable
from ibmkg.store.embedded import EmbeddedStore

ROOT = find_root(Path(__file__).parent)
LAYOUT = Layout(ROOT)
FIXTURE = Path(__file__).parent / "data" / "wikidata-fixture.ttl"
FEDERATED = ("wikidata-disease-xrefs", "wikidata-mesh-xrefs")


@pytest.fixture(scope="module")
def endpoint() -> Iterator[LocalEndpoint]:
    remote = pyoxigraph.Store()
    remote.load(path=str(FIXTURE), format=pyoxigraph.RdfFormat.TURTLE)
    with LocalEndpoint(remote) as running:
        yield running


@pytest.fixture(scope="module")
def local(project_data: LoadedData) -> EmbeddedStore:
    return EmbeddedStore.from_data(project_data)


def _rows(table: ResultTable) -> list[tuple[str, ...]]:
    return [tuple(display(v) for v in row) for row in table.rows]


# --- rewriting -------------------------------------------------------------------------------


def test_rewrite_touches_only_service_endpoints() -> None:
    query = (f'# calls <{WIKIDATA_SPARQL}>\n'
             f'SELECT ?x WHERE {{ BIND("<{WIKIDATA_SPARQL}>" AS ?x) '
             f'SERVICE SILENT <{WIKIDATA_SPARQL}> {{ ?s ?p <{WIKIDATA_SPARQL}> }} }}')
    rewritten = rewrite_service(query, {WIKIDATA_SPARQL: "http://127.0.0.1:9/sparql"})
    assert rewritten == query.replace(f"SILENT <{WIKIDATA_SPARQL}>",
                                      "SILENT <http://127.0.0.1:9/sparql>")


def test_rewrite_expands_prefixed_service_names() -> None:
    query = "PREFIX wd: <https://query.wikidata.org/>\nSELECT * { SERVICE wd:sparql { ?s ?p ?o } }"
    assert service_iris(query) == [WIKIDATA_SPARQL]
    rewritten = rewrite_service(query, {WIKIDATA_SPARQL: "http://127.0.0.1:9/sparql"})
    assert rewritten.endswith("SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }")


def test_rewrite_refuses_unknown_endpoints_and_variables() -> None:
    with pytest.raises(UnsafeQueryError, match="no replacement endpoint"):
        rewrite_service("SELECT * { SERVICE <http://elsewhere.example/sparql> { ?s ?p ?o } }",
                        {WIKIDATA_SPARQL: "http://127.0.0.1:9/sparql"})
    with pytest.raises(UnsafeQueryError, match="not a variable"):
        rewrite_service("SELECT * { SERVICE ?where { ?s ?p ?o } }", {})
    loose = "SELECT * { SERVICE <http://elsewhere.example/sparql> { ?s ?p ?o } }"
    assert rewrite_service(loose, {}, strict=False) == loose


def test_stored_federated_queries_call_only_wikidata() -> None:
    for name in FEDERATED:
        query = find_query(name, LAYOUT.queries)
        assert query.federated
        assert service_iris(query.sparql) == [WIKIDATA_SPARQL]


# --- the local endpoint ----------------------------------------------------------------------


def _get(url: str, query: str, accept: str) -> tuple[int, str, str]:
    request = urllib.request.Request(f"{url}?{urllib.parse.urlencode({'query': query})}",
                                     headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.headers["Content-Type"], err.read().decode()


def test_endpoint_answers_the_sparql_protocol(endpoint: LocalEndpoint) -> None:
    query = "SELECT ?item WHERE { ?item <http://www.wikidata.org/prop/direct/P5270> \"0007827\" }"
    status, media, body = _get(endpoint.url, query, "application/sparql-results+json")
    assert (status, media) == (200, "application/sparql-results+json")
    assert "http://www.wikidata.org/entity/Q90000001" in body
    status, media, body = _get(endpoint.url, query, "application/sparql-results+xml")
    assert (status, media) == (200, "application/sparql-results+xml") and "<sparql" in body
    assert endpoint.url.startswith("http://127.0.0.1:")


@pytest.mark.parametrize("query", [
    "INSERT DATA { <http://a/s> <http://a/p> 1 }",
    "SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p }",
])
def test_endpoint_refuses_updates_services_and_bad_queries(endpoint: LocalEndpoint,
                                                           query: str) -> None:
    status, _, _ = _get(endpoint.url, query, "application/sparql-results+json")
    assert status == 400


# --- the joined rows -------------------------------------------------------------------------


def test_disease_xrefs_join(local: EmbeddedStore, endpoint: LocalEndpoint) -> None:
    query = find_query("wikidata-disease-xrefs", LAYOUT.queries)
    table = run_federated(local, query, endpoints={WIKIDATA_SPARQL: endpoint.url})
    assert table.columns == query.columns
    assert _rows(table) == [
        ("ibmkg:SporadicInclusionBodyMyositis", "sporadic inclusion body myositis",
         "MONDO:0007827", "wikidata:Q90000001", "D018979", "MESH:D018979", "true"),
    ]


def test_mesh_xrefs_join(local: EmbeddedStore, endpoint: LocalEndpoint) -> None:
    query = find_query("wikidata-mesh-xrefs", LAYOUT.queries)
    table = run_federated(local, query, endpoints={WIKIDATA_SPARQL: endpoint.url})
    assert _rows(table) == [
        ("ibmkg:Prednisone", "prednisone", "skos:closeMatch", "MESH:D011241",
         "wikidata:Q90000002", ""),
        ("ibmkg:SporadicInclusionBodyMyositis", "sporadic inclusion body myositis",
         "skos:exactMatch", "MESH:D018979", "wikidata:Q90000001", "0007827"),
        ("measure:emg", "electromyography", "skos:closeMatch", "MESH:D004576",
         "wikidata:Q90000003", ""),
    ]


def test_unmapped_endpoint_is_refused_before_any_request(local: EmbeddedStore) -> None:
    query = find_query("wikidata-disease-xrefs", LAYOUT.queries)
    with pytest.raises(UnsafeQueryError, match="no replacement endpoint"):
        run_federated(local, query, endpoints={})


def test_plain_run_query_still_refuses_service_on_the_embedded_store(
        local: EmbeddedStore) -> None:
    with pytest.raises(UnsafeQueryError, match="federated"):
        run_query(local, find_query("wikidata-disease-xrefs", LAYOUT.queries))


def test_run_federated_needs_a_federated_query(local: EmbeddedStore) -> None:
    plain = parse_stored_query("plain", "#+ summary: s\n#+ description: d\n#+ keywords: k\n"
                                        "#+ columns: s\nSELECT ?s WHERE { ?s ?p ?o }")
    with pytest.raises(UnsafeQueryError):
        run_federated(local, plain, endpoints={})


# --- the IDs in the SERVICE groups are the mapping set's -------------------------------------


def _service_values(name: str) -> set[str]:
    sparql = find_query(name, LAYOUT.queries).sparql
    service = sparql[sparql.index("SERVICE"):]
    block = re.search(r"VALUES \?\w+ \{([^}]*)\}", service)
    assert block is not None
    return set(re.findall(r'"([^"]+)"', block.group(1)))


def test_service_ids_are_the_mapped_ones() -> None:
    mapping_set = read_mapping_set(LAYOUT.mappings)
    mondo = {m.object_curie.partition(":")[2] for m in mapping_set.mappings
             if m.object_curie.startswith("MONDO:") and m.predicate_curie == "skos:exactMatch"}
    mesh = {m.object_curie.partition(":")[2] for m in mapping_set.mappings
            if m.object_curie.startswith("MESH:")
            and m.predicate_curie in ("skos:exactMatch", "skos:closeMatch")}
    assert _service_values("wikidata-disease-xrefs") == mondo == {"0007827"}
    assert _service_values("wikidata-mesh-xrefs") == mesh
