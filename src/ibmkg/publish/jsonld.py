"""JSON-LD a JSON-LD user can read, and that reads back to the same RDF: the only PyLD adapter.

The triples go to expanded JSON-LD through pyoxigraph (``rdf:type`` objects moved to
``@type``, as JSON-LD's RDF algorithm does), where every literal keeps its datatype and
lexical form (``"0.6"^^xsd:double`` stays ``"0.6"``, never
``"6.0E-1"``), then through PyLD's compaction with ``ontology/context.jsonld``, which turns
IRIs into CURIEs and terms. PyLD's expansion of the result gives back exactly the input
triples (a test compares canonicalised graphs with ``kg.nt``).

Security: contexts are passed in as objects and PyLD's document loader is replaced by one
that refuses every URL, so nothing here reaches the network.

Spec: https://www.w3.org/TR/json-ld11-api/ (compaction, RDF serialization).

>>> import pyoxigraph
>>> t = pyoxigraph.Triple(pyoxigraph.NamedNode("https://w3id.org/ibmkg/study/a"),
...     pyoxigraph.NamedNode("https://w3id.org/sssom/confidence"),
...     pyoxigraph.Literal("0.6", datatype=pyoxigraph.NamedNode(
...         "http://www.w3.org/2001/XMLSchema#double")))
>>> doc = compact([t], {"study": "https://w3id.org/ibmkg/study/",
...                     "xsd": "http://www.w3.org/2001/XMLSchema#"})
>>> doc["@id"], doc["https://w3id.org/sssom/confidence"]
('study:a', {'@type': 'xsd:double', '@value': '0.6'})
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Final

import pyoxigraph
from pyld import jsonld

from ibmkg.errors import InputError
from ibmkg.graph_io import read_text
from ibmkg.publish.compaction import compactor

__all__ = ["compact", "compact_with_pyld", "expand_to_triples", "load_context", "node_documents",
           "reduce_context"]

Context = dict[str, Any]


def _no_remote(url: str, options: Mapping[str, Any] | None = None) -> Any:
    raise jsonld.JsonLdError(f"ibmkg does not load remote JSON-LD documents: {url}",
                             "jsonld.LoadDocumentError", code="loading document failed")


_OPTIONS: Final = {"documentLoader": _no_remote}


def load_context(path: Path) -> Context:
    """Read a JSON-LD context file.

    :param path: ``ontology/context.jsonld``.
    :returns: the object under ``@context`` (or the whole document).
    :raises InputError: when the file is not JSON.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     path = pathlib.Path(d) / "context.jsonld"
    ...     _ = path.write_text('{"@context": {"ex": "http://ex/"}}')
    ...     load_context(path)
    {'ex': 'http://ex/'}
    """
    try:
        document = json.loads(read_text(path))
    except json.JSONDecodeError as err:
        raise InputError(f"{path}:{err.lineno}:{err.colno}: not JSON ({err.msg}); "
                         "regenerate it with `make context`") from None
    context = document.get("@context", document) if isinstance(document, dict) else None
    if not isinstance(context, dict):
        raise InputError(f"{path}: no @context object; regenerate it with `make context`")
    return context


_RDF_TYPE: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def _expanded(triples: Iterable[pyoxigraph.Triple]) -> list[dict[str, Any]]:
    raw = pyoxigraph.serialize(sorted(set(triples), key=str),
                               format=pyoxigraph.RdfFormat.JSON_LD)
    expanded: list[dict[str, Any]] = json.loads(raw or b"[]")
    for node in expanded:
        types = node.get(_RDF_TYPE)
        if types and all("@id" in value for value in types):
            node["@type"] = [value["@id"] for value in node.pop(_RDF_TYPE)]
    return expanded


def compact(triples: Iterable[pyoxigraph.Triple], context: Context) -> dict[str, Any]:
    """Compact triples with a context: CURIEs for IRIs, lexical forms kept.

    A context of prefixes and plain terms (the project's) is compacted by
    :func:`ibmkg.publish.compaction.compactor`, which gives PyLD's result in a fraction of
    its time; any other context goes through PyLD.

    :param triples: the triples.
    :param context: the ``@context`` object.
    :returns: the compacted document (with the context under ``@context``).
    """
    expanded = _expanded(triples)
    fast = compactor(context)
    if fast is None:
        result: dict[str, Any] = jsonld.compact(expanded, {"@context": context}, _OPTIONS)
        return result
    body = fast(expanded)
    document: dict[str, Any] = {"@context": context}
    if isinstance(body, list):
        document["@graph"] = body
    else:
        document.update(body)
    return document


def compact_with_pyld(triples: Iterable[pyoxigraph.Triple], context: Context,
                      ) -> dict[str, Any]:
    """Compact triples with PyLD alone (the reference :func:`compact` is checked against).

    :param triples: the triples.
    :param context: the ``@context`` object.
    :returns: the compacted document.

    >>> compact_with_pyld([], {"ex": "http://ex/"})
    {'@context': {'ex': 'http://ex/'}}
    """
    result: dict[str, Any] = jsonld.compact(_expanded(triples), {"@context": context},
                                            _OPTIONS)
    return result


def node_documents(document: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Split a compacted document into node objects, with the blank nodes each one reaches.

    :param document: a compacted document (``@graph`` or a single node).
    :returns: for each named node's ``@id`` (as compacted), its node and its blank nodes.

    >>> docs = node_documents({"@graph": [{"@id": "ex:a", "p": {"@id": "_:b0"}},
    ...                                     {"@id": "_:b0", "q": "x"}]})
    >>> [n["@id"] for n in docs["ex:a"]]
    ['ex:a', '_:b0']
    """
    key = _id_key(document)
    nodes = document.get("@graph")
    if nodes is None:
        nodes = [{k: v for k, v in document.items() if k != "@context"}]
    blank = {n[key]: n for n in nodes if str(n.get(key, "")).startswith("_:")}
    result: dict[str, list[dict[str, Any]]] = {}
    for node in nodes:
        ident = str(node.get(key, ""))
        if not ident or ident.startswith("_:"):
            continue
        parts = [node]
        seen: set[str] = set()
        queue = _blank_refs(node, key)
        while queue:
            ref = queue.pop()
            if ref in seen or ref not in blank:
                continue
            seen.add(ref)
            parts.append(blank[ref])
            queue.extend(_blank_refs(blank[ref], key))
        result[ident] = parts
    return result


def _id_key(document: Mapping[str, Any]) -> str:
    context = document.get("@context")
    if isinstance(context, dict):
        for name, value in context.items():
            if value == "@id":
                return str(name)
    return "@id"


def _blank_refs(node: dict[str, Any], key: str) -> list[str]:
    """Blank node identifiers a node refers to (in values, not its own ``@id``)."""
    found: list[str] = []

    def visit(value: Any) -> None:
        if isinstance(value, dict):
            if "@value" in value:
                return
            for item in value.values():
                visit(item)
        elif isinstance(value, list):
            for item in value:
                visit(item)
        elif isinstance(value, str) and value.startswith("_:"):
            found.append(value)

    for name, item in node.items():
        if name != key:
            visit(item)
    return found


def reduce_context(context: Context, nodes: list[dict[str, Any]]) -> Context:
    """The entries of a context that some nodes use (terms, and the prefixes of CURIEs).

    :param context: the full ``@context``.
    :param nodes: compacted node objects.
    :returns: a smaller context giving the same expansion for these nodes.

    >>> reduce_context({"ex": "http://ex/", "p": {"@id": "ex:p"}, "q": "http://ex/q"},
    ...                [{"p": "ex:o"}])
    {'ex': 'http://ex/', 'p': {'@id': 'ex:p'}}
    """
    used: set[str] = set()

    def visit(value: Any) -> None:
        if isinstance(value, dict):
            for name, item in value.items():
                used.add(name)
                used.add(name.split(":", 1)[0])
                visit(item)
        elif isinstance(value, list):
            for item in value:
                visit(item)
        elif isinstance(value, str):
            used.add(value)
            used.add(value.split(":", 1)[0])

    visit(nodes)
    positions, keywords = _layout(context)
    kept: Context = {}
    pending = [name for name in used if name in positions] + keywords
    while pending:
        name = pending.pop()
        if name in kept or name not in context:
            continue
        kept[name] = context[name]
        definition = context[name]
        texts = [definition] if isinstance(definition, str) else \
            [v for v in definition.values() if isinstance(v, str)] \
            if isinstance(definition, dict) else []
        for text in texts:
            pending.append(text.split(":", 1)[0])
    return {name: kept[name] for name in sorted(kept, key=positions.__getitem__)}


_LAYOUTS: dict[int, tuple[Context, dict[str, int], list[str]]] = {}


def _layout(context: Context) -> tuple[dict[str, int], list[str]]:
    """Each entry's position in a context, and its keywords (memoised per context object)."""
    found = _LAYOUTS.get(id(context))
    if found is None or found[0] is not context or len(found[1]) != len(context):
        positions = {name: i for i, name in enumerate(context)}
        found = (context, positions, [name for name in context if name.startswith("@")])
        if len(_LAYOUTS) > 16:
            _LAYOUTS.clear()
        _LAYOUTS[id(context)] = found
    return found[1], found[2]


def expand_to_triples(document: Any) -> list[pyoxigraph.Triple]:
    """Read a JSON-LD document back to triples: PyLD expands it, pyoxigraph reads the result.

    PyLD's own ``toRdf`` rewrites the lexical form of every ``xsd:double`` string
    (``"0.6"`` becomes ``"6.0E-1"``), which the JSON-LD 1.1 API does only for JSON numbers;
    the expanded form keeps the string, so pyoxigraph turns it into the exact literal.

    :param document: a JSON-LD document (parsed JSON).
    :returns: the triples.

    >>> doc = {"@context": {"ex": "http://ex/", "xsd": "http://www.w3.org/2001/XMLSchema#"},
    ...        "@id": "ex:a", "ex:p": {"@value": "0.6", "@type": "xsd:double"}}
    >>> print(expand_to_triples(doc)[0])
    <http://ex/a> <http://ex/p> "0.6"^^<http://www.w3.org/2001/XMLSchema#double>
    """
    expanded = jsonld.expand(document, {"documentLoader": _no_remote})
    data = json.dumps(expanded).encode("utf-8")
    return list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.JSON_LD))
