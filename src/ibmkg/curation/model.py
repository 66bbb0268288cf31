"""The curation form of one study: pydantic models, checked field by field.

The YAML reader gives every scalar as text (no implicit booleans, numbers or dates), so the
types here decide what a value means: a count is digits only, a flag is ``true`` or ``false``,
a decimal keeps the digits it was written with. Values taken from the ontology (designs,
directions, outcome domains...) stay text here and are resolved by :mod:`ibmkg.curation.rdf`.

>>> study = Study.model_validate({"slug": "doe-2030", "label": "Doe et al. 2030",
...     "publication": {"title": "A trial"}, "patients": "12"})
>>> study.patients
12
>>> Study.model_validate({"slug": "x-1", "label": "x", "publication": {"title": "T"},
...     "design": {"randomised": "NO"}})
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for Study
...
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

_DIGITS = re.compile(r"[0-9]+")
_DECIMAL = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")
_SLUG = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"
_ID = r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$"


def _count(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"found {value!r}, expected a whole number such as 12")
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if _DIGITS.fullmatch(text):
        return int(text)
    if _DATE_LIKE.fullmatch(text):
        raise ValueError(f"found {text!r}, which looks like a date a spreadsheet made of a "
                         "count; expected a whole number such as 12 (format the cell as text)")
    raise ValueError(f"found {text!r}, expected a whole number such as 12")


def _decimal(value: Any) -> Any:
    text = str(value).strip()
    if isinstance(value, bool) or not _DECIMAL.fullmatch(text):
        if _DATE_LIKE.fullmatch(text):
            raise ValueError(f"found {text!r}, which looks like a date a spreadsheet made of a "
                             "number; expected a decimal such as 0.5 (format the cell as text)")
        raise ValueError(f"found {text!r}, expected a decimal number such as 2.0 or 0.5")
    return text


def _flag(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    text = str(value).strip()
    if text in ("true", "false"):
        return text == "true"
    raise ValueError(f"found {text!r}, expected true or false (written in lower case)")


def _tristate(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    text = str(value).strip()
    if text == "not reported":
        return text
    if text in ("true", "false"):
        return text == "true"
    raise ValueError(f"found {text!r}, expected true, false or not reported")


def _list(value: Any) -> Any:
    # A single value where a list is expected is taken as a list of one.
    if isinstance(value, str | int | float):
        return [value]
    return value


Count = Annotated[int, BeforeValidator(_count), Field(ge=0)]
Decimal = Annotated[str, BeforeValidator(_decimal)]
Flag = Annotated[bool, BeforeValidator(_flag)]
TriState = Annotated[bool | Literal["not reported"], BeforeValidator(_tristate)]
Text = Annotated[str, Field(min_length=1)]
Names = Annotated[list[Text], BeforeValidator(_list)]
Year = Annotated[str, Field(pattern=r"^[0-9]{4}$")]
Date = Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
When = Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
                                    r"(T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?)?$")]
Id = Annotated[str, Field(pattern=_ID)]


class Form(BaseModel):
    """A part of the form: unknown fields are errors, values are checked on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=False)


class Author(Form):
    """One author, in the order printed."""

    printed: Text
    family: Text | None = None
    initials: Text | None = None


class Publication(Form):
    """The publication that reports the study."""

    title: Text
    label: Text | None = None
    title_language: Annotated[str, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]+)*$")] = "en"
    doi: Annotated[str, Field(pattern=r"^10\.[0-9]{4,9}/\S+$")] | None = None
    pmid: Annotated[str, Field(pattern=r"^[1-9][0-9]{0,8}$")] | None = None
    journal: Text | None = None
    year: Year | None = None
    volume: Text | None = None
    issue: Text | None = None
    pages: Text | None = None
    page_start: Text | None = None
    page_end: Text | None = None
    authors: list[Author] = []
    authors_truncated: Flag | None = None
    reference_number: Count | None = None
    quote: Text | None = None
    source: Text | None = None


class Design(Form):
    """The study design: its classes and its yes/no attributes."""

    types: Names = []
    randomised: TriState | None = None
    blinded: TriState | None = None
    controlled: TriState | None = None
    crossover: TriState | None = None
    retrospective: TriState | None = None
    blinding: Text | None = None


class TableRow(Form):
    """The study's row of the review's Table I, cell by cell, verbatim."""

    number: Count
    label: Text | None = None
    reference: str | None = None
    study_type: str | None = None
    patients: str | None = None
    dose: str | None = None
    outcome_measures: str | None = None
    key_results: str | None = None
    weakness: str | None = None


class Arm(Form):
    """A group of participants (or a treatment period of a crossover)."""

    id: Id
    label: Text | None = None
    patients: Count | None = None
    receives: Names = []
    quote: Text | None = None
    source: Text | None = None
    location: Text | None = None


class Regimen(Form):
    """What an arm received."""

    id: Id
    label: Text | None = None
    agent: Text | None = None
    role: Text | None = None
    dose_specification: Text | None = None
    dose_value: Decimal | None = None
    dose_unit: Text | None = None
    dose_basis: Text | None = None
    interval: Text | None = None
    course_months: Decimal | None = None
    treatment_days_per_cycle: Count | None = None
    maintenance_doses: Flag | None = None
    quote: Text | None = None
    source: Text | None = None
    location: Text | None = None
    comments: Names = []


class Finding(Form):
    """One result: an effect (direction) or an association (factor)."""

    id: Id | None = None
    kind: Literal["effect", "association"] = "effect"
    label: Text | None = None
    outcomes: Names = []
    direction: Text | None = None
    basis: Text | None = None
    scope: Text | None = None
    extent: Text | None = None
    measured_by: Names = []
    in_arms: Names = []
    comparator_arms: Names = []
    responders: Count | None = None
    denominator: Count | None = None
    proportion: Decimal | None = None
    comparator_proportion: Decimal | None = None
    comparison_group: Text | None = None
    subgroup: Text | None = None
    factor: Text | None = None
    timing: Text | None = None
    threshold: Text | None = None
    durability: Text | None = None
    magnitude: Text | None = None
    statistically_significant: Flag | None = None
    clinically_significant: Flag | None = None
    quote: Text | None = None
    source: Text | None = None
    location: Text | None = None
    comments: Names = []


class Weakness(Form):
    """A weakness of the study, as the source states it."""

    id: Id | None = None
    type: Annotated[Names, Field(min_length=1)]
    quote: Text | None = None
    source: Text | None = None
    location: Text | None = None


class Provenance(Form):
    """Who curated the study, when, and from what.

    A curator-sourced study (``sourced_from: publication``) needs ``curator`` and ``date``: the
    shapes check them as ``prov:wasAttributedTo`` and ``prov:generatedAtTime``.
    """

    curator: Text | None = None
    date: When | None = None
    source: Text | None = None


class Study(Form):
    """One study, the unit ``ibmkg add`` writes to ``kg/studies/<slug>.ttl``."""

    slug: Annotated[str, Field(pattern=_SLUG, max_length=80)]
    label: Text
    sourced_from: Literal["review", "publication"] = "review"
    comments: Names = []
    condition: Text = "SporadicInclusionBodyMyositis"
    design: Design = Design()
    patients: Count | None = None
    measures: Names = []
    measure_reporting: Text | None = None
    weakness_reporting: Text | None = None
    reviewed_in: Annotated[str, Field(pattern=_SLUG)] | None = None
    table_row: TableRow | None = None
    publication: Publication
    arms: list[Arm] = []
    regimens: list[Regimen] = []
    findings: list[Finding] = []
    weaknesses: list[Weakness] = []
    provenance: Provenance | None = None
