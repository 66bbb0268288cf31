"""A curator-sourced study (one not from the letter) through new-study, add, describe, import.

``tests/data/curation/roe-2031.yaml`` is fictional test data: a study "published" after the
letter and read by a curator from its own paper. It is only ever added to temporary copies
of the project, never to ``kg/``.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib.compare import isomorphic

from fixtures_curation import DATA, PROJECT, project_copy, snapshot
from ibmkg.canonical import canonical_turtle
from ibmkg.cli import cli
from ibmkg.curation import Vocabulary, load_form
from ibmkg.curation.rdf import study_to_triples
from ibmkg.graph_io import load_turtle, to_rdflib_graph
from ibmkg.namespaces import PREFIXES
from ibmkg.paths import Layout, kg_files
from ibmkg.reasoning import Engine, reason

FORM = DATA / "roe-2031.yaml"
ROE = PREFIXES["study"] + "roe-2031"


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), *args])
    return result.exit_code, result.stdout, result.stderr


def _copy(target: Path) -> Layout:
    layout = project_copy(target)
    shutil.copytree(PROJECT / "queries", target / "queries")
    return layout


def _totals(root: Path) -> list[str]:
    code, out, err = run(root, "query", "patient-totals", "--format", "csv")
    assert code == 0, err
    return list(csv.reader(io.StringIO(out)))[1]


@pytest.fixture(scope="module")
def added(tmp_path_factory: pytest.TempPathFactory) -> Layout:
    """A copy of the project with the curator-sourced study added by ``ibmkg add``."""
    layout = _copy(tmp_path_factory.mktemp("curated"))
    code, _, err = run(layout.root, "add", str(FORM))
    assert code == 0, err
    assert "added kg/studies/roe-2031.ttl" in err
    return layout


def test_add_writes_the_study_canonically(added: Layout) -> None:
    path = added.studies / "roe-2031.ttl"
    text = path.read_text(encoding="utf-8")
    assert canonical_turtle(load_turtle(path)) == text
    assert "ibmkg:CuratorSourcedStudy" in text and "prov:wasAttributedTo" in text
    assert 'prov:generatedAtTime "2031-05-06"^^xsd:date' in text
    assert "ibmkg:tableRow" not in text and "ibmkg:reviewedIn" not in text


def test_whole_project_conforms(added: Layout) -> None:
    code, out, err = run(added.root, "validate")
    assert code == 0, out + err
    assert "0 violation(s), 0 warning(s), 1 info(s)" in out + err


def test_stored_queries_see_it(added: Layout, tmp_path: Path) -> None:
    before = _totals(_copy(tmp_path).root)
    after = _totals(added.root)
    assert int(after[0]) == int(before[0]) + 1
    assert int(after[1]) == int(before[1]) + 8
    assert int(after[2]) == int(before[2]) + 8


def test_table_one_stays_the_letters(added: Layout) -> None:
    for extra in ([], ["--structured"]):
        code, out, err = run(added.root, "table", "--format", "tsv", *extra)
        assert code == 0, err
        rows = out.strip().splitlines()
        assert len(rows) == 11, "Table I has the letter's ten rows and its header"
        assert "Roe" not in out


def test_the_reasoner_classifies_it(added: Layout) -> None:
    """The fast classifier (what ``ibmkg add`` runs) places it like a study of the letter."""
    result = reason(added.ontology, kg_files(added), engine=Engine.FAST)
    classes = {t.class_iri for t in result.inferred[ROE]}
    assert PREFIXES["ibmkg"] + "StudyReportingImprovement" in classes


def test_describe_gives_back_the_form(added: Layout, tmp_path: Path) -> None:
    code, described, err = run(added.root, "describe", "roe-2031", "--format", "yaml")
    assert code == 0, err
    vocab = Vocabulary.from_layout(added)
    original, _ = load_form(FORM, vocab)
    (tmp_path / "roe-2031.yaml").write_text(described, encoding="utf-8")
    again, _ = load_form(tmp_path / "roe-2031.yaml", vocab)
    assert again.sourced_from == "publication"
    assert again.provenance == original.provenance
    first, _ = study_to_triples(original, vocab)
    second, _ = study_to_triples(again, vocab)
    assert isomorphic(to_rdflib_graph(first), to_rdflib_graph(second))
    # ... and adding the described form into a fresh project writes the same bytes.
    (tmp_path / "fresh").mkdir()
    fresh = project_copy(tmp_path / "fresh", studies=False, review=False)
    code, _, err = run(fresh.root, "add", str(tmp_path / "roe-2031.yaml"))
    assert code == 0, err
    assert (fresh.studies / "roe-2031.ttl").read_bytes() == \
        (added.studies / "roe-2031.ttl").read_bytes()
    code, again_text, err = run(fresh.root, "describe", "roe-2031", "--format", "yaml")
    assert code == 0, err
    assert again_text == described


@pytest.mark.parametrize(("old", "new", "anchor"), [
    ("  curator: Test Curator\n", "", "provenance:"),
    ("  doi: 10.5555/ibmkg.test.2031\n", "", "publication:"),
    ("    location: Results, Table 2\n", "", "    quote: Three of eight"),
    ("    source: StudyPublication\n    location: Discussion",
     "    source: WeaknessColumn\n    location: Discussion", "    source: WeaknessColumn"),
])
def test_missing_provenance_is_named_at_its_line(tmp_path: Path, old: str, new: str,
                                                 anchor: str) -> None:
    (tmp_path / "p").mkdir()
    layout = project_copy(tmp_path / "p")
    text = FORM.read_text(encoding="utf-8")
    assert old in text
    broken = text.replace(old, new, 1)
    line = next(i for i, t in enumerate(broken.splitlines(), 1) if t.startswith(anchor))
    form = tmp_path / "roe.yaml"
    form.write_text(broken, encoding="utf-8")
    before = snapshot(layout.kg)
    code, _, err = run(layout.root, "add", str(form))
    assert code == 2, err
    assert f"roe.yaml:{line}:" in err, err
    assert snapshot(layout.kg) == before


def test_letter_fields_on_a_curated_study_are_refused(tmp_path: Path) -> None:
    (tmp_path / "p").mkdir()
    layout = project_copy(tmp_path / "p")
    form = tmp_path / "roe.yaml"
    form.write_text(FORM.read_text(encoding="utf-8").replace(
        "sourced_from: publication\n", "sourced_from: publication\nreviewed_in: fontanelli-2024\n"),
        encoding="utf-8")
    code, _, err = run(layout.root, "add", str(form))
    assert code in (1, 2)
    assert "reviewed_in" in err and "Table I and the review are the letter's" in err


IMPORT = {  # one curator-sourced row, fictional
    "slug": "roe-2033", "label": "Roe et al. 2033", "sourced_from": "publication",
    "publication.title": "A fictional series for testing ibmkg",
    "publication.doi": "10.5555/ibmkg.test.2033", "publication.journal": "Test Journal",
    "publication.year": "2033", "publication.authors": "ROE R (Roe, R)",
    "publication.authors_truncated": "false",
    "publication.quote": "ROE R: A fictional series. Test Journal 2033.",
    "patients": "6", "measures": "MMT", "design.types": "case series",
    "design.randomised": "false", "design.blinded": "not reported",
    "design.controlled": "false", "design.crossover": "false",
    "design.retrospective": "false", "arm.label": "IVIG",
    "arm.quote": "Six patients received IVIG.", "arm.location": "Methods",
    "regimen.label": "IVIG, dose varied", "regimen.agent": "IVIG",
    "regimen.dose_specification": "DoseVariable", "regimen.quote": "IVIG at varying doses.",
    "regimen.location": "Methods", "finding.label": "Strength improved in two of six",
    "finding.outcomes": "muscle strength", "finding.direction": "Improved",
    "finding.basis": "ObjectiveMeasurement", "finding.scope": "SomePatients",
    "finding.measured_by": "MMT", "finding.responders": "2", "finding.denominator": "6",
    "finding.quote": "Two of six patients gained strength.",
    "finding.location": "Results, Table 2", "weaknesses": "small-sample",
    "weakness.quote": "Our series is small.", "weakness.location": "Discussion",
    "provenance.curator": "Test Curator", "provenance.date": "2033-02-03",
}


@pytest.mark.parametrize("kind", ["tsv", "xlsx"])
def test_import_a_curator_sourced_row(tmp_path: Path, kind: str) -> None:
    (tmp_path / "p").mkdir()
    layout = project_copy(tmp_path / "p")
    table = tmp_path / f"studies.{kind}"
    if kind == "tsv":
        table.write_text("\t".join(IMPORT) + "\n" + "\t".join(IMPORT.values()) + "\n",
                         encoding="utf-8")
    else:
        import openpyxl

        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(list(IMPORT))
        sheet.append(list(IMPORT.values()))
        book.save(table)
    code, out, err = run(layout.root, "import", str(table))
    assert code == 0, out + err
    assert "row 2 (roe-2033): added kg/studies/roe-2033.ttl" in out + err
    text = (layout.studies / "roe-2033.ttl").read_text(encoding="utf-8")
    assert "ibmkg:CuratorSourcedStudy" in text and "ibmkg:StudyPublication" in text


def test_template_and_drafts_are_curator_sourced(tmp_path: Path) -> None:
    code, template, err = run(PROJECT, "new-study", "roe-2034")
    assert code == 0, err
    assert "sourced_from: publication" in template
    assert template.count("    source: StudyPublication") == 4
    assert template.count("location: TODO") == 4
    for option, record in (("--from-pubmed", "pubmed-record.xml"),
                           ("--from-ctgov", "ctgov-study.json")):
        code, draft, err = run(PROJECT, "draft", option, str(DATA / record))
        assert code == 0, err
        assert "sourced_from: publication" in draft
        assert "ibmkg:tableRow" not in draft and "table_row" not in draft
        assert draft.count("source: StudyPublication") >= 5, draft


@pytest.mark.parametrize("encoding", ["UTF-9", "shift_jis"])
def test_unreadable_xml_encoding_is_a_clean_error(encoding: str) -> None:
    """Regression: atheris found an XML declaration with an unknown encoding (LookupError)
    or a multi-byte one (ValueError) escaping from the XML parser instead of ibmkg's error."""
    from ibmkg.curation.records import pubmed_form
    from ibmkg.errors import InputError

    record = f'<?xml version="1.0" encoding="{encoding}"?><PubmedArticleSet/>'.encode()
    with pytest.raises(InputError, match=r"^r\.xml:1: the XML declaration names an encoding"):
        pubmed_form(record, display="r.xml")
