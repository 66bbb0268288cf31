"""Strict loading with file:line:col, one named graph per file, the line index, safe writes."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph
import pytest

from ibmkg.errors import InputError, RdfSyntaxError
from ibmkg.graph_io import (
    LoadedData,
    atomic_write,
    load_dataset,
    load_turtle,
    parse_turtle,
    staging_dir,
    to_rdflib_dataset,
    to_rdflib_graph,
)
from ibmkg.paths import Layout
from ibmkg.source_index import Location, SourceIndex

INVALID = Path(__file__).parent / "data" / "invalid"
STUDY = "https://w3id.org/ibmkg/study/"


@pytest.mark.parametrize(("text", "line", "column", "hint"), [
    ("<http://ex/a b> <http://ex/p> 1 .", 1, 1, "percent-encode"),
    ('<http://ex/a> <http://ex/p>\n  "x"@en^^<http://ex/d> .', 2, 9, "must start"),
    ("ex:a <http://ex/p> 1 .", 1, 1, "declare the prefix"),
    ('<http://ex/a> <http://ex/p> "open .\n', 1, 29, "close the string"),
    ("<a> <http://ex/p> 1 .", 1, 1, "absolute IRI"),
    ('"lit" <http://ex/p> "x" .', 1, 1, "must start"),
])
def test_syntax_errors_name_line_and_column(text: str, line: int, column: int, hint: str,
                                            ) -> None:
    """pyoxigraph rejects what rdflib would accept, and says where."""
    with pytest.raises(RdfSyntaxError) as info:
        parse_turtle(text, source="kg/x.ttl")
    error = info.value
    assert (error.path, error.line) == ("kg/x.ttl", line)
    assert error.column == column
    assert str(error).startswith(f"kg/x.ttl:{line}:{column}: ")
    assert hint in str(error)
    assert isinstance(error, ValueError)


def test_fixture_syntax_error() -> None:
    with pytest.raises(RdfSyntaxError, match=r"syntax-error\.ttl:5:"):
        load_turtle(INVALID / "syntax-error.ttl", display="syntax-error.ttl")


def test_byte_order_mark_and_encoding(tmp_path: Path) -> None:
    with pytest.raises(RdfSyntaxError, match="byte order mark"):
        parse_turtle("\ufeff<http://a> <http://b> 1 .")
    latin = tmp_path / "latin.ttl"
    latin.write_bytes('<http://a> <http://b> "é" .'.encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_turtle(latin)
    with pytest.raises(InputError, match="no such file"):
        load_turtle(tmp_path / "missing.ttl")


def test_one_named_graph_per_file(fixture_data: LoadedData) -> None:
    assert fixture_data.names() == [
        "https://w3id.org/ibmkg/ontology/",
        "https://w3id.org/ibmkg/review/fontanelli-2024",
        STUDY + "fixture-alpha-2001",
        STUDY + "fixture-beta-2005",
    ]
    alpha = fixture_data.graph(STUDY + "fixture-alpha-2001")
    assert alpha.display == "kg/studies/fixture-alpha-2001.ttl"
    assert len(set(fixture_data.dataset())) == sum(len(g.triples) for g in fixture_data.graphs)
    with pytest.raises(KeyError):
        fixture_data.graph(STUDY + "nope")


def test_two_files_one_graph_is_refused(fixture_layout: Layout) -> None:
    alpha = fixture_layout.studies / "fixture-alpha-2001.ttl"
    with pytest.raises(InputError, match="would both be the graph"):
        load_dataset(None, [alpha, alpha], layout=fixture_layout)


def test_source_index(fixture_data: LoadedData) -> None:
    index = fixture_data.index
    assert index.locate(STUDY + "fixture-alpha-2001") == Location(
        "kg/studies/fixture-alpha-2001.ttl", 10)
    assert index.locate(STUDY + "fixture-beta-2005") == Location(
        "kg/studies/fixture-beta-2005.ttl", 9)
    assert index.graph_of(STUDY + "fixture-beta-2005") == STUDY + "fixture-beta-2005"
    # an object-only IRI is found where it is first mentioned
    assert index.locate("http://purl.obolibrary.org/obo/MONDO_0007827") == Location(
        "kg/studies/fixture-alpha-2001.ttl", 8)
    assert index.locate("https://example.org/never") is None


def test_source_index_edge_cases() -> None:
    index = SourceIndex()
    index.scan("x.ttl", """PREFIX ex: <http://ex/>
BASE <http://base/>
ex:a ex:p "a . b" ; # ex:fake in a comment
    ex:q [ ex:r ex:inner ] .

<rel> ex:p '''x
. ex:notsubject''' .
ex:c.d ex:p 1.5 .
""")
    assert index.subjects == {"http://ex/a": Location("x.ttl", 3),
                              "http://base/rel": Location("x.ttl", 6),
                              "http://ex/c.d": Location("x.ttl", 8)}
    assert "http://ex/fake" not in index.mentions
    assert "http://ex/notsubject" not in index.mentions


def test_rdflib_copies_are_lossless(fixture_data: LoadedData) -> None:
    graph = to_rdflib_graph(fixture_data.triples())
    assert len(graph) == len(set(fixture_data.triples()))
    assert "1.25e0" in {str(o) for o in graph.objects()}
    dataset = to_rdflib_dataset(fixture_data)
    assert len({str(g.identifier) for g in dataset.graphs()} & set(fixture_data.names())) == 4


# --- writing ---------------------------------------------------------------------------------


def test_atomic_write_keeps_old_content_on_failure(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "kg.ttl"
    target.write_text("old\n")

    def fail(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", fail)
    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, "new\n")
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["kg.ttl"]  # no temporary file left


def test_atomic_write_bytes_and_mode(tmp_path: Path) -> None:
    target = tmp_path / "x.bin"
    target.write_bytes(b"")
    target.chmod(0o600)
    atomic_write(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert target.stat().st_mode & 0o777 == 0o600


def test_staging_dir_swaps_only_on_success(tmp_path: Path) -> None:
    out = tmp_path / "build"
    with staging_dir(out) as tmp:
        (tmp / "a.txt").write_text("first")
    with pytest.raises(RuntimeError), staging_dir(out) as tmp:
        (tmp / "a.txt").write_text("half")
        raise RuntimeError("failed half way")
    assert (out / "a.txt").read_text() == "first"
    with staging_dir(out) as tmp:
        (tmp / "b.txt").write_text("second")
    assert sorted(p.name for p in out.iterdir()) == ["b.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]  # nothing left behind


def test_dataset_quads_carry_graph_names(fixture_data: LoadedData) -> None:
    names = {q.graph_name for q in fixture_data.quads()}
    assert names == {pyoxigraph.NamedNode(n) for n in fixture_data.names()}
