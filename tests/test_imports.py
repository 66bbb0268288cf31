"""MIREOT import modules: built offline from the committed seed lists, and complete.

Protects: each ``ontology/imports/<name>_import.ttl`` is exactly what its seed list gives
(``make imports``); each module names its source ontology and the release it cites; every
term has a label and ``rdfs:isDefinedBy``; every parent is itself declared; and no graph,
ontology or mapping uses an external (OBO, MeSH, Orphanet) IRI that no module declares with a
label. A malformed seed list fails naming its row.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from ibmkg.graph_io import LoadedData, load_turtle
from ibmkg.imports import (
    EXTERNAL_NAMESPACES,
    TermType,
    build_import,
    declared_terms,
    external_iris,
    import_turtle,
    load_modules,
    module_path,
    parse_seed_list,
    read_seed_list,
    seed_lists,
)
from ibmkg.namespaces import PREFIXES
from ibmkg.paths import Layout, find_root, import_files
from ibmkg.tabular import TableError

ROOT = find_root(Path(__file__).parent)
LAYOUT = Layout(ROOT)
RDFS_LABEL = PREFIXES["rdfs"] + "label"
EXPECTED_MODULES = ["bibo", "chebi", "cl", "doid", "eco", "hp", "iao", "maxo", "mesh", "mondo",
                    "ncit", "obi", "ogms", "orphanet", "sepio", "uberon", "uo"]

SEED = """#ontology: http://purl.obolibrary.org/obo/hp.owl
#title: "Human Phenotype Ontology"
#version: "2023-07-21"
#source: "obophenotype/human-phenotype-ontology:src/translations/hp-ja.babelon.tsv"
id\tlabel\tdefinition\tparent\tsource_note\ttype
HP:0002015\tDysphagia\t\t\tverified\t
"""


def _labels(triples: list[pyoxigraph.Triple]) -> dict[str, str]:
    return {t.subject.value: t.object.value for t in triples
            if t.predicate.value == RDFS_LABEL and isinstance(t.subject, pyoxigraph.NamedNode)
            and isinstance(t.object, pyoxigraph.Literal)}


@pytest.fixture(scope="module")
def module_labels() -> dict[str, str]:
    """IRI -> label of every term the committed import modules declare."""
    labels: dict[str, str] = {}
    for path in import_files(LAYOUT):
        labels.update(_labels(load_turtle(path)))
    return labels


def test_one_module_per_seed_list() -> None:
    seeds = seed_lists(LAYOUT)
    assert [s.name.removesuffix("_terms.tsv") for s in seeds] == EXPECTED_MODULES
    assert sorted(import_files(LAYOUT)) == sorted(module_path(s) for s in seeds)


@pytest.mark.parametrize("name", EXPECTED_MODULES)
def test_module_is_generated_from_its_seed_list(name: str) -> None:
    seed = LAYOUT.imports / f"{name}_terms.tsv"
    module = read_seed_list(seed, display=f"ontology/imports/{seed.name}")
    committed = module_path(seed).read_text(encoding="utf-8")
    assert committed == import_turtle(module), \
        f"ontology/imports/{name}_import.ttl is stale: run `make imports`"
    assert committed.startswith(f"# Generated from {name}_terms.tsv by make imports; do not edit")


@pytest.mark.parametrize("name", EXPECTED_MODULES)
def test_module_names_its_source_and_release(name: str) -> None:
    (module,) = load_modules(LAYOUT, [name])
    triples = build_import(module)
    head = pyoxigraph.NamedNode(module.iri)
    predicates = {t.predicate.value: t.object for t in triples if t.subject == head}
    assert predicates[PREFIXES["rdf"] + "type"] == pyoxigraph.NamedNode(PREFIXES["owl"] +
                                                                        "Ontology")
    assert predicates[PREFIXES["dcterms"] + "source"] == pyoxigraph.NamedNode(module.ontology)
    assert predicates[PREFIXES["owl"] + "versionInfo"].value == module.version  # type: ignore[union-attr]
    for term in module.terms:
        subject = pyoxigraph.NamedNode(term.iri)
        assert pyoxigraph.Triple(subject, pyoxigraph.NamedNode(RDFS_LABEL),
                                 pyoxigraph.Literal(term.label)) in triples
        assert pyoxigraph.Triple(subject, pyoxigraph.NamedNode(PREFIXES["rdfs"] + "isDefinedBy"),
                                 pyoxigraph.NamedNode(module.ontology)) in triples


def test_every_parent_is_declared(module_labels: dict[str, str]) -> None:
    modules = load_modules(LAYOUT)
    for module in modules:
        for term in module.terms:
            if term.parent:
                from ibmkg.curie import expand

                assert expand(term.parent) in module_labels, f"{term.curie}'s parent"


def test_no_iri_is_declared_twice() -> None:
    declared = declared_terms(load_modules(LAYOUT))
    assert len(declared) == sum(len(m.terms) for m in load_modules(LAYOUT))


def test_key_labels_are_as_verified(module_labels: dict[str, str]) -> None:
    obo = "http://purl.obolibrary.org/obo/"
    assert module_labels[obo + "MONDO_0007827"] == "inclusion body myositis"
    assert module_labels[obo + "HP_0003236"] == "Elevated circulating creatine kinase concentration"
    assert module_labels[obo + "MAXO_0000220"] == "glucocorticicoid agent therapy"  # sic
    assert module_labels[obo + "OBI_0003739"] == "manual muscle testing 8 score"
    assert module_labels[obo + "IAO_0000115"] == "definition"


def test_definition_is_an_annotation_property() -> None:
    (iao,) = load_modules(LAYOUT, ["iao"])
    definition = next(t for t in iao.terms if t.curie == "IAO:0000115")
    assert definition.type is TermType.ANNOTATION_PROPERTY


def test_every_external_iri_used_is_declared_with_a_label(
        project_data: LoadedData, module_labels: dict[str, str]) -> None:
    """Ontology, review, studies and mappings: no undeclared OBO, MeSH or Orphanet IRI."""
    missing: dict[str, list[str]] = {}
    for graph in project_data.graphs:
        if "/imports/" in graph.name:
            continue
        for iri in sorted(external_iris(list(graph.triples)) - set(module_labels)):
            missing.setdefault(graph.display, []).append(iri)
    assert missing == {}, ("declare these terms in a seed list ontology/imports/<name>_terms.tsv "
                           f"and run `make imports`: {missing}")


def test_the_check_catches_an_undeclared_term(module_labels: dict[str, str]) -> None:
    graph = [pyoxigraph.Triple(pyoxigraph.NamedNode(PREFIXES["outcome"] + "fatigue"),
                               pyoxigraph.NamedNode(PREFIXES["skos"] + "closeMatch"),
                               pyoxigraph.NamedNode("http://purl.obolibrary.org/obo/HP_9999999"))]
    assert external_iris(graph) - set(module_labels) == {"http://purl.obolibrary.org/obo/HP_9999999"}
    assert PREFIXES["MESH"] in EXTERNAL_NAMESPACES


def test_build_needs_no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the import build tried to open a connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    for module in load_modules(LAYOUT):
        assert import_turtle(module)


@pytest.mark.parametrize(("old", "new", "problem"), [
    ("HP:0002015\tDysphagia", "XX:1\tDysphagia", "(row 1): unknown prefix 'XX'"),
    ("HP:0002015\tDysphagia", "HP:0002015\t", "(row 1): HP:0002015 has no label"),
    ("\tverified\t\n", "\t\t\n", "(row 1): HP:0002015 has no source_note"),
    ("\tverified\t\n", "\tverified\tthing\n", "(row 1): unknown type 'thing'"),
    ('#version: "2023-07-21"\n', "", "metadata key 'version' is missing"),
    ("\tparent\t", "\tfather\t", "missing column(s) parent"),
])
def test_malformed_seed_list_names_the_row(old: str, new: str, problem: str) -> None:
    with pytest.raises(TableError) as info:
        parse_seed_list(SEED.replace(old, new), name="hp", source="hp_terms.tsv")
    assert problem in str(info.value)


def test_duplicate_seed_row() -> None:
    text = SEED + "hp:0002015\tDysphagia\t\t\tagain\t\n"
    with pytest.raises(TableError, match=r"hp_terms.tsv:7 \(row 2\): HP:0002015 is listed twice"):
        parse_seed_list(text, name="hp", source="hp_terms.tsv")
