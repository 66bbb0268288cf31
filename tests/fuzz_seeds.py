"""Seed documents for the fuzz targets: the W3C suites (when present) and the project's fixtures."""

from __future__ import annotations

from pathlib import Path

from w3c_suites import suite_root

TESTS = Path(__file__).parent
FIXTURES = TESTS / "data" / "project"
MAX_SEED_BYTES = 4000


def _read(paths: list[Path]) -> list[str]:
    texts = []
    for path in sorted(paths):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if len(text) <= MAX_SEED_BYTES:
            texts.append(text)
    return texts


def seed_texts() -> dict[str, list[str]]:
    """Documents by kind: ``turtle``, ``nquads``, ``sparql``, ``update`` and ``rq``."""
    root = suite_root()
    rdf = root / "rdf-tests" / "rdf" / "rdf11" if root else None
    sparql = root / "rdf-tests" / "sparql" / "sparql11" if root else None
    fixture_ttl = list(FIXTURES.rglob("*.ttl"))
    fixture_rq = list((FIXTURES / "queries").rglob("*.rq"))
    seeds = {
        "turtle": _read(fixture_ttl + (list((rdf / "rdf-turtle").glob("*.ttl")) if rdf else [])),
        "nquads": _read(list((rdf / "rdf-n-quads").glob("*.nq")) if rdf else []),
        "sparql": _read(fixture_rq + (list(sparql.glob("syntax-query/*.rq")) if sparql else [])),
        "update": _read(list(sparql.glob("syntax-update-*/*.ru")) if sparql else []),
        "rq": _read(fixture_rq),
    }
    return seeds
