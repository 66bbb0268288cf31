"""ibmkg's ``ORDER BY`` (``ibmkg.store.ordering``) against pyoxigraph's own, on random data.

The property test builds a small pyoxigraph store from random terms (IRIs, blank nodes,
strings with non-ASCII and astral characters, language strings, integers, decimals,
doubles, unbound values, and mixtures of these), asks one query two ways, pyoxigraph's
``ORDER BY`` and :func:`ibmkg.store.ordering.select`, and compares: the same rows, in the
same sequence of sort keys, and in exactly the same order when no two different rows tie.
Each generated value is tagged with its family by the generator, so the test knows on its
own which path must run: ibmkg's sort, or (data mixing families, NaN, an out-of-range or
ill-formed number, another datatype) a give-up to pyoxigraph's ``ORDER BY``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pyoxigraph
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ibmkg.sandbox.store import SandboxedStore
from ibmkg.store.base import ResultTable, TermRow
from ibmkg.store.embedded import EmbeddedStore
from ibmkg.store.ordering import (
    OrderCondition,
    Selection,
    _column_keys,
    select,
    sort_solutions,
    split_order,
)

XSD = "http://www.w3.org/2001/XMLSchema#"
E = "http://e/"
CLASS = pyoxigraph.NamedNode(E + "Row")
RDF_TYPE = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
COLUMNS = ("a", "b")
#: Characters for strings and IRIs: ASCII of both cases, Latin-1, CJK, astral (emoji, math).
ALPHABET = "aAbZ0 é中\U0001f600\U0001d400~"
TAGS = ("en", "fr", "en-gb", "de")


def typed(lexical: str, datatype: str) -> pyoxigraph.Literal:
    return pyoxigraph.Literal(lexical, datatype=pyoxigraph.NamedNode(XSD + datatype))


@dataclass(frozen=True)
class Value:
    """A generated term and its family, as the generator knows it."""

    term: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal
    family: str  # node, string, integer, decimal, double, or bad (never sorted by ibmkg)


texts = st.text(alphabet=ALPHABET, max_size=3)
iris = texts.map(lambda s: Value(pyoxigraph.NamedNode(E + s.replace(" ", "_")), "node"))
blanks = st.sampled_from(["b1", "b2", "x9", "a0"]).map(
    lambda s: Value(pyoxigraph.BlankNode(s), "node"))
#: Few values, several tags: the same text under two tags is common.
short_texts = st.one_of(texts, st.sampled_from(["", "a", "é"]))
strings = st.one_of(
    texts.map(lambda s: Value(pyoxigraph.Literal(s), "string")),
    st.tuples(short_texts, st.sampled_from(TAGS)).map(
        lambda t: Value(pyoxigraph.Literal(t[0], language=t[1]), "string")),
)
integers = st.one_of(
    st.integers(-3, 3), st.integers(-(2 ** 63), 2 ** 63 - 1),
    st.sampled_from([-(2 ** 63), 2 ** 63 - 1]),
).flatmap(lambda n: st.sampled_from(["integer", "int", "long", "nonNegativeInteger"] if n >= 0
                                    else ["integer", "int", "long"]).map(
    lambda d: Value(typed(str(n), d), "integer")))
decimals = st.one_of(
    st.decimals(min_value=-5, max_value=5, places=2, allow_nan=False, allow_infinity=False),
    st.decimals(min_value=Decimal("-1e19"), max_value=Decimal("1e19"), places=18,
                allow_nan=False, allow_infinity=False),
).map(lambda d: Value(typed(format(d, "f"), "decimal"), "decimal"))


def _double(x: float) -> Value:
    lexical = "INF" if x == math.inf else "-INF" if x == -math.inf else repr(x + 0.0)
    return Value(typed(lexical, "double"), "double")


doubles = st.one_of(st.sampled_from([0.5, 1.0, -2.0, 1e300]),
                    st.floats(allow_nan=False)).map(_double)
#: Values each family's fast path must refuse: Oxigraph does not read them as that family.
strays = {
    "string": st.sampled_from([typed("true", "boolean"), typed("2024-01-01", "date"),
                               typed("x", "token")]),
    "integer": st.one_of(
        st.integers(2 ** 63, 2 ** 66).map(str), st.integers(-(2 ** 66), -(2 ** 63) - 1).map(str),
        st.sampled_from([" 7", "1.0", "0x10", ""])).map(lambda v: typed(v, "integer")),
    "decimal": st.sampled_from(["1.0000000000000000001", "1e5", "1000000000000000000000",
                                "-170141183460469231731.7", ".", "", "1,5"]).map(
        lambda v: typed(v, "decimal")),
    "double": st.sampled_from(["NaN", "1_0", "0x1p3", "nan", ""]).map(
        lambda v: typed(v, "double")),
}
FAMILIES = {"string": strings, "integer": integers, "decimal": decimals, "double": doubles}


@st.composite
def column(draw: st.DrawFn, size: int) -> list[Value | None]:
    """One column: mostly one literal family, with nodes, unbound values, some strays."""
    plan = draw(st.sampled_from([*FAMILIES, "mixed"]))
    literal = st.one_of(*FAMILIES.values()) if plan == "mixed" else FAMILIES[plan]
    stray = strays["string" if plan == "mixed" else plan].map(lambda t: Value(t, "bad"))
    cell = st.one_of(
        st.none(), iris, blanks, literal, literal, literal,
        *([stray] if draw(st.integers(0, 3)) == 0 else []),
    )
    return draw(st.lists(cell, min_size=size, max_size=size))


@st.composite
def cases(draw: st.DrawFn) -> tuple[list[dict[str, Value | None]], str]:
    size = draw(st.integers(0, 12))
    cells = {name: draw(column(size)) for name in COLUMNS}
    rows = [{name: cells[name][i] for name in COLUMNS} for i in range(size)]
    conditions = draw(st.lists(st.tuples(st.sampled_from(COLUMNS),
                                         st.sampled_from(["", "ASC", "DESC"])),
                               min_size=1, max_size=2, unique_by=lambda c: c[0]))
    order = " ".join(f"?{v}" if not d else f"{d}(?{v})" for v, d in conditions)
    modifier = draw(st.sampled_from(["", "DISTINCT ", "REDUCED "]))
    limit = draw(st.sampled_from(["", " LIMIT 3", " OFFSET 2", " LIMIT 4 OFFSET 1",
                                  " offset 1 limit 2", " LIMIT 0"]))
    text = (f"SELECT {modifier}?a ?b WHERE {{ ?s a <{CLASS.value}> "
            f"OPTIONAL {{ ?s <{E}a> ?a }} OPTIONAL {{ ?s <{E}b> ?b }} }} ORDER BY {order}{limit}")
    return rows, text


def store_of(rows: list[dict[str, Value | None]]) -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    for i, row in enumerate(rows):
        subject = pyoxigraph.NamedNode(f"{E}row/{i}")
        store.add(pyoxigraph.Quad(subject, RDF_TYPE, CLASS))
        for name, value in row.items():
            if value is not None:
                store.add(pyoxigraph.Quad(subject, pyoxigraph.NamedNode(E + name), value.term))
    return store


def expected_path(rows: list[dict[str, Value | None]], text: str) -> str:
    """``ibmkg`` unless an ordered column holds a stray or mixes literal families."""
    split = split_order(text)
    assert split is not None
    for condition in split.conditions:
        families = {v.family for row in rows if (v := row[condition.variable]) is not None}
        families.discard("node")
        if "bad" in families or len(families) > 1:
            return "gave-up"
    return "ibmkg"


def key_sequence(rows: list[TermRow], text: str) -> list[tuple[object, ...]]:
    split = split_order(text)
    assert split is not None
    per_column = []
    for condition in split.conditions:
        keyed = _column_keys(rows, COLUMNS.index(condition.variable))
        assert keyed is not None
        per_column.append(list(zip(*keyed, strict=True)))  # (rank, key) per row
    return list(zip(*per_column, strict=True)) if per_column else []


def engine_rows(store: pyoxigraph.Store, text: str) -> list[TermRow]:
    result = store.query(text)
    assert isinstance(result, pyoxigraph.QuerySolutions)
    return [tuple(s) for s in result]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_same_order_as_pyoxigraph(case: tuple[list[dict[str, Value | None]], str]) -> None:
    rows, text = case
    store = store_of(rows)
    theirs = engine_rows(store, text)
    ours = select(store.query, text)
    assert ours.columns == COLUMNS
    assert ours.path == expected_path(rows, text), text
    event(f"path {ours.path}")
    sliced = " LIMIT" in text.upper() or " OFFSET" in text.upper()
    reduced = "REDUCED" in text
    if not sliced:
        if reduced:  # REDUCED may keep any number of repeats: the same rows, as a set
            assert set(ours.rows) == set(theirs)
        else:
            assert Counter(ours.rows) == Counter(theirs)
    assert len(ours.rows) == len(theirs) or reduced
    if ours.path == "ibmkg" and not reduced:
        assert key_sequence(ours.rows, text) == key_sequence(theirs, text)
    # No ties: different rows differ in an ordered column, so the order is fully defined.
    split = split_order(text)
    assert split is not None
    everything = engine_rows(store, split.text)
    indexes = [COLUMNS.index(c.variable) for c in split.conditions]
    keyed = {tuple(row[i] for i in indexes) for row in everything}
    if len(keyed) == len(set(everything)) and not any(
            isinstance(t, pyoxigraph.Literal) and t.value in ("-0", "0", "-0.0", "0.0")
            and t.datatype.value == XSD + "double" for row in everything for t in row):
        assert ours.rows == theirs
        event("no ties: exactly pyoxigraph's order")


def test_mixed_families_give_up() -> None:
    """Integers and strings in one column: Oxigraph's order there is not a key order."""
    rows = [{"a": Value(typed("10", "integer"), "integer"), "b": None},
            {"a": Value(pyoxigraph.Literal("9"), "string"), "b": None},
            {"a": Value(typed("2", "integer"), "integer"), "b": None}]
    text = ("SELECT ?a ?b WHERE { ?s a <http://e/Row> OPTIONAL { ?s <http://e/a> ?a } "
            "OPTIONAL { ?s <http://e/b> ?b } } ORDER BY ?a")
    store = store_of(rows)
    ours = select(store.query, text)
    assert ours.path == "gave-up"
    assert ours.rows == engine_rows(store, text)


