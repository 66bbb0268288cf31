"""`ibmkg publish`'s role graphs and mirrors, against a real Virtuoso.

Each role (data, ontology, mappings, inferred) is its own content-addressed graph; a switch
record names them all; mirrors at ``G``, ``G/ontology``, ``G/mappings``, ``G/inferred`` are
copied from the live role graphs by the server. Runs on the fixture project plus a few
mappings and inferences of its own, on the session's shared Virtuoso (``virtuoso_server.py``;
skipped without it, failed with ``CI=true``).
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph
import pytest
from click.testing import CliRunner

import virtuoso_server
from ibmkg.cli import cli
from ibmkg.endpoint.manifest import manifest_graph
from ibmkg.endpoint.publish import (
    ROLES,
    GraphPlan,
    Publisher,
    plan_graphs,
    role_graph,
)
from ibmkg.errors import PublishError
from ibmkg.graph_io import LoadedData, SourceGraph
from ibmkg.paths import MAPPINGS_GRAPH
from ibmkg.store.remote import RemoteStore
from test_publish import FIXTURE_ROOT, _env

EX = "https://example.org/roles/"
P = pyoxigraph.NamedNode(EX + "p")


def _t(s: str, o: str) -> pyoxigraph.Triple:
    return pyoxigraph.Triple(pyoxigraph.NamedNode(EX + s), P, pyoxigraph.Literal(o))


class _Counting(Publisher):
    """A publisher that records the graphs it uploads to (the requests still go out)."""

    uploads: list[str]

    def upload(self, triples: Sequence[pyoxigraph.Triple], graph: str) -> None:
        self.uploads.append(graph)
        super().upload(triples, graph)


def _publisher(server: virtuoso_server.VirtuosoServer) -> _Counting:
    store = RemoteStore(server.endpoint, update_endpoint=server.update_endpoint, user="dba",
                        password="dba", timeout=60)
    publisher = _Counting(store, graph_store=server.graph_store)
    publisher.uploads = []
    return publisher


def _with_mappings(data: LoadedData, *extra: pyoxigraph.Triple) -> LoadedData:
    mappings = (_t("m1", "mapped"), _t("m2", "mapped"), *extra)
    return data.with_graph(SourceGraph(MAPPINGS_GRAPH, "mappings/x.sssom.tsv", mappings))


def _changed_study(data: LoadedData) -> LoadedData:
    """One study with one literal changed and one triple added (the rest untouched)."""
    graphs = []
    for source in data.graphs:
        if source.display.endswith("fixture-alpha-2001.ttl"):
            literal = next(t for t in source.triples if isinstance(t.object, pyoxigraph.Literal)
                           and t.object.datatype.value.endswith("#string")
                           and isinstance(t.subject, pyoxigraph.NamedNode))
            assert isinstance(literal.object, pyoxigraph.Literal)
            changed = pyoxigraph.Triple(literal.subject, literal.predicate,
                                        pyoxigraph.Literal(literal.object.value + " (changed)"))
            triples = (*(t for t in source.triples if t != literal), changed,
                       _t("added", "by the change"))
            source = SourceGraph(source.name, source.display, triples)
        graphs.append(source)
    return LoadedData(tuple(graphs), data.index)


def _plans(data: LoadedData, graph: str) -> list[GraphPlan]:
    return plan_graphs(_with_mappings(data), graph, inferred=[_t("i1", "inferred")])


def _by_role(plans: Sequence[GraphPlan]) -> dict[str, set[pyoxigraph.Triple]]:
    return {p.role: set(p.triples) for p in plans}


def _mirrors_equal_live(publisher: Publisher, graph: str) -> None:
    live = publisher.live(graph)
    assert live is not None
    for role in live.roles:
        mirror = publisher.remote_fingerprint(role_graph(graph, role.role))
        assert (mirror.triples, mirror.digest) == (role.triples, role.digest), role.role
        assert not publisher.remote_fingerprint(role.graph).differences(mirror)


@pytest.mark.virtuoso
class TestRoles:
    def test_one_study_changed_uploads_only_the_data_role(
            self, virtuoso_fixture_server: virtuoso_server.VirtuosoServer,
            fixture_data: LoadedData) -> None:
        graph = "https://example.org/roles-one-study"
        publisher = _publisher(virtuoso_fixture_server)
        before, after = _plans(fixture_data, graph), _plans(_changed_study(fixture_data), graph)
        publisher.publish(graph, before)
        first = publisher.live(graph)
        assert first is not None and [r.role for r in first.roles] == list(ROLES)
        assert sorted(publisher.uploads) == sorted(r.graph for r in first.roles
                                                   if r.triples)
        publisher.uploads.clear()
        summary = publisher.publish(graph, after)
        second = publisher.live(graph)
        assert second is not None
        assert publisher.uploads == [second.role("data").graph]  # type: ignore[union-attr]
        for role in ("ontology", "mappings", "inferred"):  # the same graph in both versions
            assert first.role(role) == second.role(role)
        assert first.role("data") != second.role("data")
        old, new = _by_role(before), _by_role(after)
        assert [(c.role, c.triples, c.added, c.removed) for c in summary.changes] == [
            (r, len(new[r]), len(new[r] - old[r]), len(old[r] - new[r])) for r in ROLES]
        assert (summary.changes[0].added, summary.changes[0].removed) == (2, 1)
        _mirrors_equal_live(publisher, graph)

        back = publisher.rollback(graph)
        assert [(c.role, c.added, c.removed) for c in back.changes] == [
            (r, len(old[r] - new[r]), len(new[r] - old[r])) for r in ROLES]
        assert publisher.live(graph).same_graphs(first)  # type: ignore[union-attr]
        assert [m.role for m in back.mirrors if m.copied] == ["data"]
        _mirrors_equal_live(publisher, graph)

    def test_per_role_changes_equal_the_local_set_differences(
            self, virtuoso_fixture_server: virtuoso_server.VirtuosoServer,
            fixture_data: LoadedData) -> None:
        graph = "https://example.org/roles-differences"
        publisher = _publisher(virtuoso_fixture_server)
        before = plan_graphs(_with_mappings(fixture_data), graph,
                             inferred=[_t("i1", "a"), _t("i2", "b")])
        after = plan_graphs(_with_mappings(_changed_study(fixture_data), _t("m3", "new")),
                            graph, inferred=[_t("i2", "b"), _t("i3", "c"), _t("i4", "d")])
        publisher.publish(graph, before)
        summary = publisher.publish(graph, after)
        old, new = _by_role(before), _by_role(after)
        assert [(c.role, c.triples, c.added, c.removed) for c in summary.changes] == [
            (r, len(new[r]), len(new[r] - old[r]), len(old[r] - new[r])) for r in ROLES]
        assert {c.role: (c.added, c.removed) for c in summary.changes} == {
            "data": (2, 1), "ontology": (0, 0), "mappings": (1, 0), "inferred": (2, 1)}
        lines = summary.text().splitlines()
        assert [line.split()[0] for line in lines] == [*ROLES, *["mirror"] * 4, "7"]
        assert lines[-1].startswith("7 change(s): +5 -2 at http://127.0.0.1:")

    def test_same_input_twice_is_zero_per_role_and_repairs_a_mirror(
            self, virtuoso_fixture_server: virtuoso_server.VirtuosoServer,
            fixture_data: LoadedData) -> None:
        graph = "https://example.org/roles-twice"
        publisher = _publisher(virtuoso_fixture_server)
        plans = _plans(fixture_data, graph)
        publisher.publish(graph, plans)
        records = len(publisher.switches(graph))
        publisher.store.update(f"DELETE WHERE {{ GRAPH <{role_graph(graph, 'ontology')}> "
                               "{ ?s a ?o } }")  # a mirror damaged by hand
        publisher.store.update(f"INSERT DATA {{ GRAPH <{graph}> {{ <{EX}x> <{EX}p> 1 }} }}")
        publisher.uploads.clear()
        again = publisher.publish(graph, plans)
        assert not again.changed and publisher.uploads == []
        assert [(c.role, c.added, c.removed) for c in again.changes] == [
            (r, 0, 0) for r in ROLES]
        assert again.text().splitlines()[-1].startswith("0 changes at ")
        assert {m.role for m in again.mirrors if m.copied} == {"data", "ontology"}
        assert again.mirrors_verified and len(publisher.switches(graph)) == records
        _mirrors_equal_live(publisher, graph)

    def test_a_plain_client_reads_the_mirrors(
            self, virtuoso_fixture_server: virtuoso_server.VirtuosoServer,
            fixture_data: LoadedData) -> None:
        graph = "https://example.org/roles-plain"
        publisher = _publisher(virtuoso_fixture_server)
        plans = _plans(fixture_data, graph)
        publisher.publish(graph, plans)
        store = RemoteStore(virtuoso_fixture_server.endpoint)
        for plan in plans:
            found = store.select(f"SELECT (COUNT(*) AS ?n) FROM <{plan.name}> WHERE "
                                 "{ ?s ?p ?o }", scoped=False)
            assert found.rows == [(len(plan.triples),)], plan.role
        merged = store.select("SELECT (COUNT(*) AS ?n) " + " ".join(
            f"FROM <{p.name}>" for p in plans) + " WHERE { ?s ?p ?o }", scoped=False)
        assert merged.rows == [(len(set().union(*(p.triples for p in plans))),)]

    def test_a_role_left_out_is_removed_and_its_mirror_dropped(
            self, virtuoso_fixture_server: virtuoso_server.VirtuosoServer,
            fixture_data: LoadedData) -> None:
        graph = "https://example.org/roles-left-out"
        publisher = _publisher(virtuoso_fixture_server)
        publisher.publish(graph, _plans(fixture_data, graph))
        summary = publisher.publish(graph, plan_graphs(_with_mappings(fixture_data), graph))
        assert summary.changes[-1].role == "inferred"
        assert (summary.changes[-1].triples, summary.changes[-1].removed) == (0, 1)
        assert [(m.role, m.triples, m.copied) for m in summary.mirrors
                if m.role == "inferred"] == [("inferred", 0, True)]
        assert publisher.remote_fingerprint(role_graph(graph, "inferred")).triples == 0
        live = publisher.live(graph)
        assert live is not None and live.role("inferred") is None

    def test_rollback_refuses_a_damaged_previous_role_graph(
            self, virtuoso_fixture_server: virtuoso_server.VirtuosoServer,
            fixture_data: LoadedData) -> None:
        graph = "https://example.org/roles-damaged"
        publisher = _publisher(virtuoso_fixture_server)
        publisher.publish(graph, _plans(fixture_data, graph))
        first = publisher.live(graph)
        publisher.publish(graph, _plans(_changed_study(fixture_data), graph))
        live = publisher.live(graph)
        assert first is not None and live is not None
        damaged = first.role("data")
        assert damaged is not None
        publisher.store.update(f"DELETE WHERE {{ GRAPH <{damaged.graph}> {{ ?s a ?o }} }}")
        with pytest.raises(PublishError, match=r"previous data graph .* nothing was rolled back"):
            publisher.rollback(graph)
        assert publisher.live(graph) == live

    def test_a_one_graph_version_of_an_earlier_ibmkg_is_replaced(
            self, virtuoso_fixture_server: virtuoso_server.VirtuosoServer,
            fixture_data: LoadedData) -> None:
        graph = "https://example.org/roles-legacy"
        publisher = _publisher(virtuoso_fixture_server)
        manifest, old = manifest_graph(graph), f"urn:ibmkg:version:0123456789abcdef:{graph}"
        state = "urn:ibmkg:publication:"
        publisher.store.update(
            f"INSERT DATA {{ GRAPH <{manifest}> {{ <{manifest}> <{state}version> <{old}> . "
            f"<{manifest}#switch-1> <{state}seq> 1 ; <{state}live> <{old}> ; "
            f"<{state}liveTriples> 1 ; <{state}liveDigest> \"0123\" }} }} ; "
            f"INSERT DATA {{ GRAPH <{old}> {{ <{EX}s> <{EX}p> \"o\" }} }}")
        assert publisher.live(graph) is None  # the old record is not read as a version
        publisher.publish(graph, _plans(fixture_data, graph))
        live = publisher.live(graph)
        assert live is not None and live.seq == 2 and len(live.roles) == 4
        assert publisher.remote_fingerprint(old).triples == 0
        assert publisher.store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{manifest}> "
                                      f"{{ <{manifest}#switch-1> ?p ?o }} }}",
                                      scoped=False).rows == [(0,)]

    def test_a_copy_that_did_nothing_is_reported_then_repaired(
            self, virtuoso_fixture_server: virtuoso_server.VirtuosoServer,
            fixture_data: LoadedData) -> None:
        graph = "https://example.org/roles-no-copy"
        server = virtuoso_fixture_server
        store = _NoCopy(server.endpoint, update_endpoint=server.update_endpoint, user="dba",
                        password="dba", timeout=60)
        summary = Publisher(store, graph_store=server.graph_store).publish(
            graph, _plans(fixture_data, graph))
        assert not summary.mirrors_verified
        assert [(m.role, m.copied, m.verified, m.triples) for m in summary.mirrors] == [
            (r, True, False, 0) for r in ROLES]
        assert "DIFFERS: rerun ibmkg publish" in summary.text()
        publisher = _publisher(server)
        assert publisher.live(graph) is not None  # the version is live all the same
        again = publisher.publish(graph, _plans(fixture_data, graph))
        assert not again.changed and again.mirrors_verified
        _mirrors_equal_live(publisher, graph)


class _NoCopy(RemoteStore):
    """A store whose server answers a COPY without copying anything."""

    def update(self, text: str) -> None:
        if not text.startswith("COPY "):
            super().update(text)


@pytest.mark.virtuoso
def test_cli_prints_one_line_per_role_and_json(
        virtuoso_fixture_server: virtuoso_server.VirtuosoServer) -> None:
    import json

    server = virtuoso_fixture_server
    graph = "https://example.org/roles-cli"
    args = ["--root", str(FIXTURE_ROOT), "publish", "--endpoint", server.endpoint,
            "--update-endpoint", server.update_endpoint, "--graph", graph, "--inferred",
            "never", "--local-test"]
    first = CliRunner().invoke(cli, args, env=_env())
    assert first.exit_code == 0, first.stderr
    lines = first.stdout.splitlines()
    assert [line.split()[0] for line in lines] == ["data", "ontology", "mirror", "mirror",
                                                   lines[-1].split()[0]]
    assert lines[0].split()[1].startswith("urn:ibmkg:version:") and \
        lines[0].split()[1].endswith(f":data:{graph}")
    again = CliRunner().invoke(cli, [*args, "--format", "json"], env=_env())
    assert again.exit_code == 0, again.stderr
    document = json.loads(again.stdout)
    assert document["changed"] is False
    assert [(g["role"], g["added"], g["removed"]) for g in document["graphs"]] == [
        ("data", 0, 0), ("ontology", 0, 0)]
    assert [(m["graph"], m["verified"]) for m in document["mirrors"]] == [
        (graph, True), (graph + "/ontology", True)]
