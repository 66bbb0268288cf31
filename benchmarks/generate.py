"""Write N synthetic studies into one Turtle file, in the letter's proportions, with known defects.

SYNTHETIC DATA, for benchmarks and for exercising validation: every study is invented. The
file starts with a comment saying so, every study carries an ``rdfs:comment`` saying so,
and every IRI starts with ``https://w3id.org/ibmkg/study/synthetic-`` (or
``.../publication/synthetic-``). The studies follow ``benchmarks/synthetic.py`` (designs with
consistent yes/no attributes, arms, regimens, findings, weaknesses, a table row, a
publication with authors), under the project's ontology.

**Proportions.** Designs are drawn with the weights of the letter's ten studies
(:data:`LETTER_DESIGNS`: 1 parallel-group and 2 crossover trials, 1 single-group trial,
3 case series, 1 case report, 2 case-control studies); ``tests/test_generate.py`` checks
the weights against ``kg/studies``.

**Deliberate defects.** A share of the studies (``--defect-rate``, default 2 %) carries one
defect each, the kinds taken in turn so that every kind occurs once the file has at least
``len(DEFECTS) / rate`` studies. Each defective study says which defect it carries in a
``# DEFECT <kind>`` comment on the line before it, so a test can count what validation
must find. The kinds (:data:`DEFECTS`):

- ``misspelt-property``: ``ibmkg:patientCont`` instead of ``ibmkg:patientCount`` (a term
  the ontology does not declare);
- ``bad-year``: a publication year ``"19X7"^^xsd:gYear`` (not a valid lexical form);
- ``negative-count``: ``ibmkg:patientCount -3`` on the study;
- ``arm-without-regimen``: an arm that receives nothing;
- ``finding-without-direction``: an effect finding with no ``ibmkg:direction``;
- ``missing-label``: a finding without ``rdfs:label``.

None is a logical contradiction, so the reasoner still classifies the file (a
contradiction would stop it for the whole graph).

**Not defects, but reported by validation on every study**: no ``ibmkg:reviewedIn`` and no
``prov:wasQuotedFrom`` (an invented study is not in the letter's review, and the generator
does not claim it is), and labels of the form "Synthetic study N" rather than
"<First author> et al. <year>". Measured with this branch's ``ibmkg validate`` on 12
studies with one defect each of the six kinds: it reports ``missing-label``,
``finding-without-direction``, ``misspelt-property`` (as the missing ``patientCount``) and
``negative-count`` (as arms that do not add up); ``bad-year`` and ``arm-without-regimen``
go unreported there (the closed-vocabulary and datatype checks of the validation issue
are meant to catch the first).

Usage: ``python benchmarks/generate.py --studies N --seed S --out FILE.ttl [--defect-rate R]``

>>> text = synthetic_turtle(3, seed=1, defect_rate=0.0)
>>> text.startswith("# SYNTHETIC"), text.count("rdfs:comment \\"SYNTHETIC")
(True, 3)
>>> defects(synthetic_turtle(300, seed=1, defect_rate=0.02))
{'misspelt-property': 1, 'bad-year': 1, 'negative-count': 1, 'arm-without-regimen': 1, \
'finding-without-direction': 1, 'missing-label': 1}
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import DESIGNS, PREFIXES, Design, study_turtle

#: Design class -> number of the letter's ten studies with it (see kg/studies).
LETTER_DESIGNS: dict[str, int] = {
    "ParallelGroupTrial": 1, "CrossoverTrial": 2, "SingleGroupTrial": 1, "CaseSeries": 3,
    "CaseReport": 1, "CaseControlStudy": 2,
}
#: The defect kinds, in the order they are handed out.
DEFECTS: tuple[str, ...] = ("misspelt-property", "bad-year", "negative-count",
                            "arm-without-regimen", "finding-without-direction",
                            "missing-label")
_BY_CLASS: dict[str, Design] = {d.cls: d for d in DESIGNS}


def _inject(text: str, kind: str) -> str:
    """Put one defect of the given kind into a study's Turtle text."""
    if kind == "misspelt-property":
        return text.replace("    ibmkg:patientCount ", "    ibmkg:patientCont ", 1)
    if kind == "bad-year":
        return re.sub(r'ibmkg:publicationYear "\d{4}"', 'ibmkg:publicationYear "19X7"', text,
                      count=1)
    if kind == "negative-count":
        return re.sub(r"(\n    ibmkg:patientCount )\d+", r"\1-3", text, count=1)
    if kind == "arm-without-regimen":
        return re.sub(r'(a ibmkg:Arm ;\n    rdfs:label "[^"]*" ;\n    ibmkg:patientCount \d+)'
                      r" ;\n    ibmkg:receives [^\n]*\.", r"\1 .", text, count=1)
    if kind == "finding-without-direction":
        return re.sub(r"\n    ibmkg:direction ibmkg:\w+ ;", "", text, count=1)
    if kind == "missing-label":
        return re.sub(r'(a ibmkg:EffectFinding ;)\n    rdfs:label "[^"]*" ;', r"\1", text,
                      count=1)
    raise ValueError(f"unknown defect kind {kind!r}; known: {', '.join(DEFECTS)}")


