"""Publish the graph to a SPARQL server: one graph per role, verified, switched by one update.

A server is not trusted to be atomic (Virtuoso's Graph Store ``PUT`` with a body that fails
part-way has already replaced the old graph, then answers 500), nor to survive: a kill at
any moment of a publication or a rollback must leave the old or the new version live, never
a mix and never nothing. So the data is never overwritten in place:

* a version of a publication ``--graph G`` is one graph per role (:data:`ROLES`: the review
  and studies, the ontology with its imports, the SSSOM mappings, the reasoner's
  inferences), each named by its own content digest: ``urn:ibmkg:version:<id>:<role>:<G>``
  (``<id>``: 16 hex digits). Each triple is in one role graph only (the first role that
  states it), so the role graphs' merge is the whole publication, with nothing stored twice.
  Two versions with the same ontology share one ontology graph: a change to the data alone
  uploads and verifies the data graph alone;
* which role graphs are live is said by the manifest graph ``urn:ibmkg:publication:<G>``
  (:mod:`ibmkg.endpoint.manifest`): append-only switch records, each naming, in ONE
  ``INSERT DATA``, the graph, triple count and digest of every role; the live version is the
  one of the highest complete record.

Publishing: (1) role graphs announced in the manifest that neither the live nor the previous
record names, nor the new version, are dropped (leftovers of an interrupted run); (2) each
new role graph is announced in the manifest, uploaded in chunks (Graph Store ``POST`` of
N-Triples, or SPARQL Update ``INSERT DATA``) and verified (the server's fingerprint of it,
counts and hashes computed by one aggregate query, :mod:`ibmkg.endpoint.digest`, must equal
the local one); a role graph the live record already names is neither uploaded nor verified
again; (3) the changes per role are counted on the server (``FILTER NOT EXISTS`` counts
between the old and new role graphs; none when a role's digest is unchanged); (4) one
``INSERT DATA`` of a switch record makes them all live; (5) role graphs named by neither of
the last two records are dropped; (6) the mirrors are refreshed. A rollback checks every
role graph of the previous record and writes one switch record back to it. The same input
twice reports 0 changes and writes nothing to the manifest. Blank nodes are skolemised
(:func:`ibmkg.endpoint.digest.skolemise`).

Readers: ``ibmkg query --endpoint URL --graph G`` reads the manifest (:meth:`Publisher.live`)
and names every live role graph as a default graph (their merge). For plain SPARQL clients,
each successful switch (and rollback) then refreshes *mirrors* at stable IRIs, ``G`` (the
data), ``G/ontology``, ``G/mappings`` and ``G/inferred`` (:func:`role_graph`), by server-side
``COPY`` (no re-upload), each verified by fingerprint. The mirrors are a convenience: if the
server dies between the switch and the copy they lag behind or are partial; the manifest
stays the truth, and a rerun of ``ibmkg publish`` (0 changes) repairs a mirror that does
not verify.

>>> role_graph("https://example.org/ibmkg", "ontology")
'https://example.org/ibmkg/ontology'
>>> version_graph("https://example.org/ibmkg", "sha256:0123456789abcdef0123", "data")
'urn:ibmkg:version:0123456789abcdef:data:https://example.org/ibmkg'
"""

from __future__ import annotations

import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph

from ibmkg.endpoint.digest import Fingerprint, fingerprint, fingerprint_query, skolemise
from ibmkg.endpoint.manifest import (
    ROLES,
    VERSION,
    LiveVersion,
    RoleGraph,
    highest_seq,
    manifest_graph,
    parse_records,
    record_subjects,
    switch_update,
    version_graph,
)
from ibmkg.errors import EndpointError, InputError, PublishError
from ibmkg.graph_io import LoadedData
from ibmkg.paths import MAPPINGS_GRAPH
from ibmkg.store.base import Value, ntriples
from ibmkg.store.http import display_url
from ibmkg.store.remote import RemoteStore

__all__ = [
    "ROLES",
    "GraphChange",
    "GraphPlan",
    "LiveVersion",
    "MirrorCheck",
    "PublishSummary",
    "Publisher",
    "RoleGraph",
    "manifest_graph",
    "plan_graphs",
    "role_graph",
    "version_graph",
]

