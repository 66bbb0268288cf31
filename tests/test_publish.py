"""`ibmkg publish` against a real Virtuoso: staged, verified, idempotent, reversible, and
crash-safe; then every stored query answers from Virtuoso as from the embedded store.

Virtuoso is Debian's ``virtuoso-t``, started on 127.0.0.1 with a temporary database (see
``virtuoso_server.py``); without it these tests skip, except with ``CI=true``, where they fail.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from click.testing import CliRunner

import virtuoso_server
from ibmkg.cli import cli
from ibmkg.cli.publish import remote_store
from ibmkg.endpoint.digest import GENID, fingerprint, skolemise
from ibmkg.endpoint.manifest import version_graph
from ibmkg.endpoint.publish import (
    GraphPlan,
    Publisher,
    PublishSummary,
    plan_graphs,
    role_graph,
)
from ibmkg.errors import EndpointHTTPError, PublishError
from ibmkg.graph_io import LoadedData, SourceGraph
from ibmkg.paths import MAPPINGS_GRAPH, default_layout
from ibmkg.queries import INFERRED_GRAPH, load_catalogue, run_query
from ibmkg.store.embedded import EmbeddedStore
from ibmkg.store.remote import RemoteStore

PUBLICATION = "https://example.org/ibmkg-test"
EX = "https://example.org/extra/"

#: Stored queries that cannot be compared here, with the reason.
XFAIL: dict[str, str] = {
    "wikidata-disease-xrefs": "federated: SERVICE to query.wikidata.org; tests reach only "
                              "127.0.0.1",
    "wikidata-mesh-xrefs": "federated: SERVICE to query.wikidata.org; tests reach only "
                           "127.0.0.1",
}
#: Stored queries compared as sets of rows on Virtuoso, with the reason. Virtuoso 07.20.3229
#: sometimes repeats identical solutions of a ``skos:broader*`` path joined to other patterns
#: (measured: 4 rows where the embedded store gives 2, on a graph whose fingerprint matched
#: what was sent; on another server holding the same graph, 2). The content is right; the
#: repetition is the server's.
DISTINCT_ONLY: dict[str, str] = {
    name: "Virtuoso 7.2.5 may repeat solutions of skos:broader* (same content, more rows)"
    for name in ("ck-improvement", "dysphagia-improvement", "fatigue-improvement")
}
CATALOGUE = load_catalogue(default_layout().queries)
NAMES = sorted(CATALOGUE)


def _server_store(server: virtuoso_server.VirtuosoServer, **options: float) -> RemoteStore:
    return RemoteStore(server.endpoint, update_endpoint=server.update_endpoint, user="dba",
                       password="dba", **options)  # type: ignore[arg-type]


def _publisher(server: virtuoso_server.VirtuosoServer, **options: object) -> Publisher:
    return Publisher(_server_store(server), graph_store=server.graph_store,
                     **options)  # type: ignore[arg-type]


def _extra(n: int) -> list[pyoxigraph.Triple]:
    p = pyoxigraph.NamedNode(EX + "p")
    return [pyoxigraph.Triple(pyoxigraph.NamedNode(f"{EX}{i}"), p, pyoxigraph.Literal(f"v{i}"))
            for i in range(n)]


# --- the real project, published once -------------------------------------------------------


@pytest.fixture(scope="module")
def inferences(hermit_inferences: list[pyoxigraph.Triple]) -> list[pyoxigraph.Triple]:
    """HermiT's inferences over the real project (the session's one reasoner run)."""
    return hermit_inferences


@dataclass
class Published:
    store: RemoteStore
    plans: list[GraphPlan]
    first: PublishSummary


@pytest.fixture(scope="module")
def published(virtuoso_fixture_server: virtuoso_server.VirtuosoServer, project_data: LoadedData,
              inferences: list[pyoxigraph.Triple]) -> Published:
    """The real project published with `ibmkg publish`'s library."""
    plans = plan_graphs(project_data, PUBLICATION, inferred=inferences)
    publisher = _publisher(virtuoso_fixture_server)
    first = publisher.publish(PUBLICATION, plans)
    live = publisher.live(PUBLICATION)
    assert live is not None
    # the store `ibmkg query --endpoint URL --graph G` queries: the live role graphs
    store = remote_store(virtuoso_fixture_server.endpoint, graph=PUBLICATION)
    inferred = live.role("inferred")
    assert inferred is not None and inferred.triples > 0
    assert store.graphs == list(live.names) and store.inferred_graph == inferred.graph
    return Published(store, plans, first)


