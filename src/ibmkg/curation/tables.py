"""Importing studies from a table (TSV, CSV, XLSX): Table I's layout plus structured columns.

Each row becomes one study form and goes through the same checks as ``ibmkg add``. The
header is checked first (a BOM never hides a column; unknown, duplicated or missing columns
are errors naming the column); a value a spreadsheet has mangled (a date where a count was)
is flagged at its row and column. The report says, row by row, what was added or why not.

>>> COLUMNS["Number of patients"], COLUMNS["design.randomised"]
('table_row.patients', 'design.randomised')
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from ibmkg.curation.add import Plan, add_studies, plan_study
from ibmkg.curation.rdf import publication_iri, raw_value_problems, study_iri
from ibmkg.curation.vocab import Vocabulary
from ibmkg.curation.yamlio import Positions, check_form, locate
from ibmkg.errors import CurationError, FormProblem, InputError
from ibmkg.paths import Layout

MAX_BYTES: Final = 20_000_000
_AUTHOR: Final = re.compile(r"(?P<printed>[^(]+)\((?P<family>[^,()]+),(?P<initials>[^,()]+)\)")

#: Table I's seven columns, verbatim, into the row's cells.
TABLE_I: Final = {
    "Reference": "table_row.reference", "Study type": "table_row.study_type",
    "Number of patients": "table_row.patients", "IVIG dose": "table_row.dose",
    "Outcome measures": "table_row.outcome_measures", "Key results": "table_row.key_results",
    "Study weakness": "table_row.weakness",
}
#: Structured columns, named by the form's field paths; ``;`` separates list items.
STRUCTURED: Final = (
    "slug", "label", "patients", "measures", "reviewed_in", "table_row.number",
    "design.types", "design.randomised", "design.blinded", "design.controlled",
    "design.crossover", "design.retrospective", "design.blinding",
    "publication.title", "publication.doi", "publication.pmid", "publication.journal",
    "publication.year", "publication.volume", "publication.issue", "publication.pages",
    "publication.authors", "publication.authors_truncated",
    "regimen.agent", "regimen.dose_specification", "regimen.dose_value", "regimen.dose_unit",
    "regimen.dose_basis", "regimen.interval", "regimen.course_months", "regimen.quote",
    "finding.outcomes", "finding.direction", "finding.basis", "finding.scope",
    "finding.measured_by", "finding.responders", "finding.denominator", "finding.quote",
    "weaknesses", "provenance.curator", "provenance.date", "provenance.source",
    # a study read from its own paper (sourced_from: publication): the quotes' places in it
    "sourced_from", "publication.quote", "arm.quote", "arm.location", "regimen.location",
    "finding.location", "weakness.quote", "weakness.location",
    "arm.label", "regimen.label", "finding.label",
)
COLUMNS: Final = {**TABLE_I, **{c: c for c in STRUCTURED}}
_LISTS: Final = {"measures", "design.types", "publication.authors", "finding.outcomes",
                 "finding.measured_by", "weaknesses"}
_NUMERIC: Final = {"patients", "table_row.number", "regimen.dose_value",
                   "regimen.course_months", "finding.responders", "finding.denominator"}


@dataclass
class RowOutcome:
    """What happened to one row.

    :param row: the row's line (1 is the header).
    :param slug: the study's slug, when the row has one.
    :param added: the file written (or that a dry run would write), if any.
    :param problems: why the row was not added.
    """

    row: int
    slug: str
    added: str = ""
    problems: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """The per-row report of :func:`import_table`.

    :param rows: one outcome per data row.
    :param dry_run: whether nothing was written.
    """

    rows: list[RowOutcome]
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        """Whether every row was added."""
        return all(not r.problems for r in self.rows)

    def text(self) -> str:
        """The report, one line per row (problems indented below it).

        :returns: the text.
        """
        lines = []
        verb = "would add" if self.dry_run else "added"
        for r in self.rows:
            name = f"row {r.row}" + (f" ({r.slug})" if r.slug else "")
            if r.problems:
                lines.append(f"{name}: not added")
                lines += [f"  {p}" for p in r.problems]
            else:
                lines.append(f"{name}: {verb} {r.added}")
        added = sum(1 for r in self.rows if not r.problems)
        lines.append(f"{added} of {len(self.rows)} rows {verb}")
        return "\n".join(lines) + "\n"


def read_table(path: Path) -> tuple[list[str], list[list[Any]]]:
    """Read a TSV, CSV or XLSX file into its header and rows (cells as read).

    :param path: the table.
    :returns: the header cells and the data rows.
    :raises InputError: when the file cannot be read or its kind is unknown.
    """
    suffix = path.suffix.lower()
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"{path}: larger than {MAX_BYTES} bytes")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a directory, expected a table") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror})") from None
    if suffix in (".tsv", ".csv", ".txt"):
        rows = parse_delimited(raw, delimiter="," if suffix == ".csv" else "\t",
                               display=str(path))
    elif suffix == ".xlsx":
        rows = parse_xlsx(raw, display=str(path))
    else:
        raise InputError(f"{path}: unknown table kind {suffix or '(none)'}; use .tsv, .csv or "
                         ".xlsx")
    if not rows:
        raise InputError(f"{path}: empty; expected a header row and one row per study")
    header = [str(c or "").replace("\ufeff", "").strip() for c in rows[0]]
    return header, rows[1:]


def parse_delimited(raw: bytes, *, delimiter: str, display: str) -> list[list[Any]]:
    """Parse TSV or CSV bytes (UTF-8, with or without a BOM).

    :param raw: the bytes.
    :param delimiter: ``\\t`` or ``,``.
    :param display: the file name for messages.
    :returns: the rows.
    :raises InputError: when the bytes are not UTF-8 or the quoting is broken.

    >>> parse_delimited(b"\\xef\\xbb\\xbfslug\\tlabel\\nx-1\\tX\\n", delimiter="\\t", display="t")
    [['slug', 'label'], ['x-1', 'X']]
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"{display}: byte {err.start} is not UTF-8; save the table as UTF-8") \
            from None
    if "\x00" in text:
        raise InputError(f"{display}: contains a NUL character; save the table as text")
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter,
                                          strict=True) if any(c.strip() for c in row)]
    except csv.Error as err:
        raise InputError(f"{display}: {err}; check the quoting") from None


