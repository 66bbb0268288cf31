"""Table I regenerated from the graph: verbatim (against the letter) and from structured facts."""

from __future__ import annotations

import re

import pytest

from ibmkg.formats import TableFormat
from ibmkg.graph_io import load_project
from ibmkg.paths import default_layout
from ibmkg.store.embedded import EmbeddedStore
from ibmkg.table import TABLE_COLUMNS, render_table, structured_rows, verbatim_rows
from letter import require_letter


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    return EmbeddedStore.from_data(load_project(default_layout()))


def _letter_rows() -> list[list[str]]:
    rows = []
    for line in require_letter().read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        if len(cells) == 7 and cells[0] != "Reference":
            rows.append([re.sub(r"</?i>", "", c).strip() for c in cells])
    return rows


def test_verbatim_table_is_the_letters_table(store: EmbeddedStore) -> None:
    expected = _letter_rows()
    assert len(expected) == 10
    assert [list(row.cells) for row in verbatim_rows(store)] == expected


def test_verbatim_rows_in_letter_order(store: EmbeddedStore) -> None:
    rows = verbatim_rows(store)
    assert [row.study.rsplit("/", 1)[-1] for row in rows] == [
        "amato-1994", "dobloug-2012", "dalakas-1997", "dalakas-2001", "walter-2000",
        "zschuntzsch-2012", "cherin-2002", "foreman-2017", "soueidan-1993", "recher-2012"]
    assert rows[6].cells == ("Cherin et al. (7)", "Case series", "Four", "variable",
                             "Dysphagia evaluated by oesophageal manometry.",
                             "Dysphagia was ameliorated in all patients.",
                             "Low number of patients; infusion protocols varied amongst patients;"
                             " no control group.")
    assert rows[3].cells[6] == "-"


@pytest.mark.parametrize("fmt", list(TableFormat))
def test_every_format_has_header_and_ten_rows(store: EmbeddedStore, fmt: TableFormat) -> None:
    text = render_table(store, fmt)
    assert "Study weakness" in text.splitlines()[0] or fmt is TableFormat.HTML
    if fmt is TableFormat.HTML:
        assert text.count("<tr>") == 11
        assert "Zsch\u00fcntzsch <i>et al.</i> (6)" in text
    elif fmt is TableFormat.MD:
        assert len(text.splitlines()) == 12
    else:
        assert len(text.strip().splitlines()) == 11


def test_structured_table_is_built_from_facts(store: EmbeddedStore) -> None:
    rows = {row.study.rsplit("/", 1)[-1]: row.cells for row in structured_rows(store)}
    assert len(rows) == 10
    dalakas = dict(zip(TABLE_COLUMNS, rows["dalakas-2001"], strict=True))
    assert dalakas["Reference"] == "Dalakas et al. (4)"
    assert dalakas["Study type"] == ("randomised, double blind, placebo-controlled, "
                                     "parallel-group trial")
    assert dalakas["Number of patients"] == "36 (19: IVIG + prednisone; 17: Placebo + prednisone)"
    assert dalakas["IVIG dose"] == "2 g/kg, monthly, for 3 months"
    assert dalakas["Study weakness"] == "none stated"
    recher = dict(zip(TABLE_COLUMNS, rows["recher-2012"], strict=True))
    assert recher["IVIG dose"] == "0.3 g/kg/day on 2 days, monthly"
    assert recher["Study type"] == "uncontrolled, case report"
    foreman = dict(zip(TABLE_COLUMNS, rows["foreman-2017"], strict=True))
    assert foreman["IVIG dose"] == foreman["Outcome measures"] == "not available"
    assert "83% of patients" in foreman["Key results"]
    cherin = dict(zip(TABLE_COLUMNS, rows["cherin-2002"], strict=True))
    assert cherin["Key results"] == ("improved: dysphagia (objective measurement; 4/4 patients;"
                                     " by oesophageal manometry)")
    assert cherin["Study weakness"] == ("heterogeneous infusion protocols; no control group;"
                                        " small sample")


def test_structured_table_reads_no_quoted_text(store: EmbeddedStore) -> None:
    """No structured cell may equal the verbatim cell of a free-text column (proof of rebuild)."""
    verbatim = {row.study: row.cells for row in verbatim_rows(store)}
    for row in structured_rows(store):
        for index in (1, 5, 6):
            assert row.cells[index] != verbatim[row.study][index]
