"""Publish the graph to a SPARQL server: versioned, verified, switched by one small update.

A server is not trusted to be atomic (Virtuoso's Graph Store ``PUT`` with a body that fails
part-way has already replaced the old graph, then answers 500), nor to survive: a kill at
any moment of a publication or a rollback must leave the old or the new version live, never
a mix and never nothing. So the data is never overwritten in place:

* each version of a publication ``--graph G`` is ONE graph, ``urn:ibmkg:version:<id>:<G>``
  (``<id>``: the first 16 hex digits of its content digest), holding the merge of the data,
  the ontology with its imports, the mappings and the reasoner's inferences (each triple
  once; the data is stored once, not once per role and again in a merge);
* which version is live is said by the manifest graph ``urn:ibmkg:publication:<G>``:
  append-only switch records ``<…#switch-N> seq N ; live <version> ; liveTriples n ;
  liveDigest d``; the live version is the one of the highest complete record;

Publishing: (1) version graphs listed in the manifest that are neither live, previous nor
the target are dropped (leftovers of an interrupted run); (2) the new version is announced
in the manifest, uploaded in chunks (Graph Store ``POST`` of N-Triples, or SPARQL Update
``INSERT DATA``) and verified (the server's fingerprint of it, counts and hashes computed by
one aggregate query, :mod:`ibmkg.endpoint.digest`, must equal the local one); (3) the
changes are counted on the server; (4) one ``INSERT DATA`` of a switch record makes it live;
(5) versions older than the previous one are dropped. A rollback is one switch record back
to the previous version (after checking that it is intact). Nothing changes when nothing
differs (the same input twice reports 0 changes). Blank nodes are skolemised
(:func:`ibmkg.endpoint.digest.skolemise`).

Clients find the live version in the manifest (``ibmkg query --endpoint URL --graph G``
does): :meth:`Publisher.live`.

>>> role_graph("https://example.org/ibmkg", "ontology")
'https://example.org/ibmkg/ontology'
>>> version_graph("https://example.org/ibmkg", "sha256:0123456789abcdef0123")
'urn:ibmkg:version:0123456789abcdef:https://example.org/ibmkg'
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
    "LiveVersion",
    "PublishSummary",
    "Publisher",
    "manifest_graph",
    "plan_graphs",
    "role_graph",
    "version_graph",
]

#: The graphs a publication holds, in upload order (``all`` is the merge of the others).
ROLES = ("data", "ontology", "mappings", "inferred", "all")
_STATE = "urn:ibmkg:publication:"
_LIVE_DIGEST = "urn:ibmkg:publication:liveDigest"
_LIVE_TRIPLES = "urn:ibmkg:publication:liveTriples"
_SEQ = "urn:ibmkg:publication:seq"
_LIVE = "urn:ibmkg:publication:live"
_VERSION = "urn:ibmkg:publication:version"
_ROLES = "urn:ibmkg:publication:roleTriples"


def role_graph(graph: str, role: str) -> str:
    """The IRI of one graph of a publication.

    :param graph: the ``--graph`` IRI.
    :param role: one of :data:`ROLES`.
    :returns: ``graph`` itself for the data, else ``graph/role``.
    """
    return graph if role == "data" else f"{graph.rstrip('/')}/{role}"


def manifest_graph(graph: str) -> str:
    """The graph that says which version of a publication is live.

    :param graph: the ``--graph`` IRI.
    :returns: its manifest graph IRI.

    >>> manifest_graph("https://example.org/ibmkg")
    'urn:ibmkg:publication:https://example.org/ibmkg'
    """
    return f"{_STATE}{graph}"


def version_graph(graph: str, digest: str) -> str:
    """The graph holding one version of a publication.

    :param graph: the ``--graph`` IRI.
    :param digest: the version's content digest (``sha256:<hex>``).
    :returns: its IRI.

    >>> version_graph("https://example.org/ibmkg", "sha256:" + "ab" * 32)
    'urn:ibmkg:version:abababababababab:https://example.org/ibmkg'
    """
    return f"urn:ibmkg:version:{digest.split(':')[-1][:16]}:{graph}"


@dataclass(frozen=True)
class LiveVersion:
    """One switch record of a manifest.

    :param seq: its sequence number (the highest complete one is live).
    :param graph: the version graph it made live.
    :param triples: the triples that version holds.
    :param digest: that version's content digest.
    :param roles: triples per role, as written (``data=… ontology=…``).
    """

    seq: int
    graph: str
    triples: int
    digest: str
    roles: str = ""


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

    # -- the manifest ---------------------------------------------------------------------

    def switches(self, graph: str) -> list[LiveVersion]:
        """The complete switch records of a publication, oldest first.

        :param graph: the ``--graph`` IRI.
        :returns: the records (empty before the first publication).
        """
        table = self.store.select(f"SELECT ?x ?p ?o WHERE {{ GRAPH <{manifest_graph(graph)}> "
                                  "{ ?x ?p ?o } }", scoped=False)  # a few triples: read whole
        fields: dict[str, dict[str, object]] = {}
        for x, p, o in table.rows:
            if x is not None and p is not None:
                fields.setdefault(str(x), {})[str(p)] = o
        records = set()
        for values in fields.values():
            n, v, t, d = (values.get(k) for k in (_SEQ, _LIVE, _LIVE_TRIPLES, _LIVE_DIGEST))
            if isinstance(n, int) and isinstance(t, int) and v is not None and d is not None:
                records.add(LiveVersion(n, str(v), t, str(d), str(values.get(_ROLES) or "")))
        return sorted(records, key=lambda r: r.seq)

    def live(self, graph: str) -> LiveVersion | None:
        """The live version of a publication.

        :param graph: the ``--graph`` IRI.
        :returns: its switch record, or ``None`` before the first publication.
        """
        records = self.switches(graph)
        return records[-1] if records else None

    def _versions(self, graph: str) -> set[str]:
        table = self.store.select(f"SELECT DISTINCT ?v WHERE {{ GRAPH <{manifest_graph(graph)}> "
                                  f"{{ ?x <{_VERSION}> ?v }} }}", scoped=False)
        return {str(v) for (v,) in table.rows if v is not None}

    def _switch(self, graph: str, seq: int, version: str, triples: int, digest: str,
                roles: str) -> None:
        """Make ``version`` live: one INSERT DATA of a small record (all or nothing)."""
        record = f"<{manifest_graph(graph)}#switch-{seq}>"
        self.store.update(
            f"INSERT DATA {{ GRAPH <{manifest_graph(graph)}> {{ {record} <{_SEQ}> {seq} ; "
            f"<{_LIVE}> <{version}> ; <{_LIVE_TRIPLES}> {triples} ; "
            f"<{_LIVE_DIGEST}> \"{digest}\" ; <{_ROLES}> \"{roles}\" }} }}")

    def _prune(self, graph: str, keep: set[str], records: Sequence[LiveVersion]) -> None:
        """Drop versions not kept (never the live or previous one) and old switch records."""
        manifest = manifest_graph(graph)
        for version in sorted(self._versions(graph) - keep):
            self.store.update(f"DROP SILENT GRAPH <{version}>")
            self.store.update(f"DELETE DATA {{ GRAPH <{manifest}> {{ <{manifest}> "
                              f"<{_VERSION}> <{version}> }} }}")
        for record in records[:-2]:
            self.store.update(f"DELETE WHERE {{ GRAPH <{manifest}> {{ "
                              f"<{manifest}#switch-{record.seq}> ?p ?o }} }}")

    # -- publish and rollback -------------------------------------------------------------

    def publish(self, graph: str, plans: Sequence[GraphPlan]) -> PublishSummary:
        """Publish: upload a new version, verify it, count the changes, switch, clean up.

        :param graph: the ``--graph`` IRI.
        :param plans: the graphs (:func:`plan_graphs`); their merge (role ``all``) is the
            version uploaded, the others give the per-role counts.
        :returns: what changed.
        :raises PublishError: when the new version does not verify (the live one untouched).
        :raises EndpointError: when the server fails (the live version is then still the old
            one, or already the new one when the failure came after the switch; rerun).
        """
        url = display_url(self.store.update_endpoint)
        merged = next(plan for plan in plans if plan.role == "all")
        expected = fingerprint(merged.triples, self.flavour)
        version = version_graph(graph, expected.digest)
        roles = " ".join(f"{p.role}={len(p.triples)}" for p in plans if p.role != "all")
        records = self.switches(graph)
        live = records[-1] if records else None
        previous = records[-2].graph if len(records) > 1 else None
        keep = {g for g in (live.graph if live else None, previous) if g is not None}
        manifest = manifest_graph(graph)
        if live is not None and live.graph == version:
            problems = expected.differences(self.remote_fingerprint(version))
            if problems:  # never drop or rewrite the live graph
                raise PublishError(f"{url}: the live version <{version}> differs from what "
                                   f"was published ({problems[0]}; edited by hand?); run "
                                   "`ibmkg publish --rollback`, or drop that graph and rerun")
            self._prune(graph, keep, records)
            return PublishSummary(url, [GraphChange(version, "all", len(merged.triples),
                                                    0, 0, expected.digest)])
        self._prune(graph, keep | {version}, records)
        ready = version in keep and not expected.differences(self.remote_fingerprint(version))
        if not ready:
            self.store.update(f"DROP SILENT GRAPH <{version}>")
            self.store.update(f"INSERT DATA {{ GRAPH <{manifest}> {{ <{manifest}> "
                              f"<{_VERSION}> <{version}> }} }}")
            self.upload(merged.triples, version)
            found = self.remote_fingerprint(version)
            problems = expected.differences(found)
            if problems:
                raise PublishError(
                    f"{url}: the new version <{version}> holds {found.triples} of "
                    f"{len(merged.triples)} triples or differs ({problems[0]}); the live "
                    "version was not changed; check the server's log and rerun")
            self.progress(f"verified {len(merged.triples)} triples in {version}")
        added = self._difference(version, live.graph) if live else len(merged.triples)
        removed = self._difference(live.graph, version) if live else 0
        self._switch(graph, (live.seq + 1) if live else 1, version, len(merged.triples),
                     expected.digest, roles)
        now = self.live(graph)
        if now is None or now.graph != version:
            raise PublishError(f"{url}: the manifest of <{graph}> does not name the new version "
                               "after the switch; rerun")
        self.progress(f"switched <{graph}> to {version}")
        self._prune(graph, {version} | ({live.graph} if live else set()), self.switches(graph))
        return PublishSummary(url, [GraphChange(version, "all", len(merged.triples), added,
                                                removed, expected.digest)],
                              [f"roles: {roles}"])

    def rollback(self, graph: str) -> PublishSummary:
        """Make the previous version live again (the current one becomes the previous one).

        :param graph: the ``--graph`` IRI.
        :returns: what changed.
        :raises PublishError: when there is no previous version, or it is not intact.
        """
        url = display_url(self.store.update_endpoint)
        records = self.switches(graph)
        if len(records) < 2 or records[-2].graph == records[-1].graph:
            raise PublishError(f"{url}: no previous version of <{graph}> to roll back to; "
                               "publish twice first")
        live, previous = records[-1], records[-2]
        found = self.remote_fingerprint(previous.graph)
        if found.digest != previous.digest or found.triples != previous.triples:
            raise PublishError(f"{url}: the previous version <{previous.graph}> holds "
                               f"{found.triples} of {previous.triples} triples or differs; "
                               "nothing was rolled back; publish again instead")
        added = self._difference(previous.graph, live.graph)
        removed = self._difference(live.graph, previous.graph)
        self._switch(graph, live.seq + 1, previous.graph, previous.triples, previous.digest,
                     previous.roles)
        now = self.live(graph)
        if now is None or now.graph != previous.graph:
            raise PublishError(f"{url}: the manifest of <{graph}> does not name the previous "
                               "version after the rollback; rerun `ibmkg publish --rollback`")
        self.progress(f"rolled <{graph}> back to {previous.graph}")
        self._prune(graph, {previous.graph, live.graph}, self.switches(graph))
        return PublishSummary(url, [GraphChange(previous.graph, "all", previous.triples, added,
                                                removed, previous.digest)],
                              [f"roles: {previous.roles}"] if previous.roles else [])