def test_distinct_then_sort_is_sort_then_distinct() -> None:
    """SPARQL orders before DISTINCT; ibmkg removes duplicates first, then sorts stably.

    Both give the same rows in the same order: the order keys are projected, so identical
    rows have identical keys (DISTINCT keeps one of each either way), and rows with
    different keys are put in the same order by either sort.
    """
    values = ["c", "a", "c", "b", "a", "c"]
    rows = [{"a": Value(pyoxigraph.Literal(v), "string"), "b": None} for v in values]
    store = store_of(rows)
    text = ("SELECT DISTINCT ?a WHERE { ?s <http://e/a> ?a } ORDER BY DESC(?a)")
    ours = select(store.query, text)
    assert ours.path == "ibmkg"
    assert [r[0].value for r in ours.rows if r[0] is not None] == ["c", "b", "a"]
    assert ours.rows == engine_rows(store, text)


def test_ties_keep_the_engine_order() -> None:
    """Rows with equal keys stay in the order the engine gave them (a stable sort)."""
    one = typed("1", "integer")
    rows: list[TermRow] = [(one, pyoxigraph.Literal(s)) for s in ("z", "y", "x")]
    split = split_order("SELECT ?a ?b { ?s ?p ?a } ORDER BY DESC(?a)")
    assert split is not None
    assert sort_solutions(rows, COLUMNS, split) == rows


