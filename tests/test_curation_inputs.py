"""Tables, records and the template: what curators already have, through the same checks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from fixtures_curation import DATA, PROJECT, project_copy
from ibmkg.cli import cli
from ibmkg.curation import Vocabulary, import_table, read_form_text
from ibmkg.curation.records import ctgov_form, pubmed_form
from ibmkg.curation.yamlio import parse_yaml
from ibmkg.errors import CurationError, InputError
from ibmkg.paths import Layout

HEADER = ["slug", "label", "publication.title", "publication.doi", "patients",
          "design.types", "design.randomised", "design.controlled", "design.crossover",
          "regimen.agent", "regimen.dose_specification", "finding.outcomes",
          "finding.direction", "finding.basis", "finding.scope", "finding.quote",
          "Study weakness", "weaknesses"]
ROW = ["doe-2031", "Doe et al. 2031", "A synthetic series", "10.5555/ibmkg.test.2031b", "6",
       "case series", "false", "false", "false", "IVIG", "DoseVariable", "dysphagia; fatigue",
       "Improved", "PatientReported", "SomePatients", "Two patients felt better.",
       "Low number of patients.", "small-sample"]


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), *args])
    return result.exit_code, result.stdout, result.stderr


class TestTables:
    def test_tsv_with_bom_per_row_report(self, tmp_path: Path) -> None:
        layout = project_copy(tmp_path, shapes=False, review=False, studies=False)
        table = tmp_path / "studies.tsv"
        bad = [*ROW]
        bad[0], bad[3], bad[4], bad[12] = "doe-2032", "10.5555/x.2", "2024-01-05", "better"
        table.write_text("\ufeff" + "\n".join("\t".join(r) for r in (HEADER, ROW, bad)) + "\n",
                         encoding="utf-8")
        report = import_table(table, layout, reasoner=False)
        assert not report.ok
        lines = report.text().splitlines()
        assert lines[0] == "row 2 (doe-2031): added kg/studies/doe-2031.ttl"
        assert lines[1] == "row 3 (doe-2032): not added"
        assert "column E (patients): found '2024-01-05', which looks like a date" in lines[2]
        assert any("column M (findings.0.direction): found 'better'" in x for x in lines)
        assert lines[-1] == "1 of 2 rows added"
        assert sorted(p.name for p in layout.studies.iterdir()) == ["doe-2031.ttl"]

    def test_header_checked_before_any_row(self, tmp_path: Path) -> None:
        layout = Layout(PROJECT)
        table = tmp_path / "studies.csv"
        table.write_text("\ufeffslug,labl,publication.title,slug\nx-1,X,T,x-1\n",
                         encoding="utf-8")
        with pytest.raises(CurationError) as info:
            import_table(table, layout, dry_run=True)
        assert [str(p) for p in info.value.problems] == [
            f"{table}:1:2: unknown column 'labl' (column B); did you mean 'label' or 'arm.label'?",
            f"{table}:1:4: column 'slug' appears twice (columns A and D); keep one",
            f"{table}:1:0: missing column 'label'; every row needs it",
        ]

    def test_xlsx_date_where_a_count_was(self, tmp_path: Path) -> None:
        import openpyxl

        layout = project_copy(tmp_path, shapes=False, review=False, studies=False)
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(HEADER)
        row: list[object] = [*ROW]
        row[4] = dt.datetime(2024, 1, 6)  # what a spreadsheet makes of "6/1" typed as a count
        sheet.append(row)
        path = tmp_path / "studies.xlsx"
        book.save(path)
        report = import_table(path, layout, dry_run=True, reasoner=False)
        [outcome] = report.rows
        assert outcome.problems == [
            "column E (patients): found a date (2024-01-06T00:00:00) where patients expects a "
            "number or text; the spreadsheet turned the value into a date, format the column "
            "as text and type it again"]

    def test_not_a_workbook(self, tmp_path: Path) -> None:
        path = tmp_path / "x.xlsx"
        path.write_bytes(b"PK\x03\x04 not really a zip")
        with pytest.raises(InputError, match="not a readable XLSX workbook"):
            import_table(path, Layout(PROJECT))


class TestRecords:
    def test_pubmed_draft(self) -> None:
        code, out, err = run(PROJECT, "draft", "--from-pubmed",
                             str(DATA / "pubmed-record.xml"))
        assert code == 0, err
        data, _ = parse_yaml(out, display="draft.yaml")
        assert data["slug"] == "muller-2031"
        assert data["publication"] == {
            "title": "Intravenous immunoglobulin in a made-up cohort with inclusion body "
                     "myositis", "doi": "10.5555/ibmkg.test.2031", "pmid": "99999998",
            "journal": "J Test Neuromuscul Stud", "year": "2031", "volume": "12",
            "issue": "3", "pages": "101-9",
            "authors": [{"printed": "MÜLLER A", "family": "Müller", "initials": "A"},
                        {"printed": "ROSSI BC", "family": "Rossi", "initials": "BC"}],
            "authors_truncated": "false",
            "quote": "TODO: the citation as printed on the paper", "source": "StudyPublication"}
        assert data["sourced_from"] == "publication"
        assert "MeSH headings: Myositis, Inclusion Body; Immunoglobulins, Intravenous" in \
            data["comments"]
        with pytest.raises(CurationError) as info:  # the TODOs are what add will ask for
            read_form_text(out, display="draft.yaml", vocab=Vocabulary.from_layout(
                Layout(PROJECT)))
        assert all("TODO" in str(p) for p in info.value.problems)

    def test_ctgov_draft(self) -> None:
        code, out, err = run(PROJECT, "draft", "--from-ctgov", str(DATA / "ctgov-study.json"))
        assert code == 0, err
        data, _ = parse_yaml(out, display="draft.yaml")
        assert data["design"] == {"types": ["CrossoverTrial"], "randomised": "true",
                                  "blinded": "true", "blinding": "DoubleBlind",
                                  "controlled": "true", "crossover": "true",
                                  "retrospective": "false"}
        assert data["patients"] == "24"
        assert data["measures"][0] == "mmt"
        assert [(r["agent"], r["role"]) for r in data["regimens"]] == [
            ("IVIG", "ExperimentalIntervention"), ("Placebo", "PlaceboComparator")]

    @pytest.mark.parametrize("xml", [
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>',
        b'<!DOCTYPE PubmedArticleSet [<!ELEMENT a ANY>]><PubmedArticleSet/>',
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
        b' <!ENTITY lol2 "&lol;&lol;&lol;&lol;">\n]>\n<lolz>&lol2;</lolz>',
    ], ids=["entity", "internal-subset", "billion-laughs"])
    def test_dtd_or_entities_refused_before_parsing(self, xml: bytes) -> None:
        with pytest.raises(InputError, match="refused before parsing"):
            pubmed_form(xml, display="r.xml")

    def test_not_a_record(self) -> None:
        with pytest.raises(InputError, match="no PubmedArticle"):
            pubmed_form(b"<x/>", display="r.xml")
        with pytest.raises(InputError, match="no protocolSection"):
            ctgov_form(b"[1, 2]", display="s.json")
        with pytest.raises(InputError, match=r"s.json:1:2: not valid JSON"):
            ctgov_form(b"{,}", display="s.json")


class TestCommands:
    def test_new_study_template(self, tmp_path: Path) -> None:
        code, out, _ = run(PROJECT, "new-study", "doe-2030")
        assert code == 0
        assert out.startswith("# A new study for ibmkg.") and "slug: doe-2030" in out
        target = tmp_path / "doe.yaml"
        assert run(PROJECT, "new-study", "doe-2030", "-o", str(target))[0] == 0
        assert target.read_text() == out
        code, _, err = run(PROJECT, "new-study", "doe-2030", "-o", str(target))
        assert code == 2 and "exists already" in err
        code, _, err = run(PROJECT, "new-study", "Doe 2030")
        assert code == 2 and "lower-case words" in err

    def test_add_reports_every_problem_and_exits_2(self, tmp_path: Path) -> None:
        form = tmp_path / "bad.yaml"
        form.write_text("slug: doe-2030\nlabel: Doe\npatients: twelve\ndesign:\n"
                        "  randomised: NO\npublication:\n  title: T\n  yeer: 2030\n")
        code, out, err = run(PROJECT, "add", str(form))
        assert code == 2 and out == ""
        assert err.splitlines() == [
            f"error: {form}:3:1: patients: found 'twelve', expected a whole number such as 12",
            f"{form}:5:3: design.randomised: found 'NO', expected true, false or not reported",
            f"{form}:8:3: publication.yeer: unknown field; did you mean 'year'?",
        ]

    def test_describe_unknown_study(self) -> None:
        code, _, err = run(PROJECT, "describe", "nobody-1999")
        assert code == 2 and "no study 'nobody-1999'" in err and "cherin-2002" in err

    def test_describe_turtle(self) -> None:
        code, out, _ = run(PROJECT, "describe", "cherin-2002", "--format", "ttl")
        assert code == 0
        assert out == (PROJECT / "kg" / "studies" / "cherin-2002.ttl").read_text()
