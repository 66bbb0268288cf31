"""Long steps of ``ibmkg validate`` and ``ibmkg reason`` show progress on a terminal only.

The reporter is the CLI's (:func:`ibmkg.progress.terminal_progress`): here it is made to
report at once (no one-second delay) on standard error, as a terminal would get it; piped
(the CLI runner's streams are not terminals), the same commands print no progress.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import TextIO

import pytest
from click.testing import CliRunner

import ibmkg.progress
from ibmkg.cli import cli
from ibmkg.paths import Layout


@pytest.fixture
def project(fixture_layout: Layout, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(fixture_layout.root, root, ignore=shutil.ignore_patterns("build"))
    return root


def _run(root: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--root", str(root), *args])
    assert result.exit_code in (0, 1), result.output
    return result.stderr


@pytest.mark.parametrize(("command", "steps"), [
    (("validate",), ["loading ...", "validating ..."]),
    (("reason", "--engine", "fast"), ["reasoning ..."]),
])
def test_steps_are_shown_on_a_terminal_and_quiet_when_piped(
        project: Path, monkeypatch: pytest.MonkeyPatch, command: tuple[str, ...],
        steps: list[str]) -> None:
    quiet = _run(project, *command)
    assert not any(step in quiet for step in steps)
    shown = io.StringIO()

    def on_terminal(stream: TextIO | None = None) -> ibmkg.progress.Progress:
        return ibmkg.progress.Progress(shown, delay=0)

    monkeypatch.setattr(ibmkg.progress, "terminal_progress", on_terminal)
    _run(project, *command)
    lines = shown.getvalue().splitlines()
    assert [line.split(" ...")[0] + " ..." for line in lines] == steps
    assert all(line.endswith(" s") for line in lines)