@pytest.fixture(scope="module")
def reference(project_data: LoadedData, inferences: list[pyoxigraph.Triple]) -> EmbeddedStore:
    return EmbeddedStore.from_data(project_data.with_graph(
        SourceGraph(INFERRED_GRAPH, "inferred", tuple(inferences))))


@pytest.mark.virtuoso
class TestPublishedProject:
    def test_every_case_is_collected(self) -> None:
        assert len(NAMES) == 22
        assert set(XFAIL) <= set(NAMES) and set(DISTINCT_ONLY) <= set(NAMES)
        assert "skos:broader*" in "".join(CATALOGUE[n].sparql for n in DISTINCT_ONLY)
        assert {n for n in NAMES if CATALOGUE[n].federated} == set(XFAIL)

    @pytest.mark.parametrize("name", NAMES)
    def test_same_answers_as_embedded(self, published: Published, reference: EmbeddedStore,
                                      name: str) -> None:
        if name in XFAIL:
            pytest.xfail(XFAIL[name])
        store = published.store
        expected = run_query(reference, CATALOGUE[name])
        got = run_query(store, CATALOGUE[name])
        assert got.columns == expected.columns
        if name in DISTINCT_ONLY:
            assert set(got.rows) == set(expected.rows)
            assert len(set(expected.rows)) == len(expected.rows)
        else:
            assert got.sorted().rows == expected.sorted().rows
        assert len(expected) > 0 or CATALOGUE[name].is_check

    def test_first_run_adds_everything(self, published: Published) -> None:
        plans = published.plans
        assert [p.role for p in plans] == ["data", "ontology", "mappings", "inferred"]
        assert [(c.role, c.triples, c.added, c.removed) for c in published.first.changes] == [
            (p.role, len(p.triples), len(p.triples), 0) for p in plans]
        total = sum(len(p.triples) for p in plans)
        assert total == len(set().union(*(p.triples for p in plans)))  # disjoint roles
        assert published.first.text().splitlines()[-1].startswith(
            f"{total} change(s): +{total} -0 at http://127.0.0.1:")

    def test_each_role_is_its_own_graph_and_mirrored(self, published: Published) -> None:
        store = published.store
        graphs = store.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
            f"FILTER(CONTAINS(STR(?g), '{PUBLICATION}')) }} GROUP BY ?g", scoped=False)
        found = {(str(g), n) for g, n in graphs.rows if "publication" not in str(g)}
        versions = {version_graph(PUBLICATION, fingerprint(p.triples, "virtuoso").digest,
                                  p.role): len(p.triples) for p in published.plans}
        mirrors = {role_graph(PUBLICATION, p.role): len(p.triples) for p in published.plans}
        assert found == set(versions.items()) | set(mirrors.items())
        assert [m.graph for m in published.first.mirrors if m.copied and m.verified] == list(
            mirrors)

    def test_blank_nodes_skolemised(self, published: Published) -> None:
        store = published.store
        blank = store.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(isBlank(?s) || "
                             "isBlank(?o)) }")
        skolem = store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o "
                              f"FILTER STRSTARTS(STR(?s), '{GENID}') }}")
        assert blank.rows == [(0,)] and skolem.rows[0][0] > 0  # type: ignore[operator]


def _distinct(data: LoadedData) -> set[pyoxigraph.Triple]:
    return set(data.triples())


# --- errors -----------------------------------------------------------------------------


