"""The compiled SHACL engine gives exactly the results of the reference path (pySHACL).

Both engines run on the same input and their result sets must be equal, compared on focus
node, path, value, constraint component, severity and source shape (blank nodes compared as
blank, since each engine names them itself): on the real graph, on every broken fixture of
``tests/data/broken/``, on the W3C SHACL core and SPARQL suites, and on generated graphs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import w3c_shacl
from ibmkg.graph_io import LoadedData, parse_turtle
from ibmkg.validation import Engine, ValidationReport, ValidationResult, validate
from ibmkg.validation.compile_sparql import NotCompilable, rewrite_select
from ibmkg.validation.compiled import compile_shapes, run_compiled, validate_compiled
from test_shapes import FIXTURES, Fixture, _as_data, _base, _broken, _owners

Row = tuple[str, str | None, str | None, str, str, str]
_BLANK = re.compile(r"_:[A-Za-z0-9_\-.]+")


def rows(report: ValidationReport) -> set[Row]:
    """The compared fields of each result, blank node labels erased."""
    def b(text: str | None) -> str | None:
        return _BLANK.sub("_:b", text) if text is not None else None

    return {(b(r.focus) or "", b(r.path), b(r.value), r.constraint_component,
             r.severity.value, b(r.source_shape) or "") for r in report.results}


def assert_same(data: LoadedData, shapes: list[pyoxigraph.Triple],
                use_shapes: list[str] | None = None) -> set[Row]:
    fast = rows(validate_compiled(data, shapes, use_shapes=use_shapes))
    reference = rows(validate(data, shapes, use_shapes=use_shapes, engine=Engine.PYSHACL,
                              python_checks=False))
    assert fast == reference, (f"only compiled: {sorted(fast - reference)}\n"
                               f"only pySHACL: {sorted(reference - fast)}")
    return fast


def test_every_project_shape_compiles(shapes: list[pyoxigraph.Triple]) -> None:
    plan = compile_shapes(shapes)
    assert plan.fallback == {}, "a project shape falls back to pySHACL"
    assert len(plan.compiled) == 23


def test_real_graph(project: LoadedData, shapes: list[pyoxigraph.Triple]) -> None:
    found = assert_same(project, shapes)
    assert found, "the real graph has one Info (the missing DOI of reference 2)"


@pytest.mark.engines
@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.path.stem for f in FIXTURES])
def test_broken_fixture(fixture: Fixture, project: LoadedData,
                        shapes: list[pyoxigraph.Triple]) -> None:
    owner = _owners(shapes)[fixture.shape]
    data = _as_data(_broken(_base(project, fixture), fixture), fixture.path.name)
    found = assert_same(data, shapes, use_shapes=[owner])
    assert any(fixture.shape in (r[5], fixture.shape) for r in found)


def test_fallback_shape_goes_to_pyshacl() -> None:
    shapes = parse_turtle("""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <http://ex/S> sh:targetClass <http://ex/C> ; sh:property [ sh:path <http://ex/q> ;
            sh:qualifiedValueShape [ sh:class <http://ex/D> ] ; sh:qualifiedMinCount 1 ] .
        <http://ex/T> sh:targetClass <http://ex/C> ; sh:property [ sh:path <http://ex/p> ;
            sh:minCount 1 ] .""")
    data = _as_data(parse_turtle("<http://ex/a> a <http://ex/C> ."), "a.ttl")
    plan = compile_shapes(shapes)
    assert [str(s) for s in plan.fallback] == ["<http://ex/S>"]
    found = assert_same(data, shapes)
    assert {r[3].rsplit("#", 1)[1] for r in found} == {
        "QualifiedMinCountConstraintComponent", "MinCountConstraintComponent"}


@pytest.mark.parametrize("query", [
    "SELECT ?x WHERE { { SELECT ?x WHERE { $this <urn:p> ?x } } }",
    "SELECT $this WHERE { $this <urn:p> ?x } LIMIT 1",
    "SELECT $this WHERE { GRAPH ?g { $this <urn:p> ?x } }",
    "SELECT (COUNT(?x) AS ?n) WHERE { $this <urn:p> ?x }",
    "ASK { $this <urn:p> ?x }",
])
def test_rewrite_refuses_what_prebinding_means_otherwise(query: str) -> None:
    with pytest.raises(NotCompilable):
        rewrite_select(query, "?this a <urn:C> .")


def test_no_rdflib_when_every_shape_compiles() -> None:
    code = ("import sys\nfrom ibmkg.graph_io import load_project, load_turtle\n"
            "from ibmkg.paths import default_layout, shape_files\n"
            "from ibmkg.validation.compiled import validate_compiled\n"
            "lay = default_layout()\n"
            "shapes = [t for p in shape_files(lay) for t in load_turtle(p)]\n"
            "validate_compiled(load_project(lay, with_mappings=False), shapes)\n"
            "print(sorted(m for m in ('rdflib', 'pyshacl') if m in sys.modules))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


# --- generated graphs -----------------------------------------------------------------------

EX = "http://ex/"
_GEN_SHAPES = parse_turtle(f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <{EX}> .
ex:S sh:targetClass ex:C ; sh:property ex:P1, ex:P2, ex:P3, ex:P4 ; sh:sparql ex:Q .
ex:P1 sh:path ex:p ; sh:minCount 1 ; sh:maxCount 2 ; sh:datatype xsd:integer ;
    sh:minInclusive 0 ; sh:maxExclusive 5 .
ex:P2 sh:path ex:q ; sh:class ex:C ; sh:nodeKind sh:IRI ; sh:in ( ex:a ex:b ex:c ) .
ex:P3 sh:path ( ex:q ex:p ) ; sh:lessThan ex:p ; sh:disjoint ex:r .
ex:P4 sh:path [ sh:inversePath ex:q ] ; sh:maxCount 1 ; sh:pattern "^http://ex/[ab]$" ;
    sh:severity sh:Warning .
ex:Q sh:select '''SELECT $this ?value WHERE {{ $this <{EX}p> ?value .
    FILTER NOT EXISTS {{ $this <{EX}r> ?value }} }}''' .
ex:T sh:targetSubjectsOf ex:r ; sh:property [ sh:path ex:r ; sh:hasValue 1 ;
    sh:equals ex:p ] .
ex:U sh:targetClass ex:D ; sh:or ( [ sh:path ex:p ; sh:minCount 1 ] [ sh:class ex:C ] ) ;
    sh:not [ sh:path ex:r ; sh:minCount 2 ] ; sh:property [ sh:path ex:q ; sh:node ex:N ] .
ex:N sh:property [ sh:path ex:p ; sh:maxCount 1 ] ; sh:xone ( [ sh:class ex:C ]
    [ sh:nodeKind sh:Literal ] ) .
""")
_NODES = ["a", "b", "c", "d"]
_VALUES = st.sampled_from(['"1"^^<http://www.w3.org/2001/XMLSchema#integer>', '"7"',
                           '"x1"^^<http://www.w3.org/2001/XMLSchema#integer>',
                           '"-2"^^<http://www.w3.org/2001/XMLSchema#integer>', "<http://ex/a>",
                           '"3.5"^^<http://www.w3.org/2001/XMLSchema#decimal>', "<http://ex/d>"])
