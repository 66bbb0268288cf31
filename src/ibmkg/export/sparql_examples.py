"""Describe the stored queries as SIB-style ``sh:SPARQLExecutable`` examples.

Each query becomes ``https://w3id.org/ibmkg/query/<name>``, typed ``sh:SPARQLExecutable``
and ``sh:SPARQLSelectExecutable``, with its text (``sh:select``, prefixes declared so it
runs as it is), question (``rdfs:comment``), keywords, description and target endpoint, and
``sh:prefixes`` pointing to the declarations of the prefixes the queries use.

A federated query names each endpoint its ``SERVICE`` clauses call with
``spex:federatesWith`` (SIB's test suite requires it). A parameterised query runs as it is
with its defaults: its text opens with one comment line per parameter (name, type, default,
meaning) and its ``WHERE`` group with a ``VALUES`` line holding the defaults, the one place
to edit; a required parameter without a default is left unbound and says so.

Convention: https://github.com/sib-swiss/sparql-examples

>>> from ibmkg.queries import parse_stored_query
>>> q = parse_stored_query("studies", '''#+ summary: Which studies are there?
... #+ description: Every study.
... #+ keywords: study
... #+ columns: s
... SELECT ?s WHERE { ?s a ibmkg:Study }''')
>>> text = examples_turtle([q])
>>> "sh:select" in text and "<https://w3id.org/ibmkg/query/studies>" in text
True
>>> p = parse_stored_query("by-design", '''#+ summary: Which studies have a design?
... #+ description: Studies of one design.
... #+ keywords: study
... #+ columns: s
... #+ param: design: iri = ibmkg:Study -- the design class
... SELECT ?s WHERE { ?s a ?design }''')
>>> print(runnable_text(p).splitlines()[0])
# Parameter ?design (iri, default ibmkg:Study): the design class. Edit the VALUES line.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph

from ibmkg.canonical import canonical_turtle
from ibmkg.namespaces import BASE, PREFIXES
from ibmkg.queries import StoredQuery, coerce_param
from ibmkg.sparql import _where_group_start, add_missing_prefixes, tokens

__all__ = ["QUERY_BASE", "SPARQL_ENDPOINT", "SPEX", "examples_triples", "examples_turtle",
           "federated_endpoints", "runnable_text"]

#: SIB's SPARQL-examples vocabulary.
SPEX = "https://purl.expasy.org/sparql-examples/ontology#"

QUERY_BASE = f"{BASE}query/"
SPARQL_ENDPOINT = f"{BASE}sparql"
_PREFIXES_NODE = f"{QUERY_BASE}prefixes"

_SH = PREFIXES["sh"]
_RDF_TYPE = pyoxigraph.NamedNode(PREFIXES["rdf"] + "type")


def _n(iri: str) -> pyoxigraph.NamedNode:
    return pyoxigraph.NamedNode(iri)


def _sh(local: str) -> pyoxigraph.NamedNode:
    return pyoxigraph.NamedNode(_SH + local)


def federated_endpoints(sparql: str) -> list[str]:
    """The endpoints a query's ``SERVICE`` clauses name (variables and duplicates left out).

    :param sparql: the query.
    :returns: the endpoint IRIs, in order of appearance.

    >>> federated_endpoints("SELECT * { SERVICE SILENT <https://q.example/sparql> { ?s ?p ?o } }")
    ['https://q.example/sparql']
    """
    found: list[str] = []
    significant = [t for t in tokens(sparql) if t.kind not in ("ws", "comment")]
    for i, token in enumerate(significant):
        if token.kind != "word" or token.text.upper() != "SERVICE":
            continue
        following = significant[i + 1:i + 3]
        if following and following[0].kind == "word" and following[0].text.upper() == "SILENT":
            following = following[1:]
        if following and following[0].kind == "iri":
            iri = following[0].text[1:-1]
            if iri not in found:
                found.append(iri)
    return found


def runnable_text(query: StoredQuery) -> str:
    """The query as a SIB user runs it: prefixes declared, parameters explained and bound.

    :param query: the stored query.
    :returns: the text (unchanged but for prefixes when it has no parameters).
    """
    text = add_missing_prefixes(query.sparql)
    if not query.params:
        return text
    comments: list[str] = []
    values: list[tuple[str, str]] = []
    for param in query.params:
        default = "none: required" if param.default is None else param.default
        comments.append(f"# Parameter ?{param.name} ({param.type.value}, default {default}): "
                        f"{param.description.rstrip('.')}. Edit the VALUES line.")
        if param.default is not None:
            values.append((param.name, str(coerce_param(param, param.default))))
    if values:
        start = _where_group_start(text)
        block = ("VALUES (" + " ".join(f"?{n}" for n, _ in values) + ") { ("
                 + " ".join(t for _, t in values) + ") }")
        text = f"{text[:start]}\n  {block}{text[start:]}"
    return "\n".join(comments) + "\n" + text


def examples_triples(queries: Iterable[StoredQuery]) -> list[pyoxigraph.Triple]:
    """Build the example graph.

    :param queries: the stored queries.
    :returns: its triples.
    """
    triples: list[pyoxigraph.Triple] = []
    used_prefixes: set[str] = set()
    for query in queries:
        node = _n(QUERY_BASE + query.name)
        used = {t.text.split(":", 1)[0] for t in tokens(query.sparql) if t.kind == "pname"}
        used_prefixes |= {p for p in used if p in PREFIXES}
        triples += [
            pyoxigraph.Triple(node, _RDF_TYPE, _sh("SPARQLExecutable")),
            pyoxigraph.Triple(node, _RDF_TYPE, _sh("SPARQLSelectExecutable")),
            pyoxigraph.Triple(node, _sh("select"), pyoxigraph.Literal(runnable_text(query))),
            pyoxigraph.Triple(node, _sh("prefixes"), _n(_PREFIXES_NODE)),
            pyoxigraph.Triple(node, _n(PREFIXES["rdfs"] + "comment"),
                              pyoxigraph.Literal(query.summary, language="en")),
            pyoxigraph.Triple(node, _n(PREFIXES["dcterms"] + "description"),
                              pyoxigraph.Literal(query.description, language="en")),
            pyoxigraph.Triple(node, _n(PREFIXES["schema"] + "target"), _n(SPARQL_ENDPOINT)),
        ]
        triples += [pyoxigraph.Triple(node, _n(PREFIXES["schema"] + "keywords"),
                                      pyoxigraph.Literal(k)) for k in query.keywords]
        triples += [pyoxigraph.Triple(node, _n(SPEX + "federatesWith"), _n(endpoint))
                    for endpoint in federated_endpoints(query.sparql)]
    for prefix in sorted(used_prefixes):
        declaration = _n(f"{_PREFIXES_NODE}#{prefix}")
        triples += [
            pyoxigraph.Triple(_n(_PREFIXES_NODE), _sh("declare"), declaration),
            pyoxigraph.Triple(declaration, _sh("prefix"), pyoxigraph.Literal(prefix)),
            pyoxigraph.Triple(declaration, _sh("namespace"), pyoxigraph.Literal(
                PREFIXES[prefix], datatype=_n(PREFIXES["xsd"] + "anyURI"))),
        ]
    return triples


def examples_turtle(queries: Iterable[StoredQuery]) -> str:
    """Write the example graph as canonical Turtle (``build/queries.ttl``).

    :param queries: the stored queries.
    :returns: the Turtle text.
    """
    return canonical_turtle(examples_triples(queries),
                            header="The stored queries of ibmkg as SPARQL examples. "
                                   "Generated by `ibmkg build`; do not edit.")
