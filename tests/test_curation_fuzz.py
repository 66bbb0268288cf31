"""Property and fuzz tests of the curation readers (hypothesis).

``make test`` runs a bounded number of examples; ``make fuzz-curation`` sets
``IBMKG_FUZZ_EXAMPLES`` for a long run. Every bad input must end in a clean ibmkg error,
never another exception.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fixtures_curation import PROJECT
from ibmkg.curation import Study, Vocabulary, read_form_text, study_from_triples
from ibmkg.curation.rdf import form_dict, study_to_triples
from ibmkg.curation.records import ctgov_form, pubmed_form
from ibmkg.curation.tables import check_header, parse_delimited, parse_xlsx, row_form
from ibmkg.curation.yamlio import check_form, dump_form
from ibmkg.errors import IbmkgError
from ibmkg.paths import Layout

EXAMPLES = int(os.environ.get("IBMKG_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 40,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
VOCAB = Vocabulary.from_layout(Layout(PROJECT))

# --- valid forms ---------------------------------------------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"),
                             blacklist_characters="\ufeff\x85"),
               min_size=1, max_size=24).filter(lambda t: t.strip() == t and t != "")
DEC = st.from_regex(r"(0|[1-9][0-9]{0,2})\.[0-9]{1,2}", fullmatch=True)
COUNT = st.integers(0, 100_000)
TRI = st.sampled_from([True, False, "not reported", None])


def concept(kind: str) -> st.SearchStrategy[str]:
    return st.sampled_from(VOCAB.shorts(kind))


def concepts(kind: str) -> st.SearchStrategy[list[str]]:
    return st.lists(concept(kind), max_size=3, unique=True).map(sorted)


def opt(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


@st.composite
def studies(draw: st.DrawFn) -> Study:
    n_regimens = draw(st.integers(1, 3))
    regimen_ids = [f"regimen-{i}" for i in range(1, n_regimens + 1)]
    arm_ids = [f"arm-{i}" for i in range(1, draw(st.integers(1, 3)) + 1)]
    arms = [{"id": a, "label": draw(opt(TEXT)), "patients": draw(opt(COUNT)),
             "receives": sorted(draw(st.lists(st.sampled_from(regimen_ids), min_size=1,
                                              unique=True))),
             "quote": draw(opt(TEXT)), "source": draw(opt(concept("source-part")))}
            for a in arm_ids]
    arms[0]["receives"] = regimen_ids  # every regimen is received by some arm
    regimens = [{"id": r, "label": draw(opt(TEXT)), "agent": draw(opt(concept("agent"))),
                 "role": draw(opt(concept("role"))), "dose_value": draw(opt(DEC)),
                 "dose_specification": draw(opt(concept("dose-specification"))),
                 "interval": draw(opt(concept("interval"))), "course_months": draw(opt(DEC)),
                 "treatment_days_per_cycle": draw(opt(COUNT)),
                 "maintenance_doses": draw(opt(st.booleans())),
                 "comments": sorted(draw(st.lists(TEXT, max_size=2, unique=True)))}
                for r in regimen_ids]
    findings = [{"kind": draw(st.sampled_from(["effect", "association"])),
                 "label": draw(opt(TEXT)), "outcomes": draw(concepts("outcome")),
                 "direction": draw(opt(concept("direction"))),
                 "basis": draw(opt(concept("basis"))), "scope": draw(opt(concept("scope"))),
                 "extent": draw(opt(concept("extent"))),
                 "measured_by": draw(concepts("measure")),
                 "in_arms": sorted(draw(st.lists(st.sampled_from(arm_ids), unique=True))),
                 "comparator_arms": sorted(draw(st.lists(st.sampled_from(arm_ids),
                                                         unique=True))),
                 "responders": draw(opt(COUNT)), "proportion": draw(opt(DEC)),
                 "comparison_group": draw(opt(TEXT)), "timing": draw(opt(TEXT)),
                 "statistically_significant": draw(opt(st.booleans())),
                 "quote": draw(opt(TEXT))}
                for _ in range(draw(st.integers(0, 3)))]
    weaknesses = [{"type": draw(concepts("weakness").filter(bool)), "quote": draw(opt(TEXT))}
                  for _ in range(draw(st.integers(0, 2)))]
    form = {
        "slug": draw(st.from_regex(r"[a-z][a-z0-9]{0,8}-[0-9]{4}", fullmatch=True)),
        "label": draw(TEXT), "comments": sorted(draw(st.lists(TEXT, max_size=2, unique=True))),
        "design": {"types": draw(concepts("design")), "randomised": draw(TRI),
                   "blinded": draw(TRI), "controlled": draw(TRI), "crossover": draw(TRI),
                   "retrospective": draw(TRI), "blinding": draw(opt(concept("blinding")))},
        "patients": draw(opt(COUNT)), "measures": draw(concepts("measure")),
        "publication": {"title": draw(TEXT),
                        "title_language": draw(st.sampled_from(["en", "it"])),
                        "doi": draw(opt(st.from_regex(r"10\.[0-9]{4}/[a-z0-9.]{1,12}",
                                                      fullmatch=True))),
                        "pmid": draw(opt(st.from_regex(r"[1-9][0-9]{0,7}", fullmatch=True))),
                        "year": draw(opt(st.from_regex(r"[12][0-9]{3}", fullmatch=True))),
                        "volume": draw(opt(TEXT)),
                        "authors": [{"printed": draw(TEXT), "family": draw(opt(TEXT))}
                                    for _ in range(draw(st.integers(0, 3)))],
                        "authors_truncated": draw(opt(st.booleans()))},
        "reviewed_in": draw(opt(st.just("fontanelli-2024"))),
        "table_row": draw(opt(st.fixed_dictionaries({"number": COUNT, "dose": TEXT}))),
        "arms": arms, "regimens": regimens, "findings": findings, "weaknesses": weaknesses,
        "provenance": draw(opt(st.fixed_dictionaries({
            "curator": TEXT, "date": st.dates().map(lambda d: f"{d:%Y-%m-%d}")
            .filter(lambda d: len(d) == 10)}))),
    }
    for part in [*arms, *regimens, *findings, *weaknesses]:
        part["location"] = draw(opt(TEXT))
    if draw(st.booleans()):
        _curator_sourced(draw, form)
    return Study.model_validate(form)


def _curator_sourced(draw: st.DrawFn, form: dict[str, Any]) -> None:
    """Make the form a study read from its own paper: the provenance that then must be there."""
    form["sourced_from"] = "publication"
    form["reviewed_in"] = form["table_row"] = None
    form["provenance"] = {"curator": draw(TEXT), "source": draw(opt(TEXT)), "date": draw(
        st.from_regex(r"20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])"
                      r"(T(0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z)?", fullmatch=True))}
    publication = form["publication"]
    publication["quote"], publication["source"] = draw(TEXT), "StudyPublication"
    if publication["doi"] is None and publication["pmid"] is None:
        publication["doi"] = "10.5555/ibmkg.test"
    for part in [*form["arms"], *form["regimens"], *form["findings"], *form["weaknesses"]]:
        if part.get("quote") is not None:
            part["source"], part["location"] = "StudyPublication", draw(TEXT)


@settings(FUZZ, max_examples=max(EXAMPLES // 3, 12))
@given(studies())
def test_yaml_to_rdf_to_yaml_loses_nothing(study: Study) -> None:
    triples, problems = study_to_triples(study, VOCAB)
    assert problems == []
    back = study_from_triples(study.slug, triples, VOCAB)
    assert form_dict(back) == form_dict(study)
    text = dump_form(form_dict(study))
    assert read_form_text(text, display="s.yaml", vocab=VOCAB) == study


# --- bad input never escapes as anything but an ibmkg error ----------------------------------


def clean(function: Callable[..., Any], *args: Any, display: str, **kwargs: Any) -> Any:
    """Call a reader; an error must be an ibmkg error naming the file."""
    try:
        return function(*args, **({"display": display} if args else {}), **kwargs)
    except IbmkgError as err:
        assert display in str(err), err
        return None


YAML_TOKENS = [*" :-\n\t'\"#&*!{}[]|>,?%@`abcxyz0129.", "slug", "label", "publication",
               "title", "findings", "  - ", "NO", "1.10", "!!python/object", "&a", "*a"]
YAMLISH = st.lists(st.sampled_from(YAML_TOKENS),
                  max_size=60).map("".join)


@FUZZ
@given(st.one_of(st.text(max_size=200), YAMLISH))
def test_yaml_reader_only_raises_clean_errors(text: str) -> None:
    try:
        read_form_text(text, display="f.yaml", vocab=VOCAB)
    except IbmkgError as err:
        assert str(err).startswith("f.yaml:")


@FUZZ
@given(st.binary(max_size=300), st.sampled_from(["\t", ","]))
def test_table_reader_only_raises_clean_errors(raw: bytes, delimiter: str) -> None:
    def read() -> None:
        rows = parse_delimited(raw, delimiter=delimiter, display="t.tsv")
        if rows:
            fields = check_header([str(c) for c in rows[0]], "t.tsv")
            for row in rows[1:]:
                data, _, _ = row_form(fields, row)
                check_form(data, {}, display="t.tsv")

    clean(read, display="t.tsv")


@FUZZ
@given(st.binary(max_size=400))
def test_xlsx_reader_only_raises_clean_errors(raw: bytes) -> None:
    clean(parse_xlsx, raw, display="t.xlsx")


def _workbook() -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["slug", "label"])
    sheet.append(["doe-2030", "Doe"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WORKBOOK = _workbook()


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(WORKBOOK) - 1), st.integers(0, 255)),
                min_size=1, max_size=8))
def test_damaged_xlsx_only_raises_clean_errors(flips: list[tuple[int, int]]) -> None:
    raw = bytearray(WORKBOOK)
    for at, value in flips:
        raw[at] = value
    clean(parse_xlsx, bytes(raw), display="t.xlsx")


XML_TOKENS = [*"<>/=\"' \n&;!?[]", "PubmedArticleSet", "PubmedArticle", "MedlineCitation",
              "Article", "PMID", "AuthorList", "Author", "LastName", "<!DOCTYPE", "<!ENTITY",
              "ArticleTitle", "&amp;", "x"]
XMLISH = st.lists(st.sampled_from(XML_TOKENS),
                 max_size=80).map("".join)


@FUZZ
@given(st.one_of(st.binary(max_size=300), XMLISH.map(str.encode)))
def test_pubmed_reader_only_raises_clean_errors(raw: bytes) -> None:
    clean(pubmed_form, raw, display="r.xml")


CTGOV_KEYS = st.sampled_from([
    "protocolSection", "designModule", "designInfo", "allocation", "interventionModel",
    "armGroups", "interventions", "label", "type", "enrollmentInfo", "count", "outcomesModule",
    "primaryOutcomes", "measure", "identificationModule", "nctId", "maskingInfo", "masking",
    "interventionNames", "name"])


def _json_children(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.lists(inner, max_size=3),
                     st.dictionaries(CTGOV_KEYS, inner, max_size=4))


JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                       _json_children, max_leaves=20)


@FUZZ
@given(st.one_of(st.binary(max_size=200), JSONISH.map(lambda v: json.dumps(v).encode())))
def test_ctgov_reader_only_raises_clean_errors(raw: bytes) -> None:
    form = clean(ctgov_form, raw, display="s.json", vocab=VOCAB)
    if form is not None:
        dump_form(form)
