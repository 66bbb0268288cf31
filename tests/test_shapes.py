"""The SHACL shapes: the real graph conforms, the shapes graph is valid SHACL, and every shape
fails on its own broken fixture (``tests/data/broken/<shape>.ru``).

A broken fixture is a SPARQL Update applied to a copy of the real graph. Its header names the
shape it must trigger and the severity::

    # Arms that do not add up to the study's patients.
    # expect: shape:Study-armTotals
    # severity: Violation
    DELETE { ... } INSERT { ... } WHERE { ... }

To keep each case fast, a fixture runs on the ontology, the review and only the studies its
update names, and only the node shape that owns the expected constraint is run. The same data
without the update is validated too, and only the results the update adds count, so a fixture
cannot pass because the shape fails anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
import pytest

from ibmkg.graph_io import LoadedData, SourceGraph
from ibmkg.namespaces import PREFIXES
from ibmkg.source_index import SourceIndex
from ibmkg.validation import Severity, ValidationReport, validate, validate_shapes

SH = "http://www.w3.org/ns/shacl#"
SHAPE = PREFIXES["shape"]
STUDY = PREFIXES["study"]
BROKEN = Path(__file__).parent / "data" / "broken"

#: Shapes without a broken fixture, with the reason (none today: every shape has one).
XFAIL: dict[str, str] = {}


@dataclass(frozen=True)
class Fixture:
    """One broken fixture: the update, the shape it must trigger and the severity."""

    path: Path
    shape: str
    severity: Severity
    update: str


def _fixture(path: Path) -> Fixture:
    text = path.read_text(encoding="utf-8")
    shape = re.search(r"^# expect: shape:(\S+)$", text, re.MULTILINE)
    severity = re.search(r"^# severity: (\w+)$", text, re.MULTILINE)
    assert shape and severity, f"{path.name}: header needs '# expect:' and '# severity:' lines"
    return Fixture(path, SHAPE + shape.group(1), Severity(severity.group(1)), text)


FIXTURES = [_fixture(p) for p in sorted(BROKEN.glob("*.ru"))]


def _base(project: LoadedData, fixture: Fixture) -> list[pyoxigraph.Triple]:
    """The ontology, the review and the studies the fixture's update names."""
    named = set(re.findall(r"(?:study/|study:)([a-z]+-[0-9]{4})", fixture.update))
    slugs = named or {"cherin-2002"}
    keep = {graph_name for graph_name in project.names()
            if not graph_name.startswith(STUDY) or graph_name[len(STUDY):] in slugs}
    keep -= {name for name in project.names() if "/imports/" in name}
    return list(dict.fromkeys(t for g in project.graphs if g.name in keep for t in g.triples))


def _owners(shapes: list[pyoxigraph.Triple]) -> dict[str, str]:
    """Map each property shape and SPARQL constraint to the node shape that uses it."""
    owners = {}
    for t in shapes:
        if t.predicate.value in (SH + "property", SH + "sparql"):
            owners[t.object.value] = t.subject.value  # type: ignore[union-attr]
    return owners


def _named_constraints(shapes: list[pyoxigraph.Triple]) -> set[str]:
    return {name for name in _owners(shapes) if name.startswith(SHAPE)}


def _as_data(triples: list[pyoxigraph.Triple], display: str) -> LoadedData:
    return LoadedData((SourceGraph("urn:ibmkg:fixture", display, tuple(triples)),), SourceIndex())


def _broken(union: list[pyoxigraph.Triple], fixture: Fixture) -> list[pyoxigraph.Triple]:
    store = pyoxigraph.Store()
    store.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in union)
    prefixes = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
    store.update(prefixes + fixture.update)
    return [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in store]


def _hits(report: ValidationReport, shape: str) -> set[tuple[str, str | None, Severity]]:
    return {(r.focus, r.value, r.severity) for r in report.results
            if shape in (r.source_shape, r.source_constraint)}


def test_real_graph_conforms(union: list[pyoxigraph.Triple],
                             shapes: list[pyoxigraph.Triple]) -> None:
    report = validate(_as_data(union, "kg"), shapes)
    problems = [r for r in report.results if r.severity is not Severity.INFO]
    assert problems == [], "\n".join(r.line() for r in problems)
    infos = [r.source_shape for r in report.results]
    assert infos == [SHAPE + "Cited-doiInfo"], "only the missing DOI of reference 2 is reported"


def test_shapes_graph_is_valid_shacl(shapes: list[pyoxigraph.Triple]) -> None:
    report = validate_shapes(shapes)
    assert report.results == [], "\n".join(r.line() for r in report.results)


def test_every_shape_has_a_broken_fixture(shapes: list[pyoxigraph.Triple]) -> None:
    named = _named_constraints(shapes)
    covered = {f.shape for f in FIXTURES}
    missing = named - covered - {SHAPE + name for name in XFAIL}
    assert missing == set(), f"add tests/data/broken/<name>.ru for: {sorted(missing)}"
    assert covered <= named, f"fixtures for shapes that do not exist: {sorted(covered - named)}"
    assert len(FIXTURES) == len(named) == 132


@pytest.mark.parametrize("fixture", FIXTURES, ids=[f.path.stem for f in FIXTURES])
def test_broken_fixture_triggers_its_shape(fixture: Fixture, project: LoadedData,
                                          shapes: list[pyoxigraph.Triple]) -> None:
    owner = _owners(shapes)[fixture.shape]
    base = _base(project, fixture)
    before = _hits(validate(_as_data(base, "kg"), shapes, use_shapes=[owner]), fixture.shape)
    report = validate(_as_data(_broken(base, fixture), fixture.path.name), shapes,
                      use_shapes=[owner])
    added = _hits(report, fixture.shape) - before
    assert added, f"{fixture.path.name} did not trigger {fixture.shape}"
    assert {severity for _, _, severity in added} == {fixture.severity}
    for result in report.results:
        if fixture.shape in (result.source_shape, result.source_constraint):
            assert result.message and "{" not in result.message, result.message
            assert PREFIXES["ibmkg"] not in result.message, "ontology IRIs show as CURIEs"
