"""The persistent store cache: reused while the sources are unchanged, rebuilt when one changes.

Every answer from a cached store is compared with a store loaded the strict way.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner

from ibmkg.cli import cli
from ibmkg.errors import RdfSyntaxError, UnsafePathError
from ibmkg.paths import Layout, find_root
from ibmkg.queries import find_query, load_catalogue, run_query
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
    strict = EmbeddedStore.from_project(project, study_graphs=False)
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


def _graph_names(store: EmbeddedStore) -> set[str]:
    return set(store.graph_names())


def _default_graph(store: EmbeddedStore) -> tuple[int, set[str]]:
    """The default graph's size and its triples without blank nodes (labels differ)."""
    quads = list(store.oxigraph.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()))
    return len(quads), {str(q) for q in quads if not any(
        isinstance(term, pyoxigraph.BlankNode) for term in (q.subject, q.object))}


def test_the_query_store_keeps_studies_once_and_answers_alike(project: Layout) -> None:
    """plain: each study's triples once (default graph only); graphs: also one named graph
    per study file. Same default graph, so every stored query answers alike on both and on
    the strict in-memory store."""
    plain, _ = open_cached(project, variant="plain")
    graphs, _ = open_cached(project, variant="graphs")
    strict = EmbeddedStore.from_project(project)
    studies = {f"https://w3id.org/ibmkg/study/{slug}" for slug in STUDIES}
    assert studies <= _graph_names(graphs) == _graph_names(strict)
    assert _graph_names(plain) == _graph_names(strict) - studies
    assert _default_graph(plain) == _default_graph(graphs) == _default_graph(strict)
    study_triples = sum(strict.count_triples(g) for g in studies)
    assert len(graphs.oxigraph) - len(plain.oxigraph) == study_triples > 300
    catalogue = load_catalogue(project.queries)
    ran = 0
    for name, stored in sorted(catalogue.items()):
        if stored.federated or stored.inferred:
            continue
        answers = [run_query(s, stored).rows for s in (plain, graphs, strict)]
        assert answers[0] == answers[1] == answers[2], name
        ran += 1
    assert ran >= 18


def test_a_query_naming_graphs_is_answered_from_the_graphs_store(project: Layout,
                                                                 tmp_path: Path) -> None:
    query = tmp_path / "per-file.rq"
    query.write_text("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a ibmkg:Study } }\n"
                     "GROUP BY ?g ORDER BY ?g\n", encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(cli, ["--root", str(project.root), "query", str(query),
                                 "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert [line.split(",")[0] for line in result.output.splitlines()[1:]] == [
        f"https://w3id.org/ibmkg/study/{slug}" for slug in sorted(STUDIES)]
    assert (cache_path(project, "graphs") / "manifest.json").is_file()
    plain = runner.invoke(cli, ["--root", str(project.root), "query", "patients-by-design",
                                "--format", "csv"])
    assert plain.exit_code == 0, plain.output
    assert (cache_path(project, "plain") / "manifest.json").is_file()


def test_an_unknown_cached_store_is_refused(project: Layout) -> None:
    with pytest.raises(ValueError, match="unknown cached store 'nope'"):
        open_cached(project, variant="nope")
