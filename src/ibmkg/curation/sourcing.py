"""Curator-sourced studies: the provenance a study read from its own publication needs.

A study from the letter carries ``reviewed_in`` and its ``table_row``; a study published after
the letter (``sourced_from: publication``) carries instead the curator, the date, a
publication with a DOI or PMID, and for every quote ``source: StudyPublication`` with its
``location`` in the paper.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ibmkg.curation.model import Arm, Finding, Regimen, Study, Weakness
from ibmkg.curation.vocab import Vocabulary

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """A value the form holds that the ontology does not allow.

    :param loc: where in the form (field names and list positions).
    :param message: what was found, what is expected, and the fix.
    """

    loc: Loc
    message: str


def curated_problems(study: Study, vocab: Vocabulary) -> list[Problem]:
    """What a curator-sourced study lacks, each at its place in the form.

    The shapes (``shape:CuratorSourcedStudyShape``) check the same on the triples; this check
    runs first so that each problem names its line in the YAML.

    :param study: the form.
    :param vocab: the allowed values.
    :returns: the problems; none for a study from the letter.

    >>> from ibmkg.paths import default_layout
    >>> vocab = Vocabulary.from_layout(default_layout())
    >>> study = Study.model_validate({"slug": "roe-2031", "label": "Roe et al. 2031",
    ...     "sourced_from": "publication", "provenance": {"curator": "Jane Doe"},
    ...     "publication": {"title": "T", "pmid": "1", "quote": "Roe R: T."}})
    >>> [(p.loc, p.message[-36:]) for p in curated_problems(study, vocab)]
    [(('provenance',), ' provenance: date: (e.g. 2026-01-31)')]
    """
    if study.sourced_from != "publication":
        return []
    problems = []
    prov = study.provenance
    for name, example in (("curator", "Jane Doe"), ("date", "2026-01-31")):
        if prov is None or getattr(prov, name) is None:
            problems.append(Problem(("provenance",), f"a study sourced from its publication "
                                    f"needs provenance: {name}: (e.g. {example})"))
    if study.publication.doi is None and study.publication.pmid is None:
        problems.append(Problem(("publication",), "a study sourced from its publication needs "
                                "the publication's doi: or pmid:, so the paper can be found"))
    if study.publication.quote is None:
        problems.append(Problem(("publication",), "a study sourced from its publication needs "
                                "the publication's quote: (its citation as printed on the paper) "
                                "with source: StudyPublication"))
    for name in ("reviewed_in", "table_row"):
        if getattr(study, name) is not None:
            problems.append(Problem((name,), f"found {name}: on a study sourced from its "
                                    "publication; Table I and the review are the letter's, "
                                    f"so delete {name}: (or set sourced_from: review)"))
    own = vocab.resolve("source-part", "StudyPublication").short
    quoted: list[tuple[str, Sequence[Arm | Regimen | Finding | Weakness]]] = [
        ("arms", study.arms), ("regimens", study.regimens), ("findings", study.findings),
        ("weaknesses", study.weaknesses)]
    for kind, parts in quoted:
        for i, part in enumerate(parts):
            if part.quote is None:
                continue
            try:
                given = vocab.resolve("source-part", part.source).short if part.source else None
            except KeyError:
                continue  # reported as an unknown value by the writer
            if given != own:
                problems.append(Problem((kind, i, "source"), f"found {part.source!r}; a quote "
                                        f"of a study sourced from its publication has source: "
                                        f"{own}"))
            if part.location is None:
                problems.append(Problem((kind, i, "quote"), "a quote of a study sourced from "
                                        "its publication needs location: (the section, table "
                                        "or page it is on, e.g. 'Results, Table 2')"))
    return problems


__all__ = ["Problem", "curated_problems"]
