"""Exit codes 0/1/2/3 for every command, and never a traceback for a user error.

``CASES`` lists, per command, the arguments and the setup that give each documented code;
``test_every_command_is_covered`` fails when a command is added without its cases.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Final

import pytest
from click.testing import CliRunner

from ibmkg.cli import cli
from ibmkg.cli._common import Context
from ibmkg.paths import Layout

INVALID = Path(__file__).parent / "data" / "invalid"
Setup = Callable[[Path], None]


def _nothing(root: Path) -> None:
    del root


def _non_conforming(root: Path) -> None:
    shutil.copy(INVALID / "fixture-gamma-2010.ttl", root / "kg" / "studies")


def _syntax_error(root: Path) -> None:
    shutil.copy(INVALID / "syntax-error.ttl", root / "kg" / "studies" / "broken-2020.ttl")


def _bad_header(root: Path) -> None:
    (root / "queries" / "broken.rq").write_text("#+ summary: x\n#+ nonsense\nSELECT * {}\n")


def _not_canonical(root: Path) -> None:
    study = root / "kg" / "studies" / "fixture-alpha-2001.ttl"
    study.write_text("# messy\n" + study.read_text().replace(" .\n", "  .\n"))


#: command -> [(args, setup, expected exit code, what the case shows)]
CASES: Final[dict[str, list[tuple[tuple[str, ...], Setup, int, str]]]] = {
    "build": [(("--no-reason",), _nothing, 0, "builds"),
              (("--no-reason",), _non_conforming, 1, "violations"),
              (("--no-reason",), _syntax_error, 2, "a study does not parse"),
              (("--bogus",), _nothing, 2, "unknown option")],
    "canon": [((), _nothing, 0, "rewrites"),
              (("--check",), _not_canonical, 1, "not canonical"),
              ((), _syntax_error, 2, "a file does not parse")],
    "export": [(("--format", "nt"), _nothing, 0, "exports"),
               (("--format", "bogus"), _nothing, 2, "unknown format"),
               ((), _syntax_error, 2, "a study does not parse")],
    "queries": [((), _nothing, 0, "lists"),
                ((), _bad_header, 2, "malformed header")],
    "query": [(("studies",), _nothing, 0, "runs"),
              (("studes",), _nothing, 2, "unknown query"),
              (("studies-larger-than", "-p", "size=big"), _nothing, 2, "bad parameter")],
    "reason": [((), _syntax_error, 2, "a study does not parse"),
               (("--format", "bogus"), _nothing, 2, "unknown format")],
    "stats": [((), _nothing, 0, "counts"),
              ((), _syntax_error, 2, "a study does not parse")],
    "table": [((), _nothing, 0, "renders"),
              (("--format", "bogus"), _nothing, 2, "unknown format")],
    # Commands of other branches (curation, publication, serving): usage errors for now;
    # their own tests cover the other codes.
    **{command: [(("--bogus-option",), _nothing, 2, "unknown option")]
       for command in ("add", "describe", "draft", "import", "new-study", "publish", "serve",
                       "site")},
    "validate": [((), _nothing, 0, "conforms"),
                 ((), _non_conforming, 1, "violations"),
                 ((), _syntax_error, 2, "a study does not parse")],
}


def _params() -> list[object]:
    return [pytest.param(command, args, setup, code, id=f"{command}-{code}-{why}")
            for command, cases in CASES.items() for args, setup, code, why in cases]


@pytest.fixture()
def project(tmp_path: Path, fixture_layout: Layout) -> Path:
    root = tmp_path / "project"
    shutil.copytree(fixture_layout.root, root)
    return root


def test_every_command_is_covered() -> None:
    missing = sorted(set(cli.commands) - set(CASES))
    assert missing == [], f"add exit-code cases for {missing} to CASES"
    for command, cases in CASES.items():
        codes = {code for _, _, code, _ in cases}
        assert 2 in codes, f"{command}: no usage or input error case"


@pytest.mark.parametrize(("command", "args", "setup", "code"), _params())
def test_exit_code(project: Path, command: str, args: tuple[str, ...], setup: Setup,
                   code: int) -> None:
    setup(project)
    result = CliRunner().invoke(cli, ["--root", str(project), command, *args])
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    if code == 2:
        last = result.output.strip().splitlines()[-1]
        assert last.startswith(("error:", "Error:", "Usage:", "Try ")), last


#: Commands that read the project first (an injected failure there cannot start a server).
INTERNAL: Final = ("build", "canon", "export", "queries", "query", "reason", "stats", "table",
                   "validate")


@pytest.mark.parametrize("command", INTERNAL)
def test_internal_error_exits_3_without_traceback(
        project: Path, command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: Context) -> Layout:
        raise RuntimeError("injected failure")

    monkeypatch.setattr(Context, "layout", broken)
    args = {"query": ("studies",)}.get(command, ())
    result = CliRunner().invoke(cli, ["--root", str(project), command, *args])
    assert result.exit_code == 3, result.output
    assert "internal error: RuntimeError: injected failure" in result.output
    assert "Traceback" not in result.output
    debug = CliRunner().invoke(cli, ["--root", str(project), "--debug", command, *args])
    assert debug.exit_code == 3 and "Traceback" in debug.output
