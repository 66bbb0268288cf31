"""Regression tests for the strict input gate (issue 11): one per bug found by the probe."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pyoxigraph
import pytest

from ibmkg.build import build
from ibmkg.errors import InputError, RdfSyntaxError, UnsafePathError
from ibmkg.graph_io import load_project, load_rdf
from ibmkg.io.gate import MAX_NESTING, parse_rdf
from ibmkg.paths import Layout

EX = '@prefix ex: <http://ex/> .\n'


@pytest.fixture()
def project(tmp_path: Path, fixture_layout: Layout) -> Layout:
    root = tmp_path / "project"
    shutil.copytree(fixture_layout.root, root)
    return Layout(root)


def test_symlink_out_of_the_project_is_refused_unread(project: Layout, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    (project.studies / "evil-2020.ttl").symlink_to(secret)
    with pytest.raises(UnsafePathError) as caught:
        load_project(project)
    assert "kg/studies/evil-2020.ttl" in str(caught.value)
    assert "root" not in str(caught.value).replace("/root", "")


def test_a_fifo_is_refused(project: Layout) -> None:
    os.mkfifo(project.studies / "pipe-2020.ttl")
    with pytest.raises(UnsafePathError, match="not a regular file"):
        load_project(project)


def test_nul_byte_in_a_literal_is_refused(project: Layout) -> None:
    """The build dropped inferred.ttl and the evidence outputs and still exited 0."""
    study = project.studies / "fixture-alpha-2001.ttl"
    text = study.read_text()
    study.write_text(text.replace('"', '"\x00', 1))
    with pytest.raises(RdfSyntaxError, match=r"fixture-alpha-2001.ttl:\d+:\d+: control character "
                                             r"U\+0000"):
        build(project, reason=False)
    assert not project.build.exists()


def test_duplicated_study_slug_is_refused(project: Layout) -> None:
    shutil.copy(project.studies / "fixture-alpha-2001.ttl",
                project.studies / "fixture-alpha-2001-copy.ttl")
    with pytest.raises(InputError, match="duplicated study slug"):
        load_project(project)


def test_ten_thousand_nested_blank_nodes_end_in_a_clean_error(project: Layout) -> None:
    """Was a segmentation fault during `build` (and hours of canonicalization)."""
    depth = 10_000
    (project.studies / "nest-2020.ttl").write_text(
        EX + "ex:a ex:p " + "[ ex:p " * depth + "1" + " ]" * depth + " .\n")
    with pytest.raises(RdfSyntaxError) as caught:
        build(project, reason=False)
    err = caught.value
    assert (err.path, err.line, err.found) == ("kg/studies/nest-2020.ttl", 2, "[")
    assert err.column == len("ex:a ex:p ") + 7 * MAX_NESTING + 1
    assert f"nested {depth} deep" in str(err)


def test_a_long_list_within_the_limit_is_accepted() -> None:
    items = " ".join(str(i) for i in range(MAX_NESTING))
    assert len(parse_rdf(EX + f"ex:a ex:p ( {items} ) .", pyoxigraph.RdfFormat.TURTLE)) > 0


def test_syntax_error_shows_file_line_column_and_the_text() -> None:
    with pytest.raises(RdfSyntaxError) as caught:
        parse_rdf(EX + "ex:a ex:p\n  ex:b ex:c .", pyoxigraph.RdfFormat.TURTLE, source="x.ttl")
    assert str(caught.value).startswith("x.ttl:3:8: ")
    assert caught.value.found == "ex:c"


def test_xml_with_a_dtd_is_refused_before_parsing(tmp_path: Path) -> None:
    """A 686-byte file with nested entities expands to 1 GB in pyoxigraph."""
    lol = "".join(f'<!ENTITY e{i} "{"&e" + str(i - 1) + ";" * 1 if i else "lol"}">'
                  for i in range(10))
    path = tmp_path / "bomb.rdf"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [{lol}]>\n<rdf:RDF xmlns:rdf='
                    '"http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n')
    with pytest.raises(RdfSyntaxError, match=r"bomb.rdf:2:1: a DTD .* at '<!DOCTYPE'"):
        load_rdf(path, display="bomb.rdf")


def test_jsonld_remote_context_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonld"
    path.write_text(json.dumps({"@context": "https://schema.org/", "@id": "http://ex/a",
                                "name": "x"}))
    with pytest.raises(InputError, match="remote and ibmkg never fetches"):
        load_rdf(path)


def test_jsonld_local_context_is_resolved_beside_the_file(tmp_path: Path) -> None:
    (tmp_path / "ctx.jsonld").write_text(json.dumps({"@context": {"name": "http://ex/name"}}))
    path = tmp_path / "a.jsonld"
    path.write_text(json.dumps({"@context": "ctx.jsonld", "@id": "http://ex/a", "name": "x"}))
    (quad,) = load_rdf(path)
    assert quad.predicate == pyoxigraph.NamedNode("http://ex/name")
    outside = tmp_path / "sub"
    outside.mkdir()
    (outside / "a.jsonld").write_text(json.dumps({"@context": "../ctx.jsonld",
                                                  "@id": "http://ex/a", "name": "x"}))
    with pytest.raises(InputError, match="not a file inside"):
        load_rdf(outside / "a.jsonld")


def test_owl_imports_is_refused(project: Layout) -> None:
    (project.studies / "fixture-imports-2020.ttl").write_text(
        "<https://w3id.org/ibmkg/study/fixture-imports-2020> "
        "<http://www.w3.org/2002/07/owl#imports> <http://purl.obolibrary.org/obo/bfo.owl> .\n")
    with pytest.raises(InputError, match="owl:imports"):
        load_project(project)


def test_carriage_return_in_a_literal_is_kept(tmp_path: Path) -> None:
    """read_text translated a raw \\r in a long string into \\n (W3C literal_with_CR)."""
    path = tmp_path / "cr.ttl"
    path.write_bytes(b'<http://ex/s> <http://ex/p> """a\rb""" .\n')
    (quad,) = load_rdf(path)
    assert isinstance(quad.object, pyoxigraph.Literal) and quad.object.value == "a\rb"
