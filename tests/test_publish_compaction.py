"""The fast JSON-LD compaction gives PyLD's result, key for key, on every graph the site writes."""

from __future__ import annotations

from typing import Any

import pyoxigraph
import pytest

from ibmkg.graph_io import LoadedData, parse_turtle
from ibmkg.paths import Layout
from ibmkg.publish import jsonld
from ibmkg.publish.compaction import compactor
from ibmkg.publish.metadata import DatasetFacts, void_triples


def _context(layout: Layout) -> dict[str, Any]:
    return jsonld.load_context(layout.context)


def test_the_project_context_is_compacted_without_pyld(project_layout: Layout) -> None:
    assert compactor(_context(project_layout)) is not None


def test_the_whole_graph_compacts_as_pyld_does(project_layout: Layout,
                                               project_data: LoadedData) -> None:
    triples = list(set(project_data.triples()))
    context = _context(project_layout)
    fast = jsonld.compact(triples, context)
    assert fast == jsonld.compact_with_pyld(triples, context)
    assert len(fast["@graph"]) > 400


def test_the_void_description_compacts_as_pyld_does(project_layout: Layout,
                                                    project_data: LoadedData) -> None:
    facts = DatasetFacts.from_triples(list(project_data.triples()))
    void = void_triples(facts, [], version="1", modified="2026-11-30")
    context = {k: v for k, v in _context(project_layout).items() if isinstance(v, str)}
    assert jsonld.compact(void, context) == jsonld.compact_with_pyld(void, context)


_MIXED = """
@prefix ibmkg: <https://w3id.org/ibmkg/ontology/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/ibmkg/study/a> a ibmkg:Study , <https://w3id.org/ibmkg/ontology/> ;
    skos:broader "a literal under an IRI-typed term" , <https://w3id.org/ibmkg/ontology/> ;
    ibmkg:isBlinded true , "yes" , "1"^^xsd:integer ;
    skos:prefLabel "a"@en-GB , "b" , "2"^^xsd:integer ;
    <http://example.org/unmapped> <https://w3id.org/ibmkg/study/a/arm-1> , _:b .
_:b ibmkg:doseValue "0.40"^^xsd:decimal .
"""


def test_mixed_values_split_between_term_and_curie_as_pyld_does(
        project_layout: Layout) -> None:
    triples = parse_turtle(_MIXED)
    context = _context(project_layout)
    fast = jsonld.compact(triples, context)
    assert fast == jsonld.compact_with_pyld(triples, context)
    study = next(n for n in fast["@graph"] if n["id"] == "study:a")
    assert study["isBlinded"] == "true" and "ibmkg:isBlinded" in study  # split by datatype


@pytest.mark.parametrize("context", [
    {"@vocab": "http://ex/"},
    {"ex": "http://ex/", "p": {"@id": "ex:p", "@container": "@list"}},
    {"ex": "http://ex/", "p": "ex:p", "q": "ex:p"},
])
def test_other_contexts_go_through_pyld(context: dict[str, Any]) -> None:
    assert compactor(context) is None
    triple = pyoxigraph.Triple(pyoxigraph.NamedNode("http://ex/a"),
                               pyoxigraph.NamedNode("http://ex/p"), pyoxigraph.Literal("x"))
    assert jsonld.compact([triple], context) == jsonld.compact_with_pyld([triple], context)