@pytest.mark.virtuoso
class TestErrors:
    def test_wrong_password_names_the_endpoint(
            self, virtuoso_fixture_server: virtuoso_server.VirtuosoServer,
            fixture_data: LoadedData) -> None:
        store = RemoteStore(virtuoso_fixture_server.endpoint,
                            update_endpoint=virtuoso_fixture_server.update_endpoint,
                            user="dba", password="not-the-password", timeout=20)
        with pytest.raises(EndpointHTTPError) as err:
            Publisher(store).publish("https://example.org/denied",
                                     plan_graphs(fixture_data, "https://example.org/denied"))
        text = str(err.value)
        assert err.value.status == 401
        assert text.startswith(virtuoso_fixture_server.update_endpoint + ": HTTP 401")
        assert "check --user and --password" in text and "not-the-password" not in text
        assert "\n" not in text

    def test_wrong_password_cli(self, virtuoso_fixture_server: virtuoso_server.VirtuosoServer,
                                ) -> None:
        result = CliRunner().invoke(cli, [
            "--root", str(FIXTURE_ROOT), "publish", "--endpoint",
            virtuoso_fixture_server.endpoint, "--update-endpoint",
            virtuoso_fixture_server.update_endpoint, "--graph", "https://example.org/denied",
            "--user", "dba", "--password", "wrong-secret", "--local-test", "--inferred",
            "never"])
        assert result.exit_code == 3
        assert result.stderr.count("\n") == 1
        assert "HTTP 401" in result.stderr and "wrong-secret" not in result.output

    def test_rollback_without_previous(
            self, virtuoso_fixture_server: virtuoso_server.VirtuosoServer) -> None:
        with pytest.raises(PublishError, match="no previous version"):
            _publisher(virtuoso_fixture_server).rollback("https://example.org/never-published")

    def test_stock_password_refused_without_local_test(
            self, virtuoso_fixture_server: virtuoso_server.VirtuosoServer) -> None:
        result = CliRunner().invoke(cli, [
            "publish", "--endpoint", virtuoso_fixture_server.endpoint, "--graph",
            "https://example.org/x", "--user", "dba", "--password", "dba"])
        assert result.exit_code == 2 and "stock dba/dba" in result.stderr


# --- without a server -------------------------------------------------------------------


class TestPlan:
    def test_roles_and_names(self, project_data: LoadedData) -> None:
        plans = plan_graphs(project_data, PUBLICATION)
        assert [(p.role, p.name) for p in plans] == [
            ("data", PUBLICATION), ("ontology", PUBLICATION + "/ontology"),
            ("mappings", PUBLICATION + "/mappings")]
        assert sum(len(p.triples) for p in plans) == len(_distinct(project_data))

    def test_roles_are_disjoint(self, fixture_data: LoadedData) -> None:
        stated = next(t for g in fixture_data.graphs if g.display.startswith("kg/")
                      for t in g.triples if not isinstance(t.subject, pyoxigraph.BlankNode)
                      and not isinstance(t.object, pyoxigraph.BlankNode))
        plans = plan_graphs(fixture_data.with_graph(SourceGraph(
            MAPPINGS_GRAPH, "mappings/x.sssom.tsv", (stated,))), PUBLICATION,
            inferred=[stated])
        assert [(p.role, stated in p.triples) for p in plans] == [
            ("data", True), ("ontology", False), ("inferred", False)]

    def test_skolem_iris_are_stable(self, project_data: LoadedData) -> None:
        again = plan_graphs(project_data, PUBLICATION)
        assert plan_graphs(project_data, PUBLICATION) == again
        assert not any(isinstance(t.object, pyoxigraph.BlankNode) for p in again
                       for t in p.triples)

    def test_skolemise_keeps_the_graph_isomorphic(self, project_data: LoadedData) -> None:
        mappings = next(g for g in project_data.graphs if g.display.endswith(".sssom.tsv"))
        done = skolemise(mappings.triples)
        assert len(set(done)) == len(set(mappings.triples))

        def blank(term: Any) -> Any:
            if isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(GENID):
                return pyoxigraph.BlankNode("b" + term.value[len(GENID):].replace("-", "x"))
            return term

        unsk = {pyoxigraph.Triple(blank(t.subject), t.predicate, blank(t.object)) for t in done}
        original = pyoxigraph.Dataset(pyoxigraph.Quad(t.subject, t.predicate, t.object)
                                      for t in mappings.triples)
        restored = pyoxigraph.Dataset(pyoxigraph.Quad(t.subject, t.predicate, t.object)
                                      for t in unsk)
        original.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
        restored.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
        assert original == restored

    def test_fingerprint_sees_one_changed_literal(self, fixture_data: LoadedData) -> None:
        triples = list(_distinct(fixture_data))
        literal = next(i for i, t in enumerate(triples)
                       if isinstance(t.object, pyoxigraph.Literal) and not t.object.language
                       and t.object.datatype.value.endswith("#string"))
        changed = list(triples)
        t = changed[literal]
        assert isinstance(t.object, pyoxigraph.Literal)
        changed[literal] = pyoxigraph.Triple(t.subject, t.predicate,
                                             pyoxigraph.Literal(t.object.value + "!"))
        assert fingerprint(triples).differences(fingerprint(changed))
        assert not fingerprint(triples).differences(fingerprint(reversed(triples)))


