"""Print the result of a query: aligned text, Markdown, the W3C formats, or RDF.

``table`` and ``md`` are for people (IRIs as CURIEs); ``json``, ``xml``, ``csv`` and ``tsv``
are the W3C SPARQL 1.1 result formats (:mod:`ibmkg.export.sparql_results`); ``json-rows`` is
a plain list of JSON objects (numbers and booleans native).

>>> from ibmkg.store.base import IRI, ResultTable
>>> rows = ResultTable(("study", "n"), [(IRI("https://w3id.org/ibmkg/study/dalakas-2001"), 19)])
>>> print(format_results(rows, ResultFormat.TABLE))
study               n
------------------  --
study:dalakas-2001  19
>>> print(format_results(rows, ResultFormat.JSON_ROWS))
[
  {"study": "https://w3id.org/ibmkg/study/dalakas-2001", "n": 19}
]
"""

from __future__ import annotations

import csv
import io
import json
import math
from decimal import Decimal

import pyoxigraph

from ibmkg.curie import compress
from ibmkg.formats import RdfFormat, ResultFormat
from ibmkg.store.base import IRI, BlankNodeId, ResultTable, Value

__all__ = ["display", "format_boolean", "format_graph", "format_plain", "format_results",
           "json_value"]


def display(value: Value) -> str:
    """Show a value to a person: IRIs as CURIEs (or ``<iri>``), unbound as empty.

    :param value: a result value.
    :returns: its text.

    >>> display(IRI("http://purl.obolibrary.org/obo/HP_0003701")), display(True), display(None)
    ('HP:0003701', 'true', '')
    """
    if value is None:
        return ""
    if isinstance(value, IRI):
        return compress(value)
    if isinstance(value, BlankNodeId):
        return f"_:{value}"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _plain(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, BlankNodeId):
        return f"_:{value}"
    return str(value)


def json_value(value: Value) -> object:
    """Convert a value for JSON: numbers and booleans native, everything else a string.

    :param value: a result value.
    :returns: a JSON-ready object.

    >>> json_value(Decimal("0.50")), json_value(3), json_value(IRI("https://w3id.org/ibmkg/"))
    (0.5, 3, 'https://w3id.org/ibmkg/')
    """
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and "." not in str(value) \
            else float(value)
    return _plain(value)


def format_results(table: ResultTable, fmt: ResultFormat) -> str:
    """Render rows in a format.

    :param table: the rows.
    :param fmt: the format.
    :returns: the text (no trailing newline for ``table``/``md``/``json-rows``).
    :raises ValueError: for XML and a literal XML cannot hold.

    >>> format_results(ResultTable(("n",), [(1,)]), ResultFormat.CSV)
    'n\\r\\n1\\r\\n'
    """
    from ibmkg.export import sparql_results

    writers = {ResultFormat.JSON: sparql_results.to_json, ResultFormat.XML: sparql_results.to_xml,
               ResultFormat.CSV: sparql_results.to_csv, ResultFormat.TSV: sparql_results.to_tsv}
    if fmt in writers:
        return writers[fmt](table)
    return format_plain(table, fmt)


def format_plain(table: ResultTable, fmt: ResultFormat) -> str:
    """Render rows as plain text: ``table``, ``md``, ``json-rows``, or plain CSV/TSV cells.

    Plain CSV and TSV (values only, LF line ends, a bare header) are for documents such as
    the letter's Table I; query results use the W3C forms of :func:`format_results`.

    :param table: the rows.
    :param fmt: the format.
    :returns: the text.

    >>> format_plain(ResultTable(("a",), [("x",)]), ResultFormat.TSV)
    'a\\nx\\n'
    """
    if fmt in (ResultFormat.JSON, ResultFormat.JSON_ROWS):
        lines = [json.dumps({c: json_value(v) for c, v in zip(table.columns, row, strict=True)},
                            ensure_ascii=False) for row in table.rows]
        return "[\n" + ",\n".join("  " + line for line in lines) + "\n]" if lines else "[]"
    if fmt in (ResultFormat.CSV, ResultFormat.TSV):
        buffer = io.StringIO()
        if fmt is ResultFormat.CSV:
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow(table.columns)
            writer.writerows([_plain(v) for v in row] for row in table.rows)
            return buffer.getvalue()
        lines = ["\t".join(table.columns)]
        lines += ["\t".join(_tsv(_plain(v)) for v in row) for row in table.rows]
        return "\n".join(lines) + "\n"
    cells = [[display(v).replace("\n", "\\n") for v in row] for row in table.rows]
    if fmt is ResultFormat.MD:
        header = "| " + " | ".join(table.columns) + " |"
        rule = "|" + "|".join("---" for _ in table.columns) + "|"
        body = ["| " + " | ".join(_md(c) for c in row) + " |" for row in cells]
        return "\n".join([header, rule, *body])
    widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(table.columns)]
    widths = [max(w, 2) for w in widths]
    lines = ["  ".join(c.ljust(w) for c, w in zip(table.columns, widths, strict=True)),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join(line.rstrip() for line in lines)


def format_boolean(answer: bool, fmt: ResultFormat) -> str:
    """Render the answer of an ASK query.

    :param answer: the answer.
    :param fmt: the format (JSON and XML as the W3C write them; else ``true``/``false``).
    :returns: the text.

    >>> format_boolean(True, ResultFormat.TABLE)
    'true'
    """
    from ibmkg.export import sparql_results

    if fmt is ResultFormat.JSON:
        return sparql_results.boolean_json(answer).rstrip("\n")
    if fmt is ResultFormat.XML:
        return sparql_results.boolean_xml(answer).rstrip("\n")
    return "true" if answer else "false"


def format_graph(triples: list[pyoxigraph.Triple], fmt: RdfFormat) -> str:
    """Serialize the triples of a CONSTRUCT or DESCRIBE query (N-Triples sorted).

    :param triples: the triples.
    :param fmt: an RDF format (Turtle with the project's prefixes).
    :returns: the text.

    >>> t = pyoxigraph.Triple(pyoxigraph.NamedNode("https://w3id.org/ibmkg/study/a"),
    ...                       pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
    ...                       pyoxigraph.Literal("A"))
    >>> print(format_graph([t], RdfFormat.NTRIPLES), end="")
    <https://w3id.org/ibmkg/study/a> <http://www.w3.org/2000/01/rdf-schema#label> "A" .
    """
    from ibmkg.namespaces import PREFIXES

    if fmt is RdfFormat.NTRIPLES:
        return "".join(sorted(f"{t} .\n" for t in triples))
    prefixes = dict(PREFIXES) if fmt in (RdfFormat.TURTLE, RdfFormat.TRIG) else None
    data = pyoxigraph.serialize(triples, format=fmt.oxigraph, prefixes=prefixes) \
        if prefixes else pyoxigraph.serialize(triples, format=fmt.oxigraph)
    return (data or b"").decode("utf-8")


def _tsv(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _md(text: str) -> str:
    return text.replace("|", "\\|")
