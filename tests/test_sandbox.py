"""The query sandbox: the attack corpus (0 connections, 0 file opens outside the project),
the injection corpus, and regression tests for the measured leaks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest

import sandbox_attacks
import serve_server
from ibmkg.errors import (
    CurieError,
    QueryHeaderError,
    QueryParameterError,
    QuerySyntaxError,
    QueryTimeoutError,
    UnsafeQueryError,
)
from ibmkg.graph_io import LoadedData
from ibmkg.namespaces import PREFIXES
from ibmkg.paths import Layout
from ibmkg.queries import bindings_for, load_catalogue, parse_stored_query, run_query
from ibmkg.sandbox import inspect_query
from ibmkg.sandbox.store import GraphResult, SandboxedStore
from ibmkg.sparql import add_missing_prefixes
from ibmkg.store.base import ResultTable, to_value
from ibmkg.store.embedded import EmbeddedStore

TESTS = Path(__file__).parent
ROOT = TESTS.parent
EXPECTED_ATTACKS = 31
CATALOGUE = load_catalogue(Layout(ROOT).queries)


@pytest.fixture(scope="module")
def listener() -> Iterator[serve_server.Listener]:
    running = serve_server.listen()
    yield running
    running.close()


@pytest.fixture(scope="module")
def sandboxed(project_data: LoadedData) -> Iterator[SandboxedStore]:
    with SandboxedStore.from_data(project_data, timeout=2.0, max_rows=100) as store:
        yield store


def test_attack_corpus_reaches_nothing(listener: serve_server.Listener, tmp_path: Path) -> None:
    assert len(sandbox_attacks.ATTACKS) == EXPECTED_ATTACKS >= 25
    log = tmp_path / "workers.log"
    env = {**os.environ, "IBMKG_SANDBOX_AUDIT": str(log)}
    done = subprocess.run([sys.executable, str(TESTS / "sandbox_attacks.py"), str(ROOT),
                           listener.url], capture_output=True, timeout=300, env=env, check=False)
    assert done.returncode == 0, done.stderr.decode()[-800:]
    report = json.loads(done.stdout)
    wrong = {name: got for name, got in report["outcomes"].items()
             if got not in sandbox_attacks.ATTACKS[name][1]}
    assert not wrong
    assert report["connects"] == [] and report["outside"] == []
    assert report["control_connects"] == 1 and listener.connections == 1  # counters count
    assert report["unchanged"] and report["answered_after"]
    events = [line.split("\t") for line in log.read_text().splitlines()]
    assert [e for e in events if e[1] != "audit"] == []  # workers: no connect, no open
    assert len([e for e in events if e[1] == "audit"]) >= 3  # first worker + 2 after kills


def test_catalogue_loading_runs_no_query(listener: serve_server.Listener, tmp_path: Path,
                                         ) -> None:
    # Regression: the header check ran each query on an empty store, and pyoxigraph called
    # the SERVICE endpoint (query.wikidata.org) while `ibmkg queries` loaded the catalogue.
    before = listener.connections
    text = (ROOT / "queries" / "wikidata-mesh-xrefs.rq").read_text()
    pointed = text.replace("https://query.wikidata.org/sparql", listener.url)
    assert pointed != text
    (tmp_path / "federated.rq").write_text(pointed)
    catalogue = load_catalogue(tmp_path)
    assert catalogue["federated"].federated and catalogue["federated"].columns
    assert listener.connections == before


def test_comment_ending_at_cr_is_a_comment_end(listener: serve_server.Listener) -> None:
    # Regression: the gate ended comments at \n only; SPARQL ends them at \r too.
    store = EmbeddedStore()
    with pytest.raises(UnsafeQueryError, match="SERVICE"):
        store.query(f"SELECT * {{ # x\rSERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
    assert listener.connections <= 1  # only the control connection of the corpus, if run


def test_deep_nesting_is_a_clean_error() -> None:
    # Regression: 10,000 nested groups crashed pyoxigraph with a segmentation fault.
    text = "SELECT * WHERE " + "{" * 10000 + "}" * 10000
    with pytest.raises(QuerySyntaxError, match="nest 10000 deep"):
        EmbeddedStore().query(text)
    done = subprocess.run([sys.executable, "-c", "from ibmkg.store.embedded import "
                           "EmbeddedStore as E\ntry:\n E().query(" + repr(text) + ")\n"
                           "except ValueError as e: print('refused')"],
                          capture_output=True, timeout=60, check=False)
    assert done.returncode == 0 and done.stdout.strip() == b"refused"


def test_federated_header_is_checked_without_connecting(listener: serve_server.Listener,
                                                        ) -> None:
    # Regression: a user file with `#+ federated: true` connected before being refused.
    before = listener.connections
    query = parse_stored_query("mine", "#+ summary: s\n#+ description: d\n#+ keywords: k\n"
                               "#+ columns: s\n#+ federated: true\n"
                               f"SELECT ?s WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}")
    with pytest.raises(UnsafeQueryError, match="run it with --endpoint"):
        run_query(EmbeddedStore(), query)
    assert listener.connections == before


def test_timeout_and_row_cap(sandboxed: SandboxedStore) -> None:
    with pytest.raises(QueryTimeoutError, match="longer than 2 s"):
        sandboxed.run(sandbox_attacks.ATTACKS["cross-product-bomb"][0])
    table = sandboxed.query("SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert table.truncated and len(table) == 100
    small = sandboxed.query("SELECT ?s WHERE { ?s a ibmkg:Study }")
    assert not small.truncated and len(small) == 10
    graph = sandboxed.run("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert isinstance(graph, GraphResult) and graph.truncated and len(graph.triples) == 100


def test_lexical_forms_survive_the_store(sandboxed: SandboxedStore) -> None:
    table = sandboxed.query("SELECT DISTINCT ?m WHERE { ?r ibmkg:courseDurationMonths ?m }")
    assert table.terms is not None
    assert {t[0].value for t in table.terms if t[0] is not None} >= {"3.0", "6.0"}


def test_gate_refuses_what_the_parse_shows() -> None:
    with pytest.raises(UnsafeQueryError, match="extension function"):
        inspect_query("SELECT * WHERE { BIND(<http://127.0.0.1:9/f>(1) AS ?x) }")
    assert inspect_query("SELECT * WHERE { BIND(xsd:decimal('1') AS ?x) }").columns == ("x",)
    with pytest.raises(QueryHeaderError, match="SERVICE"):
        parse_stored_query("x", "#+ summary: s\n#+ description: d\n#+ keywords: k\n"
                           "#+ columns: s\nSELECT ?s WHERE { SERVICE <http://x/> { ?s ?p ?o } }")


#: Parameter payloads: each must come back as data, matching pyoxigraph's own substitution.
PAYLOADS = [
    "dysphagia", "fatigue", " dysphagia", "DYSPHAGIA",
    '" } ; DROP ALL ; #', "') } UNION { ?s ?p ?o } #", '"""', "'''", "\\", "\\u0022 }",
    "x\n}\nLOAD <http://127.0.0.1:9/>", "x\r# SERVICE <http://127.0.0.1:9/>",
    "} SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } #", "?study", "$outcome", "<http://127.0.0.1:9/>",
    "ibmkg:Study", "_:b0", '"x"@en', "1 ; DELETE WHERE { ?s ?p ?o }", "\x00", "é 😀",
    "x" * 10_000, "outcome:Dysphagia", "HP:0002015",
]
INJECTION = [("studies-by-outcome", "outcome", p) for p in PAYLOADS]


