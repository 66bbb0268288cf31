"""Publish the graph to a SPARQL server: staged, verified, switched, and reversible.

A server is not trusted to be atomic (Virtuoso's Graph Store ``PUT`` with a body that fails
part-way has already replaced the old graph, then answers 500). So, for every graph:

1. a leftover staging graph from an interrupted run is dropped;
2. the new content is uploaded into a staging graph ``urn:ibmkg:staging:<graph>``, in
   chunks, through the SPARQL 1.1 Graph Store HTTP Protocol (``POST`` of N-Triples) or,
   without a graph store URL, SPARQL Update ``INSERT DATA``;
3. the server proves what it holds: its fingerprint of the staging graph (counts and hashes
   computed by one aggregate query, :mod:`ibmkg.endpoint.digest`) must equal the local one
   (``G/all`` is then made on the server from the verified graphs, and its count checked);
4. what would change is counted on the server (triples added, triples removed);
5. only then, graph by graph, the live graph is copied to ``urn:ibmkg:previous:<graph>`` (if
   it holds as many triples as its last publication recorded) and the staging graph moved
   in; the live graph's count is checked, and the publication record
   ``urn:ibmkg:publication:<graph>`` updated.

Nothing changes when nothing differs (the same input twice reports 0 changes). A failure in
steps 1 to 4 leaves every live graph as it was; :func:`rollback` moves the previous versions
back. Blank nodes are skolemised (:func:`ibmkg.endpoint.digest.skolemise`).

The graphs published under ``--graph G``: ``G`` (the review and the studies), ``G/ontology``
(the ontology and its imports), ``G/mappings`` (the SSSOM mappings) and ``G/inferred`` (the
reasoner's inferences, when available; only triples not already stated), and ``G/all``, their
merge, which queries use as their one default graph (Virtuoso 7.2.5 answered a stored query
with a property path wrongly when given the four graphs as four default graphs).

>>> role_graph("https://example.org/ibmkg", "ontology")
'https://example.org/ibmkg/ontology'
>>> staging_graph("https://example.org/ibmkg")
'urn:ibmkg:staging:https://example.org/ibmkg'
"""

from __future__ import annotations

import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph

from ibmkg.endpoint.digest import Fingerprint, fingerprint, fingerprint_query, skolemise
from ibmkg.errors import EndpointError, InputError, PublishError
from ibmkg.graph_io import LoadedData
from ibmkg.paths import MAPPINGS_GRAPH
from ibmkg.store.base import ntriples
from ibmkg.store.http import display_url
from ibmkg.store.remote import RemoteStore

__all__ = [
    "ROLES",
    "GraphChange",
    "GraphPlan",
    "PublishSummary",
    "Publisher",
    "plan_graphs",
    "previous_graph",
    "role_graph",
    "staging_graph",
]

#: The graphs a publication holds, in upload order (``all`` is the merge of the others).
ROLES = ("data", "ontology", "mappings", "inferred", "all")
_STATE = "urn:ibmkg:publication:"
_LIVE_DIGEST = "urn:ibmkg:publication:liveDigest"
_GRAPH = "urn:ibmkg:publication:graph"
_LIVE_TRIPLES = "urn:ibmkg:publication:liveTriples"


def role_graph(graph: str, role: str) -> str:
    """The IRI of one graph of a publication.

    :param graph: the ``--graph`` IRI.
    :param role: one of :data:`ROLES`.
    :returns: ``graph`` itself for the data, else ``graph/role``.
    """
    return graph if role == "data" else f"{graph.rstrip('/')}/{role}"


def staging_graph(graph: str) -> str:
    """The staging graph of a live graph.

    :param graph: the live graph IRI.
    :returns: its staging graph IRI.
    """
    return f"urn:ibmkg:staging:{graph}"


def previous_graph(graph: str) -> str:
    """The graph keeping the previous version of a live graph (for rollback).

    :param graph: the live graph IRI.
    :returns: its previous-version graph IRI.
    """
    return f"urn:ibmkg:previous:{graph}"


