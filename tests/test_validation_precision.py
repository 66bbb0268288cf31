"""Validation precision (issue 8): the closed vocabulary, literal forms, one mistake one line at
the offending triple, at most 50 lines in full, a file validated in its project's context, the
engine as a parameter, and broken shapes refused before any data is read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph
import pytest
from click.testing import CliRunner

from ibmkg.cli import cli
from ibmkg.errors import ShapesError
from ibmkg.formats import ReportFormat
from ibmkg.graph_io import LoadedData, SourceGraph, parse_turtle
from ibmkg.paths import Layout, default_layout
from ibmkg.source_index import Location, SourceIndex
from ibmkg.validation import (
    CLOSED_VOCABULARY,
    LITERAL_FORM,
    Engine,
    Severity,
    ValidationReport,
    ValidationResult,
    check_shapes,
    format_report,
    validate,
)
from ibmkg.validation.context import load_in_context
from ibmkg.validation.locate import Locator
from ibmkg.validation.shapes import load_shapes, select_shapes

ONTO = "https://w3id.org/ibmkg/ontology/"
WALTER = "kg/studies/walter-2000.ttl"


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), *args])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def layout() -> Layout:
    return default_layout()


@pytest.fixture(scope="module")
def walter_mistakes(layout: Layout, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """walter-2000 outside the project, with an invented property, a misspelt one, a
    misspelt class, a misspelt concept and a malformed year."""
    text = (layout.root / WALTER).read_text(encoding="utf-8")
    text = text.replace("    ibmkg:patientCount 22 ;\n    ibmkg:reportedIn",
                        "    ibmkg:patientCont 22 ;\n    ibmkg:totallyMadeUp 42 ;\n"
                        "    ibmkg:reportedIn", 1)
    text = text.replace('"2000"^^xsd:gYear', '"200O"^^xsd:gYear')
    text = text.replace("finding-2> a ibmkg:EffectFinding", "finding-2> a ibmkg:EfectFinding")
    text = text.replace("ibmkg:measuredBy measure:emg", "ibmkg:measuredBy measure:emgg")
    path = tmp_path_factory.mktemp("outside") / "walter-new.ttl"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def python_results(layout: Layout, walter_mistakes: Path) -> list[ValidationResult]:
    data, _ = load_in_context(layout, [walter_mistakes], with_mappings=False)
    return validate(data, []).results


def _line_of(path: Path, needle: str) -> tuple[int, int]:
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


def test_unknown_terms_are_violations_with_suggestions(
        python_results: list[ValidationResult], walter_mistakes: Path) -> None:
    vocabulary = {r.path if r.value is None else r.value: r for r in python_results
                  if r.source_shape == CLOSED_VOCABULARY}
    misspelt = vocabulary[ONTO + "patientCont"]
    assert misspelt.fix == "did you mean ibmkg:patientCount or ibmkg:patientsCell?"
    assert misspelt.location == Location(walter_mistakes.as_posix(),
                                         *_line_of(walter_mistakes, "ibmkg:patientCont"))
    invented = vocabulary[ONTO + "totallyMadeUp"]
    assert invented.severity is Severity.VIOLATION and invented.fix is not None
    assert "declare ibmkg:totallyMadeUp" in invented.fix
    cls = vocabulary[f"<{ONTO}EfectFinding>"]
    assert cls.fix is not None and "ibmkg:EffectFinding" in cls.fix
    assert cls.location == Location(walter_mistakes.as_posix(),
                                    *_line_of(walter_mistakes, "ibmkg:EfectFinding"))
    concept = vocabulary["<https://w3id.org/ibmkg/vocab/measure/emgg>"]
    assert concept.fix is not None and "measure:emg" in concept.fix


def test_malformed_literal_at_its_column(python_results: list[ValidationResult],
                                         walter_mistakes: Path) -> None:
    (year,) = [r for r in python_results if r.source_shape == LITERAL_FORM]
    assert year.value == '"200O"^^<http://www.w3.org/2001/XMLSchema#gYear>'
    assert year.message.startswith('"200O" is not a valid xsd:gYear')
    line, column = _line_of(walter_mistakes, '"200O"')
    assert year.location == Location(walter_mistakes.as_posix(), line, column)


def test_the_real_graph_uses_only_declared_terms(layout: Layout) -> None:
    from ibmkg.graph_io import load_project

    results = validate(load_project(layout), []).results
    assert results == [], "\n".join(r.line() for r in results)


def test_locator_points_at_object_predicate_or_subject() -> None:
    index = SourceIndex()
    text = ('@prefix ex: <http://ex/> .\nex:a a ex:C ;\n    ex:n 1, "x" ;\n'
            '    ex:m [ ex:q 2 ] .\nex:b ex:r ex:a .\n')
    index.scan("t.ttl", text)
    locator = Locator(index)
    assert str(locator.locate("http://ex/a", "http://ex/n", '"x"')) == "t.ttl:3:13"
    assert str(locator.locate("http://ex/a", "http://ex/n", None)) == "t.ttl:3:5"
    assert str(locator.locate("http://ex/a", "^http://ex/r", "<http://ex/b>")) == "t.ttl:5:11"
    assert str(locator.locate("http://ex/a", "http://ex/missing", None)) == "t.ttl:2:1"


def test_conforms_false_with_any_result_and_language_kept() -> None:
    info = ValidationResult(Severity.INFO, "http://ex/a", None, None, "a note", "http://ex/S",
                            "http://www.w3.org/ns/shacl#MinCountConstraintComponent",
                            language="en")
    report = ValidationReport([info])
    assert not report.conforms and report.passes() and not report.passes(strict=True)
    triples = parse_turtle(format_report(report, ReportFormat.TURTLE))
    (message,) = [t.object for t in triples if t.predicate.value.endswith("resultMessage")]
    assert message == pyoxigraph.Literal("a note", language="en")


def test_engine_is_a_parameter() -> None:
    data = LoadedData((SourceGraph("urn:g", "x.ttl", tuple(parse_turtle(
        "<http://ex/a> <http://ex/p> 1 ."))),), SourceIndex())
    shapes = parse_turtle("""@prefix sh: <http://www.w3.org/ns/shacl#> .
        <http://ex/S> sh:targetNode <http://ex/a> ; sh:property [ sh:path <http://ex/p> ;
            sh:datatype <http://www.w3.org/2001/XMLSchema#string> ] .""")
    report = validate(data, shapes, engine=Engine.PYSHACL)
    assert [r.constraint_component.rsplit("#")[-1] for r in report.results] == [
        "DatatypeConstraintComponent"]


