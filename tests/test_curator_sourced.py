"""Curator-sourced studies: a study read from its own publication, not from the letter.

The letter's Cherin et al. 2002 is turned into a curator-sourced study by
``tests/data/curator/as-curator-sourced.ru`` (fictional curator, date and locations); the
converted graph must conform with both engines, and it must no longer count as a row of the
letter's Table I. Each new constraint has its own broken fixture in ``tests/data/broken/``.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from ibmkg.namespaces import PREFIXES
from ibmkg.validation import Severity, validate
from ibmkg.validation.engine import Engine
from test_jena_shacl import _compare, jena  # noqa: F401 (a fixture)
from test_shapes import Fixture, _as_data, _broken

CONVERT = Path(__file__).parent / "data" / "curator" / "as-curator-sourced.ru"
SHAPE = PREFIXES["shape"]
CHERIN = PREFIXES["study"] + "cherin-2002"


def _converted(union: list[pyoxigraph.Triple]) -> list[pyoxigraph.Triple]:
    fixture = Fixture(CONVERT, "", Severity.VIOLATION, CONVERT.read_text(encoding="utf-8"))
    return _broken(union, fixture)


@pytest.mark.parametrize("engine", [
    Engine.COMPILED, pytest.param(Engine.PYSHACL, marks=pytest.mark.engines)])
def test_converted_study_conforms(union: list[pyoxigraph.Triple],
                                  shapes: list[pyoxigraph.Triple], engine: Engine) -> None:
    triples = _converted(union)
    kinds = {t.object for t in triples
             if t.subject == pyoxigraph.NamedNode(CHERIN) and t.predicate.value.endswith("#type")}
    assert pyoxigraph.NamedNode(PREFIXES["ibmkg"] + "CuratorSourcedStudy") in kinds
    report = validate(_as_data(triples, "kg"), shapes, engine=engine)
    problems = [r.line() for r in report.results if r.severity is not Severity.INFO]
    assert problems == []
    assert [r.source_shape for r in report.results] == [SHAPE + "Cited-doiInfo"]


def test_letter_study_without_review_is_refused(union: list[pyoxigraph.Triple],
                                                shapes: list[pyoxigraph.Triple]) -> None:
    """Dropping only the curator type from the converted study leaves a study of no source."""
    triples = [t for t in _converted(union)
               if not (t.subject == pyoxigraph.NamedNode(CHERIN)
                       and t.object == pyoxigraph.NamedNode(PREFIXES["ibmkg"]
                                                            + "CuratorSourcedStudy"))]
    report = validate(_as_data(triples, "kg"), shapes)
    assert {(r.source_constraint, r.focus) for r in report.results
            if r.severity is Severity.VIOLATION} == {(SHAPE + "Study-sourced", CHERIN)}




def test_apache_jena_agrees_on_the_converted_study(jena: list[str],  # noqa: F811
                                                   union: list[pyoxigraph.Triple],
                                                   shapes: list[pyoxigraph.Triple],
                                                   tmp_path: Path) -> None:
    """Apache Jena SHACL, an engine nobody here wrote, gives the same results."""
    ours = _compare(jena, _converted(union), shapes, tmp_path)
    assert [r.source_shape.rsplit("/", 1)[-1] for r in ours] == ["Cited-doiInfo"]
