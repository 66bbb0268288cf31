"""Content negotiation for the endpoint: which format a client gets, and rendering it.

A ``format`` request parameter wins over the ``Accept`` header; ``*/*`` or no header gives
the default (SPARQL results JSON, or Turtle for graphs). A client that accepts none of the
formats gets 406.

Specification: https://www.rfc-editor.org/rfc/rfc9110#name-accept

>>> _preferences("text/csv;q=0.5, application/sparql-results+json")
[('application/sparql-results+json', 1.0), ('text/csv', 0.5)]
"""

from __future__ import annotations

import pyoxigraph
from starlette.requests import Request

from ibmkg.export import sparql_results
from ibmkg.export.results import format_graph
from ibmkg.formats import RdfFormat
from ibmkg.store.base import ResultTable

__all__ = ["GRAPH_TYPES", "RESULT_TYPES", "NotAcceptable", "choose", "render_boolean",
           "render_graph", "render_table"]

#: Media types of SELECT and ASK results -> format name.
RESULT_TYPES = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "application/json": "json",
    "application/xml": "xml",
    "text/xml": "xml",
}
#: Media types of CONSTRUCT and DESCRIBE results -> format name.
GRAPH_TYPES = {
    "text/turtle": "ttl",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
    "application/rdf+xml": "rdfxml",
    "application/x-turtle": "ttl",
    "application/json": "jsonld",
    "text/plain": "nt",
}


class NotAcceptable(ValueError):
    """No format the client accepts (HTTP 406)."""


def _preferences(accept: str) -> list[tuple[str, float]]:
    found: list[tuple[str, float, int]] = []
    for position, item in enumerate(accept.split(",")):
        parts = [p.strip() for p in item.split(";")]
        media = parts[0].lower()
        if not media:
            continue
        quality = 1.0
        for param in parts[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        found.append((media, quality, position))
    found.sort(key=lambda entry: (-entry[1], entry[2]))
    return [(media, quality) for media, quality, _ in found]


def choose(request: Request, types: dict[str, str], default: str) -> tuple[str, str]:
    """Pick the response's media type and format.

    :param request: the request (``format`` parameter, ``Accept`` header).
    :param types: media type -> format name, in order of preference.
    :param default: the media type for ``*/*`` or no header.
    :returns: ``(media type, format name)``.
    :raises NotAcceptable: when nothing the client accepts is offered.
    """
    wanted = request.query_params.get("format")
    if wanted:
        for media, name in types.items():
            if name == wanted or media == wanted:
                return media, name
        raise NotAcceptable(f"format {wanted!r} is not offered here; use one of "
                            f"{', '.join(sorted(set(types.values())))}")
    accept = request.headers.get("accept", "").strip()
    if not accept:
        return default, types[default]
    for media, quality in _preferences(accept):
        if quality <= 0:
            continue
        if media in ("*/*", "*"):
            return default, types[default]
        if media in types:
            return media, types[media]
        if media.endswith("/*"):
            family = media[:-1]
            if default.startswith(family):
                return default, types[default]
            for offered, name in types.items():
                if offered.startswith(family):
                    return offered, name
    raise NotAcceptable(f"none of the accepted types ({accept}) is offered; this answer "
                        f"comes as {', '.join(dict.fromkeys(types))}")


def render_table(table: ResultTable, fmt: str) -> str:
    """Write SELECT results in a W3C format.

    :param table: the rows.
    :param fmt: ``json``, ``xml``, ``csv`` or ``tsv``.
    :returns: the body.

    >>> render_table(ResultTable(("s",), []), "csv")
    's\\r\\n'
    """
    writers = {"json": sparql_results.to_json, "xml": sparql_results.to_xml,
               "csv": sparql_results.to_csv, "tsv": sparql_results.to_tsv}
    return writers[fmt](table)


def render_boolean(answer: bool, fmt: str) -> str:
    """Write an ASK answer (JSON or XML as the W3C write them; ``true``/``false`` otherwise).

    :param answer: the answer.
    :param fmt: the format name.
    :returns: the body.

    >>> render_boolean(False, "tsv")
    'false\\n'
    """
    if fmt == "json":
        return sparql_results.boolean_json(answer)
    if fmt == "xml":
        return sparql_results.boolean_xml(answer)
    return ("true" if answer else "false") + "\n"


def render_graph(triples: list[pyoxigraph.Triple], fmt: str) -> str:
    """Write triples in an RDF format.

    :param triples: the triples.
    :param fmt: ``ttl``, ``jsonld``, ``nt`` or ``rdfxml``.
    :returns: the body.

    >>> render_graph([], "nt")
    ''
    """
    formats = {"ttl": RdfFormat.TURTLE, "jsonld": RdfFormat.JSONLD, "nt": RdfFormat.NTRIPLES,
               "rdfxml": RdfFormat.RDFXML}
    return format_graph(triples, formats[fmt])