def parse_xlsx(raw: bytes, *, display: str) -> list[list[Any]]:
    """Parse the first sheet of an XLSX workbook (values, not formulas).

    :param raw: the file's bytes.
    :param display: the file name for messages.
    :returns: the rows, with cells as openpyxl reads them (text, numbers, dates).
    :raises InputError: when the file is not a readable workbook.
    """
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        try:
            sheet = book.worksheets[0]
            rows = [list(r) for r in sheet.iter_rows(values_only=True)
                    if any(c is not None and str(c).strip() for c in r)]
        finally:
            book.close()
    except Exception as err:  # openpyxl and zipfile raise many kinds for a bad workbook
        raise InputError(f"{display}: not a readable XLSX workbook ({type(err).__name__}); "
                         "save it again as .xlsx, or export the sheet as TSV") from None
    return rows


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def check_header(header: Sequence[str], display: str) -> list[str]:
    """Map each column to its form field, refusing unknown, repeated and missing columns.

    :param header: the header cells.
    :param display: the file name for messages.
    :returns: the field path of each column.
    :raises CurationError: listing every header problem.

    >>> check_header(["slug", "label", "publication.title", "Key results"], "t.tsv")
    ['slug', 'label', 'publication.title', 'table_row.key_results']
    >>> check_header(["slug", "labl", "publication.title"], "t.tsv")
    Traceback (most recent call last):
    ...
    ibmkg.errors.CurationError: t.tsv:1:2: unknown column 'labl' (column B); did you mean ...
    """
    keys = {k.casefold(): v for k, v in COLUMNS.items()}
    fields: list[str] = []
    problems: list[FormProblem] = []
    seen: dict[str, int] = {}
    for i, name in enumerate(header):
        mapped = keys.get(" ".join(name.split()).casefold())
        if mapped is None:
            close = difflib.get_close_matches(name, list(COLUMNS), n=2, cutoff=0.6)
            hint = ("did you mean " + " or ".join(repr(c) for c in close) + "?") if close \
                else "see the README for the columns"
            problems.append(FormProblem(display, 1, i + 1, "",
                                        f"unknown column {name!r} (column {_column_letter(i)})"
                                        f"; {hint}"))
            mapped = ""
        elif mapped in seen:
            problems.append(FormProblem(display, 1, i + 1, "", f"column {name!r} appears "
                                        f"twice (columns {_column_letter(seen[mapped])} and "
                                        f"{_column_letter(i)}); keep one"))
        seen.setdefault(mapped, i)
        fields.append(mapped)
    for required in ("slug", "label", "publication.title"):
        if required not in seen:
            problems.append(FormProblem(display, 1, 0, "", f"missing column {required!r}; "
                                        "every row needs it"))
    if problems:
        raise CurationError(problems)
    return fields