_TRIPLE = st.one_of(
    st.tuples(st.sampled_from(_NODES), st.just("a"), st.sampled_from(["C", "D"])).map(
        lambda t: f"<{EX}{t[0]}> a <{EX}{t[2]}> ."),
    st.tuples(st.sampled_from(_NODES), st.sampled_from(["p", "q", "r"]), _VALUES).map(
        lambda t: f"<{EX}{t[0]}> <{EX}{t[1]}> {t[2]} ."),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_TRIPLE, max_size=12))
def test_generated_graphs(triples: list[str]) -> None:
    data = _as_data(parse_turtle("\n".join(triples)), "generated.ttl")
    assert_same(data, _GEN_SHAPES)


# --- the W3C SHACL suite --------------------------------------------------------------------

W3C_CASES = w3c_shacl.cases()

#: Cases where the compiled engine and pySHACL are allowed to differ, with the reason.
XFAIL: dict[str, str] = {
    "sparql/pre-binding/pre-binding-006#pre-binding-006":
        "pySHACL 0.40 raises AttributeError on a sub-select `SELECT *` whose only pattern is a "
        "FILTER on $this; the compiled engine reports the one result the W3C test expects",
    "core/property/or-datatypes-001#or-datatypes-001":
        'the pySHACL adapter hands the ill-typed "none"^^xsd:boolean to pySHACL as a plain '
        "string, which this sh:or's xsd:string branch then accepts; the compiled engine checks "
        "the literal as written. Neither gives the suite's expected report (see XFAIL in "
        "test_w3c_shacl.py); ibmkg's literal check reports the value either way",
}


