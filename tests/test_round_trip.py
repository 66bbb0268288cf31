"""Exact round trips: write with ibmkg, read back through the gate, compare under RDFC-1.0.

Lexical forms are part of the graph (``"3.0"^^xsd:decimal`` is not ``"3"^^xsd:decimal``
under RDF's graph equality of terms), so a graph that comes back equal after
canonicalization kept every number, date and language tag as written. The real graph is
checked in every format, and ``IBMKG_ROUND_TRIP_EXAMPLES`` (default 1,000) generated graphs
per format.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ibmkg.export.rdf import serialize
from ibmkg.formats import RdfFormat
from ibmkg.graph_io import LoadedData, SourceGraph, load_project
from ibmkg.io.gate import parse_rdf
from ibmkg.paths import Layout
from ibmkg.source_index import SourceIndex

EXAMPLES = int(os.environ.get("IBMKG_ROUND_TRIP_EXAMPLES", "1000"))
#: Size of each generated graph that went through every format (filled by the test).
GENERATED: list[int] = []
XSD = "http://www.w3.org/2001/XMLSchema#"
GRAPH = "https://w3id.org/ibmkg/study/generated"
ONTOLOGY = "https://w3id.org/ibmkg/ontology/"
#: ibmkg's writers (build/ outputs) and N-Quads (pyoxigraph), each read back by the gate.
FORMATS = {
    "turtle": (RdfFormat.TURTLE, pyoxigraph.RdfFormat.TURTLE),
    "ntriples": (RdfFormat.NTRIPLES, pyoxigraph.RdfFormat.N_TRIPLES),
    "trig": (RdfFormat.TRIG, pyoxigraph.RdfFormat.TRIG),
    "jsonld": (RdfFormat.JSONLD, pyoxigraph.RdfFormat.JSON_LD),
    "rdfxml": (RdfFormat.RDFXML, pyoxigraph.RdfFormat.RDF_XML),
    "nquads": (None, pyoxigraph.RdfFormat.N_QUADS),
}
LEXICAL = {
    "decimal": ["3.0", "0.60", "-1.5", "+2.25", "10.0"],
    "double": ["0.6", "1.25e0", "6.0E-1", "1.0E10", "0.1234567890123"],
    "integer": ["7", "007", "-0", "+3"],
    "date": ["2024-01-26", "2001-02-28Z", "1999-12-31+01:00"],
    "gYear": ["2001", "1993"],
    "boolean": ["true", "false", "1", "0"],
    "string": ["", "a\rb", "tab\there", "\"quoted\"", "line\nbreak", "é ü 中"],
}

iris = st.sampled_from([f"https://w3id.org/ibmkg/study/x{i}" for i in range(6)]).map(
    pyoxigraph.NamedNode)
predicates = st.sampled_from([f"https://w3id.org/ibmkg/ontology/p{i}" for i in range(4)]).map(
    pyoxigraph.NamedNode)
typed = st.sampled_from(sorted(LEXICAL)).flatmap(lambda kind: st.sampled_from(LEXICAL[kind]).map(
    lambda text: pyoxigraph.Literal(text, datatype=pyoxigraph.NamedNode(XSD + kind))))
#: Any character but NUL and the surrogates.
chars = st.one_of(st.characters(min_codepoint=1, max_codepoint=0xD7FF),
                  st.characters(min_codepoint=0xE000, max_codepoint=0x10FFFF))
tagged = st.tuples(st.text(chars, max_size=8),
                   st.sampled_from(["en", "en-GB", "de", "fr-CA", "zh-Hant"])).map(
    lambda pair: pyoxigraph.Literal(pair[0], language=pair[1]))
plain = st.text(chars, max_size=12).map(pyoxigraph.Literal)
bnodes = st.sampled_from(["b0", "b1", "b2"]).map(pyoxigraph.BlankNode)
triples = st.tuples(st.one_of(iris, bnodes), predicates,
                    st.one_of(iris, bnodes, typed, tagged, plain)).map(
    lambda t: pyoxigraph.Triple(*t))
graphs = st.lists(triples, min_size=1, max_size=12)


def _canonical(quads: object) -> set[pyoxigraph.Triple]:
    dataset = pyoxigraph.Dataset(pyoxigraph.Quad(q.subject, q.predicate, q.object)
                                 for q in quads)  # type: ignore[attr-defined]
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
    return {pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in dataset}


def _round_trip(data: LoadedData, name: str, context: Path | None = None) -> None:
    ours, theirs = FORMATS[name]
    if ours is None:
        text = (pyoxigraph.serialize(data.quads(), format=theirs) or b"").decode("utf-8")
    else:
        text = serialize(data, ours, context=context)
    back = parse_rdf(text, theirs, source=f"round-trip.{name}")
    assert _canonical(back) == _canonical(data.triples()), name


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_real_graph_round_trips(project_layout: Layout, name: str) -> None:
    data = load_project(project_layout)
    _round_trip(data, name)


def test_real_graph_round_trips_through_compacted_jsonld(project_layout: Layout) -> None:
    """The published kg.jsonld (compacted with ontology/context.jsonld) keeps every literal."""
    data = load_project(project_layout)
    context = project_layout.context
    text = serialize(data, RdfFormat.JSONLD, context=context)
    inline = json.loads(text)
    inline["@context"] = json.loads(context.read_text())["@context"]
    back = parse_rdf(json.dumps(inline), pyoxigraph.RdfFormat.JSON_LD, source="kg.jsonld")
    assert _canonical(back) == _canonical(data.triples())


@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(graph=graphs)
def test_generated_graphs_round_trip(graph: list[pyoxigraph.Triple]) -> None:
    """Each generated graph goes through every format (so each format sees EXAMPLES graphs)."""
    GENERATED.append(len(graph))
    data = LoadedData((SourceGraph(GRAPH, "generated.ttl", tuple(graph)),), SourceIndex())
    for name in FORMATS:
        _round_trip(data, name)


def test_generated_graph_count() -> None:
    """Runs after the generated round trips (same file, same worker): count what they saw."""
    if not GENERATED:
        pytest.skip("the generated round trips did not run in this session")
    assert len(GENERATED) >= EXAMPLES
    print(f"RELIABILITY round-trip generated={len(GENERATED)} per format, "
          f"formats={len(FORMATS)} ({', '.join(sorted(FORMATS))}), failures=0")


def test_decimal_and_double_keep_their_lexical_form() -> None:
    """The issue's examples: xsd:decimal 3.0 stays 3.0, xsd:double 0.6 stays 0.6."""
    text = ('<https://w3id.org/ibmkg/study/a> <https://w3id.org/ibmkg/ontology/p> '
            f'"3.0"^^<{XSD}decimal>, "0.6"^^<{XSD}double> .')
    data = LoadedData((SourceGraph(GRAPH, "a.ttl", tuple(
        pyoxigraph.Triple(q.subject, q.predicate, q.object)
        for q in parse_rdf(text, pyoxigraph.RdfFormat.TURTLE))),), SourceIndex())
    for name in FORMATS:
        _round_trip(data, name)
    turtle = serialize(data, RdfFormat.TURTLE)
    assert "3.0" in turtle and "0.6" in turtle