def _cell(value: Any, field_path: str) -> tuple[str, str | None]:
    """The cell as text, and a problem when a spreadsheet changed its kind."""
    if value is None:
        return "", None
    if isinstance(value, dt.datetime | dt.date | dt.time):
        shown = value.isoformat()
        if field_path in _NUMERIC or field_path.startswith("table_row.") or \
                field_path in ("publication.volume", "publication.issue", "publication.pages"):
            return shown, (f"found a date ({shown}) where {field_path} expects "
                           "a number or text; the spreadsheet turned the value into a date, "
                           "format the column as text and type it again")
        return shown[:10] if field_path == "provenance.date" else shown, None
    if isinstance(value, bool):
        return ("true" if value else "false"), None
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() else repr(value)), None
    return str(value).strip(), None


def row_form(fields: Sequence[str], row: Sequence[Any],
             ) -> tuple[dict[str, Any], dict[str, int], list[tuple[int, str]]]:
    """Turn one row into form data.

    :param fields: the field of each column (from :func:`check_header`).
    :param row: the cells.
    :returns: the form data, the column of each field, and (column, problem) of each
        mangled cell.
    """
    flat: dict[str, str] = {}
    where: dict[str, int] = {}
    mangled: list[tuple[int, str]] = []
    for i, field_path in enumerate(fields):
        if not field_path or i >= len(row):
            continue
        text, problem = _cell(row[i], field_path)
        where[field_path] = i + 1
        if problem:
            mangled.append((i + 1, f"column {_column_letter(i)} ({field_path}): {problem}"))
        if text:
            flat[field_path] = text
    return _nest(flat), where, mangled


def _author(cell: str) -> dict[str, str]:
    """``AMATO AA`` or ``AMATO AA (Amato, AA)``: the printed name, then family and initials.

    >>> _author("ROE R (Roe, R)")
    {'printed': 'ROE R', 'family': 'Roe', 'initials': 'R'}
    """
    match = _AUTHOR.fullmatch(cell)
    if match is None:
        return {"printed": cell}
    return {"printed": match["printed"].strip(), "family": match["family"].strip(),
            "initials": match["initials"].strip()}


def _nest(flat: dict[str, str]) -> dict[str, Any]:
    form: dict[str, Any] = {}
    regimen: dict[str, Any] = {}
    finding: dict[str, Any] = {}
    arm_text: dict[str, Any] = {}
    weakness_text: dict[str, Any] = {}
    for key, text in flat.items():
        value: Any = [v.strip() for v in text.split(";") if v.strip()] if key in _LISTS \
            else text
        head, _, tail = key.partition(".")
        if key == "publication.authors":
            form.setdefault("publication", {})["authors"] = [_author(a) for a in value]
        elif key == "weaknesses":
            form["weaknesses"] = [{"type": v} for v in value]
        elif head == "regimen":
            regimen[tail] = value
        elif head == "finding":
            finding[tail] = value
        elif head == "arm":
            arm_text[tail] = value
        elif head == "weakness":
            weakness_text[tail] = value
        elif tail:
            form.setdefault(head, {})[tail] = value
        else:
            form[key] = value
    if regimen:
        regimen = {"id": "regimen-1", "role": "ExperimentalIntervention"} | regimen
        form["regimens"] = [regimen]
        arm: dict[str, Any] = {"id": "arm-1", "receives": ["regimen-1"], **arm_text}
        if "patients" in form:
            arm["patients"] = form["patients"]
        form["arms"] = [arm]
    if finding:
        form["findings"] = [finding]
    if weakness_text:
        form["weaknesses"] = [w | weakness_text for w in form.get("weaknesses", [{}])]
    if form.get("sourced_from") == "publication":
        _from_the_paper(form)
    if "table_row" in form and "reviewed_in" not in form:
        form["table_row"].setdefault("number", "0")
    return form


def _from_the_paper(form: dict[str, Any]) -> None:
    """Every quote of a study read from its own paper comes from that paper."""
    parts = [form.get("publication", {}), *form.get("arms", []), *form.get("regimens", []),
             *form.get("findings", []), *form.get("weaknesses", [])]
    for part in parts:
        if "quote" in part:
            part.setdefault("source", "StudyPublication")