@pytest.fixture(scope="module")
def w3c_present() -> None:
    if not W3C_CASES:
        message = f"W3C SHACL suite not found under {w3c_shacl.suite_root()}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def test_w3c_case_count(w3c_present: None) -> None:
    assert len(W3C_CASES) == 121  # 98 core + 23 SPARQL-based validation tests


@pytest.mark.w3c
@pytest.mark.parametrize("case", W3C_CASES, ids=[c.id for c in W3C_CASES])
def test_w3c_suite(case: w3c_shacl.Case, w3c_present: None) -> None:
    if case.id in XFAIL:
        pytest.xfail(XFAIL[case.id])
    data = w3c_shacl.as_data(w3c_shacl.load(case.data), case.data.name)
    shapes = w3c_shacl.load(case.shapes)
    outcomes: list[set[Row] | str] = []
    for engine in (Engine.COMPILED, Engine.PYSHACL):
        try:
            outcomes.append(rows(validate(data, shapes, engine=engine, python_checks=False)))
        except Exception as error:  # both engines must fail alike
            outcomes.append(type(error).__name__)
    fast, reference = outcomes
    if isinstance(fast, set) and isinstance(reference, set):
        assert fast == reference, (f"only compiled: {sorted(fast - reference)}\n"
                                   f"only pySHACL: {sorted(reference - fast)}")
    else:
        assert isinstance(fast, str) and isinstance(reference, str), outcomes


# --- regressions -----------------------------------------------------------------------------

_XSD = "http://www.w3.org/2001/XMLSchema#"


def test_literals_are_checked_as_written() -> None:
    """A pyoxigraph store gives "5"^^xsd:byte back as xsd:integer and "4.0" as "4"."""
    shapes = parse_turtle(f"""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <http://ex/S> sh:targetSubjectsOf <http://ex/p> ; sh:property [ sh:path <http://ex/p> ;
            sh:datatype <{_XSD}byte> ] , [ sh:path <http://ex/q> ; sh:maxExclusive 4 ] .""")
    data = _as_data(parse_turtle(
        f'<http://ex/a> <http://ex/p> "5"^^<{_XSD}byte>, "300"^^<{_XSD}byte> ; '
        f'<http://ex/q> "4.0"^^<{_XSD}decimal> .'), "a.ttl")
    found = assert_same(data, shapes)
    assert {(r[2], r[3].rsplit("#", 1)[1]) for r in found} == {
        (f'"300"^^<{_XSD}byte>', "DatatypeConstraintComponent"),
        (f'"4.0"^^<{_XSD}decimal>', "MaxExclusiveConstraintComponent")}


def test_blank_nodes_keep_their_identity() -> None:
    """A store filled from N-Triples renames blank nodes: class membership was lost."""
    shapes = parse_turtle("""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <http://ex/S> sh:targetNode <http://ex/a> ; sh:property [ sh:path <http://ex/p> ;
            sh:class <http://ex/C> ] .""")
    data = _as_data(parse_turtle("<http://ex/a> <http://ex/p> [ a <http://ex/C> ] ."), "a.ttl")
    assert assert_same(data, shapes) == set()


