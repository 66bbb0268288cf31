"""The mutation test of the validator (see ``tests/mutations.py`` and ``docs/validation.md``).

``make test`` runs every mutant of the kinds the Python checks catch without the shapes, and
every mutant with the shapes on the compiled engine (about 10 s); ``make validation-report``
validates every mutant again and rewrites the detection table in ``docs/validation.md``. A
mutant is caught when a result the unmutated file does not have points at the mutant's own line.
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


#: Mutants no shape can catch, by (kind, study, line), with the reason (docs/validation.md).
KNOWN_MISSES: dict[tuple[str, str, int], str] = {
    ("quote not in its cell", "dalakas-2001", 148):
        "the reworded quote is the table caption's, which is not a cell of any Table I row, "
        "so shape:Quoted-inCell has no cell to compare it with",
}


def test_every_mutant_is_caught_at_its_line(context: mutations.Context) -> None:
    """Every mutant of every kind, with the shapes, on the default (compiled) engine."""
    outcomes = mutations.run(MUTANTS, context, batch=20)
    missed = {(o.mutant.kind, o.mutant.slug, o.mutant.line) for o in outcomes if not o.caught}
    assert missed == set(KNOWN_MISSES), _report(outcomes)


def test_the_document_matches_the_generator() -> None:
    text = DOC.read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| ([^|*]+?) \| (\d+) \|", text, re.MULTILINE))
    counts = Counter(m.kind for m in MUTANTS)
    assert {kind: int(n) for kind, n in rows.items()} == dict(counts), \
        "docs/validation.md is stale: run `make validation-report`"