#: Numbers written in forms the store changes, each value written once (so each is restored).
UNAMBIGUOUS = {"decimal": ["3.0", "0.60", "+2.25", "10.0", "-1.5"],
               "double": ["0.6", "1.0E10", "0.1234567890123"],
               "integer": ["007", "+3", "-12"], "boolean": ["1", "false"],
               "date": ["2024-01-26", "1999-12-31+01:00"], "gYear": ["2001"]}


def _store_data(values: list[tuple[str, str]]) -> LoadedData:
    subject = "https://w3id.org/ibmkg/study/a"
    turtle = "\n".join(f'<{subject}> <{ONTOLOGY}p{i}> "{text}"^^<{XSD}{kind}> .'
                       for i, (kind, text) in enumerate(values))
    turtle += f'\n<{subject}> <{ONTOLOGY}lang> "chat"@fr-CA .'
    return LoadedData((SourceGraph(GRAPH, "a.ttl", tuple(
        pyoxigraph.Triple(q.subject, q.predicate, q.object)
        for q in parse_rdf(turtle, pyoxigraph.RdfFormat.TURTLE))),), SourceIndex())


def _unambiguous() -> list[tuple[str, str]]:
    return [(kind, text) for kind, texts in UNAMBIGUOUS.items() for text in texts]


