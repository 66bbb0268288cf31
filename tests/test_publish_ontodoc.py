"""The ontology documentation shows every anonymous class axiom, readable, on its class."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from ibmkg.graph_io import load_turtle
from ibmkg.paths import Layout
from ibmkg.publish import ontodoc
from ibmkg.publish.manchester import ClassAxioms
from site_fixtures import BuiltSite


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def test_every_anonymous_class_axiom_is_in_the_documentation(built_site: BuiltSite,
                                                             project_layout: Layout) -> None:
    axioms = ClassAxioms.from_triples(load_turtle(project_layout.ontology))
    doc = (built_site.out / "ontology" / "doc.html").read_text("utf-8")
    ids = ontodoc.anchors(doc)
    listed = re.search(r'<div class="section" id="class-axioms">.*?</div>', doc, re.S)
    assert listed is not None
    found = 0
    for iri, pairs in axioms.axioms.items():
        entry = re.search(f'<div class="property entity" id="{re.escape(ids[iri])}">.*?'
                          "</table>", doc, re.S)
        assert entry is not None, f"{iri}: no entry in the documentation"
        for kind, node in pairs:
            text = axioms.text(node)
            assert "_:" not in text and "[" not in text, f"{iri}: {text}"
            row = f"{kind} (OWL)" + text
            assert row in _text(entry.group(0)), f"{iri}: {kind} {text} not in its entry"
            assert f"{kind}: {text}" in _text(listed.group(0))
            found += 1
    assert found == 22  # 15 anonymous owl:equivalentClass, 7 rdfs:subClassOf restrictions


def test_defined_classes_read_with_labels(built_site: BuiltSite) -> None:
    doc = _text((built_site.out / "ontology" / "doc.html").read_text("utf-8"))
    assert ("Equivalent to (OWL)study and (has arm some (receives some (agent value "
            "placebo)))") in doc
    assert "Subclass of (OWL)is crossover value true" in doc
    listed = doc.split("Class definitions", 2)[2].split("Metadata", 1)[0]
    assert "ibmkg:" not in listed and "https://" not in listed  # labels, not IRIs


def test_the_term_page_links_to_its_definition(built_site: BuiltSite) -> None:
    page = (built_site.out / "ontology" / "PlaceboControlledStudy.html").read_text("utf-8")
    link = re.search(r'href="doc.html#([^"]+)"', page)
    assert link is not None
    doc = (built_site.out / "ontology" / "doc.html").read_text("utf-8")
    entry = re.search(f'id="{link.group(1)}">.*?</table>', doc, re.S)
    assert entry is not None and "Equivalent to (OWL)" in entry.group(0)


def test_the_page_is_cached_by_ontology_content(project_layout: Layout,
                                                tmp_path: Path) -> None:
    ontology = tmp_path / "ibmkg.ttl"
    ontology.write_bytes(project_layout.ontology.read_bytes())
    cache = tmp_path / "cache"
    first = ontodoc.ontology_html(ontology, cache_dir=cache)
    (saved,) = cache.glob("*.html")
    assert saved.read_text("utf-8") == first
    ontodoc._MEMO.clear()
    saved.write_text(first.replace("Class definitions", "Class definitions (cached)"), "utf-8")
    assert "(cached)" in ontodoc.ontology_html(ontology, cache_dir=cache)
    ontodoc._MEMO.clear()
    ontology.write_bytes(ontology.read_bytes() + b"\n# changed\n")
    assert "(cached)" not in ontodoc.ontology_html(ontology, cache_dir=cache)
    assert len(list(cache.glob("*.html"))) == 2


def test_a_read_only_cache_folder_is_no_error(project_layout: Layout, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    ontodoc._MEMO.clear()
    page = ontodoc.ontology_html(project_layout.ontology, cache_dir=blocker / "cache")
    assert "Class definitions" in page


@pytest.fixture(autouse=True)
def _fresh_memo() -> None:
    ontodoc._MEMO.clear()
