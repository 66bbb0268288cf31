"""Printing query rows: for people (table, md) and plain cells (csv, tsv, json-rows).

The W3C result formats are tested in test_sparql_results.py.
"""

from __future__ import annotations

import csv
import io
import json
import math
from decimal import Decimal

import pytest

from ibmkg.export.results import display, format_plain, format_results, json_value
from ibmkg.formats import ResultFormat
from ibmkg.store.base import IRI, BlankNodeId, LangString, ResultTable, TypedLiteral

STUDY = IRI("https://w3id.org/ibmkg/study/dalakas-2001")
ODD = IRI("https://example.org/x y")
TABLE = ResultTable(
    ("study", "label", "n", "effect", "blinded", "note"),
    [
        (STUDY, LangString("Dalakas | 2001", "en"), 19, Decimal("0.50"), True, "a\tb\nc"),
        (ODD, "x,y", None, Decimal("12"), False, TypedLiteral("2001", "xsd:gYear")),
    ],
)


def test_table_aligns_and_compacts() -> None:
    lines = format_results(TABLE, ResultFormat.TABLE).splitlines()
    assert lines[0].split() == list(TABLE.columns)
    assert lines[2].split("  ")[0] == "study:dalakas-2001" and "Dalakas | 2001" in lines[2]
    assert "<https://example.org/x y>" in lines[3]
    assert "a\tb\\nc" in lines[2]  # newlines shown, never breaking the table


def test_markdown_escapes_pipes() -> None:
    lines = format_results(TABLE, ResultFormat.MD).splitlines()
    assert lines[0] == "| study | label | n | effect | blinded | note |"
    assert lines[1] == "|---|---|---|---|---|---|"
    assert "Dalakas \\| 2001" in lines[2]


def test_csv_is_parseable_and_full() -> None:
    rows = list(csv.reader(io.StringIO(format_plain(TABLE, ResultFormat.CSV))))
    assert rows[1] == [str(STUDY), "Dalakas | 2001", "19", "0.50", "true", "a\tb\nc"]
    assert rows[2] == [str(ODD), "x,y", "", "12", "false", "2001"]


def test_tsv_escapes_tabs_and_newlines() -> None:
    lines = format_plain(TABLE, ResultFormat.TSV).splitlines()
    assert len(lines) == 3
    assert lines[1].split("\t")[-1] == "a\\tb\\nc"


def test_json_types() -> None:
    rows = json.loads(format_results(TABLE, ResultFormat.JSON_ROWS))
    assert rows[0] == {"study": str(STUDY), "label": "Dalakas | 2001", "n": 19, "effect": 0.5,
                       "blinded": True, "note": "a\tb\nc"}
    assert rows[1]["n"] is None and rows[1]["effect"] == 12 and rows[1]["blinded"] is False
    assert format_results(ResultTable(("a",), []), ResultFormat.JSON_ROWS) == "[]"


@pytest.mark.parametrize(("value", "expected"), [
    (math.inf, "inf"), (1.5, 1.5), (BlankNodeId("b0"), "_:b0"), (Decimal("1.25"), 1.25),
])
def test_json_value(value: object, expected: object) -> None:
    assert json_value(value) == expected  # type: ignore[arg-type]


def test_display() -> None:
    assert display(IRI("http://purl.obolibrary.org/obo/MONDO_0007827")) == "MONDO:0007827"
    assert display(None) == "" and display(False) == "false"
