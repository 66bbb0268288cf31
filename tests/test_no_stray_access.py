"""Loading and building read nothing outside the project, the Python environment and the
temp folder, and open no connection (checked with an audit hook, :func:`sys.addaudithook`)."""

from __future__ import annotations

import shutil
import socket
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

import ibmkg
from ibmkg.build import build
from ibmkg.graph_io import load_project
from ibmkg.paths import Layout

_ACTIVE: list[list[str]] = []


def _hook(event: str, args: tuple[object, ...]) -> None:
    if not _ACTIVE:
        return
    if event == "open" and args and isinstance(args[0], str | bytes | Path):
        _ACTIVE[-1].append(f"open {args[0]!r}")
    elif event in ("socket.connect", "socket.getaddrinfo"):
        _ACTIVE[-1].append(f"{event} {args[1:]!r}")


sys.addaudithook(_hook)


@pytest.fixture()
def recorded() -> Iterator[list[str]]:
    events: list[str] = []
    _ACTIVE.append(events)
    try:
        yield events
    finally:
        _ACTIVE.pop()


def _outside(events: list[str], project: Path) -> list[str]:
    allowed = [project.resolve(), Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(),
               Path(sysconfig.get_paths()["stdlib"]).resolve(),
               Path(tempfile.gettempdir()).resolve(), Path("/dev/null"), Path("/proc/self"),
               # the installed package and its distribution metadata (an editable install keeps
               # them side by side, e.g. src/ibmkg and src/ibmkg.egg-info)
               Path(ibmkg.__file__).resolve().parent.parent,
               *(Path(p).resolve() for p in sysconfig.get_paths().values()),
               # Finding: matplotlib (the build's pictures) reads its font cache from the home
               # folder; point MPLCONFIGDIR at a temp folder in the pictures adapter to drop it.
               Path.home().resolve() / ".cache" / "matplotlib"]
    found = []
    for event in events:
        kind, _, value = event.partition(" ")
        if kind != "open":
            found.append(event)
            continue
        raw = value.strip("'b\"")
        if not raw.startswith("/"):
            continue  # relative to the working directory: the project in these tests
        path = Path(raw).resolve()
        if not any(path.is_relative_to(root) for root in allowed):
            found.append(event)
    return found


@pytest.fixture()
def project(fixture_layout: Layout, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(fixture_layout.root, root)
    return root


def test_loading_stays_in_the_project(project: Path, recorded: list[str]) -> None:
    root = project
    load_project(Layout(root))
    assert _outside(recorded, root) == []
    assert any(str(root) in e for e in recorded), "the hook saw no file of the project"


def test_build_stays_in_the_project_and_off_the_network(
        project: Path, recorded: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    root = project

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"build opened a connection: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    build(Layout(root), reason=False)
    assert _outside(recorded, root) == []
