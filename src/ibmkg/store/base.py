"""The one interface every SPARQL store implements, and the result rows they all return.

Rows hold plain Python values so that results compare equal across backends even when a
server normalizes lexical forms (Virtuoso writes ``"1.50"^^xsd:decimal`` back as ``1.5``):

========================  =====================================================
RDF term                  Python value
========================  =====================================================
IRI                       :class:`IRI` (a ``str``)
blank node                :class:`BlankNodeId` (a ``str``, label not portable)
xsd:string                ``str``
rdf:langString            :class:`LangString` (a ``str`` with ``.language``)
xsd:integer and subtypes  ``int``
xsd:decimal               :class:`decimal.Decimal`
xsd:double, xsd:float     ``float``
xsd:boolean               ``bool``
anything else             :class:`TypedLiteral` (a ``str`` with ``.datatype``)
unbound                   ``None``
========================  =====================================================

>>> to_value(pyoxigraph.Literal("1.50", datatype=pyoxigraph.NamedNode(XSD + "decimal")))
Decimal('1.50')
>>> to_value(pyoxigraph.NamedNode("https://w3id.org/ibmkg/study/a"))
IRI('https://w3id.org/ibmkg/study/a')
"""

from __future__ import annotations

import gc
import math
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import ClassVar

import pyoxigraph

from ibmkg.errors import QuerySyntaxError
from ibmkg.formats import Backend
from ibmkg.sparql import BindableTerm, add_missing_prefixes, bind_values, check_safe

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {
    XSD + name
    for name in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
        "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong",
        "unsignedShort", "unsignedByte",
    )
}


class IRI(str):
    """An IRI in a result row; a ``str``, so it compares equal to the plain IRI text."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"IRI({str.__repr__(self)})"


class BlankNodeId(str):
    """A blank node in a result row (its label differs between stores)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"BlankNodeId({str.__repr__(self)})"


class LangString(str):
    """A language-tagged string in a result row.

    :param value: the text.
    :param language: the BCP 47 tag, lower case.
    """

    language: str

    def __new__(cls, value: str, language: str) -> LangString:
        self = super().__new__(cls, value)
        self.language = language.lower()
        return self

    def __repr__(self) -> str:
        return f"LangString({str.__repr__(self)}, {self.language!r})"


class TypedLiteral(str):
    """A literal of a datatype without a Python counterpart (dates, years ...).

    :param value: the lexical form.
    :param datatype: the datatype IRI.
    """

    datatype: str

    def __new__(cls, value: str, datatype: str) -> TypedLiteral:
        self = super().__new__(cls, value)
        self.datatype = datatype
        return self

    def __repr__(self) -> str:
        return f"TypedLiteral({str.__repr__(self)}, {self.datatype!r})"


Value = IRI | BlankNodeId | LangString | TypedLiteral | str | int | Decimal | float | bool | None
Row = tuple[Value, ...]
Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal
TermRow = tuple[Term | None, ...]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while answers are turned into rows.

    An answer of 100,000 rows makes a million small objects (pyoxigraph's terms, tuples,
    values), none of them in a reference cycle, and each allocation burst triggers the cyclic
    collector, which then walks the whole heap: 20 to 25 % of a large query's time on the
    embedded store (``make bench-queries``). Reference counting still frees everything; the
    collector is re-enabled on exit unless it was already off.

    >>> import gc
    >>> with gc_paused():
    ...     gc.isenabled()
    False
    >>> gc.isenabled()
    True
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def to_values(terms: Iterable[TermRow]) -> list[Row]:
    """Convert rows of RDF terms to rows of values, each distinct term once.

    Answers repeat their terms (a study's label on each of its findings, the same concept
    on thousands of rows): each distinct term is converted by :func:`to_value` once.

    :param terms: rows of pyoxigraph terms (``None`` for unbound).
    :returns: the rows of values, in the same order.

    >>> a = pyoxigraph.NamedNode("https://w3id.org/ibmkg/study/a")
    >>> to_values([(a, None), (a, pyoxigraph.Literal("1", datatype=pyoxigraph.NamedNode(
    ...     "http://www.w3.org/2001/XMLSchema#integer")))])
    [(IRI('https://w3id.org/ibmkg/study/a'), None), (IRI('https://w3id.org/ibmkg/study/a'), 1)]
    """
    seen: dict[Term, Value] = {}
    rows: list[Row] = []
    for row in terms:
        values: list[Value] = []
        for term in row:
            if term is None:
                values.append(None)
                continue
            if term in seen:
                values.append(seen[term])
            else:
                values.append(seen.setdefault(term, to_value(term)))
        rows.append(tuple(values))
    return rows


