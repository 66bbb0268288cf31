"""A real Virtuoso killed at random points of ``publish`` and of ``rollback``.

Each round kills the server (SIGKILL, by its PID) just after a randomly chosen request of
the operation, or while that request is in flight (fixed seed), restarts it on the same
database, and checks that the live version is the old or the new one, complete: the COUNT and
content hash of each of its role graphs, computed by the server, equal those sent, and what
the switch record says; then the operation is rerun and completes, and at the end a rerun
of publish repairs the mirrors. ``make test``
runs one round of each (``IBMKG_KILLS``, default 1); ``make test-kills`` runs 12 of each.
"""

from __future__ import annotations

import os
import random
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from click.testing import CliRunner

import virtuoso_server
from ibmkg.cli import cli
from ibmkg.endpoint.digest import Fingerprint, fingerprint
from ibmkg.endpoint.manifest import version_graph
from ibmkg.endpoint.publish import GraphPlan, Publisher, plan_graphs, role_graph
from ibmkg.errors import EndpointError
from ibmkg.graph_io import LoadedData, SourceGraph
from ibmkg.store.remote import RemoteStore

GRAPH = "https://example.org/killed"
EX = "https://example.org/extra/"
KILLS = int(os.environ.get("IBMKG_KILLS", "1"))
#: Requests of one publish (to a version the server no longer holds: its upload included)
#: and of one rollback, the mirrors' refresh included (counted with a fuse that never fires:
#: 28 to 33, and 18); a kill lands on one of them.
PUBLISH_REQUESTS = 33
ROLLBACK_REQUESTS = 18
SEED = 20261130


class _Killed(Exception):
    pass


class _Fuse:
    """Kills the server at the n-th request, before it returns or while it runs."""

    def __init__(self, server: virtuoso_server.VirtuosoServer, at: int, in_flight: bool,
                 ) -> None:
        self.server = server
        self.at = at
        self.in_flight = in_flight
        self.count = 0
        self.fired = False

    def kill(self) -> None:
        if not self.fired:
            self.fired = True
            self.server.process.kill()
            self.server.process.wait(timeout=30)

    def __call__(self, send: Any, *args: Any, **kwargs: Any) -> Any:
        self.count += 1
        if self.count != self.at or self.fired:
            return send(*args, **kwargs)
        if self.in_flight:  # the request reaches the server; the kill comes while it works
            timer = threading.Timer(0.005, self.kill)
            timer.start()
            try:
                return send(*args, **kwargs)
            finally:
                timer.join()
        result = send(*args, **kwargs)
        self.kill()
        return result


class _FusedStore(RemoteStore):
    fuse: _Fuse | None = None

    def update(self, sparql: str) -> None:
        if self.fuse is None:
            return super().update(sparql)
        result: None = self.fuse(super().update, sparql)
        return result

    def select(self, sparql: str, *, scoped: bool = True) -> Any:
        if self.fuse is None:
            return super().select(sparql, scoped=scoped)
        return self.fuse(super().select, sparql, scoped=scoped)


def _extra(n: int, tag: str = "v") -> list[pyoxigraph.Triple]:
    p = pyoxigraph.NamedNode(EX + "p")
    return [pyoxigraph.Triple(pyoxigraph.NamedNode(f"{EX}{i}"), p, pyoxigraph.Literal(f"{tag}{i}"))
            for i in range(n)]


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[virtuoso_server.VirtuosoServer]:
    """A Virtuoso of this test's own (it gets killed and restarted)."""
    virtuoso_server.require()
    server = virtuoso_server.start(tmp_path)
    try:
        yield server
    finally:
        server.stop()


def _publisher(server: virtuoso_server.VirtuosoServer, fuse: _Fuse | None = None) -> Publisher:
    store = _FusedStore(server.endpoint, update_endpoint=server.update_endpoint, user="dba",
                        password="dba", timeout=30, retries=0)
    store.fuse = fuse
    return Publisher(store, chunk=100, flavour="virtuoso")  # INSERT DATA: every request fused


def _restart(server: virtuoso_server.VirtuosoServer) -> None:
    restarted = virtuoso_server.start(server.directory)
    server.process = restarted.process
    server.http_port = restarted.http_port


def _inferred(*numbers: int) -> list[pyoxigraph.Triple]:
    p = pyoxigraph.NamedNode(EX + "inferred")
    return [pyoxigraph.Triple(pyoxigraph.NamedNode(f"{EX}i{i}"), p, pyoxigraph.Literal("x"))
            for i in numbers]


Version = dict[str, Fingerprint]  # role graph IRI -> what was sent


def _live_is_complete(server: virtuoso_server.VirtuosoServer, versions: list[Version]) -> int:
    """Which version is live (its index), each of its role graphs checked by COUNT and hash
    against what was sent and what the switch record says."""
    publisher = _publisher(server)
    live = publisher.live(GRAPH)
    assert live is not None, "nothing is live"
    matches = [i for i, version in enumerate(versions) if set(version) == set(live.names)]
    assert matches, f"{live.names} are neither the old nor the new version's role graphs"
    for role in live.roles:
        found = publisher.remote_fingerprint(role.graph)
        assert not versions[matches[0]][role.graph].differences(found), \
            f"the live {role.role} graph is not complete"
        assert (found.triples, found.digest) == (role.triples, role.digest)
        count = publisher.store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{role.graph}> "
                                       "{ ?s ?p ?o } }", scoped=False).rows[0][0]
        assert count == role.triples
    return matches[0]