def test_written_forms_survive_the_store() -> None:
    """SELECT and CONSTRUCT answers give every literal back as written (issue 11)."""
    from ibmkg.store.base import LangString
    from ibmkg.store.embedded import EmbeddedStore

    values = _unambiguous()
    store = EmbeddedStore.from_data(_store_data(values), keep_written_forms=True)
    table = store.query("SELECT ?p ?o { ?s ?p ?o }")
    assert table.terms is not None
    selected = {str(row[0].value): row[1] for row in table.terms if row[0] is not None}
    constructed = {t.predicate.value: t.object
                   for t in store.construct("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")}
    for i, (kind, text) in enumerate(values):
        for answer in (selected, constructed):
            got = answer[f"{ONTOLOGY}p{i}"]
            assert isinstance(got, pyoxigraph.Literal)
            assert (got.value, got.datatype.value) == (text, XSD + kind)
    lang = {str(p): o for p, o in table.rows}[f"{ONTOLOGY}lang"]
    # RDF 1.1 language tags are case-insensitive; the store reports them in lower case.
    assert isinstance(lang, LangString) and (str(lang), lang.language) == ("chat", "fr-ca")


def test_sandboxed_answers_keep_written_forms() -> None:
    from ibmkg.sandbox.store import SandboxedStore

    values = _unambiguous()
    with SandboxedStore.from_data(_store_data(values), timeout=20) as store:
        table = store.query("SELECT ?p ?o { ?s ?p ?o }")
    assert table.terms is not None
    selected = {str(row[0].value): row[1] for row in table.terms if row[0] is not None}
    for i, (kind, text) in enumerate(values):
        got = selected[f"{ONTOLOGY}p{i}"]
        assert isinstance(got, pyoxigraph.Literal) and got.value == text, (kind, text)


def test_values_written_two_ways_are_named() -> None:
    """The store keeps one form per value; such values are reported (the build says so)."""
    from ibmkg.store.lexical import lexical_conflicts

    values = [(kind, text) for kind in ("decimal", "double", "integer", "boolean")
              for text in LEXICAL[kind]]
    literals = [t.object for t in _store_data(values).triples()
                if isinstance(t.object, pyoxigraph.Literal)]
    assert lexical_conflicts(literals) == [
        'xsd:boolean "0", "false"', 'xsd:boolean "1", "true"', 'xsd:double "0.6", "6.0E-1"',
        'xsd:integer "007", "7"']


@pytest.mark.xfail(strict=True, reason=(
    "Upstream design, kept as a record: pyoxigraph's Store encodes xsd:decimal, integer, "
    "double and boolean by value ('3.0'^^xsd:decimal is stored as '3'); ibmkg gives the "
    "written forms back in its answers (the tests above)."))
def test_raw_pyoxigraph_store_keeps_written_forms() -> None:
    store = pyoxigraph.Store()
    store.extend(_store_data([("decimal", "3.0")]).quads())
    decimals = [q.object for q in store if isinstance(q.object, pyoxigraph.Literal)
                and q.object.datatype.value == XSD + "decimal"]
    assert [lit.value for lit in decimals] == ["3.0"]