def test_exists_in_a_filter_is_decorrelated() -> None:
    """EXISTS inside a FILTER is rewritten (pyoxigraph evaluates it by a scan per solution)."""
    query = rewrite_select("SELECT $this ?v WHERE { $this <urn:p> ?a . ?a <urn:n> ?v . "
                           "FILTER (?v < 1 || EXISTS { $this <urn:p> ?b . FILTER (?b != ?a) "
                           "?b <urn:n> ?v }) }", "?this a <urn:C> .")
    assert "EXISTS" not in query and "OPTIONAL" in query


def test_a_path_with_alternatives_is_a_sub_select() -> None:
    """A `/` or `|` path joined with a variable-predicate pattern took 15 s at 1,000 studies
    (shape:Quoted-inCell): it is evaluated once in a sub-select, with the same results."""
    query = rewrite_select("SELECT $this ?v WHERE { ?s (<urn:a>|<urn:a>/<urn:b>) $this ; "
                           "<urn:row> ?r . ?k <urn:prop> ?p . ?r ?p ?v }", "?this a <urn:C> .")
    assert "{ SELECT * WHERE { ?s (<urn:a>|<urn:a>/<urn:b>) ?this } } ?s" in query
    kept = rewrite_select("SELECT $this WHERE { FILTER EXISTS { ?s <urn:a>/<urn:b> $this } "
                          "?s <urn:a>* $this }", "?this a <urn:C> .")
    assert "SELECT *" not in kept  # inside EXISTS, and a path with *: left as written
    shapes = parse_turtle("""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <http://ex/S> sh:targetClass <http://ex/C> ; sh:sparql [ sh:select '''
        SELECT $this ?value WHERE { ?s (<http://ex/a>|<http://ex/a>/<http://ex/b>) $this ;
            <http://ex/row> ?r . ?r ?p ?value . <http://ex/k> <http://ex/prop> ?p .
            FILTER (?value != 1) }''' ] .""")
    data = _as_data(parse_turtle("""@prefix ex: <http://ex/> .
        ex:x a ex:C . ex:y a ex:C . ex:z a ex:C . ex:k ex:prop ex:cell .
        ex:s ex:a ex:x, ex:m ; ex:row ex:r1 . ex:m ex:b ex:y . ex:r1 ex:cell 1, 2 .
        ex:t ex:a ex:z ; ex:row ex:r2 . ex:r2 ex:cell 1 ."""), "a.ttl")
    assert {r[0] for r in assert_same(data, shapes)} == {"http://ex/x", "http://ex/y"}


def _pyshacl_fallback(triples: list[pyoxigraph.Triple], shapes: list[pyoxigraph.Triple], *,
                      inference: str = "none") -> list[tuple[ValidationResult, str | None]]:
    report = validate(_as_data(triples, "data"), shapes, inference=inference,
                      engine=Engine.PYSHACL, python_checks=False)
    return [(r, None) for r in report.results]


def test_run_compiled_is_the_same_engine(project: LoadedData,
                                         shapes: list[pyoxigraph.Triple]) -> None:
    """The engine-adapter entry point (for ``Engine.COMPILED``) gives validate_compiled's rows."""
    fallback_shapes = [*shapes, *parse_turtle("""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <http://ex/S> sh:targetClass <https://w3id.org/ibmkg/ontology/Arm> ;
            sh:property [ sh:path <http://ex/q> ;
                sh:qualifiedValueShape [ sh:class <http://ex/D> ] ; sh:qualifiedMinCount 1 ] .""")]
    for shape_set in (shapes, fallback_shapes):
        engine = {r for r, _ in run_compiled(project.triples(), shape_set,
                                             fallback=_pyshacl_fallback)}
        assert rows(ValidationReport(list(engine))) == rows(validate_compiled(project, shape_set))
    assert any("Qualified" in r[3] for r in rows(ValidationReport(list(engine))))