def test_store_query_sorts_before_restoring_written_forms() -> None:
    """``keep_written_forms`` gives back "3.0", but the order is by the store's values."""
    from ibmkg.graph_io import LoadedData, SourceGraph
    from ibmkg.source_index import SourceIndex

    p = pyoxigraph.NamedNode(E + "p")
    triples = tuple(pyoxigraph.Triple(pyoxigraph.NamedNode(f"{E}{i}"), p, typed(v, "decimal"))
                    for i, v in enumerate(["10.0", "3.0", "-1.50"]))
    data = LoadedData((SourceGraph("urn:g", "a.ttl", triples),), SourceIndex())
    store = EmbeddedStore.from_data(data, keep_written_forms=True)
    table = store.query("SELECT ?o WHERE { ?s <http://e/p> ?o } ORDER BY ?o LIMIT 2")
    assert table.terms is not None
    assert [t[0].value for t in table.terms if t[0] is not None] == ["-1.50", "3.0"]


# The splitter: each text, and what it must give (None: pyoxigraph runs the text as it is).
SPLITS: dict[str, tuple[str, tuple[OrderCondition, ...], int | None, int] | None] = {
    "SELECT ?x WHERE { ?x ?p ?o } ORDER BY ?x":
        ("SELECT ?x WHERE { ?x ?p ?o } ", (OrderCondition("x"),), None, 0),
    "select ?x ?n { ?x ?p ?n } order by desc(?n) ?x limit 10 offset 20":
        ("select ?x ?n { ?x ?p ?n } ", (OrderCondition("n", True), OrderCondition("x")), 10, 20),
    "SELECT ?x ?n { ?x ?p ?n } ORDER BY DESC(?n) ?x OFFSET 3 LIMIT 7":
        ("SELECT ?x ?n { ?x ?p ?n } ", (OrderCondition("n", True), OrderCondition("x")), 7, 3),
    "SELECT ?x ?n { ?x ?p ?n } ORDER BY ASC ( ?x ) # ORDER BY ?n\n":
        ("SELECT ?x ?n { ?x ?p ?n } ", (OrderCondition("x"),), None, 0),
    # ORDER BY in a sub-SELECT only: not the top-level one.
    "SELECT ?x { { SELECT ?x { ?x ?p ?o } ORDER BY ?x LIMIT 1 } }": None,
    # ... and both: the top-level one is split, the sub-SELECT's stays.
    "SELECT ?x { { SELECT ?x { ?x ?p ?o } ORDER BY ?o LIMIT 1 } } ORDER BY ?x":
        ("SELECT ?x { { SELECT ?x { ?x ?p ?o } ORDER BY ?o LIMIT 1 } } ",
         (OrderCondition("x"),), None, 0),
    # In a string, an IRI, a comment: not a clause.
    'SELECT ?x { ?x ?p "} ORDER BY ?x" }': None,
    "SELECT ?x { ?x <http://e/}ORDER_BY?x> ?o }": None,
    "SELECT ?x { ?x ?p ?o } # ORDER BY ?x": None,
    "SELECT ?x { ?x ?p ?o # }\n } ORDER BY ?x":
        ("SELECT ?x { ?x ?p ?o # }\n } ", (OrderCondition("x"),), None, 0),
    # GROUP BY and HAVING before it; an aggregate projected with AS.
    "SELECT ?x (COUNT(?o) AS ?n) { ?x ?p ?o } GROUP BY ?x HAVING (COUNT(?o) > 1) "
    "ORDER BY DESC(?n) ?x LIMIT 5":
        ("SELECT ?x (COUNT(?o) AS ?n) { ?x ?p ?o } GROUP BY ?x HAVING (COUNT(?o) > 1) ",
         (OrderCondition("n", True), OrderCondition("x")), 5, 0),
    "SELECT * WHERE { ?x ?p ?o } ORDER BY ?o":
        ("SELECT * WHERE { ?x ?p ?o } ", (OrderCondition("o"),), None, 0),
    "PREFIX e: <http://e/>\nSELECT DISTINCT ?x WHERE { ?x e:p ?o } ORDER BY ?x LIMIT 2":
        ("PREFIX e: <http://e/>\nSELECT DISTINCT ?x WHERE { ?x e:p ?o } ",
         (OrderCondition("x"),), 2, 0),
    # Refused: an expression, a bracketed variable, a variable not projected, a VALUES block
    # after the modifiers, LIMIT twice, a number run into a word, another query form.
    "SELECT ?x { ?x ?p ?o } ORDER BY STR(?x)": None,
    "SELECT ?x { ?x ?p ?o } ORDER BY (?x)": None,
    "SELECT ?x { ?x ?p ?o } ORDER BY ?o": None,
    "SELECT (STR(?o) AS ?x) { ?s ?p ?o } ORDER BY ?o": None,
    "SELECT ?x { ?x ?p ?o } ORDER BY ?x VALUES ?x { <http://e/a> }": None,
    "SELECT ?x { ?x ?p ?o } ORDER BY ?x LIMIT 1 LIMIT 2": None,
    "SELECT ?x { ?x ?p ?o } ORDER BY ?x LIMIT 1.5": None,
    "SELECT ?x { ?x ?p ?o } ORDER BY ?x LIMIT 10OFFSET 2": None,
    "CONSTRUCT { ?x ?p ?o } WHERE { ?x ?p ?o } ORDER BY ?x LIMIT 1": None,
    "ASK { ?x ?p ?o }": None,
    "SELECT ?x { ?x ?p ?o } LIMIT 3": None,
}


