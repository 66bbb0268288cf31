"""Helpers for the curation tests: throw-away copies of the project to add studies into."""

from __future__ import annotations

import shutil
from pathlib import Path

from ibmkg.paths import Layout, find_root

PROJECT = find_root(Path(__file__).parent)
DATA = Path(__file__).parent / "data" / "curation"
SLUGS = sorted(p.stem for p in (PROJECT / "kg" / "studies").glob("*.ttl"))


def project_copy(target: Path, *, studies: bool = True, review: bool = True,
                 shapes: bool = True) -> Layout:
    """Copy the project's data (never its code) into ``target``.

    :param target: an empty temporary directory.
    :param studies: copy ``kg/studies/*.ttl``.
    :param review: copy ``kg/review.ttl``.
    :param shapes: copy ``shapes/`` (without it validation has nothing to check).
    :returns: the copy's layout.
    """
    shutil.copy(PROJECT / "pyproject.toml", target / "pyproject.toml")
    shutil.copytree(PROJECT / "ontology", target / "ontology")
    if shapes:
        shutil.copytree(PROJECT / "shapes", target / "shapes")
    (target / "kg" / "studies").mkdir(parents=True)
    if review:
        shutil.copy(PROJECT / "kg" / "review.ttl", target / "kg" / "review.ttl")
    if studies:
        for path in (PROJECT / "kg" / "studies").glob("*.ttl"):
            shutil.copy(path, target / "kg" / "studies" / path.name)
    return Layout(target)


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file under ``directory`` with its bytes.

    :param directory: a directory.
    :returns: relative path -> content.
    """
    return {p.relative_to(directory).as_posix(): p.read_bytes()
            for p in sorted(directory.rglob("*")) if p.is_file()}
