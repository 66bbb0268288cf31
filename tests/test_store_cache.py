"""The persistent store cache: reused while the sources are unchanged, rebuilt when one changes.

Every answer from a cached store is compared with a store loaded the strict way.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ibmkg.cli import cli
from ibmkg.errors import RdfSyntaxError, UnsafePathError
from ibmkg.paths import Layout, find_root
from ibmkg.queries import find_query, run_query
from ibmkg.store.base import Row
from ibmkg.store.cache import cache_path, digest_files, open_cached, project_digest, source_files
from ibmkg.store.embedded import EmbeddedStore

ROOT = find_root(Path(__file__).parent)
STUDIES = ("amato-1994", "dalakas-2001", "walter-2000")


@pytest.fixture
def project(tmp_path: Path) -> Layout:
    """A throw-away project with three of the letter's studies."""
    for name in ("ontology", "queries"):
        shutil.copytree(ROOT / name, tmp_path / name)
    (tmp_path / "kg" / "studies").mkdir(parents=True)
    shutil.copy(ROOT / "kg" / "review.ttl", tmp_path / "kg" / "review.ttl")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    for slug in STUDIES:
        shutil.copy(ROOT / "kg" / "studies" / f"{slug}.ttl", tmp_path / "kg" / "studies")
    return Layout(tmp_path)


def _rows(store: EmbeddedStore, layout: Layout) -> list[Row]:
    return run_query(store, find_query("patients-by-design", layout.queries)).rows


def test_reused_while_unchanged_and_same_answers(project: Layout) -> None:
    first, hit = open_cached(project)
    assert not hit and (cache_path(project) / "manifest.json").is_file()
    second, hit = open_cached(project)
    assert hit
    strict = EmbeddedStore.from_project(project)
    assert _rows(second, project) == _rows(first, project) == _rows(strict, project)
    assert len(second.oxigraph) == len(strict.oxigraph)


def test_rebuilt_when_a_source_changes(project: Layout) -> None:
    open_cached(project)
    gone = project.root / "kg" / "studies" / "walter-2000.ttl"
    gone.unlink()
    store, hit = open_cached(project)
    assert not hit
    assert _rows(store, project) == _rows(EmbeddedStore.from_project(project), project)
    edited = project.root / "kg" / "studies" / "amato-1994.ttl"
    stat = edited.stat()
    os.utime(edited, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert not open_cached(project)[1], "a newer modification time invalidates the cache"


def test_a_broken_source_fails_and_leaves_the_cache(project: Layout) -> None:
    open_cached(project)
    manifest = (cache_path(project) / "manifest.json").read_text(encoding="utf-8")
    broken = project.root / "kg" / "studies" / "amato-1994.ttl"
    broken.write_text(broken.read_text(encoding="utf-8") + "\nthis is not turtle\n",
                      encoding="utf-8")
    with pytest.raises(RdfSyntaxError):
        open_cached(project)
    assert (cache_path(project) / "manifest.json").read_text(encoding="utf-8") == manifest


def test_cli_query_uses_the_cache(project: Layout) -> None:
    args = ["--root", str(project.root), "query", "patients-by-design", "--format", "csv"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    assert (cache_path(project) / "manifest.json").is_file()
    second = CliRunner().invoke(cli, args)
    assert second.exit_code == 0, second.output
    assert second.stdout == first.stdout
    assert len(first.stdout.splitlines()) > 1


def test_the_quick_digest_is_the_digest_of_the_source_files(
        project: Layout, tmp_path_factory: pytest.TempPathFactory) -> None:
    """project_digest reads folders by scanning them; it must give digest_files' answer,
    through a link in the project, with extra files, with an import module, and refuse a
    link out of the project as source_files does."""
    extra = project.root / "build" / "inferred.ttl"
    extra.parent.mkdir()
    extra.write_text("# inferred\n", encoding="utf-8")
    assert project_digest(project) == digest_files(source_files(project))
    assert project_digest(project, [extra]) == digest_files([*source_files(project), extra])
    # a study file that is a link inside the project: the long way, same answer
    inside = project.root / "kg" / "copy-of-walter.ttl"
    shutil.copy(project.root / "kg" / "studies" / "walter-2000.ttl", inside)
    (project.root / "kg" / "studies" / "walter-2000.ttl").unlink()
    (project.root / "kg" / "studies" / "walter-2000.ttl").symlink_to(inside)
    assert project_digest(project) == digest_files(source_files(project))
    before = project_digest(project)
    inside.write_text(inside.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert project_digest(project) != before, "an edit through the link changes the digest"
    # a link out of the project is refused, as the loader refuses it
    outside = tmp_path_factory.mktemp("outside") / "evil.ttl"
    outside.write_text("", encoding="utf-8")
    (project.root / "kg" / "studies" / "evil.ttl").symlink_to(outside)
    with pytest.raises(UnsafePathError):
        project_digest(project)


def test_the_quick_digest_follows_every_kind_of_change(project: Layout) -> None:
    seen = {project_digest(project)}
    study = project.root / "kg" / "studies" / "amato-1994.ttl"
    study.write_text(study.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # size
    seen.add(project_digest(project))
    stat = study.stat()
    os.utime(study, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # time only
    seen.add(project_digest(project))
    shutil.copy(study, project.root / "kg" / "studies" / "zz-new.ttl")  # a new file
    seen.add(project_digest(project))
    (project.root / "kg" / "studies" / "zz-new.ttl").unlink()  # back to the same files
    assert project_digest(project) in seen
    ontology = project.ontology
    ontology.write_text(ontology.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    seen.add(project_digest(project))
    assert len(seen) == 5
