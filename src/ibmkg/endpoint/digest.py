"""Skolemise blank nodes, and fingerprint a graph so a server can prove what it holds.

A published graph is checked by counts and a content fingerprint that the *server* computes
with one aggregate query, never by reading rows back (a server may truncate those silently).
Each triple gets a key hashed with SPARQL's ``SHA256``; keys are grouped into 4,096 buckets
by their first three hex digits, and each bucket reports its count, its smallest and largest
hash and the sum of its numeric values. The same table is computed locally from the triples
sent; the two must be equal.

Servers normalise some literals (Virtuoso stores ``"2.0"^^xsd:decimal`` as ``2``, ``"1.0E0"``
as ``1``, ``"EN"`` tags as ``en``), so the key of a numeric, boolean, date-time or time literal
holds its datatype but not its lexical form; its value is checked through the bucket's sum
instead. Each part is passed through ``ENCODE_FOR_URI`` and hashed on its own, then the part
hashes are hashed together. Virtuoso 7 leaves ``@``, a backquote and U+0080 to U+00FF
unencoded there, and :func:`encode_for_uri` reproduces either behaviour (the server is asked
who it is before verifying).

Blank nodes are replaced by IRIs under ``https://w3id.org/ibmkg/.well-known/genid/`` (RDF 1.1
Concepts §3.5) derived from what each node describes, so the same input gives the same IRIs
on every run, and publishing twice changes nothing.

>>> import pyoxigraph
>>> b = pyoxigraph.BlankNode()
>>> p = pyoxigraph.NamedNode("http://example.org/p")
>>> graph = [pyoxigraph.Triple(p, p, b), pyoxigraph.Triple(b, p, pyoxigraph.Literal("x"))]
>>> [t.object.value.startswith(GENID) for t in skolemise(graph) if t.subject == p]
[True]
>>> skolemise(graph) == skolemise(graph)
True
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

import pyoxigraph

from ibmkg.namespaces import BASE

__all__ = [
    "FLAVOURS",
    "GENID",
    "Fingerprint",
    "encode_for_uri",
    "fingerprint",
    "fingerprint_query",
    "skolemise",
]

#: Where skolem IRIs live.
GENID = f"{BASE}.well-known/genid/"
#: How a server's ``ENCODE_FOR_URI`` and ``SHA256`` behave: ``standard`` percent-encodes
#: all but the unreserved characters as UTF-8 (SPARQL 1.1 §17.4.3.11) and hashes UTF-8; ``virtuoso``
#: (Virtuoso 7) leaves ``@``, a backquote and U+0080..U+00FF unencoded.
FLAVOURS = ("standard", "virtuoso")

_XSD = "http://www.w3.org/2001/XMLSchema#"
_VALUE_TYPES = frozenset(_XSD + n for n in (
    "integer", "decimal", "float", "double", "nonPositiveInteger", "negativeInteger", "long",
    "int", "short", "byte", "nonNegativeInteger", "unsignedLong", "unsignedInt",
    "unsignedShort", "unsignedByte", "positiveInteger", "boolean", "dateTime", "time",
))
_NUMERIC_SUMMED = _VALUE_TYPES - {_XSD + "dateTime", _XSD + "time"}
_UNRESERVED = "-._~"


def encode_for_uri(text: str, flavour: str = "standard") -> str:
    """SPARQL's ``ENCODE_FOR_URI`` as a given server computes it.

    :param text: the string.
    :param flavour: one of :data:`FLAVOURS`.
    :returns: the encoded string.

    >>> encode_for_uri("a b/é€")
    'a%20b%2F%C3%A9%E2%82%AC'
    >>> encode_for_uri("a@b/é€", "virtuoso")
    'a@b%2Fé%E2%82%AC'
    """
    if flavour == "standard":
        return quote(text, safe=_UNRESERVED)
    return "".join(c if 0x80 <= ord(c) <= 0xFF else quote(c, safe=_UNRESERVED + "@`")
                   for c in text)


def _h(text: str, flavour: str) -> str:
    return hashlib.sha256(encode_for_uri(text, flavour).encode("utf-8")).hexdigest()


def _key(triple: pyoxigraph.Triple, flavour: str) -> tuple[str, float]:
    """The text whose hash identifies a triple: the hashes of its parts, so ASCII only.

    (Virtuoso hashes a concatenation holding U+0080..U+00FF characters differently from the
    same characters alone; hashing each part first keeps both sides on plain UTF-8.)
    """
    s, p, o = triple.subject, triple.predicate, triple.object
    parts = [_value(s), p.value]
    number = 0.0
    if isinstance(o, pyoxigraph.Literal):
        kind = "@" + o.language.lower() if o.language else "^" + o.datatype.value
        typed = not o.language and o.datatype.value in _VALUE_TYPES
        number = _number(o) if typed else 0.0
        parts += [kind, "" if typed else o.value]
    else:
        parts += ["<" + _value(o), ""]
    return "".join(_h(part, flavour) for part in parts), number


def _value(term: object) -> str:
    value = getattr(term, "value", None)
    if not isinstance(value, str):
        raise ValueError(f"cannot fingerprint {term!r}: skolemise blank nodes first")
    if isinstance(term, pyoxigraph.BlankNode):
        raise ValueError("cannot fingerprint a blank node: skolemise blank nodes first")
    return value


def _number(literal: pyoxigraph.Literal) -> float:
    if literal.datatype.value not in _NUMERIC_SUMMED:
        return 0.0
    if literal.datatype.value == _XSD + "boolean":
        return 1.0 if literal.value.strip() in ("true", "1") else 0.0
    try:
        number = float(literal.value.replace("INF", "inf"))
    except ValueError:
        return 0.0
    return number if math.isfinite(number) else 0.0


@dataclass(frozen=True)
class Fingerprint:
    """A graph's fingerprint: per bucket, its count, hash range and numeric sum.

    :param buckets: bucket -> (count, smallest hash, largest hash, sum of numeric values).
    """

    buckets: Mapping[str, tuple[int, str, str, float]]

    @property
    def triples(self) -> int:
        """How many triples the fingerprint covers."""
        return sum(b[0] for b in self.buckets.values())

    @property
    def digest(self) -> str:
        """A short hex digest of the whole fingerprint (for summaries and the manifest)."""
        lines = (f"{k} {n} {lo} {hi} {s:.6g}" for k, (n, lo, hi, s) in sorted(self.buckets.items()))
        return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]

    def differences(self, other: Fingerprint) -> list[str]:
        """Describe how ``other`` differs (empty when equal).

        :param other: the fingerprint to compare with.
        :returns: at most a few readable differences.
        """
        found: list[str] = []
        for key in sorted(set(self.buckets) | set(other.buckets)):
            mine, theirs = self.buckets.get(key), other.buckets.get(key)
            if mine is None or theirs is None:
                found.append(f"bucket {key}: {0 if mine is None else mine[0]} triple(s) here, "
                             f"{0 if theirs is None else theirs[0]} there")
            elif mine[:3] != theirs[:3]:
                found.append(f"bucket {key}: {mine[0]} triple(s) here, {theirs[0]} there, "
                             "or different content")
            elif not math.isclose(mine[3], theirs[3], rel_tol=1e-9, abs_tol=1e-9):
                found.append(f"bucket {key}: numeric values sum to {mine[3]:g} here, "
                             f"{theirs[3]:g} there")
        return found


def fingerprint(triples: Iterable[pyoxigraph.Triple], flavour: str = "standard") -> Fingerprint:
    """Compute a graph's fingerprint locally (the same table :func:`fingerprint_query` gives).

    :param triples: the graph (no blank nodes, no duplicates).
    :param flavour: the server's ``ENCODE_FOR_URI`` flavour (:data:`FLAVOURS`).
    :returns: the fingerprint.
    :raises ValueError: for a blank node.

    >>> import pyoxigraph
    >>> p = pyoxigraph.NamedNode("http://example.org/p")
    >>> fingerprint([pyoxigraph.Triple(p, p, pyoxigraph.Literal("2.0", datatype=
    ...     pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")))]).triples
    1
    """
    buckets: dict[str, tuple[int, str, str, float]] = {}
    for triple in set(triples):
        key, number = _key(triple, flavour)
        digest = hashlib.sha256(key.encode("ascii")).hexdigest()
        bucket = digest[:3]
        n, lo, hi, total = buckets.get(bucket, (0, digest, digest, 0.0))
        buckets[bucket] = (n + 1, min(lo, digest), max(hi, digest), total + number)
    return Fingerprint(buckets)


def fingerprint_query(graph: str) -> str:
    """The aggregate query that makes a server compute a graph's fingerprint.

    :param graph: the graph IRI.
    :returns: the query (at most 4,096 rows: one per bucket).
    """
    types = ", ".join(f"<{t}>" for t in sorted(_VALUE_TYPES))
    summed = ", ".join(f"<{t}>" for t in sorted(_NUMERIC_SUMMED))
    return f"""SELECT ?k (COUNT(*) AS ?n) (MIN(?h) AS ?lo) (MAX(?h) AS ?hi) (SUM(?v) AS ?sum)
WHERE {{
  GRAPH <{graph}> {{ ?s ?p ?o }}
  BIND(COALESCE(isLiteral(?o) && LANG(?o) = "" && DATATYPE(?o) IN ({types}), false) AS ?typed)
  BIND(COALESCE(isLiteral(?o) && LANG(?o) = "" && DATATYPE(?o) IN ({summed}), false) AS ?summed)
  BIND(IF(isIRI(?o), CONCAT("<", STR(?o)), IF(LANG(?o) != "", CONCAT("@", LCASE(LANG(?o))),
                                                CONCAT("^", STR(DATATYPE(?o))))) AS ?kind)
  BIND(IF(isLiteral(?o) && !?typed, STR(?o), "") AS ?lexical)
  BIND(SHA256(CONCAT(SHA256(ENCODE_FOR_URI(STR(?s))), SHA256(ENCODE_FOR_URI(STR(?p))),
                     SHA256(ENCODE_FOR_URI(?kind)), SHA256(ENCODE_FOR_URI(?lexical)))) AS ?h)
  BIND(SUBSTR(?h, 1, 3) AS ?k)
  BIND(IF(?summed, xsd:double(?o), 0.0) AS ?v)
}}
GROUP BY ?k"""


# --- skolemisation ----------------------------------------------------------------------


def skolemise(triples: Iterable[pyoxigraph.Triple]) -> list[pyoxigraph.Triple]:
    """Replace blank nodes by stable IRIs under :data:`GENID`.

    Each node's IRI hashes what it describes (its outgoing triples, nested blank nodes by
    their own hash) and, to tell apart nodes that describe the same thing, where it is used.

    :param triples: a graph.
    :returns: the graph without blank nodes (the same triples when it had none).
    """
    graph = list(triples)
    outgoing: dict[pyoxigraph.BlankNode, list[pyoxigraph.Triple]] = {}
    incoming: dict[pyoxigraph.BlankNode, list[pyoxigraph.Triple]] = {}
    for t in graph:
        if isinstance(t.subject, pyoxigraph.BlankNode):
            outgoing.setdefault(t.subject, []).append(t)
        if isinstance(t.object, pyoxigraph.BlankNode):
            incoming.setdefault(t.object, []).append(t)
    if not outgoing and not incoming:
        return graph
    memo: dict[pyoxigraph.BlankNode, str] = {}

    def describe(node: pyoxigraph.BlankNode, path: frozenset[pyoxigraph.BlankNode]) -> str:
        if node in memo:
            return memo[node]
        if node in path:
            return "cycle"
        inner = path | {node}
        lines = sorted(f"{t.predicate} " + (describe(t.object, inner)
                                             if isinstance(t.object, pyoxigraph.BlankNode)
                                             else str(t.object))
                       for t in outgoing.get(node, []))
        result = hashlib.sha256("\n".join(lines).encode()).hexdigest()
        if not path:
            memo[node] = result
        return result

    nodes = set(outgoing) | set(incoming)
    names: dict[pyoxigraph.BlankNode, str] = {}
    taken: dict[str, int] = {}
    for node in sorted(nodes, key=lambda n: _order(n, describe, incoming)):
        base = hashlib.sha256(_order(node, describe, incoming).encode()).hexdigest()[:32]
        taken[base] = taken.get(base, 0) + 1
        names[node] = base if taken[base] == 1 else f"{base}-{taken[base]}"

    def term(value: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | object,
             ) -> object:
        if isinstance(value, pyoxigraph.BlankNode):
            return pyoxigraph.NamedNode(GENID + names[value])
        return value

    return [pyoxigraph.Triple(term(t.subject), t.predicate, term(t.object))  # type: ignore[arg-type]
            for t in graph]


def _order(node: pyoxigraph.BlankNode,
           describe: Callable[[pyoxigraph.BlankNode, frozenset[pyoxigraph.BlankNode]], str],
           incoming: Mapping[pyoxigraph.BlankNode, list[pyoxigraph.Triple]]) -> str:
    uses = sorted(f"{t.subject if not isinstance(t.subject, pyoxigraph.BlankNode) else '_'} "
                  f"{t.predicate}" for t in incoming.get(node, []))
    return describe(node, frozenset()) + "\n" + "\n".join(uses)