@pytest.mark.parametrize("text", sorted(SPLITS))
def test_splitter(text: str) -> None:
    split = split_order(text)
    expected = SPLITS[text]
    if expected is None:
        assert split is None
    else:
        assert split is not None
        assert (split.text, split.conditions, split.limit, split.offset) == expected


def test_splitter_cases_counted() -> None:
    assert len(SPLITS) == 24


def test_split_texts_run_on_pyoxigraph() -> None:
    """Every accepted split leaves a text pyoxigraph parses, with the same columns."""
    store = pyoxigraph.Store()
    for text, expected in SPLITS.items():
        if expected is not None and "PREFIX" not in text:
            original = store.query(text)
            stripped = store.query(expected[0])
            assert isinstance(original, pyoxigraph.QuerySolutions)
            assert isinstance(stripped, pyoxigraph.QuerySolutions)
            assert original.variables == stripped.variables


def test_selection_reports_the_engine_path() -> None:
    store = pyoxigraph.Store()
    answer: Selection = select(store.query, "SELECT ?x { ?x ?p ?o } ORDER BY STR(?x)")
    assert answer.path == "engine"


I64_MIN, I64_MAX = -(2 ** 63), 2 ** 63 - 1
#: Per family: values at the edges of what Oxigraph reads as that family (sorted by ibmkg).
EDGES = {
    "integer": [typed(str(n), "integer") for n in (I64_MIN, I64_MAX, 0, -1, 1)],
    "decimal": [typed(v, "decimal") for v in (
        "170141183460469231731.687303715884105727", "-170141183460469231731.687303715884105728",
        "0.000000000000000001", "-0.000000000000000001", "0", "1.5")],
    "double": [typed(v, "double") for v in ("INF", "-INF", "1e308", "-5e-324", "0", "2.5")],
    "string": [pyoxigraph.Literal(v, language=t) for v, t in (("a", "en"), ("a", "fr"))]
    + [pyoxigraph.Literal(v) for v in ("a", "", "\U0001f600", "\uffff", "é")],
}
#: Per family: values just outside it (Oxigraph then compares them as plain literals).
OUTSIDE = {
    "integer": [typed(str(I64_MIN - 1), "integer"), typed(str(I64_MAX + 1), "integer"),
                typed("1.0", "integer")],
    "decimal": [typed("170141183460469231731.687303715884105728", "decimal"),
                typed("-170141183460469231731.687303715884105729", "decimal"),
                typed("0.0000000000000000001", "decimal"), typed("1e5", "decimal")],
    "double": [typed("NaN", "double"), typed("1_0", "double")],
    "string": [typed("1", "integer"), typed("x", "token")],
}


