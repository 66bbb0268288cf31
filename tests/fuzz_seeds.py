"""Seed documents for the fuzz targets: the W3C suites (when present) and the project's fixtures."""

from __future__ import annotations

import io
from pathlib import Path

from ibmkg.paths import Layout
from w3c_suites import suite_root

TESTS = Path(__file__).parent
FIXTURES = TESTS / "data" / "project"
CURATION = TESTS / "data" / "curation"
#: Studies of the letter whose described form seeds the YAML reader (a crossover trial with
#: comparators, a case series, a case report).
DESCRIBED: tuple[str, ...] = ("dalakas-2001", "soueidan-1993", "cherin-2002")
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


def curation_seed_texts() -> dict[str, list[str]]:
    """Documents for the curation readers: the forms and tables of ``tests/data/curation``,
    ``ibmkg new-study``'s template, three studies of the letter as ``ibmkg describe`` writes
    them, a workbook of the import table, and the PubMed and ClinicalTrials.gov records."""
    import openpyxl

    from ibmkg.curation import Vocabulary
    from ibmkg.curation.describe import describe_study
    from ibmkg.curation.fuzzing import xlsx_text
    from ibmkg.curation.template import study_template

    layout = Layout(TESTS.parent)
    yaml = [p.read_text(encoding="utf-8") for p in sorted(CURATION.glob("*.yaml"))]
    yaml.append(study_template("roe-2034", Vocabulary.from_layout(layout)))
    yaml += [describe_study(slug, layout) for slug in DESCRIBED]
    rows = [line.split("\t") for line in
            (CURATION / "roe-2033.tsv").read_text(encoding="utf-8").splitlines()]
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    raw = io.BytesIO()
    book.save(raw)
    return {
        "yaml": yaml,
        "csv": [(CURATION / "roe-2033.csv").read_text(encoding="utf-8")],
        "tsv": [(CURATION / "roe-2033.tsv").read_text(encoding="utf-8")],
        "xlsx": [xlsx_text(raw.getvalue())],
        "pubmed": [(CURATION / "pubmed-record.xml").read_text(encoding="utf-8")],
        "ctgov": [(CURATION / "ctgov-study.json").read_text(encoding="utf-8")],
    }