def _previous(server: virtuoso_server.VirtuosoServer, versions: list[Version]) -> int:
    """Which version the previous switch record names."""
    records = _publisher(server).switches(GRAPH)
    assert len(records) >= 2
    return next(i for i, version in enumerate(versions) if set(version) == set(records[-2].names))


def _mirrors_are_live(server: virtuoso_server.VirtuosoServer) -> None:
    publisher = _publisher(server)
    live = publisher.live(GRAPH)
    assert live is not None
    for role in live.roles:
        found = publisher.remote_fingerprint(role_graph(GRAPH, role.role))
        assert (found.triples, found.digest) == (role.triples, role.digest), role.role


@pytest.mark.virtuoso
def test_kills_during_publish_and_rollback_leave_old_or_new(
        own_server: virtuoso_server.VirtuosoServer, fixture_data: LoadedData) -> None:
    # three versions: a publish goes to the one the server no longer holds (it keeps the live
    # and the previous one), so every publish uploads, and a kill can land in the upload
    contents: list[list[GraphPlan]] = [
        plan_graphs(fixture_data, GRAPH, inferred=_inferred(0, 1)),
        plan_graphs(fixture_data.with_graph(SourceGraph(EX, "kg/extra.ttl",
                                                        tuple(_extra(700)))), GRAPH,
                    inferred=_inferred(1, 2, 3)),
        plan_graphs(fixture_data.with_graph(SourceGraph(EX, "kg/extra.ttl",
                                                        tuple(_extra(500, "w")))), GRAPH,
                    inferred=_inferred(4))]
    versions: list[Version] = [
        {version_graph(GRAPH, fp.digest, plan.role): fp
         for plan in plans for fp in [fingerprint(plan.triples, "virtuoso")]}
        for plans in contents]
    shared = set(versions[0]) & set(versions[1]) & set(versions[2])
    assert len(shared) == 1 and len(set().union(*versions)) == 7  # one ontology graph
    _publisher(own_server).publish(GRAPH, contents[0])
    _publisher(own_server).publish(GRAPH, contents[1])  # two versions exist: rollback works
    rng = random.Random(SEED)
    kills = {"publish": 0, "rollback": 0}
    outcomes: dict[tuple[str, str], int] = {}
    rounds = 0
    while min(kills.values()) < KILLS:
        rounds += 1
        assert rounds < 20 * KILLS + 20, f"too few kills landed: {kills}"
        operation = "publish" if kills["publish"] <= kills["rollback"] else "rollback"
        before = _live_is_complete(own_server, versions)
        previous = _previous(own_server, versions)
        target = previous if operation == "rollback" else ({0, 1, 2} - {before, previous}).pop()
        fuse = _Fuse(own_server, rng.randint(1, PUBLISH_REQUESTS if operation == "publish"
                                             else ROLLBACK_REQUESTS),
                     in_flight=rng.random() < 0.5)
        publisher = _publisher(own_server, fuse)
        try:
            if operation == "publish":
                publisher.publish(GRAPH, contents[target])
            else:
                publisher.rollback(GRAPH)
        except EndpointError:
            assert fuse.fired
        if not fuse.fired:  # the operation ended before the chosen request
            assert _live_is_complete(own_server, versions) == target
            continue
        kills[operation] += 1
        _restart(own_server)
        after = _live_is_complete(own_server, versions)
        assert after in (before, target)
        side = "old live" if after == before else "new live"
        key = (operation, f"{side}, {'in flight' if fuse.in_flight else 'between requests'}")
        outcomes[key] = outcomes.get(key, 0) + 1
        if after == before:  # the rerun completes
            rerun = _publisher(own_server)
            if operation == "publish":
                rerun.publish(GRAPH, contents[target])
            else:
                rerun.rollback(GRAPH)
            assert _live_is_complete(own_server, versions) == target
    assert kills["publish"] >= KILLS and kills["rollback"] >= KILLS
    print(f"\n{rounds} rounds, kills {kills}:", ", ".join(  # shown with -s (make test-kills)
        f"{op} {how}: {n}" for (op, how), n in sorted(outcomes.items())))
    again = _publisher(own_server).publish(  # idempotent after all that, mirrors repaired
        GRAPH, contents[_live_is_complete(own_server, versions)])
    assert not again.changed and again.mirrors_verified
    _mirrors_are_live(own_server)
    root = Path(__file__).parent / "data" / "project"  # the stored queries still find the data
    local = CliRunner().invoke(cli, ["--root", str(root), "query", "studies", "--format", "csv"])
    remote = CliRunner().invoke(cli, ["--root", str(root), "query", "studies", "--format", "csv",
                                      "--endpoint", own_server.endpoint, "--graph", GRAPH])
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout and local.stdout.count("\n") == 3
