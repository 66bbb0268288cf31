"""Print the rows of a query: aligned text, CSV, TSV, Markdown or JSON.

``table`` and ``md`` are for people (IRIs as CURIEs); ``csv``, ``tsv`` and ``json`` are for
programs (full IRIs; JSON numbers and booleans are native).

>>> from ibmkg.store.base import IRI, ResultTable
>>> rows = ResultTable(("study", "n"), [(IRI("https://w3id.org/ibmkg/study/dalakas-2001"), 19)])
>>> print(format_results(rows, ResultFormat.TABLE))
study               n
------------------  --
study:dalakas-2001  19
>>> print(format_results(rows, ResultFormat.JSON))
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

from ibmkg.curie import compress
from ibmkg.formats import ResultFormat
from ibmkg.store.base import IRI, BlankNodeId, ResultTable, Value

__all__ = ["display", "format_results", "json_value"]


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
    :returns: the text (no trailing newline for ``table``/``md``/``json``).
    """
    if fmt is ResultFormat.JSON:
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


def _tsv(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _md(text: str) -> str:
    return text.replace("|", "\\|")
