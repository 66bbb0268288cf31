"""Whether a typed literal is ill-typed, exactly as the reference path (pySHACL on rdflib) sees it.

``sh:datatype`` fails a literal whose lexical form is not valid for its datatype. pySHACL
asks rdflib, which maps the lexical form to a Python value (``int()``, ``Decimal()``,
``float()``, its own boolean and date parsers) and checks ranges; a datatype it does not
know is never ill-typed (so ``"200O"^^xsd:gYear`` passes there). The compiled engine must
give the same answer, so the numeric and boolean rules are restated here (no rdflib import
on the fast path) and the date and binary types, rare in a study, ask rdflib itself.

Specification: https://www.w3.org/TR/shacl/#DatatypeConstraintComponent
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import cache

__all__ = ["ill_typed", "may_be_ill_typed"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"

_RANGES: dict[str, tuple[int | None, int | None]] = {
    "integer": (None, None), "long": (None, None),
    "nonPositiveInteger": (None, 0), "negativeInteger": (None, -1),
    "nonNegativeInteger": (0, None), "positiveInteger": (1, None),
    "unsignedLong": (0, None), "int": (-2147483648, 2147483647),
    "unsignedInt": (0, 4294967295), "short": (-32768, 32767), "unsignedShort": (0, 65535),
    "byte": (-128, 127), "unsignedByte": (0, 255),
}
#: Datatypes rdflib parses with its own date, duration and binary parsers: asked directly.
_BY_RDFLIB = frozenset([_XSD + t for t in ("time", "date", "dateTime", "duration",
                                          "dayTimeDuration", "yearMonthDuration",
                                          "hexBinary", "base64Binary")]
                       + [_RDF + "XMLLiteral", _RDF + "HTML"])


def may_be_ill_typed(datatype: str) -> bool:
    """Whether any lexical form of this datatype can be ill-typed for the reference path.

    :param datatype: the datatype IRI.
    :returns: False for strings, IRIs and datatypes rdflib does not know.

    >>> may_be_ill_typed("http://www.w3.org/2001/XMLSchema#integer")
    True
    >>> may_be_ill_typed("http://www.w3.org/2001/XMLSchema#gYear")
    False
    """
    local = datatype.removeprefix(_XSD)
    return local in _RANGES or local in ("decimal", "float", "double", "boolean") \
        or datatype in _BY_RDFLIB


def ill_typed(lexical: str, datatype: str) -> bool:
    """Whether ``sh:datatype <datatype>`` rejects a literal of that datatype.

    :param lexical: the lexical form.
    :param datatype: the literal's datatype IRI (equal to the constraint's).
    :returns: True when the reference path reports it.

    >>> xsd = "http://www.w3.org/2001/XMLSchema#"
    >>> ill_typed("22O", xsd + "integer"), ill_typed("22", xsd + "integer")
    (True, False)
    >>> ill_typed("300", xsd + "byte"), ill_typed("True", xsd + "boolean")
    (True, True)
    """
    local = datatype.removeprefix(_XSD) if datatype.startswith(_XSD) else None
    if local in _RANGES:
        try:
            value = int(lexical)
        except ValueError:
            return True
        low, high = _RANGES[local]
        return (low is not None and value < low) or (high is not None and value > high)
    if local == "decimal":
        return _fails(Decimal, lexical, (InvalidOperation, ValueError))
    if local in ("float", "double"):
        return _fails(float, lexical, (ValueError,))
    if local == "boolean":
        return lexical not in ("true", "false", "1", "0")
    if local == "date" and _plain_date(lexical):
        return False  # the common form, valid for rdflib too: no need to import it
    if datatype in _BY_RDFLIB:
        return _rdflib_ill_typed(lexical, datatype)
    return False


_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _plain_date(lexical: str) -> bool:
    if not _DATE.fullmatch(lexical):
        return False
    try:
        datetime.date.fromisoformat(lexical)
    except ValueError:
        return False
    return True


def _fails(convert: Callable[[str], object], lexical: str,
           errors: tuple[type[Exception], ...]) -> bool:
    try:
        convert(lexical)
    except errors:
        return True
    return False


@cache
def _rdflib_ill_typed(lexical: str, datatype: str) -> bool:
    from rdflib import Literal, URIRef

    from ibmkg.graph_io import _quiet_rdflib

    with _quiet_rdflib():
        literal = Literal(lexical, datatype=URIRef(datatype))
    if literal.ill_typed:
        return True
    expected: dict[str, type] = {"date": datetime.date, "time": datetime.time,
                                 "dateTime": datetime.datetime}
    kind = expected.get(datatype.removeprefix(_XSD))
    return kind is not None and not isinstance(literal.value, kind)