def to_value(term: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | None,
             ) -> Value:
    """Convert an RDF term to the Python value used in result rows (see the module table).

    :param term: a pyoxigraph term, or ``None`` for an unbound variable.
    :returns: the value.
    """
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return IRI(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BlankNodeId(term.value)
    if not isinstance(term, pyoxigraph.Literal):
        return TypedLiteral(str(term), "")
    if term.language:
        return LangString(term.value, term.language)
    datatype = term.datatype.value
    lexical = term.value
    try:
        if datatype == XSD + "string":
            return lexical
        if datatype in _INTEGER_TYPES:
            return int(lexical)
        if datatype == XSD + "decimal":
            return Decimal(lexical)
        if datatype in (XSD + "double", XSD + "float"):
            number = float(lexical.replace("INF", "inf"))
            return number if not math.isnan(number) else math.nan
        if datatype == XSD + "boolean" and lexical in ("true", "false", "1", "0"):
            return lexical in ("true", "1")
    except (ValueError, InvalidOperation):
        pass
    return TypedLiteral(lexical, datatype)


@dataclass
class ResultTable:
    """The rows of a SELECT query.

    :param columns: the projected variables, in order.
    :param rows: one tuple per solution, aligned with ``columns``.
    :param terms: the same solutions as RDF terms with their lexical forms, when the store
        kept them (the W3C result formats are written from these).
    :param truncated: whether a row cap cut the solutions (never a silently short answer).

    >>> table = ResultTable(("study", "n"), [(IRI("https://w3id.org/ibmkg/study/a"), 12)])
    >>> table.as_dicts()
    [{'study': IRI('https://w3id.org/ibmkg/study/a'), 'n': 12}]
    >>> len(table)
    1
    """

    columns: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)
    terms: list[TermRow] | None = field(default=None, repr=False, compare=False)
    truncated: bool = field(default=False, compare=False)

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def as_dicts(self) -> list[dict[str, Value]]:
        """Return the rows as dictionaries keyed by column."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def column(self, name: str) -> list[Value]:
        """Return the values of one column.

        :param name: the column.
        :returns: its values, row by row.
        :raises KeyError: for an unknown column.
        """
        try:
            i = self.columns.index(name)
        except ValueError:
            raise KeyError(name) from None
        return [row[i] for row in self.rows]

    def sorted(self) -> ResultTable:
        """Return a copy with rows in a canonical order (to compare unordered results)."""
        order = sorted(range(len(self.rows)), key=lambda i: _row_key(self.rows[i]))
        terms = [self.terms[i] for i in order] if self.terms is not None else None
        return ResultTable(self.columns, [self.rows[i] for i in order], terms, self.truncated)


def _row_key(row: Row) -> tuple[tuple[int, str], ...]:
    return tuple((0, "") if v is None else (1, f"{type(v).__name__}:{v!s}") for v in row)


class Store(ABC):
    """A SPARQL store holding ibmkg's named graphs.

    Queries see the union of the store's graphs as their default graph and each graph by
    name in ``GRAPH``. Parameters are bound by :func:`ibmkg.sparql.bind_values`, never by
    string formatting, so every backend runs the same text.
    """

    backend: ClassVar[Backend]
    #: The graph holding the reasoner's inferences, when a store names it differently from
    #: :data:`ibmkg.queries.INFERRED_GRAPH` (a publication's ``G/inferred``).
    inferred_graph: str | None = None

    def prepare(self, sparql: str, bindings: Mapping[str, BindableTerm] | None, *,
                forms: Sequence[str] = ("SELECT",), allow_service: bool = False) -> str:
        """Return the exact text a backend runs: gate passed, prefixes declared, values bound.

        :param sparql: the query.
        :param bindings: variable -> term.
        :param forms: the query forms the caller accepts.
        :param allow_service: accept ``SERVICE`` (federated queries, remote stores only).
        :returns: the query text.
        :raises UnsafeQueryError: for SERVICE, updates or ``\\u`` escapes.
        :raises QuerySyntaxError: for a query of another form.
        """
        check_safe(sparql, allow_service=allow_service)
        require_form(sparql, forms)
        return bind_values(add_missing_prefixes(sparql), bindings or {})

    @abstractmethod
    def query(self, sparql: str, *, bindings: Mapping[str, BindableTerm] | None = None,
              ) -> ResultTable:
        """Run a SELECT query.

        :param sparql: the query text.
        :param bindings: values for variables, bound as inline data.
        :returns: the rows.
        :raises QuerySyntaxError: when the text is not a valid SELECT query.
        """

    @abstractmethod
    def ask(self, sparql: str, *, bindings: Mapping[str, BindableTerm] | None = None) -> bool:
        """Run an ASK query.

        :param sparql: the query text.
        :param bindings: values for variables.
        :returns: the answer.
        """

    @abstractmethod
    def construct(self, sparql: str, *, bindings: Mapping[str, BindableTerm] | None = None,
                  ) -> list[pyoxigraph.Triple]:
        """Run a CONSTRUCT or DESCRIBE query.

        :param sparql: the query text.
        :param bindings: values for variables.
        :returns: the triples.
        """

    @abstractmethod
    def load(self, triples: Iterable[pyoxigraph.Triple], graph_name: str) -> None:
        """Add triples to a named graph (all or nothing where the backend allows).

        :param triples: the triples.
        :param graph_name: the graph IRI.
        """

    @abstractmethod
    def replace_graph(self, graph_name: str, triples: Iterable[pyoxigraph.Triple]) -> None:
        """Replace the content of a named graph; on failure the old content stays.

        :param graph_name: the graph IRI.
        :param triples: the new content.
        """

    @abstractmethod
    def count_triples(self, graph_name: str | None = None) -> int:
        """Count triples in one graph, or in all of the store's graphs (counted per graph).

        :param graph_name: a graph IRI, or ``None`` for all.
        :returns: the count.
        """

    @abstractmethod
    def graph_names(self) -> list[str]:
        """Return the names of the store's graphs, sorted."""

    def close(self) -> None:  # noqa: B027 - optional hook, nothing to release by default
        """Release resources (nothing by default)."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_METHODS = {"SELECT": "query", "ASK": "ask", "CONSTRUCT": "construct", "DESCRIBE": "construct"}


def require_form(sparql: str, expected: Sequence[str]) -> None:
    """Raise a readable error when a query of the wrong form is sent to a method.

    :param sparql: the query text.
    :param expected: the forms the method accepts.
    :raises QuerySyntaxError: on a mismatch, naming the method to use.
    """
    from ibmkg.sparql import query_form

    form = query_form(sparql)
    if form not in expected:
        raise QuerySyntaxError("<query>", 0, 0, f"{_METHODS[expected[0]]}() runs "
                               f"{'/'.join(expected)} queries, not {form}; use "
                               f"{_METHODS[form]}()")


def ntriples(triples: Iterable[pyoxigraph.Triple]) -> str:
    """Serialize triples as N-Triples text (for ``INSERT DATA``).

    :param triples: the triples.
    :returns: the text (empty for no triples).
    """
    data = pyoxigraph.serialize(
        (pyoxigraph.Triple(t.subject, t.predicate, t.object) for t in triples),
        format=pyoxigraph.RdfFormat.N_TRIPLES,
    )
    return data.decode("utf-8") if data else ""
