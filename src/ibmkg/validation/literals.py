"""Lexical forms of typed literals: is ``"200O"^^xsd:gYear`` a year? (XSD 1.1 Part 2).

SHACL's ``sh:datatype`` fails on ill-typed literals, but pySHACL only knows the datatypes
rdflib can convert, and a literal whose property has no shape is not checked at all. This
module checks every literal of every XSD datatype ibmkg data uses, with the lexical spaces of
https://www.w3.org/TR/xmlschema11-2/ (and value ranges where a pattern cannot say it).

>>> lexical_problem("200O", XSD + "gYear")
'"200O" is not a valid xsd:gYear (a year such as 2001, optionally with a time zone)'
>>> lexical_problem("2001", XSD + "gYear") is None
True
"""

from __future__ import annotations

import re
from datetime import date
from typing import Final

from ibmkg.namespaces import PREFIXES

__all__ = ["DATATYPES", "XSD", "lexical_problem"]

XSD: Final = PREFIXES["xsd"]

_TZ = r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
_YEAR = r"-?(?:[1-9]\d{3,}|0\d{3})"
_INTEGER = r"[+-]?\d+"
_DECIMAL = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"
_DOUBLE = r"(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?INF|NaN)"
_TIME = r"(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?|24:00:00(?:\.0+)?"

#: datatype local name -> (pattern of the lexical space, what a valid value looks like).
DATATYPES: Final[dict[str, tuple[str, str]]] = {
    "integer": (_INTEGER, "a whole number such as 12"),
    "int": (_INTEGER, "a whole number such as 12"),
    "long": (_INTEGER, "a whole number such as 12"),
    "short": (_INTEGER, "a whole number such as 12"),
    "nonNegativeInteger": (r"\+?\d+|-0+", "a whole number 0 or more"),
    "positiveInteger": (r"\+?0*[1-9]\d*", "a whole number 1 or more"),
    "nonPositiveInteger": (r"-\d+|\+?0+", "a whole number 0 or less"),
    "negativeInteger": (r"-0*[1-9]\d*", "a whole number below 0"),
    "decimal": (_DECIMAL, "a decimal number such as 0.4"),
    "double": (_DOUBLE, "a number such as 0.4 or 4E-1"),
    "float": (_DOUBLE, "a number such as 0.4 or 4E-1"),
    "boolean": (r"true|false|1|0", "true or false"),
    "gYear": (_YEAR + _TZ, "a year such as 2001, optionally with a time zone"),
    "gYearMonth": (_YEAR + r"-(?:0[1-9]|1[0-2])" + _TZ, "a year and month such as 2001-04"),
    "date": (_YEAR + r"-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])" + _TZ,
             "a date such as 2024-01-26"),
    "dateTime": (_YEAR + r"-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])T(?:" + _TIME + ")"
                 + _TZ, "a date and time such as 2024-01-26T10:00:00Z"),
    "anyURI": (r"[^\s<>\"{}|\\^`]*", "an IRI without spaces"),
    "string": (r"[^\x00]*", "text without NUL characters"),
}

_RANGES: Final = {"int": 2**31, "long": 2**63, "short": 2**15}
_COMPILED: Final = {name: re.compile(pattern) for name, (pattern, _) in DATATYPES.items()}


def lexical_problem(lexical: str, datatype: str) -> str | None:
    """Say what is wrong with a literal's lexical form, or ``None`` when it is valid.

    Datatypes outside XSD, and XSD datatypes not listed in :data:`DATATYPES`, are not
    checked (``None``).

    :param lexical: the lexical form.
    :param datatype: the datatype IRI.
    :returns: the problem in plain words, or ``None``.

    >>> lexical_problem("22O", XSD + "integer")
    '"22O" is not a valid xsd:integer (a whole number such as 12)'
    >>> lexical_problem("2023-02-30", XSD + "date")
    '"2023-02-30" is not a valid xsd:date (a date such as 2024-01-26)'
    """
    if not datatype.startswith(XSD):
        return None
    name = datatype[len(XSD):]
    pattern = _COMPILED.get(name)
    if pattern is None:
        return None
    ok = pattern.fullmatch(lexical) is not None
    if ok and name in _RANGES:
        ok = -_RANGES[name] <= int(lexical) < _RANGES[name]
    if ok and name in ("date", "dateTime"):
        ok = _real_date(lexical)
    if ok:
        return None
    return f"{lexical!r} is not a valid xsd:{name} ({DATATYPES[name][1]})".replace(
        repr(lexical), '"' + lexical.replace('"', '\\"') + '"', 1)


def _real_date(lexical: str) -> bool:
    match = re.match(r"(-?\d{4,})-(\d\d)-(\d\d)", lexical)
    if match is None:
        return False
    year = int(match.group(1))
    if not 1 <= year <= 9999:
        return True  # outside Python's calendar: the pattern is all we check
    try:
        date(year, int(match.group(2)), int(match.group(3)))
    except ValueError:
        return False
    return True
