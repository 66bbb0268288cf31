"""The default layout, graph names, errors and small helpers (stats, progress)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from ibmkg.errors import (
    EndpointError,
    InputError,
    QueryNotFoundError,
    QueryParameterError,
    RdfSyntaxError,
)
from ibmkg.formats import RdfFormat
from ibmkg.graph_io import LoadedData
from ibmkg.paths import ROOT_ENV, Layout, default_layout, find_root, graph_name, kg_files
from ibmkg.progress import Progress
from ibmkg.stats import compute_stats


class TestRoot:
    def test_env_wins(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv(ROOT_ENV, str(tmp_path))
        assert find_root() == tmp_path

    def test_walks_up(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv(ROOT_ENV, raising=False)
        (tmp_path / "pyproject.toml").write_text("")
        (tmp_path / "ontology").mkdir()
        deep = tmp_path / "kg" / "studies"
        deep.mkdir(parents=True)
        assert find_root(deep) == tmp_path.resolve()
        assert default_layout(deep).ontology == tmp_path.resolve() / "ontology" / "ibmkg.ttl"

    def test_not_found(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv(ROOT_ENV, raising=False)
        with pytest.raises(InputError, match=ROOT_ENV):
            find_root(tmp_path)


@pytest.mark.parametrize(("path", "name"), [
    ("kg/studies/dalakas-2001.ttl", "https://w3id.org/ibmkg/study/dalakas-2001"),
    ("kg/review.ttl", "https://w3id.org/ibmkg/review/fontanelli-2024"),
    ("ontology/ibmkg.ttl", "https://w3id.org/ibmkg/ontology/"),
    ("ontology/imports/hp_import.ttl", "https://w3id.org/ibmkg/ontology/imports/hp_import"),
    ("ontology/mappings.sssom.tsv", "https://w3id.org/ibmkg/mappings"),
    ("elsewhere/extra.ttl", "https://w3id.org/ibmkg/graph/extra"),
])
def test_graph_names(path: str, name: str) -> None:
    layout = Layout(Path("p"))
    assert graph_name(Path("p") / path, layout) == name


def test_relative_and_file_lists(fixture_layout: Layout) -> None:
    assert fixture_layout.relative(fixture_layout.review) == Path("kg/review.ttl")
    assert fixture_layout.relative(Path("/elsewhere/x")) == Path("/elsewhere/x")
    assert [p.name for p in kg_files(fixture_layout)] == [
        "review.ttl", "fixture-alpha-2001.ttl", "fixture-beta-2005.ttl"]


class TestErrors:
    def test_syntax_error_text(self) -> None:
        error = RdfSyntaxError("kg/a.ttl", 3, 9, "bad", "fix it")
        assert str(error) == "kg/a.ttl:3:9: bad; fix it"
        assert isinstance(error, InputError) and isinstance(error, ValueError)

    def test_query_not_found_without_close_match(self) -> None:
        error = QueryNotFoundError("zzz", ["studies"])
        assert error.close_matches == [] and "ibmkg queries" in str(error)

    def test_parameter_error_names_the_parameter(self) -> None:
        assert str(QueryParameterError("n", "expects an integer")) == (
            "parameter 'n': expects an integer")

    def test_endpoint_error_is_an_os_error(self) -> None:
        assert isinstance(EndpointError("x"), OSError)


def test_rdf_format_from_path() -> None:
    assert RdfFormat.from_path(Path("a.TTL")) is RdfFormat.TURTLE
    assert RdfFormat.from_path(Path("a.owl")) is RdfFormat.RDFXML
    with pytest.raises(InputError, match="unknown RDF file extension"):
        RdfFormat.from_path(Path("a.csv"))


def test_stats(fixture_data: LoadedData) -> None:
    stats = compute_stats(fixture_data)
    assert (stats.studies, stats.triples) == (2, 54)
    assert stats.classes["https://w3id.org/ibmkg/ontology/RandomizedControlledTrial"] == 1
    assert "studies    2" in stats.text()


def test_progress_is_quiet_for_short_steps() -> None:
    out = io.StringIO()
    with Progress(out, delay=60).step("quick"):
        pass
    assert out.getvalue() == ""
    with Progress(out, delay=0).step("slow"):
        pass
    assert out.getvalue().startswith("slow ...") and out.getvalue().endswith(" s\n")
