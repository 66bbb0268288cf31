"""The W3C SPARQL 1.1 query result formats: JSON, XML, CSV and TSV, written exactly.

Every value is written from its RDF term, so a literal keeps its lexical form
(``"3.0"^^xsd:decimal`` stays ``3.0``), IRIs stay IRIs and blank nodes stay blank nodes.

Specifications: https://www.w3.org/TR/sparql11-results-json/ ;
https://www.w3.org/TR/rdf-sparql-XMLres/ ; https://www.w3.org/TR/sparql11-results-csv-tsv/

>>> import pyoxigraph
>>> decimal = pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")
>>> table = ResultTable(("n",), [(None,)], [(pyoxigraph.Literal("3.0", datatype=decimal),)])
>>> print(to_tsv(table), end="")
?n
"3.0"^^<http://www.w3.org/2001/XMLSchema#decimal>
>>> to_csv(table)
'n\\r\\n3.0\\r\\n'
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph

from ibmkg.store.base import (
    IRI,
    BlankNodeId,
    LangString,
    ResultTable,
    Term,
    TermRow,
    TypedLiteral,
    Value,
)

__all__ = [
    "MEDIA_TYPES",
    "boolean_json",
    "boolean_xml",
    "term_rows",
    "to_csv",
    "to_json",
    "to_tsv",
    "to_xml",
    "value_term",
]

#: The media type of each W3C result format.
MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}

_XSD = "http://www.w3.org/2001/XMLSchema#"
_NS = "http://www.w3.org/2005/sparql-results#"


def value_term(value: Value) -> Term | None:
    """Rebuild an RDF term from a row value (for tables that carry no terms).

    :param value: a result value.
    :returns: the term, or ``None`` for unbound.

    >>> value_term(True)
    <Literal value=true datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#boolean>>
    """
    if value is None:
        return None
    if isinstance(value, IRI):
        return pyoxigraph.NamedNode(value)
    if isinstance(value, BlankNodeId):
        return pyoxigraph.BlankNode(value)
    if isinstance(value, LangString):
        return pyoxigraph.Literal(str(value), language=value.language)
    if isinstance(value, TypedLiteral):
        return pyoxigraph.Literal(str(value), datatype=pyoxigraph.NamedNode(value.datatype))
    if isinstance(value, bool):
        return _typed("true" if value else "false", "boolean")
    if isinstance(value, int):
        return _typed(str(value), "integer")
    if isinstance(value, Decimal):
        return _typed(str(value), "decimal")
    if isinstance(value, float):
        text = "INF" if value == math.inf else "-INF" if value == -math.inf else \
            "NaN" if math.isnan(value) else repr(value)
        return _typed(text, "double")
    return pyoxigraph.Literal(str(value))


def _typed(text: str, name: str) -> pyoxigraph.Literal:
    return pyoxigraph.Literal(text, datatype=pyoxigraph.NamedNode(_XSD + name))


def term_rows(table: ResultTable) -> list[TermRow]:
    """The table's solutions as RDF terms (its own terms when it kept them).

    :param table: the rows.
    :returns: one tuple of terms per solution.

    >>> term_rows(ResultTable(("s",), [(IRI("https://w3id.org/ibmkg/"),)]))
    [(<NamedNode value=https://w3id.org/ibmkg/>,)]
    """
    if table.terms is not None:
        return table.terms
    return [tuple(value_term(v) for v in row) for row in table.rows]


def _json_term(term: Term) -> dict[str, str]:
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    cell = {"type": "literal", "value": term.value}
    if term.language:
        cell["xml:lang"] = term.language
    elif term.datatype.value != _XSD + "string":
        cell["datatype"] = term.datatype.value
    return cell


def to_json(table: ResultTable) -> str:
    """Write SPARQL 1.1 Query Results JSON.

    :param table: the rows.
    :returns: the document.

    >>> json.loads(to_json(ResultTable(("s",), [(None,)])))
    {'head': {'vars': ['s']}, 'results': {'bindings': [{}]}}
    """
    bindings = [{name: _json_term(term) for name, term in zip(table.columns, row, strict=True)
                 if term is not None} for row in term_rows(table)]
    return json.dumps({"head": {"vars": list(table.columns)}, "results": {"bindings": bindings}},
                      ensure_ascii=False) + "\n"


def boolean_json(answer: bool) -> str:
    """Write the JSON result of an ASK query.

    :param answer: the answer.
    :returns: the document.

    >>> boolean_json(True)
    '{"head": {}, "boolean": true}\\n'
    """
    return json.dumps({"head": {}, "boolean": answer}) + "\n"


def _xml_term(term: Term) -> str:
    if isinstance(term, pyoxigraph.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, pyoxigraph.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        attribute = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype.value != _XSD + "string":
        attribute = f" datatype={quoteattr(term.datatype.value)}"
    else:
        attribute = ""
    return f"<literal{attribute}>{_xml_text(term.value)}</literal>"


def _xml_text(text: str) -> str:
    # Characters XML 1.0 cannot carry at all are refused rather than silently dropped.
    if any(ord(c) < 0x20 and c not in "\t\n\r" for c in text):
        raise ValueError(f"the literal {text[:40]!r} holds a control character that XML 1.0 "
                         "cannot represent; use the JSON, CSV or TSV results")
    return escape(text).replace("\r", "&#13;")


def _xml_lines(table: ResultTable) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="utf-8"?>'
    yield f'<sparql xmlns="{_NS}">'
    yield "  <head>"
    for name in table.columns:
        yield f"    <variable name={quoteattr(name)}/>"
    yield "  </head>"
    yield "  <results>"
    for row in term_rows(table):
        yield "    <result>"
        for name, term in zip(table.columns, row, strict=True):
            if term is not None:
                yield f"      <binding name={quoteattr(name)}>{_xml_term(term)}</binding>"
        yield "    </result>"
    yield "  </results>"
    yield "</sparql>"


def to_xml(table: ResultTable) -> str:
    """Write SPARQL Query Results XML.

    :param table: the rows.
    :returns: the document.
    :raises ValueError: for a literal with a character XML 1.0 cannot hold.

    >>> print(to_xml(ResultTable(("s",), [])), end="")
    <?xml version="1.0" encoding="utf-8"?>
    <sparql xmlns="http://www.w3.org/2005/sparql-results#">
      <head>
        <variable name="s"/>
      </head>
      <results>
      </results>
    </sparql>
    """
    return "\n".join(_xml_lines(table)) + "\n"


def boolean_xml(answer: bool) -> str:
    """Write the XML result of an ASK query.

    :param answer: the answer.
    :returns: the document.

    >>> "<boolean>false</boolean>" in boolean_xml(False)
    True
    """
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<sparql xmlns="{_NS}">\n  <head/>\n'
            f"  <boolean>{'true' if answer else 'false'}</boolean>\n</sparql>\n")


def _csv_cell(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    return term.value


def to_csv(table: ResultTable) -> str:
    """Write SPARQL 1.1 Query Results CSV (lexical forms only, CRLF line ends, RFC 4180).

    :param table: the rows.
    :returns: the document.

    >>> to_csv(ResultTable(("a", "b"), [("x,y", None)]))
    'a,b\\r\\n"x,y",\\r\\n'
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows([_csv_cell(term) for term in row] for row in term_rows(table))
    return buffer.getvalue()


def _tsv_cell(term: Term | None) -> str:
    if term is None:
        return ""
    if isinstance(term, pyoxigraph.Literal):
        text = term.value.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t") \
            .replace("\n", "\\n").replace("\r", "\\r")
        if term.language:
            return f'"{text}"@{term.language}'
        if term.datatype.value == _XSD + "string":
            return f'"{text}"'
        return f'"{text}"^^<{term.datatype.value}>'
    return str(term)


def to_tsv(table: ResultTable) -> str:
    """Write SPARQL 1.1 Query Results TSV (``?var`` header, terms in SPARQL syntax).

    :param table: the rows.
    :returns: the document.

    >>> to_tsv(ResultTable(("s",), [(IRI("https://w3id.org/ibmkg/a"),)]))
    '?s\\n<https://w3id.org/ibmkg/a>\\n'
    """
    lines = ["\t".join(f"?{name}" for name in table.columns)]
    lines += ["\t".join(_tsv_cell(term) for term in row) for row in term_rows(table)]
    return "\n".join(lines) + "\n"