def single_column(terms: list[pyoxigraph.Literal]) -> tuple[pyoxigraph.Store, str]:
    rows = [{"a": Value(t, ""), "b": None} for t in terms]
    return store_of(rows), ("SELECT ?a ?b WHERE { ?s a <http://e/Row> "
                            "OPTIONAL { ?s <http://e/a> ?a } OPTIONAL { ?s <http://e/b> ?b } } "
                            "ORDER BY DESC(?a)")


@pytest.mark.parametrize("family", sorted(EDGES))
def test_edges_of_each_family(family: str) -> None:
    store, text = single_column(EDGES[family])
    ours = select(store.query, text)
    assert ours.path == "ibmkg"
    assert ours.rows == engine_rows(store, text)


@pytest.mark.parametrize(("family", "stray"), [(f, i) for f in sorted(OUTSIDE)
                                               for i in range(len(OUTSIDE[f]))])
def test_one_value_outside_the_family_gives_up(family: str, stray: int) -> None:
    store, text = single_column([*EDGES[family], OUTSIDE[family][stray]])
    ours = select(store.query, text)
    assert ours.path == "gave-up"
    assert ours.rows == engine_rows(store, text)


@pytest.fixture(scope="module")
def sandboxed() -> Iterator[SandboxedStore]:
    """A sandboxed store (real worker processes) over mixed data, with a triple term."""
    rows = [{"a": Value(t, ""), "b": None} for t in EDGES["string"] + EDGES["integer"]]
    inner = EmbeddedStore()
    inner.oxigraph.extend(store_of(rows))
    quoted = pyoxigraph.Triple(CLASS, RDF_TYPE, CLASS)
    inner.oxigraph.add(pyoxigraph.Quad(pyoxigraph.NamedNode(E + "t"),
                                       pyoxigraph.NamedNode(E + "t"), quoted))
    with SandboxedStore(inner, timeout=30) as store:
        yield store


