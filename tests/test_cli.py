"""The command line: thin, fast, documented exit codes, one readable line per error."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ibmkg.cli import cli, main
from ibmkg.paths import Layout

INVALID = Path(__file__).parent / "data" / "invalid"


@pytest.fixture()
def project(tmp_path: Path, fixture_layout: Layout) -> Path:
    root = tmp_path / "project"
    shutil.copytree(fixture_layout.root, root)
    return root


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--root", str(root), *args])


def test_help_lists_commands_and_exit_codes() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("build", "canon", "export", "queries", "query", "reason", "stats", "table",
                    "validate"):
        assert f"  {command} " in result.output
    assert "Exit codes:" in result.output and "2  usage or input error" in result.output


def test_version() -> None:
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("ibmkg, version ")


@pytest.mark.parametrize("args", [["--help"], ["query", "studies"]])
def test_no_heavy_imports(args: list[str], fixture_layout: Layout) -> None:
    """`--help` and `query` never load pySHACL or owlready2 (checked in a fresh process)."""
    code = (
        "import sys; from ibmkg.cli import main\n"
        f"code = main({['--root', str(fixture_layout.root), *args]!r})\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('pyshacl', 'owlready2'))\n"
        "print(code, heavy, file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stderr.strip().splitlines()[-1] == "0 []"


class TestQuery:
    def test_table(self, fixture_layout: Layout) -> None:
        result = run(fixture_layout.root, "query", "studies")
        assert result.exit_code == 0
        assert result.output.splitlines()[0].split() == ["study", "label", "design", "size"]
        assert "study:fixture-alpha-2001" in result.output

    def test_json_with_param(self, fixture_layout: Layout) -> None:
        result = run(fixture_layout.root, "query", "studies-by-design",
                     "--param", "design=ibmkg:OpenLabelStudy", "--format", "json")
        assert json.loads(result.output)["results"]["bindings"] == [{
            "study": {"type": "uri", "value": "https://w3id.org/ibmkg/study/fixture-beta-2005"},
            "label": {"type": "literal", "value": "Fixture Beta open-label study (2005)"}}]

    @pytest.mark.parametrize("fmt", ["csv", "tsv", "md"])
    def test_other_formats(self, fixture_layout: Layout, fmt: str) -> None:
        result = run(fixture_layout.root, "query", "studies-larger-than", "--format", fmt)
        assert result.exit_code == 0 and "fixture-alpha-2001" in result.output

    def test_plain_file(self, fixture_layout: Layout, tmp_path: Path) -> None:
        path = tmp_path / "adhoc.rq"
        path.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?s ibmkg:sampleSize ?o }\n")
        result = run(fixture_layout.root, "query", str(path), "--format", "csv")
        assert result.stdout_bytes == b"n\r\n2\r\n"  # W3C CSV: CRLF line ends

    @pytest.mark.parametrize(("args", "message"), [
        (["query", "studes"], "no stored query named 'studes'; did you mean studies"),
        (["query", "study-by-label"], "parameter 'label': is required"),
        (["query", "studies-larger-than", "-p", "minimum=ten"], "expects an integer"),
        (["query", "studies", "-p", "nothing"], "write parameters as --param NAME=VALUE"),
        (["query", "mondo-federated"], "run it with --endpoint"),
        (["query", "studies", "--endpoint", "ftp://x/"], "not an http(s) URL"),
    ])
    def test_input_errors_exit_2(self, fixture_layout: Layout, args: list[str],
                                 message: str) -> None:
        result = run(fixture_layout.root, *args)
        assert result.exit_code == 2
        assert message in result.output
        assert "Traceback" not in result.output
        assert len(result.output.strip().splitlines()) == 1

    def test_unreachable_endpoint_exits_3(self, fixture_layout: Layout) -> None:
        result = run(fixture_layout.root, "query", "studies", "--endpoint",
                     "http://127.0.0.1:9/sparql", "--timeout", "2")
        assert result.exit_code == 3 and "cannot connect" in result.output


def test_usage_error_exits_2(fixture_layout: Layout) -> None:
    assert run(fixture_layout.root, "query", "studies", "--format", "yaml").exit_code == 2
    assert main(["--root", str(fixture_layout.root), "nonsense"]) == 2


def test_debug_shows_traceback(fixture_layout: Layout) -> None:
    result = run(fixture_layout.root, "--debug", "query", "studes")
    assert result.exit_code == 2 and "Traceback" in result.output


def test_queries_lists_the_catalogue(fixture_layout: Layout) -> None:
    result = run(fixture_layout.root, "queries")
    assert "study-by-label" in result.output and "[--param label=<string>]" in result.output
    assert "[federated]" in result.output


class TestValidate:
    def test_conforms(self, fixture_layout: Layout) -> None:
        result = run(fixture_layout.root, "validate")
        assert result.exit_code == 0 and result.output.startswith("conforms")

    def test_violations_exit_1(self, project: Path) -> None:
        shutil.copy(INVALID / "fixture-gamma-2010.ttl", project / "kg" / "studies")
        result = run(project, "validate")
        assert result.exit_code == 1
        assert "(kg/studies/fixture-gamma-2010.ttl:6:1)" in result.output
        assert json.loads(run(project, "validate", "--format", "json").output)["conforms"] is False

    def test_strict_fails_on_infos(self, project: Path) -> None:
        """A valid study the review does not cite gives one Info: fails only with --strict."""
        studies = project / "kg" / "studies"
        text = (studies / "fixture-beta-2005.ttl").read_text()
        (studies / "fixture-delta-2006.ttl").write_text(text.replace("beta-2005", "delta-2006"))
        result = run(project, "validate")
        assert result.exit_code == 0
        assert 'Info study="Fixture Beta open-label study (2005)" focus=study:fixture-delta-2006' \
            in result.output
        assert run(project, "validate", "--strict").exit_code == 1

    def test_given_files(self, fixture_layout: Layout) -> None:
        result = run(fixture_layout.root, "validate", str(INVALID / "fixture-gamma-2010.ttl"))
        assert result.exit_code == 1 and "fixture-gamma-2010" in result.output

    def test_syntax_error_exits_2(self, project: Path) -> None:
        shutil.copy(INVALID / "syntax-error.ttl", project / "kg" / "studies")
        result = run(project, "validate")
        assert result.exit_code == 2
        assert result.output.startswith("error: kg/studies/syntax-error.ttl:5:")


def test_canon_check_and_rewrite(project: Path) -> None:
    study = project / "kg" / "studies" / "fixture-alpha-2001.ttl"
    result = run(project, "canon", "--check")
    assert result.exit_code == 1
    assert "not canonical: " in result.output and "run `make canon`" in result.output
    before = study.read_text()
    assert run(project, "canon").exit_code == 0
    assert study.read_text() != before and study.read_text().startswith("# FIXTURE study")
    assert run(project, "canon", "--check").exit_code == 0


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "trig", "xml"])
def test_export(fixture_layout: Layout, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"kg.{fmt}"
    assert run(fixture_layout.root, "export", "--format", fmt, "-o", str(out)).exit_code == 0
    assert out.stat().st_size > 0


def test_stats(fixture_layout: Layout) -> None:
    result = run(fixture_layout.root, "stats")
    assert "studies    2" in result.output and "triples    54" in result.output


def test_build(project: Path) -> None:
    result = run(project, "build", "--no-reason")
    assert result.exit_code == 0
    assert "studies   2" in result.output and "written   build/" in result.output
    assert (project / "build" / "kg.ttl").is_file()


def test_missing_project_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IBMKG_ROOT", raising=False)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["stats"])
    assert result.exit_code == 2 and "no ibmkg project found" in result.output
