"""Generate synthetic studies in the shape of ``kg/studies/*.ttl``, for benchmarks only.

SYNTHETIC DATA: every study made here is invented. Each file says so in a comment, each
study carries an ``rdfs:comment`` saying so, and every IRI starts with
``https://w3id.org/ibmkg/study/synthetic-``. The generator writes into the directory it is
given (a temporary one in the benchmarks) and refuses the project's ``kg/`` directory.

The studies mimic the real ones: a design (parallel-group or crossover RCT, single-group
trial, case series, case report, case-control study) with consistent yes/no attributes,
a table row with seven cells, one to three arms with regimens (IVIG, placebo, prednisone,
other drugs), two to four findings, weaknesses, and a publication with authors. The same
seed always gives the same files.

Usage: ``python benchmarks/synthetic.py N OUTDIR [--seed S]``

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     files = generate(3, Path(d), seed=1)
...     text = files[0].read_text(encoding="utf-8")
>>> len(files), text.startswith("# SYNTHETIC")
(3, True)
"""

from __future__ import annotations

import argparse
import random
from dataclasses import dataclass
from pathlib import Path

PREFIXES = """\
@prefix ibmkg: <https://w3id.org/ibmkg/ontology/> .
@prefix study: <https://w3id.org/ibmkg/study/> .
@prefix pub: <https://w3id.org/ibmkg/publication/> .
@prefix review: <https://w3id.org/ibmkg/review/> .
@prefix measure: <https://w3id.org/ibmkg/vocab/measure/> .
@prefix outcome: <https://w3id.org/ibmkg/vocab/outcome/> .
@prefix weakness: <https://w3id.org/ibmkg/vocab/weakness/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""


@dataclass(frozen=True)
class Design:
    """A study design and the attribute values it implies."""

    cls: str
    cell: str
    randomised: bool
    blinded: bool | None
    controlled: bool
    crossover: bool
    retrospective: bool | None
    comparator: str | None  # agent of the comparison arm, if any


DESIGNS = (
    Design("ParallelGroupTrial", "Randomised, double blind, placebo-controlled study.",
           True, True, True, False, False, "Placebo"),
    Design("CrossoverTrial", "Randomised, double blind, placebo controlled, cross-over study.",
           True, True, True, True, False, "Placebo"),
    Design("SingleGroupTrial", "Uncontrolled open label study.",
           False, False, False, False, None, None),
    Design("CaseSeries", "Case series.", False, None, False, False, True, None),
    Design("CaseReport", "Case report.", False, None, False, False, None, None),
    Design("CaseControlStudy", "Retrospective case-control study.",
           False, None, True, False, True, "OtherDrugs"),
)
DIRECTIONS = ("Improved", "NoEffect", "PositiveTrend")
BASES = ("ObjectiveMeasurement", "PatientReported", "InvestigatorJudgement")
OUTCOMES = (("muscle-strength", "mmt"), ("dysphagia", "swallowing-assessment"),
            ("serum-ck", "serum-ck"), ("function", "functional-assessment"),
            ("fatigue", "patient-self-assessment"))
WEAKNESSES = ("small-sample", "no-control-group", "heterogeneous-infusion-protocols",
              "concomitant-steroids", "retrospective-design", "no-response-definition")
NAMES = ("Rossi", "Müller", "Dupont", "Smith", "Jansen", "Novak", "Silva", "Berg")


_DOSE_QUOTE = {"IVIG": "2 g/kg/mo. per three months"}


def _dose_quotes(arms: list[tuple[str, str, list[tuple[str, str, str]]]]) -> list[str]:
    agents = dict.fromkeys(agent for _, _, regimens in arms for _, agent, _ in regimens)
    return [_DOSE_QUOTE.get(agent, agent) for agent in agents]


def _bool(value: bool) -> str:
    return "true" if value else "false"


def study_turtle(index: int, rng: random.Random, design: Design | None = None) -> str:
    """The Turtle text of one synthetic study.

    :param index: the study number (used in its IRIs).
    :param rng: the random source.
    :param design: the design (by default one drawn uniformly).
    :returns: the file's text.
    """
    slug = f"synthetic-{index:05d}"
    design = design or rng.choice(DESIGNS)
    patients = 1 if design.cls == "CaseReport" else rng.randint(3, 40)
    s, p = f"<https://w3id.org/ibmkg/study/{slug}/", f"<https://w3id.org/ibmkg/publication/{slug}/"
    lines = [f"# SYNTHETIC study {index} for benchmarks (benchmarks/synthetic.py): not real data.",
             PREFIXES]
    steroids = rng.random() < 0.3
    arms = [("arm-ivig", "IVIG" + (" + prednisone" if steroids else ""),
             [("regimen-ivig", "IVIG", "ExperimentalIntervention")]
             + ([("regimen-prednisone", "Prednisone", "CoIntervention")] if steroids else []))]
    if design.comparator is not None:
        role = "PlaceboComparator" if design.comparator == "Placebo" else "ActiveComparator"
        arms.append(("arm-comparator", design.comparator,
                     [("regimen-comparator", design.comparator, role)]))
    findings = []
    for n in range(1, rng.randint(2, 4) + 1):
        domain, measure = rng.choice(OUTCOMES)
        findings.append((f"finding-{n}", rng.choice(DIRECTIONS), rng.choice(BASES), domain,
                         measure))
    weaknesses = [(f"weakness-{n}", rng.choice(WEAKNESSES))
                  for n in range(1, rng.randint(0, 3) + 1)]
    attrs = [f"    ibmkg:isRandomised {_bool(design.randomised)} ;",
             f"    ibmkg:isControlled {_bool(design.controlled)} ;",
             f"    ibmkg:isCrossover {_bool(design.crossover)} ;"]
    if design.blinded is not None:
        attrs.append(f"    ibmkg:isBlinded {_bool(design.blinded)} ;")
    if design.retrospective is not None:
        attrs.append(f"    ibmkg:isRetrospective {_bool(design.retrospective)} ;")
    unreported = [a for a, v in (("ibmkg:BlindingAttribute", design.blinded),
                                 ("ibmkg:RetrospectiveAttribute", design.retrospective))
                  if v is None]
    if unreported:
        attrs.append(f"    ibmkg:attributeNotReported {', '.join(unreported)} ;")
    if not weaknesses:
        attrs.append("    ibmkg:weaknessReporting ibmkg:NoneStated ;")
    arm_refs = " , ".join(f"{s}{a}>" for a, _, _ in arms)
    finding_refs = " , ".join(f"{s}{f[0]}>" for f in findings)
    measures = " , ".join(sorted({f"measure:{f[4]}" for f in findings}))
    lines += [
        f"study:{slug} a ibmkg:{design.cls}, ibmkg:Study ;",
        f'    rdfs:label "Synthetic study {index}" ;',
        '    rdfs:comment "SYNTHETIC: generated by benchmarks/synthetic.py; not a real study." ;',
        "    ibmkg:condition ibmkg:SporadicInclusionBodyMyositis ;",
        f"    ibmkg:reportedIn pub:{slug} ;",
        f"    ibmkg:tableRow {s}row> ;",
        f"    prov:wasDerivedFrom pub:{slug} ;",
        f"    ibmkg:patientCount {patients} ;",
        *attrs,
        f"    ibmkg:hasArm {arm_refs} ;",
        f"    ibmkg:usesMeasure {measures} ;",
        f"    ibmkg:hasFinding {finding_refs}"
        + (" ;" if weaknesses else " ."),
    ]
    if weaknesses:
        lines.append("    ibmkg:hasWeakness " + " , ".join(f"{s}{w}>" for w, _ in weaknesses)
                     + " .")
    lines += ["", f"{s}row> a ibmkg:TableRow ;",
              f'    rdfs:label "Synthetic table row {index}" ;',
              f"    ibmkg:rowNumber {index} ;",
              f'    ibmkg:referenceCell "Synthetic et al. ({index})" ;',
              f'    ibmkg:studyTypeCell "{design.cell}" ;',
              f'    ibmkg:patientsCell "{patients}" ;',
              f'    ibmkg:doseCell "{"; ".join(_dose_quotes(arms))}" ;',
              f'    ibmkg:outcomeMeasuresCell "{measures}" ;',
              '    ibmkg:keyResultsCell "Synthetic result." ;',
              f'    ibmkg:weaknessCell "{"Synthetic weakness." if weaknesses else "-"}" .']
    for number, (arm, label, regimens) in enumerate(arms):
        if design.crossover:  # every participant receives every period
            count = patients
        else:  # the arms add up to the study's patients
            count = patients // len(arms) + (patients % len(arms) if number == 0 else 0)
        refs = " , ".join(f"{s}{r}>" for r, _, _ in regimens)
        lines += ["", f"{s}{arm}> a ibmkg:Arm ;", f'    rdfs:label "{label}" ;',
                  f'    ibmkg:quotedText "{patients}" ;',
                  "    ibmkg:sourcePart ibmkg:PatientsColumn ;",
                  f"    ibmkg:patientCount {count} ;",
                  f"    ibmkg:receives {refs} ."]
    seen: set[str] = set()
    for _, _, regimens in arms:
        for regimen, agent, role in regimens:
            if regimen in seen:
                continue
            seen.add(regimen)
            # What the quoted dose says: 2 g/kg per monthly cycle, for three months.
            dose = (["    ibmkg:doseValue 2.0 ;", "    ibmkg:doseUnit ibmkg:GramPerKilogram ;",
                     "    ibmkg:doseBasis ibmkg:PerCycle ;", "    ibmkg:interval ibmkg:Monthly ;",
                     "    ibmkg:courseDurationMonths 3.0 ;"] if agent == "IVIG" else [])
            lines += ["", f"{s}{regimen}> a ibmkg:Regimen ;", f'    rdfs:label "{agent}" ;',
                      *dose, f'    ibmkg:quotedText "{_DOSE_QUOTE.get(agent, agent)}" ;',
                      "    ibmkg:sourcePart ibmkg:DoseColumn ;",
                      f"    ibmkg:agent ibmkg:{agent} ;", f"    ibmkg:role ibmkg:{role} ;",
                      "    ibmkg:doseSpecification ibmkg:"
                      + ("DoseSpecified" if agent == "IVIG" else "DoseNotReported") + " ."]
    for finding, direction, basis, domain, measure in findings:
        lines += ["", f"{s}{finding}> a ibmkg:EffectFinding ;",
                  f'    rdfs:label "Synthetic finding {finding}" ;',
                  f"    ibmkg:direction ibmkg:{direction} ;", f"    ibmkg:basis ibmkg:{basis} ;",
                  "    ibmkg:scope ibmkg:WholeGroup ;",
                  f"    ibmkg:outcomeDomain outcome:{domain} ;",
                  f"    ibmkg:measuredBy measure:{measure} ;",
                  f"    ibmkg:inArm {s}arm-ivig> ;",
                  '    ibmkg:quotedText "Synthetic result." ;',
                  "    ibmkg:sourcePart ibmkg:KeyResultsColumn ."]
    for weakness_id, kind in weaknesses:
        lines += ["", f"{s}{weakness_id}> a ibmkg:WeaknessStatement ;",
                  f"    ibmkg:weaknessType weakness:{kind} ;",
                  '    ibmkg:quotedText "Synthetic weakness." ;',
                  "    ibmkg:sourcePart ibmkg:WeaknessColumn ."]
    authors = rng.randint(2, 6)
    lines += ["", f"pub:{slug} a ibmkg:Publication ;",
              f'    rdfs:label "Synthetic publication {index}" ;',
              f'    dcterms:title "Synthetic study number {index}"@en ;',
              '    ibmkg:journal "Synthetic J" ;',
              "    ibmkg:authorListTruncated false ;",
              f'    ibmkg:publicationYear "{1990 + index % 34}"^^xsd:gYear ;',
              f"    ibmkg:referenceNumber {index} ;",
              "    ibmkg:hasAuthorship "
              + " , ".join(f"{p}author-{a}>" for a in range(1, authors + 1)) + " ."]
    for a in range(1, authors + 1):
        name = rng.choice(NAMES)
        lines.append(f"{p}author-{a}> a ibmkg:Authorship ; ibmkg:authorPosition {a} ; "
                     f'ibmkg:familyName "{name}" ; ibmkg:initials "X" ; '
                     f'ibmkg:printedName "{name.upper()} X" .')
    return "\n".join(lines) + "\n"


def generate(count: int, outdir: Path, *, seed: int = 2024) -> list[Path]:
    """Write ``count`` synthetic study files into ``outdir/studies``.

    :param count: how many studies.
    :param outdir: the directory to write into (never the project's ``kg/``).
    :param seed: the random seed; the same seed gives the same files.
    :returns: the files written, in order.
    :raises ValueError: when ``outdir`` is, or is inside, a directory named ``kg``.
    """
    if "kg" in outdir.resolve().parts:
        raise ValueError(f"{outdir}: synthetic studies never go into kg/; use a temporary "
                         "directory")
    rng = random.Random(seed)
    target = outdir / "studies"
    target.mkdir(parents=True, exist_ok=True)
    files = []
    for index in range(1, count + 1):
        path = target / f"synthetic-{index:05d}.ttl"
        path.write_text(study_turtle(index, rng), encoding="utf-8")
        files.append(path)
    return files


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    generate(args.count, args.outdir, seed=args.seed)


if __name__ == "__main__":
    main()