@dataclass(frozen=True)
class GraphPlan:
    """One graph to publish.

    :param name: the live graph IRI.
    :param role: one of :data:`ROLES`.
    :param triples: its content, without blank nodes or duplicates.
    """

    name: str
    role: str
    triples: tuple[pyoxigraph.Triple, ...] = field(repr=False)


def plan_graphs(data: LoadedData, graph: str, *,
                inferred: Iterable[pyoxigraph.Triple] | None = None) -> list[GraphPlan]:
    """Split the loaded project into the graphs of a publication (blank nodes skolemised).

    :param data: the loaded project.
    :param graph: the ``--graph`` IRI.
    :param inferred: the reasoner's inferences, or ``None`` to publish none.
    :returns: one plan per role that has content (data and ontology always).
    :raises InputError: when ``graph`` is not an absolute IRI.

    >>> from ibmkg.graph_io import SourceIndex, SourceGraph
    >>> t = pyoxigraph.Triple(pyoxigraph.NamedNode("http://x/s"),
    ...                       pyoxigraph.NamedNode("http://x/p"), pyoxigraph.Literal("o"))
    >>> plans = plan_graphs(LoadedData((SourceGraph("http://x/g", "kg/a.ttl", (t,)),),
    ...                                SourceIndex()), "http://x/pub")
    >>> [(p.role, p.name, len(p.triples)) for p in plans]
    [('data', 'http://x/pub', 1), ('ontology', 'http://x/pub/ontology', 0), \
('all', 'http://x/pub/all', 1)]
    """
    try:
        pyoxigraph.NamedNode(graph)
    except ValueError:
        raise InputError(f"--graph {graph!r} is not an absolute IRI; give one such as "
                         "https://example.org/ibmkg") from None
    if "://" not in graph and not graph.startswith("urn:"):
        raise InputError(f"--graph {graph!r} is not an absolute IRI")
    parts: dict[str, set[pyoxigraph.Triple]] = {role: set() for role in ROLES}
    for source in data.graphs:
        if source.name == MAPPINGS_GRAPH:
            role = "mappings"
        elif source.display.startswith("ontology/"):
            role = "ontology"
        else:
            role = "data"
        parts[role].update(source.triples)
    plans: list[GraphPlan] = []
    stated: set[pyoxigraph.Triple] = set()
    for role in ROLES[:3]:
        content = set(skolemise(parts[role]))
        stated |= content
        if content or role in ("data", "ontology"):
            plans.append(GraphPlan(role_graph(graph, role), role, tuple(sorted(content, key=str))))
    if inferred is not None:
        new = set(skolemise(set(inferred))) - stated
        stated |= new
        plans.append(GraphPlan(role_graph(graph, "inferred"), "inferred",
                               tuple(sorted(new, key=str))))
    plans.append(GraphPlan(role_graph(graph, "all"), "all", tuple(sorted(stated, key=str))))
    return plans


@dataclass(frozen=True)
class GraphChange:
    """What publishing did to one graph.

    :param graph: the live graph IRI.
    :param role: its role.
    :param triples: triples it holds now.
    :param added: triples that were not there before.
    :param removed: triples that are gone.
    :param digest: the fingerprint digest of its content.
    """

    graph: str
    role: str
    triples: int
    added: int
    removed: int
    digest: str