@pytest.mark.parametrize(("shape", "problem"), [
    ("sh:path ex:p ; sh:minCont 1", "sh:minCont is not a SHACL term; did you mean sh:minCount?"),
    ('sh:path "p" ; sh:minCount 1', 'sh:path is the literal "p", not a path'),
    ("sh:sparql [ sh:select 'SELECT $this WHERE { $this ex:p 1 }' ]",
     "its SPARQL query uses ex: but does not declare it"),
], ids=["unknown-term", "literal-path", "undeclared-prefix"])
def test_broken_shapes_are_refused_with_shape_and_line(
        shape: str, problem: str, tmp_path: Path) -> None:
    path = tmp_path / "broken.ttl"
    path.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix ex: <http://ex/> .\n"
                    f"\nex:S a sh:NodeShape ;\n    sh:targetClass ex:C ;\n"
                    f"    sh:property ex:P .\n\nex:P {shape} .\n", encoding="utf-8")
    shapes, index = load_shapes([path], display=["shapes/broken.ttl"])
    with pytest.raises(ShapesError) as caught:
        check_shapes(shapes, index)
    assert problem in str(caught.value)
    assert str(caught.value).startswith("shapes/broken.ttl:8: shape ex:P:") or \
        str(caught.value).startswith("shapes/broken.ttl:8: shape <http://ex/P>:")


