"""SHACL validation made readable: severities kept, placeholders filled, file:line and study."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph
import pytest

from ibmkg.formats import ReportFormat
from ibmkg.graph_io import LoadedData, load_project, load_turtle, parse_turtle
from ibmkg.paths import Layout, shape_files
from ibmkg.queries import load_catalogue
from ibmkg.source_index import Location
from ibmkg.validation import (
    Severity,
    ValidationReport,
    format_report,
    validate,
    validate_project,
    validate_shapes,
)

INVALID = Path(__file__).parent / "data" / "invalid"
GAMMA = "https://w3id.org/ibmkg/study/fixture-gamma-2010"
GAMMA_FILE = "kg/studies/fixture-gamma-2010.ttl"


def shapes_of(layout: Layout) -> list[pyoxigraph.Triple]:
    return [t for p in shape_files(layout) for t in load_turtle(p)]


@pytest.fixture(scope="module")
def broken_layout(tmp_path_factory: pytest.TempPathFactory, fixture_layout: Layout) -> Layout:
    """The fixture project plus a study with an ill-typed size, no label and no year."""
    root = tmp_path_factory.mktemp("broken") / "project"
    shutil.copytree(fixture_layout.root, root)
    shutil.copy(INVALID / "fixture-gamma-2010.ttl", root / "kg" / "studies")
    return Layout(root)


@pytest.fixture(scope="module")
def broken_report(broken_layout: Layout) -> ValidationReport:
    data = load_project(broken_layout)
    return validate_project(data, shapes_of(broken_layout),
                            load_catalogue(broken_layout.queries).values())


def test_fixture_project_conforms(fixture_data: LoadedData, fixture_layout: Layout) -> None:
    report = validate(fixture_data, shapes_of(fixture_layout))
    assert report.conforms and report.results == []
    assert format_report(report, ReportFormat.TEXT) == (
        "conforms: 0 violation(s), 0 warning(s), 0 info(s)")


def test_one_readable_line_per_result(broken_report: ValidationReport) -> None:
    lines = format_report(broken_report, ReportFormat.TEXT).splitlines()
    assert lines == [
        f"Violation study=fixture-gamma-2010 focus=study:fixture-gamma-2010: Which studies have "
        f"no publication year? (check checks/study-without-year-violation) ({GAMMA_FILE}:6:1)",
        f"Violation study=fixture-gamma-2010 focus=study:fixture-gamma-2010 path=rdfs:label: "
        f"every study needs a label ({GAMMA_FILE}:6:1)",
        f"Violation study=fixture-gamma-2010 focus=study:fixture-gamma-2010 "
        f'path=ibmkg:sampleSize value="12O"^^xsd:integer: "12O" is not a valid xsd:integer (a '
        f"whole number such as 12); study:fixture-gamma-2010 needs exactly one integer sample "
        f'size, found "12O"^^xsd:integer (write a valid xsd:integer or change the datatype) '
        f"[shape:LiteralForm] ({GAMMA_FILE}:7:22)",
        f"Warning study=fixture-gamma-2010 focus=study:fixture-gamma-2010 path=ibmkg:year: "
        f"the publication year is missing ({GAMMA_FILE}:6:1)",
        f"Info study=fixture-gamma-2010 focus=study:fixture-gamma-2010 path=^ibmkg:reviews: "
        f"no review cites this study ({GAMMA_FILE}:6:1)",
        "does not conform: 4 violation(s), 1 warning(s), 1 info(s) in 5 mistake(s)",
    ]


def test_fields(broken_report: ValidationReport) -> None:
    (result,) = [r for r in broken_report.results if r.path and r.path.endswith("sampleSize")
                 and "Datatype" in r.constraint_component]
    assert result.severity is Severity.VIOLATION
    assert result.focus == GAMMA and result.study == GAMMA
    assert result.location == Location(GAMMA_FILE, 7, 22), "at the value, not the subject"
    assert result.value == '"12O"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert "{$this}" not in result.message and "{?value}" not in result.message
    assert result.constraint_component.endswith("#DatatypeConstraintComponent")
    assert result.source_shape.endswith("StudyShape sh:property [ sh:path "
                                        "https://w3id.org/ibmkg/ontology/sampleSize ]")


def test_severities_are_kept(broken_report: ValidationReport) -> None:
    assert [r.severity.value for r in broken_report.results] == [
        "Violation", "Violation", "Violation", "Violation", "Warning", "Info"]
    assert not broken_report.conforms
    warnings_only = ValidationReport([r for r in broken_report.results
                                      if r.severity is not Severity.VIOLATION])
    assert warnings_only.passes()
    assert not warnings_only.passes(strict=True)


def test_conforms_is_false_with_any_result(broken_report: ValidationReport) -> None:
    """SHACL 3.6.1: sh:conforms is true only when there is no result, Infos included."""
    infos_only = ValidationReport([r for r in broken_report.results
                                   if r.severity is Severity.INFO])
    assert infos_only.passes() and not infos_only.conforms
    triples = parse_turtle(format_report(infos_only, ReportFormat.TURTLE))
    conforms = [t.object for t in triples if t.predicate.value.endswith("#conforms")]
    assert conforms == [pyoxigraph.Literal("false", datatype=pyoxigraph.NamedNode(
        "http://www.w3.org/2001/XMLSchema#boolean"))]


def test_json_report(broken_report: ValidationReport) -> None:
    document = json.loads(format_report(broken_report, ReportFormat.JSON))
    assert document["conforms"] is False
    assert document["counts"] == {"Violation": 4, "Warning": 1, "Info": 1}
    assert document["mistakes"] == 5
    assert document["results"][0]["location"] == f"{GAMMA_FILE}:6:1"


def test_turtle_report(broken_report: ValidationReport) -> None:
    triples = parse_turtle(format_report(broken_report, ReportFormat.TURTLE))
    store = pyoxigraph.Store()
    store.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples)
    prefix = "PREFIX sh: <http://www.w3.org/ns/shacl#> "
    assert bool(store.query(prefix + "ASK { ?r a sh:ValidationReport ; sh:conforms false }"))
    results = store.query(prefix + "SELECT ?s WHERE { ?r sh:result/sh:resultSeverity ?s }")
    assert isinstance(results, pyoxigraph.QuerySolutions)
    assert len(list(results)) == 6


def test_shapes_checked_against_shacl_for_shacl(fixture_layout: Layout) -> None:
    assert validate_shapes(shapes_of(fixture_layout)).conforms
    broken = parse_turtle("""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://w3id.org/ibmkg/shapes/Bad> a sh:NodeShape ;
            sh:property [ sh:path <https://w3id.org/ibmkg/ontology/p> ; sh:minCount "one" ] .""")
    report = validate_shapes(broken)
    assert not report.conforms
    assert any("minCount" in (r.path or "") for r in report.results)


def test_no_shapes_still_runs_checks(broken_layout: Layout) -> None:
    report = validate_project(load_project(broken_layout), [],
                              load_catalogue(broken_layout.queries).values())
    assert [r.source_shape for r in report.results] == [
        "https://w3id.org/ibmkg/query/checks/study-without-year-violation",
        "https://w3id.org/ibmkg/shapes/LiteralForm"]
