"""The mutation test of the validator (see ``tests/mutations.py`` and ``docs/validation.md``).

``make test`` runs every mutant of the kinds the Python checks catch (fast), and one mutant of
every other kind with the shapes, in one batch; ``make validation-report`` validates every
mutant with the shapes and rewrites the detection table. A mutant is caught when a result the
unmutated file does not have points at the mutant's own line.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

import mutations
from ibmkg.paths import default_layout

DOC = Path(__file__).resolve().parents[1] / "docs" / "validation.md"

#: Kinds whose every mutant the closed-vocabulary and literal checks catch without SHACL.
PYTHON_KINDS = ("misspelt property", "invented property", "misspelt class",
                "misspelt concept or value", "malformed literal")

MUTANTS = mutations.generate(default_layout())
BY_KIND: dict[str, list[mutations.Mutant]] = {}
for _mutant in MUTANTS:
    BY_KIND.setdefault(_mutant.kind, []).append(_mutant)


@pytest.fixture(scope="module")
def context() -> mutations.Context:
    return mutations.Context.of(default_layout())


def _report(outcomes: list[mutations.Outcome]) -> str:
    return "\n".join(f"{o.mutant.kind} in {o.mutant.slug} line {o.mutant.line} "
                     f"({o.mutant.description}): results at "
                     f"{sorted(str(r.location) for r in o.new) or 'nothing'}"
                     for o in outcomes if not o.caught)


def test_at_least_300_mutants_of_15_kinds() -> None:
    assert len(MUTANTS) >= 300 and len(BY_KIND) >= 15
    assert set(BY_KIND) == set(mutations.KINDS), "every kind yields mutants"
    originals = {p.stem: p.read_text(encoding="utf-8")
                 for p in default_layout().studies.glob("*.ttl")}
    assert all(m.text != originals[m.slug] for m in MUTANTS)
    assert len({m.text for m in MUTANTS}) == len(MUTANTS), "no two mutants are the same"
    assert all(1 <= m.line <= m.text.count("\n") + 1 for m in MUTANTS)


def test_rename_moves_only_the_study_iris() -> None:
    text = "study:a-2000 ibmkg:reportedIn pub:a-2000 ; ibmkg:p <https://w3id.org/ibmkg/study/" \
        "a-2000/arm>, review:fontanelli-2024 ."
    assert mutations.rename(text, "a-2000", "m1") == (
        "study:a-2000-m1 ibmkg:reportedIn pub:a-2000-m1 ; ibmkg:p <https://w3id.org/ibmkg/"
        "study/a-2000-m1/arm>, review:fontanelli-2024 .")


def test_python_checks_catch_their_kinds_at_the_line(context: mutations.Context) -> None:
    chosen = [m for kind in PYTHON_KINDS for m in BY_KIND[kind]]
    outcomes = mutations.run(chosen, context, shacl=False, batch=len(chosen))
    assert all(o.caught for o in outcomes), _report(outcomes)


def test_one_mutant_of_every_other_kind_is_caught_at_its_line(
        context: mutations.Context) -> None:
    others = [kind for kind in mutations.KINDS if kind not in PYTHON_KINDS
              and kind not in mutations.OUT_OF_REACH]
    # from one study where it can, so that the batch holds few unmutated copies
    chosen = [next((m for m in BY_KIND[kind] if m.slug == "cherin-2002"), BY_KIND[kind][0])
              for kind in others]
    outcomes = mutations.run(chosen, context, batch=len(chosen))
    assert all(o.caught for o in outcomes), _report(outcomes)


def test_the_document_matches_the_generator() -> None:
    text = DOC.read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| ([^|*]+?) \| (\d+) \|", text, re.MULTILINE))
    counts = Counter(m.kind for m in MUTANTS)
    assert {kind: int(n) for kind, n in rows.items()} == dict(counts), \
        "docs/validation.md is stale: run `make validation-report`"