@dataclass
class PublishSummary:
    """The outcome of a publication or a rollback.

    :param endpoint: the endpoint (no credentials).
    :param changes: one entry per graph.
    :param notes: remarks (a live graph that was not a complete publication, ...).
    """

    endpoint: str
    changes: list[GraphChange]
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether any graph changed."""
        return any(c.added or c.removed for c in self.changes)

    def text(self) -> str:
        """The summary as aligned text, one line per graph and a total.

        :returns: the text.
        """
        width = max((len(c.graph) for c in self.changes), default=0)
        lines = [f"{c.role:<9} {c.graph:<{width}}  {c.triples:>7} triples  +{c.added} "
                 f"-{c.removed}  {c.digest}" for c in self.changes]
        added = sum(c.added for c in self.changes)
        removed = sum(c.removed for c in self.changes)
        total = f"{added + removed} change(s): +{added} -{removed} at {self.endpoint}"
        return "\n".join([*lines, total if self.changed else f"0 changes at {self.endpoint}"])


Progress = Callable[[str], None]


class Publisher:
    """Publishes graph plans to one server.

    :param store: the server (its ``update_endpoint`` and credentials are used to write).
    :param graph_store: the Graph Store Protocol URL for uploads (``None``: SPARQL Update).
    :param chunk: triples per upload request.
    :param flavour: how the server computes hashes (see
        :data:`ibmkg.endpoint.digest.FLAVOURS`); ``None`` asks the server who it is.
    :param progress: called with a line per step.
    """

    def __init__(self, store: RemoteStore, *, graph_store: str | None = None,
                 chunk: int = 1000, flavour: str | None = None,
                 progress: Progress | None = None) -> None:
        if chunk <= 0:
            raise InputError("--chunk must be a positive number of triples")
        self.store = store
        self.graph_store = graph_store
        self.chunk = chunk
        self._flavour = flavour
        self.progress = progress or (lambda _line: None)

    @property
    def flavour(self) -> str:
        """The server's hashing flavour, measured once by asking it to encode ``@``.

        (Measured, not read from the ``Server`` header, which a TLS proxy in front of the
        store replaces with its own.)
        """
        if self._flavour is None:
            table = self.store.select('SELECT (ENCODE_FOR_URI("@") AS ?e) WHERE { }',
                                      scoped=False)
            value = str(table.rows[0][0]) if table.rows else ""
            self._flavour = "virtuoso" if value == "@" else "standard"
        return self._flavour

    # -- the steps ---------------------------------------------------------------------------

    def remote_fingerprint(self, graph: str) -> Fingerprint:
        """Ask the server for a graph's fingerprint.

        :param graph: the graph IRI.
        :returns: the fingerprint (empty for an empty or missing graph).
        :raises EndpointError: when the server cannot compute it.
        """
        table = self.store.select(fingerprint_query(graph), scoped=False)
        buckets: dict[str, tuple[int, str, str, float]] = {}
        try:
            for key, n, lo, hi, total in table.rows:
                if key is None or n is None:
                    continue
                buckets[str(key)] = (int(str(n)), str(lo), str(hi),
                                     float(str(total)) if total is not None else 0.0)
        except (TypeError, ValueError):
            raise EndpointError(f"{display_url(self.store.endpoint)}: the server's fingerprint "
                                "of a graph is not readable; check that it supports SPARQL "
                                "1.1 SHA256 and ENCODE_FOR_URI") from None
        return Fingerprint(buckets)

    def _count(self, query: str) -> int:
        table = self.store.select(query, scoped=False)
        value = table.rows[0][0] if table.rows else 0
        return value if isinstance(value, int) else 0

    def _difference(self, a: str, b: str) -> int:
        return self._count(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{a}> {{ ?s ?p ?o }} "
                           f"FILTER NOT EXISTS {{ GRAPH <{b}> {{ ?s ?p ?o }} }} }}")

    def upload(self, triples: Sequence[pyoxigraph.Triple], graph: str) -> None:
        """Add triples to a graph in chunks (Graph Store Protocol POST, or INSERT DATA).

        :param triples: the triples (no blank nodes).
        :param graph: the target graph.
        """
        for start in range(0, len(triples), self.chunk):
            batch = triples[start:start + self.chunk]
            if self.graph_store is not None:
                query = urllib.parse.urlencode({"graph": graph})
                separator = "&" if "?" in self.graph_store else "?"
                request = urllib.request.Request(
                    f"{self.graph_store}{separator}{query}", data=ntriples(batch).encode(),
                    method="POST", headers={"Content-Type": "application/n-triples"})
                self.store.transport.send(request)
            else:
                self.store.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{ntriples(batch)}}} }}")
            self.progress(f"uploaded {min(start + self.chunk, len(triples))}/{len(triples)} "
                          f"triples to {graph}")

    def read_state(self, graph: str) -> dict[str, tuple[str, int]]:
        """The publication record: live graph -> (digest, triples) of its last publication.

        :param graph: the ``--graph`` IRI.
        :returns: the record (empty before the first publication).
        """
        table = self.store.select(
            f"SELECT ?g ?d ?n WHERE {{ GRAPH <{_STATE}{graph}> {{ ?x <{_GRAPH}> ?g ; "
            f"<{_LIVE_DIGEST}> ?d ; <{_LIVE_TRIPLES}> ?n }} }}", scoped=False)
        return {str(g): (str(d), n) for g, d, n in table.rows
                if g is not None and d is not None and isinstance(n, int)}

    def write_state(self, graph: str, state: dict[str, tuple[str, int]]) -> None:
        """Replace the publication record.

        :param graph: the ``--graph`` IRI.
        :param state: live graph -> (digest, triples).
        """
        body = "".join(f"<{_STATE}{graph}#{i}> <{_GRAPH}> <{g}> ; <{_LIVE_DIGEST}> \"{d}\" ; "
                       f"<{_LIVE_TRIPLES}> {n} .\n"
                       for i, (g, (d, n)) in enumerate(sorted(state.items())))
        self.store.update(f"DROP SILENT GRAPH <{_STATE}{graph}>")
        if body:
            self.store.update(f"INSERT DATA {{ GRAPH <{_STATE}{graph}> {{\n{body}}} }}")

    # -- publish and rollback -------------------------------------------------------------

    def publish(self, graph: str, plans: Sequence[GraphPlan]) -> PublishSummary:
        """Publish: stage, verify, count the changes, switch, verify again.

        :param graph: the ``--graph`` IRI (names the publication record).
        :param plans: the graphs (:func:`plan_graphs`).
        :returns: what changed.
        :raises PublishError: when a staging graph does not verify (live graphs untouched)
            or a live graph does not verify after its switch.
        :raises EndpointError: when the server fails (live graphs untouched unless the
            failure came during the switch: then rerun, or roll back).
        """
        url = display_url(self.store.update_endpoint)
        expected: dict[str, Fingerprint] = {}
        merged = [plan for plan in plans if plan.role == "all"]
        for plan in [plan for plan in plans if plan.role != "all"]:
            staging = staging_graph(plan.name)
            self.store.update(f"DROP SILENT GRAPH <{staging}>")
            self.upload(plan.triples, staging)
            expected[plan.name] = fingerprint(plan.triples, self.flavour)
            found = self.remote_fingerprint(staging)
            problems = expected[plan.name].differences(found)
            if problems:
                raise PublishError(
                    f"{url}: the staging graph of <{plan.name}> holds {found.triples} of "
                    f"{len(plan.triples)} triples or differs ({problems[0]}); no live graph "
                    "was changed; check the server's log and rerun")
            self.progress(f"verified {len(plan.triples)} triples in {staging}")
        for plan in merged:  # the merge is made on the server from the verified graphs
            staging = staging_graph(plan.name)
            self.store.update(f"DROP SILENT GRAPH <{staging}>")
            for part in plans:
                if part.role != "all":
                    self.store.update(f"ADD SILENT GRAPH <{staging_graph(part.name)}> TO "
                                      f"GRAPH <{staging}>")
            self._check_count(staging, len(plan.triples), url, staged=True)
            expected[plan.name] = fingerprint(plan.triples, self.flavour)
            self.progress(f"merged {len(plan.triples)} triples in {staging}")
        recorded_state = self.read_state(graph)
        state = dict(recorded_state)
        changes: list[GraphChange] = []
        notes: list[str] = []
        switch: list[GraphPlan] = []
        for plan in plans:
            staging = staging_graph(plan.name)
            added = self._difference(staging, plan.name)
            removed = self._difference(plan.name, staging)
            changes.append(GraphChange(plan.name, plan.role, len(plan.triples), added, removed,
                                       expected[plan.name].digest))
            if added or removed:
                switch.append(plan)
        for plan in plans:
            if plan not in switch:
                self.store.update(f"DROP SILENT GRAPH <{staging_graph(plan.name)}>")
        for plan in switch:
            live = self._count(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{plan.name}> "
                               "{ ?s ?p ?o } }")
            recorded = recorded_state.get(plan.name)
            if live and recorded is not None and recorded[1] == live:
                self.store.update(f"COPY SILENT GRAPH <{plan.name}> TO GRAPH "
                                  f"<{previous_graph(plan.name)}>")
            elif live:
                notes.append(f"<{plan.name}> was not a complete publication (an interrupted "
                             "switch, or edited by hand); the previous version kept for "
                             "rollback is the one before it")
            move = "MOVE SILENT" if not plan.triples else "MOVE"
            self.store.update(f"{move} GRAPH <{staging_graph(plan.name)}> TO GRAPH "
                              f"<{plan.name}>")
            self._check_count(plan.name, len(plan.triples), url, staged=False)
            state[plan.name] = (expected[plan.name].digest, len(plan.triples))
            self.progress(f"switched {plan.name}")
        state.update({p.name: (expected[p.name].digest, len(p.triples)) for p in plans})
        if state != recorded_state:
            self.write_state(graph, state)
        return PublishSummary(url, changes, notes)

    def _check_count(self, graph: str, wanted: int, url: str, *, staged: bool) -> None:
        found = self._count(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        if found == wanted:
            return
        if staged:
            raise PublishError(f"{url}: <{graph}> holds {found} of {wanted} triples; no live "
                               "graph was changed; check the server's log and rerun")
        raise PublishError(f"{url}: <{graph}> holds {found} of {wanted} triples after the "
                           "switch; rerun, or run `ibmkg publish --rollback` to restore the "
                           "previous version")

    def rollback(self, graph: str, roles: Sequence[str] = ROLES) -> PublishSummary:
        """Put the previous version of each graph back (the current one becomes previous).

        :param graph: the ``--graph`` IRI.
        :param roles: the graphs to roll back.
        :returns: what changed.
        :raises PublishError: when there is no previous version at all.
        """
        url = display_url(self.store.update_endpoint)
        for role in roles:  # leftovers of an interrupted run (and a check of the credentials)
            self.store.update(f"DROP SILENT GRAPH <{staging_graph(role_graph(graph, role))}>")
        state = self.read_state(graph)
        changes: list[GraphChange] = []
        for role in roles:
            name = role_graph(graph, role)
            previous = previous_graph(name)
            before = self.remote_fingerprint(previous)
            if not before.triples:
                continue
            staging = staging_graph(name)
            self.store.update(f"COPY SILENT GRAPH <{previous}> TO GRAPH <{staging}>")
            if before.differences(self.remote_fingerprint(staging)):
                raise PublishError(f"{url}: copying the previous version of <{name}> failed; "
                                   "nothing was rolled back; rerun")
            added = self._difference(staging, name)
            removed = self._difference(name, staging)
            self.store.update(f"COPY SILENT GRAPH <{name}> TO GRAPH <{previous}>")
            self.store.update(f"MOVE GRAPH <{staging}> TO GRAPH <{name}>")
            if before.differences(self.remote_fingerprint(name)):
                raise PublishError(f"{url}: <{name}> does not match its previous version after "
                                   "the rollback; rerun `ibmkg publish --rollback`")
            state[name] = (before.digest, before.triples)
            changes.append(GraphChange(name, role, before.triples, added, removed,
                                       before.digest))
            self.progress(f"rolled back {name}")
        if not changes:
            raise PublishError(f"{url}: no previous version of <{graph}> to roll back to; "
                               "publish twice first")
        self.write_state(graph, state)
        return PublishSummary(url, changes)
