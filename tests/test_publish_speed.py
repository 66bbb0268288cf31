"""Regression tests for what made ``ibmkg site`` slow (each once measured, see bench_site.py)."""

from __future__ import annotations

import posixpath
from pathlib import Path

import pytest

from ibmkg.paths import Layout
from ibmkg.publish import pictures
from ibmkg.publish.pages import relative
from ibmkg.sandbox import gate
from ibmkg.store.embedded import EmbeddedStore

_QUERY = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"


def test_a_stored_query_is_parsed_once_whatever_source_names_it() -> None:
    text = _QUERY + " # speed regression"
    gate.inspect_query(text, source="queries/x.rq", line_offset=7)
    before = gate._inspect_text.cache_info()
    gate.inspect_query(text)  # as EmbeddedStore.query does, without a source
    after = gate._inspect_text.cache_info()
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)


def test_a_refused_query_still_names_its_file_and_line() -> None:
    with pytest.raises(Exception, match=r"queries/bad\.rq"):
        gate.inspect_query("SELECT ?s WHERE { ?s ?p ", source="queries/bad.rq", line_offset=4)


@pytest.mark.parametrize(("target", "current"), [
    ("study/a/finding-1.html", "study/a"), ("index.html", "ontology/index"),
    ("study/b.html", "study/a/finding-1"), ("a/b/c.html", "a/b/c/d"), ("x.html", "index"),
    ("ontology/doc.html", "ontology/Arm"), ("study/a.html", "vocab/measure/x"),
])
def test_relative_links_are_posixpath_relpath(target: str, current: str) -> None:
    assert relative(target, current) == posixpath.relpath(target,
                                                          posixpath.dirname(current) or ".")


def test_many_studies_get_one_label_per_design(monkeypatch: pytest.MonkeyPatch) -> None:
    from ibmkg.paths import default_layout

    store = EmbeddedStore.from_project(default_layout())
    monkeypatch.setattr(pictures, "LABELLED_STUDIES", 3)
    evidence = pictures.evidence_map(store)
    assert "studies per design: " in evidence.alt and "Cherin" not in evidence.alt
    assert "(4 studies)" in evidence.svg or "(3 studies)" in evidence.svg
    line = pictures.timeline(store)
    assert "studies per design: " in line.alt and "Cherin" not in line.svg


def test_pictures_are_cached_by_their_rows(tmp_path: Path) -> None:
    from ibmkg.paths import default_layout

    cache = tmp_path / "pictures"
    store = EmbeddedStore.from_project(default_layout())
    first = pictures.timeline(store, cache_dir=cache)
    (saved,) = cache.glob("timeline-*.json")
    assert pictures.timeline(store, cache_dir=cache) == first
    saved.write_text(saved.read_text("utf-8").replace("Timeline of", "Cached timeline of"))
    assert pictures.timeline(store, cache_dir=cache).alt.startswith("Cached timeline of")
    assert pictures.timeline(EmbeddedStore(), cache_dir=cache).rows == 0  # other rows
    assert len(list(cache.glob("timeline-*.json"))) == 2


def test_pages_written_by_two_processes_are_the_same_files(fixture_layout: Layout,
                                                           tmp_path: Path) -> None:
    import shutil

    from ibmkg.publish.site import build_site

    layout = Layout(tmp_path / "project")
    shutil.copytree(fixture_layout.root, layout.root)
    one = build_site(layout, tmp_path / "one", ontology_docs=False, modified="2026-11-30",
                     jobs=1)
    two = build_site(layout, tmp_path / "two", ontology_docs=False, modified="2026-11-30",
                     jobs=2)
    assert two.pages == one.pages > 10 and two.warnings == one.warnings
    files = sorted(p.relative_to(one.out) for p in one.out.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two.out) for p in two.out.rglob("*") if p.is_file())
    for name in files:
        assert (one.out / name).read_bytes() == (two.out / name).read_bytes(), name
