"""A top-level ``ORDER BY`` evaluated by ibmkg, in Python, in exactly pyoxigraph's order.

Oxigraph 0.5 sorts a query's solutions with a comparator that evaluates each ``ORDER BY``
expression on both solutions at every comparison (``GraphPattern::OrderBy`` in spareval's
``eval.rs``), decoding the terms from the store's dictionary each time: at 30,000 to 50,000
rows that costs more than the rest of many queries. For the common case, ``ORDER BY`` on
variables the query projects, ibmkg instead runs the query without its top-level solution
modifiers (:func:`split_order`), computes one sort key per distinct term and sorts the rows
it receives anyway (:func:`sort_solutions`), then applies ``OFFSET`` and ``LIMIT``.

The keys reproduce Oxigraph's ``cmp_terms`` (``eval.rs``) where that order is total:
unbound < blank node < IRI < literal; blank nodes and IRIs by their string (Rust compares
UTF-8 bytes, which is code-point order, as Python's ``str`` comparison is); literals by
``partial_cmp_literals`` (``expression.rs``) and, where that returns no order (different
families, NaN, ill-typed forms, different language tags), by the tuple (lexical value,
datatype IRI, language). The literal columns sorted here are those with one of four
families, where the two rules agree and the order is total:

* xsd:string and language-tagged strings together: the key (value, datatype, language);
* integers (xsd:integer and the 12 derived types spareval's ``parse_typed_literal`` reads
  as ``Integer``, an ``i64``; pyoxigraph 0.5.13's store gives them all back as xsd:integer):
  valid lexical form within ``i64``, compared as numbers;
* xsd:decimal within Oxigraph's ``Decimal`` (an ``i128`` counting 10^-18): compared exactly;
* xsd:double other than NaN: compared as ``float`` (both languages parse correctly rounded).

Any other column (literal families mixed, NaN, an out-of-range or ill-formed number,
another datatype, a directional language string, a triple term) makes the fast path give
up: the original text then runs with pyoxigraph's own ``ORDER BY``, so an answer is never
wrong, only slower. Rows whose keys are all equal keep the engine's order (the sort is
stable); Oxigraph's order among them is unspecified (``sort_unstable_by``).

Checked against ``cmp_terms`` and ``partial_cmp_literals`` at Oxigraph v0.5.9 (the newest
0.5 tag read), and by a property test against the pyoxigraph installed. Used by
:meth:`EmbeddedStore.query <ibmkg.store.embedded.EmbeddedStore.query>` and, over the rows a
sandbox worker sends, by :class:`~ibmkg.sandbox.store.SandboxedStore`.

>>> split = split_order("SELECT ?s ?n WHERE { ?s ?p ?n } ORDER BY DESC(?n) ?s LIMIT 2")
>>> split.text, split.conditions, split.limit, split.offset
('SELECT ?s ?n WHERE { ?s ?p ?n } ', (OrderCondition(variable='n', descending=True), \
OrderCondition(variable='s', descending=False)), 2, 0)
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from typing import Literal as TypingLiteral

import pyoxigraph

from ibmkg.sparql import Token, tokens
from ibmkg.store.base import TermRow

__all__ = ["LIMITED_ROWS", "OrderCondition", "OrderSplit", "Selection", "select",
           "sort_solutions", "split_order"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_XSD_STRING = _XSD + "string"
#: The datatypes spareval's ``parse_typed_literal`` reads as an ``Integer`` (an ``i64``).
_INTEGER_TYPES = frozenset(_XSD + name for name in (
    "integer", "byte", "short", "int", "long", "unsignedByte", "unsignedShort", "unsignedInt",
    "unsignedLong", "positiveInteger", "negativeInteger", "nonPositiveInteger",
    "nonNegativeInteger",
))
_I64 = (-(2 ** 63), 2 ** 63 - 1)
_I128 = (-(2 ** 127), 2 ** 127 - 1)
_DECIMAL_DIGITS = 18  # Oxigraph's Decimal counts units of 10^-18
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"([+-]?)([0-9]*)(?:\.([0-9]*))?")
_DOUBLE = re.compile(r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
                     r"|(?i:inf|infinity))")
_MAX_SLICE = 2 ** 63 - 1


@dataclass(frozen=True)
class OrderCondition:
    """One condition of an ``ORDER BY`` on a projected variable.

    :param variable: the variable's name, without ``?``.
    :param descending: ``DESC(?v)`` rather than ``?v`` or ``ASC(?v)``.
    """

    variable: str
    descending: bool = False


@dataclass(frozen=True)
class OrderSplit:
    """A SELECT query split at its top-level solution modifiers.

    :param text: the query without ``ORDER BY ... [LIMIT n] [OFFSET n]``.
    :param conditions: the order conditions, first first.
    :param limit: ``LIMIT``, or ``None``.
    :param offset: ``OFFSET`` (0 when absent).
    :param reduced: the query is ``SELECT REDUCED`` (duplicates made adjacent by the sort
        are then removed, as Oxigraph's ``REDUCED`` after its ``ORDER BY`` would).
    :param star: the query projects ``*``.
    """

    text: str
    conditions: tuple[OrderCondition, ...]
    limit: int | None = None
    offset: int = 0
    reduced: bool = False
    star: bool = False


def split_order(text: str) -> OrderSplit | None:
    """Split a SELECT query's top-level ``ORDER BY``, ``LIMIT`` and ``OFFSET`` from its text.

    Only conditions ``?v``, ``ASC(?v)`` and ``DESC(?v)`` on variables the outer query
    projects are accepted. ``ORDER BY`` in a sub-SELECT, a string, an IRI or a comment is
    not the top-level one (the lexer of :mod:`ibmkg.sparql` reads those as single tokens).

    :param text: the query, as prepared for the engine (prefixes declared, values bound).
    :returns: the split, or ``None`` when the query is not a SELECT, has no top-level
        ``ORDER BY``, orders by anything else (an expression, a variable it does not
        project), or has anything after the modifiers (a ``VALUES`` block): the engine then
        runs the text unchanged.

    >>> split_order("SELECT ?x { ?x ?p ?o } ORDER BY STR(?x)") is None
    True
    >>> split_order('SELECT * { ?x ?p "ORDER BY ?x" } order by ?x offset 5 limit 1').limit
    1
    """
    sig = [t for t in tokens(text) if t.kind not in ("ws", "comment")]
    words = [t.text.upper() if t.kind == "word" else "" for t in sig]
    form = next((i for i, w in enumerate(words) if w in ("SELECT", "CONSTRUCT", "ASK",
                                                           "DESCRIBE")), None)
    if form is None or words[form] != "SELECT":
        return None
    projection = _projection(sig, words, form + 1)
    if projection is None:
        return None
    projected, star, reduced, body = projection
    order = _top_level_order(sig, words, body)
    if order is None:
        return None
    conditions, after = _conditions(sig, words, order + 2)
    if not conditions or not all(star or c.variable in projected for c in conditions):
        return None
    slice_ = _slice(sig, words, after)
    if slice_ is None:
        return None
    limit, offset = slice_
    return OrderSplit(text[:sig[order].start], tuple(conditions), limit, offset, reduced, star)


def _projection(sig: list[Token], words: list[str], start: int,
                ) -> tuple[set[str], bool, bool, int] | None:
    """Projected variables, ``*``, ``REDUCED`` and where the WHERE group starts."""
    projected: set[str] = set()
    star = reduced = False
    depth = 0
    for i in range(start, len(sig)):
        token = sig[i]
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth -= 1
        elif depth == 0 and (token.text == "{" or words[i] == "WHERE"):
            return projected, star, reduced, i
        elif depth == 0 and token.text == "*":
            star = True
        elif depth == 0 and words[i] == "REDUCED":
            reduced = True
        elif token.kind == "var" and (depth == 0 or (depth == 1 and words[i - 1] == "AS")):
            projected.add(token.text[1:])
    return None


def _top_level_order(sig: list[Token], words: list[str], start: int) -> int | None:
    """Index of the ``ORDER`` of an ``ORDER BY`` outside every group and bracket."""
    braces = parens = 0
    for i in range(start, len(sig) - 1):
        text = sig[i].text
        if text == "{":
            braces += 1
        elif text == "}":
            braces -= 1
        elif text == "(":
            parens += 1
        elif text == ")":
            parens -= 1
        elif braces == 0 and parens == 0 and words[i] == "ORDER" and words[i + 1] == "BY":
            return i
    return None


def _conditions(sig: list[Token], words: list[str], i: int,
                ) -> tuple[list[OrderCondition], int]:
    """The conditions from ``i`` on, and the index after them; ``[]`` for any other kind."""
    found: list[OrderCondition] = []
    while i < len(sig) and words[i] not in ("LIMIT", "OFFSET"):
        if sig[i].kind == "var":
            found.append(OrderCondition(sig[i].text[1:]))
            i += 1
        elif words[i] in ("ASC", "DESC") and i + 3 < len(sig) and sig[i + 1].text == "(" \
                and sig[i + 2].kind == "var" and sig[i + 3].text == ")":
            found.append(OrderCondition(sig[i + 2].text[1:], words[i] == "DESC"))
            i += 4
        else:
            return [], i
    return found, i


def _slice(sig: list[Token], words: list[str], i: int) -> tuple[int | None, int] | None:
    """``LIMIT`` and ``OFFSET`` (either order, each once) up to the end, or ``None``."""
    values: dict[str, int] = {}
    while i < len(sig):
        word = words[i]
        if word not in ("LIMIT", "OFFSET") or word in values:
            return None
        i += 1
        digits: list[Token] = []
        while i < len(sig) and sig[i].kind == "other" and sig[i].text.isdigit() \
                and sig[i].text.isascii() \
                and (not digits or sig[i].start == digits[-1].start + 1):
            digits.append(sig[i])
            i += 1
        if not digits or (i < len(sig) and sig[i].start == digits[-1].start + 1):
            return None  # no number, or one run together with the next token
        value = int("".join(t.text for t in digits))
        if value > _MAX_SLICE:
            return None
        values[word] = value
    return values.get("LIMIT"), values.get("OFFSET", 0)


def sort_solutions(rows: Sequence[TermRow], columns: Sequence[str], split: OrderSplit,
                   ) -> list[TermRow] | None:
    """Sort solutions as Oxigraph's ``ORDER BY`` would, then apply ``OFFSET`` and ``LIMIT``.

    ``DISTINCT`` needs nothing here: SPARQL orders before it removes duplicates, but the
    order conditions are projected variables, so identical rows have identical keys; the
    engine's ``DISTINCT`` on the unordered rows keeps one row of each kind, the same rows,
    and a sort puts rows with different keys in the same order either way.

    :param rows: the solutions of ``split.text``, in the engine's order.
    :param columns: their variables.
    :param split: the conditions and the slice.
    :returns: the rows in order, or ``None`` when a column's order is not provably
        Oxigraph's (see the module docstring): run the original query instead.

    >>> x = [pyoxigraph.Literal(v) for v in ("b", "a")]
    >>> sort_solutions([(x[0],), (x[1],)], ["v"], OrderSplit("", (OrderCondition("v"),)))
    [(<Literal value=a datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>,), \
(<Literal value=b datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>,)]
    """
    order = list(range(len(rows)))
    # One stable pass per condition, the last first: the first condition decides, ties
    # fall to the next; reverse=True keeps equal keys in their order (Python's sort).
    for condition in reversed(split.conditions):
        if condition.variable not in columns:
            return None
        keyed = _column_keys(rows, columns.index(condition.variable))
        if keyed is None:
            return None
        order = _sorted(order, *keyed, descending=condition.descending)
    ordered = [rows[i] for i in order]
    if split.reduced:
        # After Oxigraph's sort, REDUCED drops repeats of the previous row.
        ordered = [row for i, row in enumerate(ordered) if i == 0 or row != ordered[i - 1]]
    end = None if split.limit is None else split.offset + split.limit
    return ordered[split.offset:end]


#: Ranks of cmp_terms: unbound < blank node < IRI < literal.
_UNBOUND, _BLANK, _IRI, _LITERAL = range(4)


def _sorted(order: list[int], ranks: list[int], keys: list[Any], *,
            descending: bool) -> list[int]:
    """A stable sort of ``order`` by (rank, key); keys are compared within a rank only."""
    present = sorted(set(ranks), reverse=descending)
    if len(present) == 1:
        if present[0] != _UNBOUND:
            order.sort(key=keys.__getitem__, reverse=descending)
        return order
    result: list[int] = []
    for rank in present:
        part = [i for i in order if ranks[i] == rank]
        if rank != _UNBOUND:
            part.sort(key=keys.__getitem__, reverse=descending)
        result += part
    return result


def _column_keys(rows: Sequence[TermRow], index: int) -> tuple[list[int], list[Any]] | None:
    """The rank and key of each row's term in column ``index``; ``None`` if not total.

    Keys are plain values (``str``, ``int``, ``float``), fast to compare, except language
    strings, keyed (value, datatype, language) as ``cmp_terms`` compares them; plain strings
    take the same form when language strings share their column.
    """
    cache: dict[object, tuple[int, Any, str]] = {}
    families: set[str] = set()
    ranks: list[int] = []
    keys: list[Any] = []
    add_rank, add_key = ranks.append, keys.append
    for row in rows:
        term = row[index]
        if term is None:
            add_rank(_UNBOUND)
            add_key(None)
            continue
        found = cache.get(term)
        if found is None:
            made = _term_key(term)
            if made is None:
                return None
            found = cache[term] = made
            families.add(found[2])
        add_rank(found[0])
        add_key(found[1])
    families.discard("")
    if families == {"string", "language"}:
        keys = [(k, _XSD_STRING, "") if isinstance(k, str) and r == _LITERAL else k
                for r, k in zip(ranks, keys, strict=True)]
    elif len(families) > 1:
        return None  # literal families mixed: partial_cmp_literals and the tuple disagree
    return ranks, keys


def _term_key(term: object) -> tuple[int, Any, str] | None:
    """Rank, key and literal family ('' for a node) of a term, or ``None``."""
    if isinstance(term, pyoxigraph.Literal):
        language = term.language
        if language is not None:
            if term.direction is not None:
                return None
            return _LITERAL, (term.value, _RDF_LANG_STRING, language), "language"
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return _LITERAL, term.value, "string"
        number = _NUMBERS.get(datatype)
        if number is None:
            return None  # booleans, dates, floats, other datatypes: not sorted here
        parsed = number[1](term.value)
        return None if parsed is None else (_LITERAL, parsed, number[0])
    if isinstance(term, pyoxigraph.NamedNode):
        return _IRI, term.value, ""
    if isinstance(term, pyoxigraph.BlankNode):
        return _BLANK, term.value, ""
    return None  # a triple term: not sorted here


def _integer(lexical: str) -> int | None:
    """An ``xsd:integer`` as Oxigraph's ``Integer`` (``i64::from_str``) reads it."""
    if not _INTEGER.fullmatch(lexical):
        return None
    number = int(lexical)
    return number if _I64[0] <= number <= _I64[1] else None


def _decimal(lexical: str) -> int | None:
    """An ``xsd:decimal`` in units of 10^-18, as Oxigraph's ``Decimal::from_str`` reads it."""
    match = _DECIMAL.fullmatch(lexical)
    if not match:
        return None
    sign, whole, fraction = match[1], match[2], match[3]
    if not whole and not fraction:
        return None  # "", "." and a sign alone
    fraction = (fraction or "").rstrip("0")
    if len(fraction) > _DECIMAL_DIGITS:
        return None  # Oxigraph's underflow: not a Decimal, compared as a plain literal
    units = int((whole or "0") + fraction.ljust(_DECIMAL_DIGITS, "0"))
    units = -units if sign == "-" else units
    return units if _I128[0] <= units <= _I128[1] else None


def _double(lexical: str) -> float | None:
    """An ``xsd:double`` as Oxigraph's ``Double`` (``f64::from_str``) reads it; no NaN."""
    return float(lexical) if _DOUBLE.fullmatch(lexical) else None


_NUMBERS: dict[str, tuple[str, Callable[[str], int | float | None]]] = {
    **{datatype: ("integer", _integer) for datatype in _INTEGER_TYPES},
    _XSD + "decimal": ("decimal", _decimal),
    _XSD + "double": ("double", _double),
}


@dataclass(frozen=True)
class Selection:
    """The solutions of a SELECT query, and which path ordered them.

    :param columns: the projected variables, in order.
    :param rows: the solutions, as pyoxigraph terms (``None`` for unbound).
    :param path: ``engine`` (pyoxigraph ran the text as it is: nothing to order, or an order
        ibmkg does not take over), ``ibmkg`` (ordered by :func:`sort_solutions`) or
        ``gave-up`` (ibmkg tried, but a column's order was not provably Oxigraph's, or a
        query with a ``LIMIT`` had more than ``limited_rows`` rows, and pyoxigraph ran the
        original text).
    """

    columns: tuple[str, ...]
    rows: list[TermRow]
    path: TypingLiteral["engine", "ibmkg", "gave-up"]


#: With a ``LIMIT``, ibmkg reads at most this many unordered rows before it leaves the query
#: to pyoxigraph: the engine keeps its solutions encoded, Python rows take a few times the
#: memory, and a small ``LIMIT`` is all that is given back.
LIMITED_ROWS = 1_000_000


def select(run: Callable[[str], object], text: str, *,
           limited_rows: int = LIMITED_ROWS) -> Selection:
    """Run a SELECT query, evaluating its top-level ``ORDER BY`` in Python where possible.

    :param run: runs a query text on the engine (``pyoxigraph.Store.query``).
    :param text: the query, as prepared for the engine.
    :param limited_rows: when the query has a ``LIMIT``, the most unordered rows read
        before giving up (see :data:`LIMITED_ROWS`).
    :returns: the solutions, in the order pyoxigraph's ``ORDER BY`` gives.
    :raises TypeError: when ``run`` does not answer with solutions (not a SELECT query).

    >>> store = pyoxigraph.Store()
    >>> store.add(pyoxigraph.Quad(*(pyoxigraph.NamedNode(f"http://e/{c}") for c in "spo")))
    >>> answer = select(store.query, "SELECT ?s ?o { ?s ?p ?o } ORDER BY DESC(?o)")
    >>> answer.path, answer.columns
    ('ibmkg', ('s', 'o'))
    """
    split = split_order(text)
    if split is not None:
        cap = None if split.limit is None else limited_rows
        columns, rows = _solutions(run(split.text), cap)
        ordered = None if rows is None else sort_solutions(rows, columns, split)
        if ordered is not None:
            return Selection(columns, ordered, "ibmkg")
    columns, rows = _solutions(run(text))
    assert rows is not None
    return Selection(columns, rows, "engine" if split is None else "gave-up")


def _solutions(result: object, cap: int | None = None,
               ) -> tuple[tuple[str, ...], list[TermRow] | None]:
    """Columns and rows of a SELECT answer; ``None`` for rows past ``cap`` rows."""
    if not isinstance(result, pyoxigraph.QuerySolutions):
        raise TypeError(f"expected the solutions of a SELECT query, not {type(result).__name__}")
    columns = tuple(v.value for v in result.variables)
    if cap is None:
        return columns, [tuple(s) for s in result]
    rows: list[TermRow] = [tuple(s) for s in itertools.islice(result, cap + 1)]
    return columns, None if len(rows) > cap else rows
