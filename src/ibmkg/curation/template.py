"""The commented YAML template of ``ibmkg new-study`` and the header of ``ibmkg describe``.

Every field is explained and every value taken from the ontology lists its allowed values,
read from the ontology's schemes at run time (so a new term shows up without code changes).

>>> from ibmkg.paths import default_layout
>>> from ibmkg.curation.vocab import Vocabulary
>>> text = study_template("doe-2030", Vocabulary.from_layout(default_layout()))
>>> "slug: doe-2030" in text and "dysphagia" in text and "NoEffect" in text
True
"""

from __future__ import annotations

import textwrap

from ibmkg.curation.vocab import Vocabulary

TODO = "TODO"


def _allowed(vocab: Vocabulary, kind: str, width: int = 92) -> list[str]:
    names = ", ".join(vocab.shorts(kind)) or "(none in the ontology)"
    return textwrap.wrap(f"allowed: {names}", width=width)


def study_template(slug: str, vocab: Vocabulary) -> str:
    """Write the commented form of a new study.

    :param slug: the new study's slug (lower-case words and a year, e.g. ``doe-2030``).
    :param vocab: the allowed values.
    :returns: YAML text; every ``TODO`` is for the curator to fill in or delete.
    """
    out: list[str] = [
        f"# A new study for ibmkg. Fill in every {TODO} (or delete the line), then run",
        f"#   ibmkg add {slug}.yaml --dry-run    # checks only: schema, SHACL, reasoner",
        f"#   ibmkg add {slug}.yaml              # writes kg/studies/{slug}.ttl",
        "# Values from the ontology may be given by short name, label, synonym or CURIE",
        "# (HP:0002015, 'dysphagia' and 'swallowing function' all name outcome dysphagia).",
        "# Plain YAML only: no tags (!x), anchors (&x) or aliases (*x), no {...} or [...];",
        "# a list is one '- item' per line. Flags are true or false; numbers are digits.",
        "# Where the source is silent, leave the field out: never guess.",
        "",
        f"slug: {slug}  # the study's id and file name: first author, year",
        f"label: {TODO}  # how people cite it, e.g. Doe et al. 2030",
        "# Where the facts come from: publication (you read the study's own paper; curator,",
        "# date, DOI or PMID and a location per quote are required) or review (the letter's",
        "# Table I: give reviewed_in and table_row below, and the letter's source parts).",
        "sourced_from: publication",
        "# comments:  # notes for readers, e.g. where sources disagree",
        "#   - ...",
        "condition: SporadicInclusionBodyMyositis",
        f"patients: {TODO}  # total number of patients (whole number)",
        "measures:  # the outcome measures the study used",
        *[f"  # {line}" for line in _allowed(vocab, "measure")],
        f"  - {TODO}",
        "# measure_reporting: MeasuresNotAvailable  # when the source gives no measures",
        "# weakness_reporting: NoneStated  # when the source states no weakness",
        "",
        "design:",
        "  types:  # the study's design class (a crossover trial, a case series, ...)",
        *[f"    # {line}" for line in _allowed(vocab, "design")],
        f"    - {TODO}",
        "  # each attribute: true, false, or not reported",
        f"  randomised: {TODO}",
        f"  blinded: {TODO}",
        f"  controlled: {TODO}",
        f"  crossover: {TODO}",
        f"  retrospective: {TODO}",
        "  # blinding: DoubleBlind",
        *[f"  # {line}" for line in _allowed(vocab, "blinding")],
        "",
        "publication:",
        f"  title: {TODO}",
        f"  doi: {TODO}  # 10.xxxx/..., without https://doi.org/",
        f"  pmid: {TODO}  # digits only",
        f"  journal: {TODO}",
        f"  year: {TODO}  # four digits",
        f"  volume: {TODO}",
        f"  issue: {TODO}",
        f"  pages: {TODO}  # as printed, e.g. 1516-8",
        "  # page_start: ...  # and page_end, when known",
        "  authors:  # in the order printed",
        f"    - printed: {TODO}  # as printed, e.g. AMATO AA",
        f"      family: {TODO}  # e.g. Amato",
        f"      initials: {TODO}  # e.g. AA",
        "  authors_truncated: false  # true when the list ends with 'et al.'",
        f"  quote: {TODO}  # the citation as printed (for the letter: its reference list)",
        "  source: StudyPublication  # ReferenceList for sourced_from: review",
        "",
        "# Only with sourced_from: review, how the letter's Table I cites the study:",
        "# reviewed_in: fontanelli-2024",
        "# table_row:",
        "#   number: 11",
        "#   reference: ...  # each cell verbatim: study_type, patients, dose,",
        "#                   # outcome_measures, key_results, weakness",
        "",
        "arms:  # groups of participants (or treatment periods of a crossover)",
        "  - id: arm-ivig  # lower-case words joined by hyphens",
        "    label: IVIG",
        f"    patients: {TODO}",
        "    receives:  # ids of regimens below",
        "      - regimen-ivig",
        f"    quote: {TODO}  # the paper's words",
        "    source: StudyPublication  # a Table I column instead for sourced_from: review",
        f"    location: {TODO}  # where in the paper: section, table, figure or page",
        "",
        "regimens:  # what an arm received",
        "  - id: regimen-ivig",
        "    label: IVIG",
        "    agent: IVIG",
        *[f"    # {line}" for line in _allowed(vocab, "agent")],
        "    role: ExperimentalIntervention",
        *[f"    # {line}" for line in _allowed(vocab, "role")],
        f"    dose_specification: {TODO}",
        *[f"    # {line}" for line in _allowed(vocab, "dose-specification")],
        f"    dose_value: {TODO}  # a decimal, e.g. 2.0 (with DoseSpecified)",
        "    dose_unit: GramPerKilogram",
        *[f"    # {line}" for line in _allowed(vocab, "dose-unit")],
        f"    dose_basis: {TODO}  # per cycle or per day",
        *[f"    # {line}" for line in _allowed(vocab, "dose-basis")],
        f"    interval: {TODO}",
        *[f"    # {line}" for line in _allowed(vocab, "interval")],
        f"    course_months: {TODO}  # a decimal, e.g. 3.0",
        "    # treatment_days_per_cycle: 2",
        "    # maintenance_doses: true",
        f"    quote: {TODO}",
        "    source: StudyPublication",
        f"    location: {TODO}",
        "",
        "findings:  # one per result",
        f"  - label: {TODO}",
        "    outcomes:",
        *[f"      # {line}" for line in _allowed(vocab, "outcome")],
        f"      - {TODO}",
        f"    direction: {TODO}",
        *[f"    # {line}" for line in _allowed(vocab, "direction")],
        f"    basis: {TODO}  # how the result was established",
        *[f"    # {line}" for line in _allowed(vocab, "basis")],
        f"    scope: {TODO}",
        *[f"    # {line}" for line in _allowed(vocab, "scope")],
        "    # extent: ...  # how far the graph reads the words",
        *[f"    # {line}" for line in _allowed(vocab, "extent")],
        "    # measured_by:  # measures listed above",
        "    #   - mmt",
        "    # in_arms, comparator_arms: arm ids; comparison_group: the source's words",
        "    # responders: 3, denominator: 4, or proportion: 0.5 (and comparator_proportion)",
        "    # subgroup, factor, timing, threshold: the source's words",
        "    # durability, magnitude:",
        *[f"    # {line}" for line in _allowed(vocab, "durability")],
        *[f"    # {line}" for line in _allowed(vocab, "magnitude")],
        "    # statistically_significant, clinically_significant: true or false",
        f"    quote: {TODO}  # the paper's words",
        "    source: StudyPublication",
        f"    location: {TODO}  # e.g. Results, Table 2",
        "",
        "weaknesses:  # as the source states them",
        f"  - type: {TODO}",
        *[f"    # {line}" for line in _allowed(vocab, "weakness")],
        f"    quote: {TODO}",
        "    source: StudyPublication",
        f"    location: {TODO}",
        "",
        "provenance:  # who read the paper, and when (required for sourced_from: publication)",
        f"  curator: {TODO}  # your name",
        f"  date: {TODO}  # YYYY-MM-DD, or YYYY-MM-DDThh:mm:ssZ",
        f"  source: {TODO}  # what you read, e.g. the full text at its DOI",
        "",
    ]
    return "\n".join(out)


def describe_header(slug: str, source: str) -> str:
    """The comment lines ``ibmkg describe`` puts before a study's form.

    :param slug: the study's slug.
    :param source: the file it was read from.
    :returns: comment lines ending with a newline.

    >>> print(describe_header("cherin-2002", "kg/studies/cherin-2002.ttl"), end="")
    # cherin-2002, read from kg/studies/cherin-2002.ttl by ibmkg describe.
    # Edit it, then: ibmkg add FILE.yaml --replace
    """
    return (f"# {slug}, read from {source} by ibmkg describe.\n"
            "# Edit it, then: ibmkg add FILE.yaml --replace\n")
