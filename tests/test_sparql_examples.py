"""The stored queries as SIB SPARQL examples: federated ones name their endpoints, and
parameterised ones run as written, with their defaults, giving the stored query's answer."""

from __future__ import annotations

import pyoxigraph
import pytest

from ibmkg.export.sparql_examples import (
    QUERY_BASE,
    SPEX,
    examples_triples,
    federated_endpoints,
    runnable_text,
)
from ibmkg.graph_io import LoadedData
from ibmkg.paths import default_layout
from ibmkg.queries import load_catalogue, run_query
from ibmkg.store.embedded import EmbeddedStore

CATALOGUE = load_catalogue(default_layout().queries)
PARAMETERISED = sorted(n for n, q in CATALOGUE.items() if q.params)
WIKIDATA = "https://query.wikidata.org/sparql"


def test_cases_collected() -> None:
    assert PARAMETERISED == ["findings-by-phenotype", "studies-by-external-term",
                             "studies-by-outcome"]


def test_federated_examples_carry_federates_with() -> None:
    """Regression: SIB's test suite failed the two Wikidata examples without it."""
    triples = examples_triples(CATALOGUE.values())
    federates = {(str(t.subject), str(t.object)) for t in triples
                 if t.predicate == pyoxigraph.NamedNode(SPEX + "federatesWith")}
    assert federates == {(f"<{QUERY_BASE}wikidata-disease-xrefs>", f"<{WIKIDATA}>"),
                         (f"<{QUERY_BASE}wikidata-mesh-xrefs>", f"<{WIKIDATA}>")}
    assert {n for n, q in CATALOGUE.items() if q.federated} == {
        "wikidata-disease-xrefs", "wikidata-mesh-xrefs"}


def test_service_with_a_variable_is_not_an_endpoint() -> None:
    assert federated_endpoints("SELECT * { SERVICE ?e { ?s ?p ?o } }") == []


@pytest.mark.parametrize("name", PARAMETERISED)
def test_parameterised_example_runs_as_written(name: str, project_data: LoadedData) -> None:
    query = CATALOGUE[name]
    store = EmbeddedStore.from_data(project_data)
    text = runnable_text(query)
    assert all(f"# Parameter ?{p.name} ({p.type.value}, default {p.default})" in text
               for p in query.params)
    names = " ".join(f"?{p.name}" for p in query.params if p.default is not None)
    assert text.count(f"VALUES ({names}) {{ (") == 1
    expected = run_query(store, query)  # the defaults
    got = store.query(text)
    assert got.columns == expected.columns and len(expected) > 0
    assert got.sorted().rows == expected.sorted().rows