# --- the command line, on the fixture project -------------------------------------------


FIXTURE_ROOT = Path(__file__).parent / "data" / "project"
CLI_GRAPH = "https://example.org/ibmkg-cli"


def _env() -> dict[str, str]:
    return {"IBMKG_ENDPOINT_USER": "dba", "IBMKG_ENDPOINT_PASSWORD": "dba"}


@pytest.mark.virtuoso
class TestCommandLine:
    def test_publish_then_query_by_graph(
            self, virtuoso_fixture_server: virtuoso_server.VirtuosoServer) -> None:
        server = virtuoso_fixture_server
        runner = CliRunner()
        args = ["--root", str(FIXTURE_ROOT), "publish", "--endpoint", server.endpoint,
                "--update-endpoint", server.update_endpoint, "--graph", CLI_GRAPH,
                "--inferred", "never", "--local-test"]
        result = runner.invoke(cli, args, env=_env())
        assert result.exit_code == 0, result.stderr
        assert result.stdout.splitlines()[0].startswith("data      urn:ibmkg:version:")
        assert f":data:{CLI_GRAPH} " in result.stdout.splitlines()[0]
        assert "dba" not in result.output.replace("dba/dba", "")
        again = runner.invoke(cli, args, env=_env())
        assert again.exit_code == 0 and again.stdout.splitlines()[-1].startswith("0 changes at ")
        local = runner.invoke(cli, ["--root", str(FIXTURE_ROOT), "query", "studies",
                                    "--format", "csv"])
        remote = runner.invoke(cli, ["--root", str(FIXTURE_ROOT), "query", "studies",
                                     "--format", "csv", "--endpoint", server.endpoint,
                                     "--graph", CLI_GRAPH])
        assert remote.exit_code == 0, remote.stderr
        assert remote.stdout == local.stdout and local.stdout.count("\n") == 3

    def test_invalid_data_publishes_nothing(
            self, virtuoso_fixture_server: virtuoso_server.VirtuosoServer,
            tmp_path: Path) -> None:
        import shutil

        root = tmp_path / "project"
        shutil.copytree(FIXTURE_ROOT, root)
        study = root / "kg" / "studies" / "fixture-alpha-2001.ttl"
        study.write_text(study.read_text(encoding="utf-8").replace(
            "ibmkg:sampleSize", "ibmkg:sampleSizeTypo"), encoding="utf-8")
        graph = "https://example.org/ibmkg-invalid"
        result = CliRunner().invoke(cli, [
            "--root", str(root), "publish", "--endpoint", virtuoso_fixture_server.endpoint,
            "--update-endpoint", virtuoso_fixture_server.update_endpoint, "--graph", graph,
            "--inferred", "never", "--local-test"], env=_env())
        assert result.exit_code == 1
        assert "nothing was published" in result.stderr
        assert _publisher(virtuoso_fixture_server).live(graph) is None

    def test_endpoint_down(self) -> None:
        url = f"http://127.0.0.1:{virtuoso_server.free_port()}/sparql"
        result = CliRunner().invoke(cli, [
            "--root", str(FIXTURE_ROOT), "publish", "--endpoint", url, "--graph", CLI_GRAPH,
            "--inferred", "never", "--local-test"], env=_env())
        assert result.exit_code == 3
        assert result.stderr.splitlines() == [
            f"error: {url}: cannot connect (connection refused); check that the server is "
            "running and the URL is right"]


@pytest.mark.virtuoso
def test_exactly_maxrows_rows_is_complete(
        virtuoso_fixture_server: virtuoso_server.VirtuosoServer) -> None:
    """Regression: exactly 10,000 rows with X-SPARQL-MaxRows: 10000 were treated as cut."""
    numbers = " ".join(str(i) for i in range(100))
    query = f"SELECT ?a ?b WHERE {{ VALUES ?a {{ {numbers} }} VALUES ?b {{ {numbers} }} }}"
    store = RemoteStore(virtuoso_fixture_server.endpoint, timeout=60)
    _, headers = store._request(query, "json", scoped=False)
    assert headers.get("x-sparql-maxrows") == str(virtuoso_server.MAX_ROWS)
    assert len(store.query(query)) == virtuoso_server.MAX_ROWS == 100 * 100