def test_injection_corpus_size() -> None:
    assert len(INJECTION) == len(PAYLOADS) == 25


@pytest.fixture(scope="module")
def reference(project_data: LoadedData) -> pyoxigraph.Store:
    return EmbeddedStore.from_data(project_data).oxigraph


@pytest.mark.parametrize(("name", "param", "payload"), INJECTION,
                         ids=[f"{n}-{i}" for i, (n, _, _) in enumerate(INJECTION)])
def test_injection_returns_exactly_the_intended_rows(
        sandboxed: SandboxedStore, reference: pyoxigraph.Store, name: str, param: str,
        payload: str, listener: serve_server.Listener) -> None:
    stored = CATALOGUE[name]
    before = (sandboxed.count_triples(), listener.connections)
    try:
        bindings = bindings_for(stored, {param: payload})
    except (QueryParameterError, CurieError):
        with pytest.raises((QueryParameterError, CurieError)):
            run_query(sandboxed, stored, {param: payload})
        return
    got = run_query(sandboxed, stored, {param: payload}).sorted()
    # The intended rows: pyoxigraph's own SEP-0007 substitution on the unmodified text.
    solutions = reference.query(add_missing_prefixes(stored.sparql, PREFIXES),
                                substitutions={pyoxigraph.Variable(k): v
                                               for k, v in bindings.items()})
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    expected = ResultTable(stored.columns, [tuple(to_value(s[c]) for c in stored.columns)
                                            for s in solutions]).sorted()
    assert got.rows == expected.rows
    if payload in ("dysphagia", "fatigue", "HP:0002015"):
        assert got.rows  # a real value finds its rows
    assert (sandboxed.count_triples(), listener.connections) == before


def test_answer_cache_and_its_invalidation(project_data: LoadedData) -> None:
    import signal

    from ibmkg.graph_io import parse_turtle

    with SandboxedStore.from_data(project_data, timeout=5.0, cache_size=4) as store:
        text = "SELECT ?s WHERE { ?s a ibmkg:Study }"
        first = store.query(text)
        for pid in store.pool.pids:  # no worker can answer now: only the cache can
            os.kill(pid, signal.SIGKILL)
        assert store.query(text).rows == first.rows and len(first) == 10
        new = "https://w3id.org/ibmkg/study/cache-test"
        store.load(parse_turtle(f"<{new}> a <https://w3id.org/ibmkg/ontology/Study> ."),
                   "https://w3id.org/ibmkg/cache-test")
        assert len(store.query(text)) == 11  # a load empties the cache