def test_cli_broken_shapes_exit_2_before_any_data(fixture_layout: Layout,
                                                  tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(fixture_layout.root, root)
    (root / "shapes" / "zz-broken.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n\n"
        "<https://w3id.org/ibmkg/shapes/Bad> sh:targetClass <http://ex/C> ;\n"
        "    sh:maxCont 1 .\n", encoding="utf-8")
    (root / "kg" / "studies" / "broken-data.ttl").write_text("this is not turtle\n")
    code, output = run(root, "validate")
    assert code == 2
    assert output.startswith("error: shapes/zz-broken.ttl:3: shape shape:Bad: sh:maxCont is "
                             "not a SHACL term; did you mean sh:maxCount?")


def test_cli_at_most_50_mistakes_rest_in_a_file(fixture_layout: Layout, tmp_path: Path) -> None:
    root = tmp_path / "project"
    shutil.copytree(fixture_layout.root, root)
    study = root / "kg" / "studies" / "fixture-alpha-2001.ttl"
    text = study.read_text(encoding="utf-8")
    invented = "".join(f"    ibmkg:madeUp{i} {i} ;\n" for i in range(60))
    study.write_text(text.replace("    ibmkg:weight", invented + "    ibmkg:weight", 1),
                     encoding="utf-8")
    full = tmp_path / "full.txt"
    code, output = run(root, "validate", "--report-file", str(full))
    lines = output.splitlines()
    assert code == 1
    assert sum(line.startswith("Violation ") for line in lines) == 50
    assert "... and 10 more mistake(s), not shown here" in lines
    assert lines[-1] == "full report: " + full.as_posix()
    assert "does not conform: 60 violation(s), 0 warning(s), 0 info(s)" in output
    assert sum(line.startswith("Violation ") for line in full.read_text().splitlines()) == 60


def test_cli_full_report_without_a_build_folder(fixture_layout: Layout, tmp_path: Path) -> None:
    """The default report file is build/validation-full.txt: a fresh clone has no build/
    (was an internal error, exit 3)."""
    root = tmp_path / "project"
    shutil.copytree(fixture_layout.root, root, ignore=shutil.ignore_patterns("build"))
    study = root / "kg" / "studies" / "fixture-alpha-2001.ttl"
    text = study.read_text(encoding="utf-8")
    study.write_text(text.replace("    ibmkg:weight", "    ibmkg:madeUp1 1 ;\n"
                                  "    ibmkg:madeUp2 2 ;\n    ibmkg:weight", 1), encoding="utf-8")
    code, output = run(root, "validate", "--max-lines", "1")
    assert code == 1
    assert output.splitlines()[-1].endswith("build/validation-full.txt")
    assert (root / "build" / "validation-full.txt").read_text().count("Violation ") == 2


def test_cli_validates_one_study_in_its_project(layout: Layout) -> None:
    """The README's example: a correct study file is clean on its own (was 2 violations)."""
    code, output = run(layout.root, "validate", WALTER)
    assert (code, output) == (0, "conforms: 0 violation(s), 0 warning(s), 0 info(s)\n")


def test_cli_file_outside_the_project(layout: Layout, walter_mistakes: Path) -> None:
    code, output = run(layout.root, "validate", str(walter_mistakes))
    assert code == 1
    lines = output.splitlines()
    line, column = _line_of(walter_mistakes, "ibmkg:patientCont")
    assert any("path=ibmkg:patientCont" in x and x.endswith(
        f"({walter_mistakes.as_posix()}:{line}:{column})") for x in lines)
    assert all(walter_mistakes.as_posix() in x for x in lines[:-1]), "only the file's results"


def test_a_misspelt_property_and_the_missing_one_are_one_mistake() -> None:
    """``ibmkg:patientCont 4`` also leaves ``ibmkg:patientCount`` missing: one line, at the
    misspelling."""
    sh = "http://www.w3.org/ns/shacl#"
    where = Location("a.ttl", 7, 5)
    misspelt = ValidationResult(
        Severity.VIOLATION, "http://ex/s", ONTO + "patientCont", None, "not a property",
        CLOSED_VOCABULARY, CLOSED_VOCABULARY + "ConstraintComponent", location=where,
        suggestions=(ONTO + "patientCount",))
    missing = ValidationResult(
        Severity.VIOLATION, "http://ex/s", ONTO + "patientCount", None, "needs a count",
        "urn:shape", sh + "MinCountConstraintComponent", location=Location("a.ttl", 3, 1))
    (mistake,) = ValidationReport([missing, misspelt]).mistakes()
    assert mistake.results == (misspelt, missing)
    assert mistake.line().endswith("(a.ttl:7:5)")


@pytest.mark.parametrize("count", ['"4"', '"4O"^^xsd:integer'], ids=["string", "ill-typed"])
def test_a_count_of_the_wrong_type_does_not_crash_the_arm_totals(
        layout: Layout, count: str) -> None:
    """Regression: rdflib raised out of SPARQL SUM over such a count (pySHACL crashed)."""
    shapes, _ = load_shapes(sorted(layout.shapes.glob("*.ttl")))
    study = "https://w3id.org/ibmkg/study/x-2000"
    text = f"""@prefix ibmkg: <{ONTO}> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<{study}> a ibmkg:Study ; ibmkg:isCrossover false ; ibmkg:patientCount 9 ;
    ibmkg:hasArm <{study}/a>, <{study}/b> .
<{study}/a> a ibmkg:Arm ; ibmkg:patientCount 5 .
<{study}/b> a ibmkg:Arm ; ibmkg:patientCount {count} .
"""
    index = SourceIndex()
    index.scan("x.ttl", text)
    data = LoadedData((SourceGraph("urn:g", "x.ttl", tuple(parse_turtle(text))),), index)
    report = validate(data, select_shapes(shapes, ["https://w3id.org/ibmkg/shapes/StudyShape",
                                                   "https://w3id.org/ibmkg/shapes/ArmShape"]))
    assert any(r.source_shape.endswith("Arm-patientCount") and r.location is not None
               and r.location.line == 6 for r in report.results)


def test_the_project_shapes_declare_every_prefix_they_use(layout: Layout) -> None:
    """Regression: shape:Row-uniqueNumber used prov: without sh:declare (Jena refused it)."""
    files = sorted(layout.shapes.glob("*.ttl"))
    shapes, index = load_shapes(files, display=[p.name for p in files])
    check_shapes(shapes, index)  # raises ShapesError naming the shape otherwise
    without_prov = [t for t in shapes if t.object != pyoxigraph.Literal("prov")]
    expected = r"^bibliography.ttl:\d+: shape shape:Row-uniqueNumber: .*prov:"
    with pytest.raises(ShapesError, match=expected):
        check_shapes(without_prov, index)
