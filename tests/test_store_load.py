"""The strict loader straight into a store (issue 13): the same graphs and the same errors
as the reference path, ``EmbeddedStore.from_data(load_project(layout))``."""

from __future__ import annotations

import importlib
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pyoxigraph
import pytest

from ibmkg.errors import InputError
from ibmkg.graph_io import load_project
from ibmkg.paths import Layout, find_root
from ibmkg.store.cache import open_cached
from ibmkg.store.embedded import EmbeddedStore
from ibmkg.store.load import foreign_studies, load_project_into, might_nest

ROOT = find_root(Path(__file__).parent)
STUDY = "https://w3id.org/ibmkg/study/"
PREFIX = "@prefix study: <https://w3id.org/ibmkg/study/> .\n@prefix ex: <http://ex/> .\n"


@pytest.fixture()
def project(tmp_path: Path, fixture_layout: Layout) -> Layout:
    root = tmp_path / "project"
    shutil.copytree(fixture_layout.root, root)
    return Layout(root)


def _content(store: pyoxigraph.Store) -> tuple[set[str], int]:
    """The quads without blank nodes (as text), and how many quads have one."""
    plain, blank = set(), 0
    for quad in store:
        if isinstance(quad.subject, pyoxigraph.BlankNode) or isinstance(
                quad.object, pyoxigraph.BlankNode):
            blank += 1
        else:
            plain.add(str(quad))
    return plain, blank


def _synthetic(tmp_path: Path, studies: int) -> Layout:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        bench = importlib.import_module("bench_scale")
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return Layout(bench.make_project(studies, 2024, tmp_path))


@pytest.mark.parametrize("which", ["letter", "synthetic"])
def test_same_graphs_as_the_reference_loader(which: str, tmp_path: Path) -> None:
    layout = Layout(ROOT) if which == "letter" else _synthetic(tmp_path, 30)
    fast = EmbeddedStore.from_project(layout)
    reference = EmbeddedStore.from_data(load_project(layout))
    assert fast.graph_names() == reference.graph_names()
    assert _content(fast.oxigraph) == _content(reference.oxigraph)
    assert len(fast.oxigraph) == len(reference.oxigraph) > 4000


def test_blank_nodes_are_the_same_nodes_in_the_named_and_the_default_graph() -> None:
    store = EmbeddedStore.from_project(Layout(ROOT)).oxigraph
    named = {q.subject for q in store if isinstance(q.subject, pyoxigraph.BlankNode)
             and not isinstance(q.graph_name, pyoxigraph.DefaultGraph)}
    default = {q.subject for q in store.quads_for_pattern(None, None, None,
                                                          pyoxigraph.DefaultGraph())
               if isinstance(q.subject, pyoxigraph.BlankNode)}
    assert named and named == default


@pytest.mark.parametrize(("variant", "study_graphs"), [("plain", False), ("graphs", True)])
def test_the_cache_built_without_python_triples_has_the_same_graphs(
        tmp_path: Path, variant: str, study_graphs: bool) -> None:
    layout = _synthetic(tmp_path, 20)
    cached, hit = open_cached(layout, variant=variant)
    assert not hit and cached.path is not None
    reference = EmbeddedStore.from_data(load_project(layout), study_graphs=study_graphs)
    assert _content(cached.oxigraph) == _content(reference.oxigraph)
    in_memory = EmbeddedStore.from_project(layout, study_graphs=study_graphs)
    assert _content(in_memory.oxigraph) == _content(reference.oxigraph)
    studies = [g for g in reference.graph_names() if "/study/" in g]
    assert len(studies) == (20 if study_graphs else 0)


def _append(text: str) -> Callable[[Path], object]:
    return lambda study: study.write_text(study.read_text(encoding="utf-8") + text,
                                          encoding="utf-8")