Rows = list[tuple[Value, Value, Value]]


def role_graph(graph: str, role: str) -> str:
    """The stable IRI of one role of a publication: where its mirror is kept.

    :param graph: the ``--graph`` IRI.
    :param role: one of :data:`ROLES`.
    :returns: ``graph`` itself for the data, else ``graph/role``.
    """
    return graph if role == "data" else f"{graph.rstrip('/')}/{role}"


@dataclass(frozen=True)
class GraphPlan:
    """One role graph to publish.

    :param name: the role's mirror IRI (:func:`role_graph`).
    :param role: one of :data:`ROLES`.
    :param triples: its content, without blank nodes, duplicates or triples of earlier roles.
    """

    name: str
    role: str
    triples: tuple[pyoxigraph.Triple, ...] = field(repr=False)


def plan_graphs(data: LoadedData, graph: str, *,
                inferred: Iterable[pyoxigraph.Triple] | None = None) -> list[GraphPlan]:
    """Split the loaded project into the role graphs of a publication (blank nodes skolemised).

    A triple stated in two roles goes to the first of :data:`ROLES` (and an inference already
    stated is left out), so the role graphs are disjoint and their merge is the publication.

    :param data: the loaded project.
    :param graph: the ``--graph`` IRI.
    :param inferred: the reasoner's inferences, or ``None`` to publish none.
    :returns: one plan per role that has content (data and ontology always).
    :raises InputError: when ``graph`` is not an absolute IRI.

    >>> from ibmkg.graph_io import SourceIndex, SourceGraph
    >>> t = pyoxigraph.Triple(pyoxigraph.NamedNode("http://x/s"),
    ...                       pyoxigraph.NamedNode("http://x/p"), pyoxigraph.Literal("o"))
    >>> plans = plan_graphs(LoadedData((SourceGraph("http://x/g", "kg/a.ttl", (t,)),),
    ...                                SourceIndex()), "http://x/pub", inferred=[t])
    >>> [(p.role, p.name, len(p.triples)) for p in plans]
    [('data', 'http://x/pub', 1), ('ontology', 'http://x/pub/ontology', 0), \
('inferred', 'http://x/pub/inferred', 0)]
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
    if inferred is not None:
        parts["inferred"] = set(inferred)
    plans: list[GraphPlan] = []
    stated: set[pyoxigraph.Triple] = set()
    for role in ROLES:
        content = set(skolemise(parts[role])) - stated
        stated |= content
        if content or role in ("data", "ontology") or (role == "inferred" and
                                                        inferred is not None):
            plans.append(GraphPlan(role_graph(graph, role), role,
                                   tuple(sorted(content, key=str))))
    return plans


@dataclass(frozen=True)
class GraphChange:
    """What publishing (or a rollback) did to one role.

    :param graph: the role graph now live (the old one when the role is gone).
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


@dataclass(frozen=True)
class MirrorCheck:
    """One mirror after a switch: a stable IRI holding a copy of a live role graph.

    :param graph: the mirror's IRI (:func:`role_graph`).
    :param role: its role.
    :param triples: the triples it holds.
    :param copied: whether it was copied (or dropped) now; ``False`` when it was current.
    :param verified: whether its fingerprint equals the live role graph's.
    """

    graph: str
    role: str
    triples: int
    copied: bool
    verified: bool


