"""Loading and building read nothing outside the project, the Python environment and the
temp folder, and open no connection (checked with an audit hook, :func:`sys.addaudithook`)."""

from __future__ import annotations

import shutil
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from ibmkg.build import build
from ibmkg.graph_io import load_project
from ibmkg.paths import Layout
from stray_access import outside

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
    """Every event but a file opened inside the allowed folders (``stray_access``)."""
    events = list(events)  # the hook keeps recording while the allowed folders are computed
    opened = {event: event.partition(" ")[2].strip("'b\"") for event in events
              if event.partition(" ")[0] == "open"}
    bad = set(outside(list(opened.values()), project))
    return [event for event in events if event not in opened or opened[event] in bad]


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
