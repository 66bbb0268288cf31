"""The manifest of a publication: which role graphs are live, said by append-only records.

A publication ``--graph G`` has one small manifest graph ``urn:ibmkg:publication:G``. Each
switch makes a new set of role graphs live with ONE ``INSERT DATA`` of a record::

    <M#switch-N> seq N ; roles k ; role <M#switch-N-data>, <M#switch-N-ontology>, ... .
    <M#switch-N-data> roleName "data" ; live <urn:ibmkg:version:ID:data:G> ;
                      liveTriples n ; liveDigest "sha256:..." .

A record is complete when it names ``k`` role entries and each has its four fields; the live
record is the complete one with the highest ``seq`` (an incomplete one is never live). Role
graphs are announced (``<M> version <graph>``) before their upload starts, so a rerun after a
kill finds and drops what an interrupted run left.

>>> g = "https://example.org/g"
>>> update = switch_update(g, 3, [RoleGraph("data", "urn:v", 5, "sha256:0")])
>>> update.startswith("INSERT DATA") and f"<{manifest_graph(g)}#switch-3-data>" in update
True
>>> from ibmkg.store.base import IRI
>>> m, d = "urn:ibmkg:publication:g#switch-3", "urn:ibmkg:publication:g#switch-3-data"
>>> rows = [(IRI(m), IRI(SEQ), 3), (IRI(m), IRI(ROLE_COUNT), 1), (IRI(m), IRI(ROLE), IRI(d)),
...         (IRI(d), IRI(ROLE_NAME), "data"), (IRI(d), IRI(LIVE), IRI("urn:v")),
...         (IRI(d), IRI(LIVE_TRIPLES), 5), (IRI(d), IRI(LIVE_DIGEST), "sha256:0")]
>>> [(r.seq, r.names, r.triples) for r in parse_records(rows)]
[(3, ('urn:v',), 5)]
>>> parse_records(rows[:-1])  # a role entry without its digest: the record is not complete
[]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ibmkg.store.base import Value

__all__ = [
    "ROLES",
    "VERSION",
    "LiveVersion",
    "RoleGraph",
    "highest_seq",
    "manifest_graph",
    "parse_records",
    "record_subjects",
    "switch_update",
    "version_graph",
]

#: The roles of a publication, in upload order; each is its own graph in a version.
ROLES = ("data", "ontology", "mappings", "inferred")
_STATE = "urn:ibmkg:publication:"
SEQ = "urn:ibmkg:publication:seq"
ROLE = "urn:ibmkg:publication:role"
ROLE_COUNT = "urn:ibmkg:publication:roles"
ROLE_NAME = "urn:ibmkg:publication:roleName"
LIVE = "urn:ibmkg:publication:live"
LIVE_TRIPLES = "urn:ibmkg:publication:liveTriples"
LIVE_DIGEST = "urn:ibmkg:publication:liveDigest"
#: ``<manifest> version <graph>``: a role graph announced before its upload.
VERSION = "urn:ibmkg:publication:version"


def manifest_graph(graph: str) -> str:
    """The graph that says which role graphs of a publication are live.

    :param graph: the ``--graph`` IRI.
    :returns: its manifest graph IRI.

    >>> manifest_graph("https://example.org/ibmkg")
    'urn:ibmkg:publication:https://example.org/ibmkg'
    """
    return f"{_STATE}{graph}"


def version_graph(graph: str, digest: str, role: str) -> str:
    """The graph holding one role of a publication, named by that role's content digest.

    Two versions whose ontology is the same share one ontology graph.

    :param graph: the ``--graph`` IRI.
    :param digest: the role's content digest (``sha256:<hex>``).
    :param role: the role (``data``, ``ontology``, ``mappings``, ``inferred``).
    :returns: its IRI.

    >>> version_graph("https://example.org/ibmkg", "sha256:" + "ab" * 32, "data")
    'urn:ibmkg:version:abababababababab:data:https://example.org/ibmkg'
    """
    return f"urn:ibmkg:version:{digest.split(':')[-1][:16]}:{role}:{graph}"


@dataclass(frozen=True)
class RoleGraph:
    """One role graph named by a switch record.

    :param role: its role.
    :param graph: the role graph's IRI (:func:`version_graph`).
    :param triples: the triples it holds.
    :param digest: its content digest.
    """

    role: str
    graph: str
    triples: int
    digest: str


@dataclass(frozen=True)
class LiveVersion:
    """One complete switch record of a manifest.

    :param seq: its sequence number (the highest complete one is live).
    :param roles: its role graphs, in the order of :data:`ROLES`.
    """

    seq: int
    roles: tuple[RoleGraph, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """The IRIs of its role graphs."""
        return tuple(r.graph for r in self.roles)

    @property
    def triples(self) -> int:
        """The triples of all its role graphs (they are disjoint: the merge's size)."""
        return sum(r.triples for r in self.roles)

    def role(self, role: str) -> RoleGraph | None:
        """The record's graph for one role.

        :param role: the role.
        :returns: its role graph, or ``None`` when the version has none.
        """
        return next((r for r in self.roles if r.role == role), None)

    def same_graphs(self, other: LiveVersion | None) -> bool:
        """Whether two records make the same role graphs live.

        :param other: the other record.
        :returns: ``True`` when both name the same graph for every role.
        """
        return other is not None and {(r.role, r.graph) for r in self.roles} == \
            {(r.role, r.graph) for r in other.roles}


def _record(graph: str, seq: int) -> str:
    return f"{manifest_graph(graph)}#switch-{seq}"


def switch_update(graph: str, seq: int, roles: Sequence[RoleGraph]) -> str:
    """The one ``INSERT DATA`` that makes ``roles`` live (all or nothing).

    :param graph: the ``--graph`` IRI.
    :param seq: the record's sequence number (one more than the highest so far).
    :param roles: the role graphs it makes live.
    :returns: the update.
    """
    record = _record(graph, seq)
    entries = [f"<{record}> <{SEQ}> {seq} ; <{ROLE_COUNT}> {len(roles)}"
               + "".join(f" ; <{ROLE}> <{record}-{r.role}>" for r in roles) + " ."]
    for r in roles:
        entries.append(f"<{record}-{r.role}> <{ROLE_NAME}> \"{r.role}\" ; <{LIVE}> <{r.graph}> ; "
                       f"<{LIVE_TRIPLES}> {r.triples} ; <{LIVE_DIGEST}> \"{r.digest}\" .")
    body = "\n".join(entries)
    return f"INSERT DATA {{ GRAPH <{manifest_graph(graph)}> {{\n{body}\n}} }}"


def parse_records(rows: Iterable[tuple[Value, Value, Value]]) -> list[LiveVersion]:
    """The complete switch records among a manifest's triples, oldest first.

    :param rows: the manifest's ``?x ?p ?o`` rows.
    :returns: the complete records (an incomplete or older-format record is left out).
    """
    fields: dict[str, dict[str, list[Value]]] = {}
    for x, p, o in rows:
        if x is not None and p is not None and o is not None:
            fields.setdefault(str(x), {}).setdefault(str(p), []).append(o)
    records: list[LiveVersion] = []
    for values in fields.values():
        seq, count = (_one(values.get(k)) for k in (SEQ, ROLE_COUNT))
        if not isinstance(seq, int) or not isinstance(count, int):
            continue
        roles = [_role(fields.get(str(link), {})) for link in values.get(ROLE, [])]
        complete = [r for r in roles if r is not None]
        if len(complete) == count == len(roles) and len({r.role for r in complete}) == count:
            order = {name: i for i, name in enumerate(ROLES)}
            complete.sort(key=lambda r: (order.get(r.role, len(order)), r.role))
            records.append(LiveVersion(seq, tuple(complete)))
    return sorted(records, key=lambda r: r.seq)


def _one(values: list[Value] | None) -> Value:
    return values[0] if values and len(values) == 1 else None


def _role(values: dict[str, list[Value]]) -> RoleGraph | None:
    name, graph, triples, digest = (_one(values.get(k))
                                    for k in (ROLE_NAME, LIVE, LIVE_TRIPLES, LIVE_DIGEST))
    if name is None or graph is None or digest is None or not isinstance(triples, int):
        return None
    return RoleGraph(str(name), str(graph), triples, str(digest))


def highest_seq(rows: Iterable[tuple[Value, Value, Value]]) -> int:
    """The highest ``seq`` written in a manifest, complete record or not.

    :param rows: the manifest's ``?x ?p ?o`` rows.
    :returns: the number (0 for none), so a new record never reuses an IRI.

    >>> highest_seq([("urn:x#switch-4", SEQ, 4)])
    4
    """
    return max((o for _, p, o in rows if str(p) == SEQ and isinstance(o, int)), default=0)


def record_subjects(graph: str, rows: Iterable[tuple[Value, Value, Value]],
                    keep: Sequence[LiveVersion]) -> list[str]:
    """The switch-record subjects of a manifest that belong to none of the kept records.

    :param graph: the ``--graph`` IRI.
    :param rows: the manifest's ``?x ?p ?o`` rows.
    :param keep: the records to keep (the live and the previous one).
    :returns: the subjects to delete, sorted (older records, and parts of broken ones).

    >>> record_subjects("g", [("urn:ibmkg:publication:g#switch-1", SEQ, 1)], [])
    ['urn:ibmkg:publication:g#switch-1']
    """
    kept = {_record(graph, r.seq) for r in keep} | \
        {f"{_record(graph, r.seq)}-{role.role}" for r in keep for role in r.roles}
    prefix = f"{manifest_graph(graph)}#switch-"
    return sorted({str(x) for x, _, _ in rows
                   if str(x).startswith(prefix) and str(x) not in kept})