BROKEN: dict[str, Callable[[Path], object]] = {
    "syntax": _append("\nthis is not turtle\n"),
    "bom": lambda study: study.write_bytes(b"\xef\xbb\xbf" + study.read_bytes()),
    "not-utf8": lambda study: study.write_bytes(study.read_bytes() + b"\n# \xff\n"),
    "control": lambda study: study.write_text(
        study.read_text(encoding="utf-8").replace('"', '"\x01', 1), encoding="utf-8"),
    "imports": _append("\nstudy:fixture-alpha-2001 <http://www.w3.org/2002/07/owl#imports> "
                       "<http://purl.obolibrary.org/obo/bfo.owl> .\n"),
    "nesting": _append("\nstudy:fixture-alpha-2001 <http://ex/p> " + "[ <http://ex/p> " * 70
                       + "1" + " ]" * 70 + " .\n"),
    "long-list": _append("\nstudy:fixture-alpha-2001 <http://ex/p> (" + " 1" * 70 + " ) .\n"),
    "foreign-study": _append("\n<https://w3id.org/ibmkg/study/fixture-beta-1999/x> "
                             "<http://ex/p> 1 .\n"),
    "foreign-by-other-prefix": _append("\n@prefix s: <https://w3id.org/ibmkg/study/> .\n"
                                       "s:other-2000 <http://ex/p> 1 .\n"),
    "foreign-by-escape": _append("\nstudy:other\\-2000 <http://ex/p> 1 .\n"),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_the_same_error_as_the_reference_loader(kind: str, project: Layout) -> None:
    study = project.studies / "fixture-alpha-2001.ttl"
    BROKEN[kind](study)
    with pytest.raises(InputError) as reference:
        load_project(project)
    with pytest.raises(InputError) as fast:
        EmbeddedStore.from_project(project)
    assert type(fast.value) is type(reference.value)
    assert str(fast.value) == str(reference.value)
    assert "fixture-alpha-2001.ttl" in str(fast.value)


def test_a_link_out_of_the_project_is_refused_unread(project: Layout, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    (project.studies / "evil-2020.ttl").symlink_to(secret)
    with pytest.raises(InputError, match="outside the project") as caught:
        EmbeddedStore.from_project(project)
    assert "kg/studies/evil-2020.ttl" in str(caught.value)
    os.mkfifo(project.studies / "pipe-2020.ttl")
    (project.studies / "evil-2020.ttl").unlink()
    with pytest.raises(InputError, match="not a regular file"):
        EmbeddedStore.from_project(project)


def test_the_line_index_is_scanned_only_when_asked(project: Layout) -> None:
    store = pyoxigraph.Store()
    index = load_project_into(store, project)
    assert index._pending and not index._subjects  # nothing scanned yet
    location = index.locate(f"{STUDY}fixture-alpha-2001")
    assert location is not None and location.file == "kg/studies/fixture-alpha-2001.ttl"
    assert location.line == load_project(project).index.locate(
        f"{STUDY}fixture-alpha-2001").line  # type: ignore[union-attr]


def test_byte_scans() -> None:
    assert not might_nest(b'<urn:a> <urn:p> "a (b) [c]" . # ( [ _:x')
    assert might_nest(b"<urn:a> <urn:p> ( 1 ) .")
    assert might_nest(b"<urn:a> <urn:p> \"it's\" , [ <urn:q> 1 ] .")
    # a line starting with '#' is opaque only when no quote precedes the bracket on it
    assert not might_nest(b"# header (seed 1) [x]\n<urn:a> <urn:p> 1 .")
    assert might_nest(b'<urn:a> <urn:p> """\n#""" , [ <urn:q> 1 ] .')
    assert not might_nest(b'<urn:a> <urn:p> """\n# (inside) [the string]\n""" .')
    own = (PREFIX + "study:a ex:p study:a .").encode()
    assert not foreign_studies(own, "a")
    assert foreign_studies(own + b"\nstudy:b ex:p 1 .", "a")
    assert foreign_studies(own + b"\n@base <https://w3id.org/ibmkg/study/> .", "a")