def synthetic_studies(studies: int, *, seed: int, defect_rate: float = 0.02,
                      ) -> Iterator[tuple[int, str]]:
    """Each synthetic study's number and Turtle body (without the prefix block).

    :param studies: how many.
    :param seed: the random seed; the same seed gives the same studies.
    :param defect_rate: the share of studies that carry one deliberate defect (0 to 1).
    :returns: ``(number, body)`` per study; the study is ``study:synthetic-NNNNN``.
    :raises ValueError: when a count or rate is out of range.
    """
    if studies < 0 or not 0.0 <= defect_rate <= 1.0:
        raise ValueError(f"--studies must be >= 0 and --defect-rate within 0..1, not "
                         f"{studies} and {defect_rate}")
    rng = random.Random(seed)
    names = list(LETTER_DESIGNS)
    weights = [LETTER_DESIGNS[n] for n in names]
    every = round(1 / defect_rate) if defect_rate > 0 else 0
    handed = 0
    for index in range(1, studies + 1):
        design = _BY_CLASS[rng.choices(names, weights)[0]]
        text = study_turtle(index, rng, design)
        body = text.split(PREFIXES, 1)[1]
        if every and index % every == 0:
            kind = DEFECTS[handed % len(DEFECTS)]
            handed += 1
            body = f"# DEFECT {kind}\n" + _inject(body, kind)
        yield index, body


def synthetic_turtle(studies: int, *, seed: int, defect_rate: float = 0.02) -> str:
    """The Turtle text of ``studies`` synthetic studies in one file.

    :param studies: how many.
    :param seed: the random seed; the same seed gives the same text.
    :param defect_rate: the share of studies that carry one deliberate defect (0 to 1).
    :returns: the text (one prefix block, then the studies).
    :raises ValueError: when a count or rate is out of range.
    """
    parts = [f"# SYNTHETIC: {studies} invented studies generated by benchmarks/generate.py "
             f"(seed {seed}, defect rate {defect_rate}); not real data.\n", PREFIXES]
    parts += [body for _, body in synthetic_studies(studies, seed=seed, defect_rate=defect_rate)]
    return "\n".join(parts)


def defects(text: str) -> dict[str, int]:
    """Count the deliberate defects a generated text declares.

    :param text: the generated Turtle.
    :returns: defect kind -> count, in :data:`DEFECTS` order, kinds with none left out.
    """
    found = Counter(re.findall(r"^# DEFECT ([\w-]+)$", text, flags=re.MULTILINE))
    return {kind: found[kind] for kind in DEFECTS if found[kind]}


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point.

    :param argv: the arguments (default: ``sys.argv[1:]``).
    :returns: the exit code.
    """
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--studies", type=int, required=True)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--defect-rate", type=float, default=0.02)
    args = parser.parse_args(argv)
    if "kg" in args.out.resolve().parts:
        parser.error(f"{args.out}: synthetic studies never go into kg/")
    try:
        text = synthetic_turtle(args.studies, seed=args.seed, defect_rate=args.defect_rate)
    except ValueError as err:
        parser.error(str(err))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    tmp = args.out.with_name(args.out.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
