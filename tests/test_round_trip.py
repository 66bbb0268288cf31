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
XSD = "http://www.w3.org/2001/XMLSchema#"
GRAPH = "https://w3id.org/ibmkg/study/generated"
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
    data = LoadedData((SourceGraph(GRAPH, "generated.ttl", tuple(graph)),), SourceIndex())
    for name in FORMATS:
        _round_trip(data, name)


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