@dataclass
class PublishSummary:
    """The outcome of a publication or a rollback.

    :param endpoint: the endpoint (no credentials).
    :param changes: one entry per role.
    :param notes: remarks.
    :param mirrors: the mirrors, checked after the switch.

    >>> s = PublishSummary("http://x/sparql", [GraphChange("urn:v", "data", 3, 1, 0, "ab")])
    >>> print(s.text())
    data      urn:v        3 triples  +1 -0  ab
    1 change(s): +1 -0 at http://x/sparql
    """

    endpoint: str
    changes: list[GraphChange]
    notes: list[str] = field(default_factory=list)
    mirrors: list[MirrorCheck] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether any role changed."""
        return any(c.added or c.removed for c in self.changes)

    @property
    def mirrors_verified(self) -> bool:
        """Whether every mirror equals its live role graph."""
        return all(m.verified for m in self.mirrors)

    def text(self) -> str:
        """The summary as aligned text: one line per role, one per mirror, and the total.

        :returns: the text.
        """
        width = max((len(c.graph) for c in self.changes), default=0)
        lines = [f"{c.role:<9} {c.graph:<{width}}  {c.triples:>7} triples  +{c.added} "
                 f"-{c.removed}  {c.digest}" for c in self.changes]
        width = max((len(m.graph) for m in self.mirrors), default=0)
        lines += [f"mirror    {m.graph:<{width}}  {m.triples:>7} triples  "
                  f"{'copied, ' if m.copied else ''}"
                  f"{'verified' if m.verified else 'DIFFERS: rerun ibmkg publish'}"
                  for m in self.mirrors]
        added = sum(c.added for c in self.changes)
        removed = sum(c.removed for c in self.changes)
        total = f"{added + removed} change(s): +{added} -{removed} at {self.endpoint}"
        return "\n".join([*lines, total if self.changed else f"0 changes at {self.endpoint}"])

    def as_json(self) -> dict[str, object]:
        """The summary as a JSON-ready dict.

        :returns: ``endpoint``, ``changed``, ``added``, ``removed``, ``graphs``, ``mirrors``
            and ``notes``.

        >>> PublishSummary("http://x/sparql", []).as_json()["changed"]
        False
        """
        return {
            "endpoint": self.endpoint, "changed": self.changed,
            "added": sum(c.added for c in self.changes),
            "removed": sum(c.removed for c in self.changes),
            "graphs": [vars(c) for c in self.changes],
            "mirrors": [vars(m) for m in self.mirrors], "notes": list(self.notes),
        }


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

    # -- the manifest ---------------------------------------------------------------------

    def _manifest(self, graph: str) -> Rows:
        table = self.store.select(f"SELECT ?x ?p ?o WHERE {{ GRAPH <{manifest_graph(graph)}> "
                                  "{ ?x ?p ?o } }", scoped=False)  # a few triples: read whole
        return [(x, p, o) for x, p, o in table.rows]

    def switches(self, graph: str) -> list[LiveVersion]:
        """The complete switch records of a publication, oldest first.

        :param graph: the ``--graph`` IRI.
        :returns: the records (empty before the first publication).
        """
        return parse_records(self._manifest(graph))

    def live(self, graph: str) -> LiveVersion | None:
        """The live version of a publication: its record, naming every live role graph.

        :param graph: the ``--graph`` IRI.
        :returns: its switch record, or ``None`` before the first publication.
        """
        records = self.switches(graph)
        return records[-1] if records else None

    def _announced(self, rows: Rows, graph: str) -> set[str]:
        manifest = manifest_graph(graph)
        return {str(o) for x, p, o in rows if str(x) == manifest and str(p) == VERSION}

    def _announce(self, graph: str, names: Iterable[str]) -> None:
        manifest = manifest_graph(graph)
        body = " ".join(f"<{manifest}> <{VERSION}> <{name}> ." for name in sorted(names))
        if body:
            self.store.update(f"INSERT DATA {{ GRAPH <{manifest}> {{ {body} }} }}")

    def _prune(self, graph: str, keep: set[str], records: Sequence[LiveVersion]) -> None:
        """Drop announced role graphs not kept, then switch records but the last two.

        Never called with a live or previous role graph outside ``keep``.
        """
        manifest = manifest_graph(graph)
        rows = self._manifest(graph)
        for name in sorted(self._announced(rows, graph) - keep):
            self.store.update(f"DROP SILENT GRAPH <{name}>")
            self.store.update(f"DELETE DATA {{ GRAPH <{manifest}> {{ <{manifest}> "
                              f"<{VERSION}> <{name}> }} }}")
        old = record_subjects(graph, rows, records[-2:])
        if old:
            values = " ".join(f"<{x}>" for x in old)
            self.store.update(f"DELETE {{ GRAPH <{manifest}> {{ ?x ?p ?o }} }} WHERE {{ "
                              f"GRAPH <{manifest}> {{ ?x ?p ?o }} VALUES ?x {{ {values} }} }}")

    def _changes(self, old: LiveVersion | None, new: Sequence[RoleGraph]) -> list[GraphChange]:
        """Per role: triples added and removed, counted on the server (0/0 unqueried when
        the role graph is the same)."""
        changes: list[GraphChange] = []
        now = {r.role: r for r in new}
        before = {r.role: r for r in old.roles} if old is not None else {}
        for role in [*ROLES, *sorted((set(now) | set(before)) - set(ROLES))]:
            n, o = now.get(role), before.get(role)
            if n is not None and o is not None and n.graph == o.graph:
                changes.append(GraphChange(n.graph, role, n.triples, 0, 0, n.digest))
            elif n is not None and o is not None:
                changes.append(GraphChange(n.graph, role, n.triples,
                                           self._difference(n.graph, o.graph),
                                           self._difference(o.graph, n.graph), n.digest))
            elif n is not None:
                changes.append(GraphChange(n.graph, role, n.triples, n.triples, 0, n.digest))
            elif o is not None:
                changes.append(GraphChange(o.graph, role, 0, 0, o.triples, "-"))
        return changes

    def _switch(self, graph: str, rows: Rows, roles: Sequence[RoleGraph]) -> LiveVersion:
        """Make ``roles`` live: one INSERT DATA of a small record (all or nothing)."""
        self.store.update(switch_update(graph, highest_seq(rows) + 1, roles))
        now = self.live(graph)
        if now is None or {(r.role, r.graph) for r in now.roles} != \
                {(r.role, r.graph) for r in roles}:
            raise PublishError(f"{display_url(self.store.update_endpoint)}: the manifest of "
                               f"<{graph}> does not name the new role graphs after the switch; "
                               "rerun")
        return now

    def refresh_mirrors(self, graph: str, live: LiveVersion,
                        switched: Iterable[str] = ()) -> list[MirrorCheck]:
        """Make each mirror (:func:`role_graph`) a copy of its live role graph, server-side.

        A mirror whose fingerprint already equals the record's is left alone; another is
        replaced by ``COPY`` and checked again. A role the live version lacks has its mirror
        dropped.

        :param graph: the ``--graph`` IRI.
        :param live: the live record.
        :param switched: roles whose live graph just changed: copied without looking first.
        :returns: one check per role of the live version (and per mirror dropped).
        :raises EndpointError: when the server fails (the live version stays live).
        """
        checks: list[MirrorCheck] = []
        for role in ROLES:
            mirror = role_graph(graph, role)
            source = live.role(role)
            if source is None:
                present = self._count(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{mirror}> "
                                      "{ ?s ?p ?o } }")
                if present:  # reported only when there was something to drop
                    self.store.update(f"DROP SILENT GRAPH <{mirror}>")
                    checks.append(MirrorCheck(mirror, role, 0, True, True))
                continue
            copied = role in switched
            if not copied:
                found = self.remote_fingerprint(mirror)
                copied = (found.triples, found.digest) != (source.triples, source.digest)
            if copied:
                self.progress(f"copying {source.graph} to {mirror}")
                if source.triples:
                    self.store.update(f"COPY SILENT GRAPH <{source.graph}> TO GRAPH <{mirror}>")
                else:
                    self.store.update(f"DROP SILENT GRAPH <{mirror}>")
                self.progress(f"copied {source.graph} to {mirror}")
                found = self.remote_fingerprint(mirror)
            verified = (found.triples, found.digest) == (source.triples, source.digest)
            checks.append(MirrorCheck(mirror, role, found.triples, copied, verified))
        return checks

    # -- publish and rollback -------------------------------------------------------------

    def publish(self, graph: str, plans: Sequence[GraphPlan]) -> PublishSummary:
        """Publish: upload the changed role graphs, verify them, count, switch, clean up.

        :param graph: the ``--graph`` IRI.
        :param plans: the role graphs (:func:`plan_graphs`).
        :returns: what changed, per role, and the mirrors.
        :raises PublishError: when a new role graph does not verify (the live version
            untouched), or the live one was edited by hand.
        :raises EndpointError: when the server fails (the live version is then still the old
            one, or already the new one when the failure came after the switch; rerun).
        """
        url = display_url(self.store.update_endpoint)
        expected = {p.role: fingerprint(p.triples, self.flavour) for p in plans}
        targets = [RoleGraph(p.role, version_graph(graph, expected[p.role].digest, p.role),
                             len(p.triples), expected[p.role].digest) for p in plans]
        rows = self._manifest(graph)
        records = parse_records(rows)
        live = records[-1] if records else None
        previous = records[-2] if len(records) > 1 else None
        keep = {n for r in (live, previous) if r is not None for n in r.names}
        if live is not None and live.same_graphs(LiveVersion(0, tuple(targets))):
            for target in targets:  # never drop or rewrite a live graph
                problems = expected[target.role].differences(self.remote_fingerprint(target.graph))
                if problems:
                    raise PublishError(
                        f"{url}: the live {target.role} graph <{target.graph}> differs from what "
                        f"was published ({problems[0]}; edited by hand?); run `ibmkg publish "
                        "--rollback`, or drop that graph and rerun")
            self._prune(graph, keep, records)
            return PublishSummary(url, self._changes(live, live.roles),
                                  mirrors=self.refresh_mirrors(graph, live))
        announced = self._announced(rows, graph)
        self._prune(graph, keep | {t.graph for t in targets}, records)
        live_names = set(live.names) if live is not None else set()
        plan = {p.role: p for p in plans}
        for target in targets:
            if target.graph in live_names:
                continue  # shared with the live version, verified when it went live
            if target.graph in keep | announced and not expected[target.role].differences(
                    self.remote_fingerprint(target.graph)):
                continue  # complete already (the previous version's, or an earlier run's)
            self.store.update(f"DROP SILENT GRAPH <{target.graph}>")
            self._announce(graph, [target.graph])
            self.upload(plan[target.role].triples, target.graph)
            found = self.remote_fingerprint(target.graph)
            problems = expected[target.role].differences(found)
            if problems:
                raise PublishError(
                    f"{url}: the new {target.role} graph <{target.graph}> holds {found.triples} "
                    f"of {target.triples} triples or differs ({problems[0]}); the live version "
                    "was not changed; check the server's log and rerun")
            self.progress(f"verified {target.triples} triples in {target.graph}")
        changes = self._changes(live, targets)
        now = self._switch(graph, rows, targets)
        self.progress(f"switched <{graph}> to {len(targets)} role graphs")
        self._prune(graph, set(now.names) | live_names, [r for r in (live, now) if r])
        switched = [c.role for c in changes if c.added or c.removed]
        return PublishSummary(url, changes, mirrors=self.refresh_mirrors(graph, now, switched))

    def rollback(self, graph: str) -> PublishSummary:
        """Make the previous version live again (the current one becomes the previous one).

        :param graph: the ``--graph`` IRI.
        :returns: what changed, per role, and the mirrors.
        :raises PublishError: when there is no previous version, or a role graph of it is not
            intact.
        """
        url = display_url(self.store.update_endpoint)
        rows = self._manifest(graph)
        records = parse_records(rows)
        if len(records) < 2 or records[-2].same_graphs(records[-1]):
            raise PublishError(f"{url}: no previous version of <{graph}> to roll back to; "
                               "publish twice first")
        live, previous = records[-1], records[-2]
        for role in previous.roles:
            found = self.remote_fingerprint(role.graph)
            if found.digest != role.digest or found.triples != role.triples:
                raise PublishError(f"{url}: the previous {role.role} graph <{role.graph}> holds "
                                   f"{found.triples} of {role.triples} triples or differs; "
                                   "nothing was rolled back; publish again instead")
        changes = self._changes(live, previous.roles)
        now = self._switch(graph, rows, previous.roles)
        self.progress(f"rolled <{graph}> back to the record of seq {previous.seq}")
        self._prune(graph, set(previous.names) | set(live.names), [live, now])
        switched = [c.role for c in changes if c.added or c.removed]
        return PublishSummary(url, changes, mirrors=self.refresh_mirrors(graph, now, switched))