def import_table(path: Path, layout: Layout, *, dry_run: bool = False,
                 replace: bool = False, reasoner: bool = True) -> ImportReport:
    """Add one study per row of a table, through the same checks as ``ibmkg add``.

    Rows with problems are reported and skipped; the others are checked together with the
    existing graph (SHACL, reasoner) and written only if they all pass.

    :param path: the table (.tsv, .csv or .xlsx).
    :param layout: the project.
    :param dry_run: check only; write nothing.
    :param replace: allow replacing existing studies.
    :param reasoner: run the reasoner's consistency check.
    :returns: the per-row report.
    :raises CurationError: when the header is wrong (nothing is read further).
    :raises InputError: when the file cannot be read.
    """
    from ibmkg.graph_io import load_project

    header, rows = read_table(path)
    display = str(path)
    fields = check_header(header, display)
    vocab = Vocabulary.from_layout(layout)
    existing = load_project(layout, with_mappings=False)
    outcomes: list[RowOutcome] = []
    plans: dict[int, Plan] = {}
    seen: dict[str, int] = {}
    for n, row in enumerate(rows, start=2):
        data, columns, mangled = row_form(fields, row)
        outcome = RowOutcome(n, str(data.get("slug", "")))
        outcomes.append(outcome)
        positions: Positions = {}
        for key, column in columns.items():
            positions[_loc_of(key)[:1]] = (n, column)
            positions[_loc_of(key)] = (n, column)
        if "patients" in columns:  # the one arm of a table row has all the patients
            positions[("arms", 0, "patients")] = (n, columns["patients"])
        outcome.problems += [text for _, text in mangled]
        skip = {column for column, _ in mangled}
        found = [FormProblem(display, *locate(p.loc, positions), ".".join(map(str, p.loc)),
                             p.message) for p in raw_value_problems(data, vocab)]
        try:
            if found:
                raise CurationError(found)
            study = check_form(data, positions, display=display)
            if study.slug in seen:
                raise InputError(f"slug {study.slug!r} is also on row {seen[study.slug]}; "
                                 "give each study its own slug")
            seen[study.slug] = n
            if not mangled:
                plans[n] = plan_study(study, layout, vocab=vocab, replace=replace,
                                      display=f"{display}:{n}", existing=existing,
                                      locate=_row_locator(n))
        except CurationError as err:
            if found and err.problems == found:
                try:
                    check_form(data, positions, display=display)
                except CurationError as more:
                    found += more.problems
            outcome.problems += [_short(p) for p in sorted(found or err.problems,
                                                           key=lambda p: p.column)
                                 if p.column not in skip]
        except InputError as err:
            outcome.problems.append(str(err))
    _check_batch(plans, outcomes, layout, dry_run=dry_run, reasoner=reasoner)
    return ImportReport(outcomes, dry_run)


def _loc_of(column_field: str) -> tuple[str | int, ...]:
    head, _, tail = column_field.partition(".")
    if head == "regimen":
        return ("regimens", 0, tail)
    if head == "finding":
        return ("findings", 0, tail)
    if head == "weaknesses":
        return ("weaknesses",)
    return tuple(column_field.split("."))


def _row_locator(row: int) -> Callable[[tuple[str | int, ...]], tuple[int, int]]:
    def locate(loc: tuple[str | int, ...]) -> tuple[int, int]:
        del loc
        return (row, 0)
    return locate


def _short(problem: FormProblem) -> str:
    where = f"column {_column_letter(problem.column - 1)}" if problem.column > 0 else "row"
    return f"{where} ({problem.field}): {problem.message}" if problem.field else \
        f"{where}: {problem.message}"


def _check_batch(plans: dict[int, Plan], outcomes: list[RowOutcome], layout: Layout, *,
                 dry_run: bool, reasoner: bool) -> None:
    by_row = {o.row: o for o in outcomes}
    while plans:
        outcome = add_studies(list(plans.values()), layout, dry_run=dry_run,
                              reasoner=reasoner)
        if outcome.passed:
            for n, plan in plans.items():
                by_row[n].added = layout.relative(plan.path).as_posix()
            return
        failed = set()
        for result in getattr(outcome.report, "results", []):
            for n, plan in plans.items():
                focus = str(getattr(result, "focus", ""))
                if focus.startswith((study_iri(plan.study.slug),
                                     publication_iri(plan.study.slug))):
                    by_row[n].problems.append(f"SHACL: {getattr(result, 'message', result)}")
                    failed.add(n)
        if not failed:  # a violation outside the new studies: nothing can be added
            for n in plans:
                by_row[n].problems.append("the graph does not validate with this row; run "
                                          "ibmkg validate")
            return
        plans = {n: p for n, p in plans.items() if n not in failed}