SANDBOX_QUERIES = {
    # strings and language strings only: sorted by ibmkg
    "SELECT ?a WHERE { ?s <http://e/a> ?a FILTER(isLiteral(?a) && !isNumeric(?a)) } "
    "ORDER BY DESC(?a) LIMIT 4": True,
    "SELECT DISTINCT ?a WHERE { ?s <http://e/a> ?a FILTER(isNumeric(?a)) } ORDER BY ?a": True,
    # strings and integers together: pyoxigraph's ORDER BY
    "SELECT ?a WHERE { ?s <http://e/a> ?a } ORDER BY ?a": False,
    # a triple term: pyoxigraph's ORDER BY
    "SELECT ?o WHERE { ?s <http://e/t> ?o } ORDER BY ?o": False,
}


@pytest.mark.parametrize("text", sorted(SANDBOX_QUERIES))
def test_sandboxed_store_orders_like_pyoxigraph(sandboxed: SandboxedStore, text: str) -> None:
    """``ibmkg serve`` and ``ibmkg query`` run queries in sandbox workers: the same order."""
    theirs = engine_rows(sandboxed._inner.oxigraph, text)
    fast = sandboxed._ordered(text, 30, 1000)
    assert (fast is not None) is SANDBOX_QUERIES[text]
    table = sandboxed.query(text)
    assert table.terms is not None
    # (the sandbox sends a triple term as the text of a plain literal)
    assert [tuple(getattr(t, "value", str(t)) for t in row) for row in table.terms] == \
        [tuple(getattr(t, "value", str(t)) for t in row) for row in theirs]


def test_sandboxed_store_at_its_row_cap_runs_the_order_in_the_engine(
        sandboxed: SandboxedStore) -> None:
    """Capped unordered rows are not the first ordered rows: the engine orders instead."""
    text = ("SELECT ?a WHERE { ?s <http://e/a> ?a FILTER(isNumeric(?a)) } "
            "ORDER BY DESC(?a) LIMIT 2")
    assert sandboxed._ordered(text, 30, 3) is None
    assert sandboxed._ordered(text, 30, 1000) is not None
    table = sandboxed.run(text, max_rows=3)
    assert isinstance(table, ResultTable)
    assert table.rows == [(I64_MAX,), (1,)]


def test_a_limit_over_many_rows_is_left_to_the_engine() -> None:
    """With a LIMIT, ibmkg reads at most ``limited_rows`` unordered rows, then gives up."""
    rows = [{"a": Value(typed(str(n), "integer"), "integer"), "b": None} for n in range(6)]
    store = store_of(rows)
    text = ("SELECT ?a ?b WHERE { ?s a <http://e/Row> OPTIONAL { ?s <http://e/a> ?a } "
            "OPTIONAL { ?s <http://e/b> ?b } } ORDER BY DESC(?a)")
    for limit, cap, path in (("", 5, "ibmkg"), (" LIMIT 2", 6, "ibmkg"),
                             (" LIMIT 2", 5, "gave-up")):
        ours = select(store.query, text + limit, limited_rows=cap)
        assert ours.path == path
        assert ours.rows == engine_rows(store, text + limit)


class _Recording(SandboxedStore):
    """The real sandboxed store, recording the time limit of each worker call."""

    limits: list[float]

    def _answer(self, text: str, timeout: float, max_rows: int) -> dict[str, Any]:
        self.limits.append(timeout)
        return super()._answer(text, timeout, max_rows)


def test_a_given_up_order_leaves_the_rerun_only_the_time_left() -> None:
    """A query whose ORDER BY ibmkg gives up on runs twice in the worker; the second run
    gets what is left of the limit, not the whole limit again."""
    rows = [{"a": Value(t, ""), "b": None} for t in EDGES["string"] + EDGES["integer"]]
    inner = EmbeddedStore()
    inner.oxigraph.extend(store_of(rows))
    store = _Recording(inner, timeout=30, cache_size=0)
    store.limits = []
    with store:
        table = store.run("SELECT ?a WHERE { ?s <http://e/a> ?a } ORDER BY ?a")
        assert isinstance(table, ResultTable)
        assert len(table.rows) == len(rows)
        assert len(store.limits) == 2  # unordered, gave up (strings and integers), as written
        assert store.limits[0] == 30
        assert 0 < store.limits[1] < 30
