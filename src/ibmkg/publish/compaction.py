"""JSON-LD 1.1 compaction of expanded node objects, for contexts of prefixes and plain terms.

PyLD's compaction is general and slow: it re-expands its input, then compacts every IRI by
walking the whole context, which took 90 s for the 114,000 triples of 1,000 synthetic
studies. The site's context (``ontology/context.jsonld``) uses a small part of JSON-LD:
prefixes (simple definitions, or ``@prefix: true``) and terms with an ``@id`` and at most a
``@type`` (``@id`` or a datatype). For such a context, compaction is a table lookup per
IRI. :func:`compactor` returns ``None`` for any other context, and the caller uses PyLD.

The algorithm is the JSON-LD 1.1 API's (IRI compaction, term selection, value compaction),
reduced to what such a context can express; a test compares the result with PyLD's on the
whole graph, key for key.

Spec: https://www.w3.org/TR/json-ld11-api/#compaction-algorithms

>>> compact_nodes = compactor({"ex": "http://ex/", "name": {"@id": "ex:name"},
...                            "knows": {"@id": "ex:knows", "@type": "@id"}})
>>> compact_nodes([{"@id": "http://ex/a", "@type": ["http://ex/Person"],
...                 "http://ex/name": [{"@value": "A"}],
...                 "http://ex/knows": [{"@id": "http://ex/b"}]}])
{'@id': 'ex:a', '@type': 'ex:Person', 'knows': 'ex:b', 'name': 'A'}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

__all__ = ["compactor"]

_GEN_DELIMS: Final = tuple(":/?#[]@")
_ALLOWED_KEYS: Final = {"@id", "@type", "@prefix"}

Compact = Callable[[list[dict[str, Any]]], Any]


def compactor(context: Mapping[str, Any]) -> Compact | None:
    """A compaction function for a context, or ``None`` when the context is beyond it.

    :param context: the ``@context`` object (``@version`` 1.1, prefixes and terms).
    :returns: a function from expanded node objects to the compacted body (a node, a list
        of nodes, or ``{}``), without ``@context``.
    """
    if context.get("@version", 1.1) != 1.1:
        return None
    prefixes: dict[str, str] = {}
    terms: dict[str, tuple[str, str | None]] = {}
    raw: dict[str, Any] = {}
    aliases: dict[str, str] = {}
    for name, definition in context.items():
        if name.startswith("@"):
            if name != "@version":
                return None  # @vocab, @base, @language ...: PyLD
            continue
        if isinstance(definition, str) and definition.startswith("@"):
            if definition not in ("@id", "@type") or definition in aliases:
                return None
            aliases[definition] = name
        elif isinstance(definition, str):
            raw[name] = {"@id": definition}
        elif isinstance(definition, dict) and set(definition) <= _ALLOWED_KEYS \
                and isinstance(definition.get("@id"), str):
            raw[name] = definition
        else:
            return None
    for name, definition in raw.items():
        iri = _expand(definition["@id"], raw)
        if iri is None or ":" in name:
            return None
        kind = definition.get("@type")
        if kind is not None:
            kind = kind if kind == "@id" else _expand(kind, raw)
            if kind is None:
                return None
        simple = isinstance(context[name], str)
        if (simple and iri.endswith(_GEN_DELIMS)) or definition.get("@prefix") is True:
            prefixes[name] = iri
        terms[name] = (iri, kind)  # every definition is a term, prefixes too
    by_iri: dict[str, tuple[str, str | None]] = {}
    for name, (iri, kind) in terms.items():
        if iri in by_iri:
            return None  # two terms for one IRI: PyLD's term selection
        by_iri[iri] = (name, kind)
    return _Compactor(prefixes, by_iri, set(raw) | set(aliases), aliases).nodes


def _expand(value: str, raw: Mapping[str, Any]) -> str | None:
    prefix, sep, local = value.partition(":")
    if sep and not local.startswith("//") and prefix in raw:
        base = raw[prefix]["@id"]
        return str(base) + local if ":" in base else None
    return value if sep else None


class _Compactor:
    def __init__(self, prefixes: dict[str, str], terms: dict[str, tuple[str, str | None]],
                 names: set[str], aliases: Mapping[str, str]) -> None:
        self.prefixes = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))
        self.terms = terms
        self.names = names
        self.id = aliases.get("@id", "@id")
        self.type = aliases.get("@type", "@type")
        self.memo: dict[str, str] = {}

    def iri(self, iri: str) -> str:
        """IRI compaction with ``vocab`` false (no terms): the shortest, least CURIE."""
        found = self.memo.get(iri)
        if found is not None:
            return found
        best: str | None = None
        for prefix, namespace in self.prefixes:
            if len(iri) > len(namespace) and iri.startswith(namespace):
                candidate = f"{prefix}:{iri[len(namespace):]}"
                if candidate in self.names:
                    continue
                if best is None or (len(candidate), candidate) < (len(best), best):
                    best = candidate
        result = best if best is not None else iri
        self.memo[iri] = result
        return result

    def vocab(self, iri: str) -> str:
        """IRI compaction with ``vocab`` true, for a type or a datatype (no value)."""
        return self.terms[iri][0] if iri in self.terms else self.iri(iri)

    def nodes(self, expanded: list[dict[str, Any]]) -> Any:
        result = [self.node(node) for node in expanded]
        if len(result) == 1:
            return result[0]
        return result if result else {}

    def node(self, node: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in sorted(node):
            values = node[key]
            if key == "@id":
                out[self.id] = self.iri(values)
            elif key == "@type":
                types = [self.vocab(t) for t in values]
                out[self.type] = types[0] if len(types) == 1 else types
            else:
                for value in values:
                    name, compacted = self.value(key, value)
                    if name not in out:
                        out[name] = compacted
                    elif isinstance(out[name], list):
                        out[name].append(compacted)
                    else:
                        out[name] = [out[name], compacted]
        return out

    def value(self, predicate: str, value: Mapping[str, Any]) -> tuple[str, Any]:
        """Term selection and value compaction for one value of a property."""
        term = self.terms.get(predicate)
        if "@id" in value:
            if term is not None and term[1] == "@id":
                return term[0], self.iri(value["@id"])
            key = term[0] if term is not None and term[1] is None else self.iri(predicate)
            return key, {self.id: self.iri(value["@id"])}
        datatype = value.get("@type")
        if term is not None and datatype is not None and term[1] == datatype:
            return term[0], value["@value"]
        key = term[0] if term is not None and term[1] is None else self.iri(predicate)
        if datatype is not None:
            return key, {self.type: self.vocab(datatype), "@value": value["@value"]}
        if "@language" in value:
            return key, {"@language": value["@language"], "@value": value["@value"]}
        return key, value["@value"]
