"""The checker of SPARQL Query Results XML documents used by the endpoint tests.

The W3C's own schemas (``result.xsd``, ``result.rnc``) are not installed on this machine, in
any Debian package checked (Jena's jars, rasqal, the Perl RDF stacks) nor in ``shared/``, so
``tests/data/sparql-results/results.xsd`` was written from the Recommendation's rules
(https://www.w3.org/TR/rdf-sparql-XMLres/). XSD 1.0 cannot state two of those rules, so
:func:`problems` checks them after the schema: a literal has ``xml:lang`` or ``datatype``,
never both; a binding names a variable declared in the head.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree

SCHEMA = Path(__file__).parent / "data" / "sparql-results" / "results.xsd"
RES = "{http://www.w3.org/2005/sparql-results#}"
_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def problems(body: bytes) -> list[str]:
    """What makes a document not SPARQL Query Results XML (empty when it is).

    :param body: the document.
    :returns: one line per problem.
    """
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    try:
        document = etree.fromstring(body)
    except etree.XMLSyntaxError as err:
        return [f"not XML: {err}"]
    if not schema.validate(document):
        return [f"line {e.line}: {e.message}" for e in schema.error_log]
    found = []
    declared = {v.get("name") for v in document.iter(f"{RES}variable")}
    for binding in document.iter(f"{RES}binding"):
        if binding.get("name") not in declared:
            found.append(f"line {binding.sourceline}: binding {binding.get('name')!r} names "
                         "no variable of the head")
    for literal in document.iter(f"{RES}literal"):
        if literal.get("datatype") is not None and literal.get(_LANG) is not None:
            found.append(f"line {literal.sourceline}: a literal with both xml:lang and "
                         "datatype")
    return found
