"""The mutation test of the validator: curator mistakes applied to the ten real study files.

Each *kind* is one mistake a curator makes (a misspelt property, a count that does not add up,
a concept from the wrong scheme ...). :func:`generate` applies every kind, one mistake at a
time, to the study files and yields :class:`Mutant` objects: the mutated Turtle and the line at
which validation must report it (the changed line, or the subject's line when the mistake is
a missing value). :func:`run` validates mutants and says, for each, whether a result appeared
at its own line that the unmutated file does not have.

Speed: pySHACL needs about half a second per study, so mutants are validated many at a time.
Each mutant is renamed into its own IRI space (``study/<slug>`` becomes ``study/<slug>-m<n>``,
``publication/<slug>`` likewise), next to an unmutated copy renamed the same way, and results
are attributed by file; only results the baseline copy does not have count. The SHACL engine
comes from one place, :data:`ENGINE`.

Run ``python -m tests.mutations --write docs/validation.md`` (``make validation-report``) to
validate every mutant and regenerate the detection table.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from ibmkg.graph_io import LoadedData, SourceGraph, load_project, parse_turtle
from ibmkg.namespaces import PREFIXES
from ibmkg.paths import Layout, default_layout, shape_files
from ibmkg.source_index import SourceIndex
from ibmkg.validation import Engine, ValidationResult, load_shapes, validate

#: The one place the mutation test takes its SHACL engine from.
ENGINE = Engine.COMPILED

#: At most this many mutants of one kind per study.
PER_STUDY = 3

STUDY = PREFIXES["study"]
PUB = PREFIXES["pub"]

Lines = list[str]
Candidate = tuple[str, Lines, int]  # description, mutated lines, 1-based line to report


@dataclass(frozen=True)
class Mutant:
    """One curator mistake applied to one study file.

    :param kind: the kind of mistake.
    :param slug: the study file's slug.
    :param number: a number unique over all mutants.
    :param description: what was changed.
    :param text: the mutated Turtle.
    :param line: the 1-based line at which the mistake must be reported.
    """

    kind: str
    slug: str
    number: int
    description: str
    text: str
    line: int

    @property
    def tag(self) -> str:
        """The suffix of its IRI space and file name."""
        return f"m{self.number}"


@dataclass
class Outcome:
    """What validation said about one mutant.

    :param mutant: the mutant.
    :param new: results the unmutated copy does not have.
    :param at_line: those of them at the mutant's own line.
    """

    mutant: Mutant
    new: list[ValidationResult] = field(default_factory=list)
    at_line: list[ValidationResult] = field(default_factory=list)

    @property
    def caught(self) -> bool:
        """Whether a new result points at the mutant's own line."""
        return bool(self.at_line)


# --- the kinds of mistakes ---------------------------------------------------------------------

_PRED = re.compile(r"^    (ibmkg):([A-Za-z]+) (.*) ;$")
_SUBJECT = re.compile(r"^(\S+) a (.+) ;$")


def _statement_lines(lines: Lines) -> Iterator[int]:
    """Indices of single-line ``    pred obj ;`` statements (not in an object list)."""
    for i, line in enumerate(lines):
        if line.startswith("    ") and line.endswith(" ;") and i > 0 \
                and (lines[i - 1].endswith(" ;") or _SUBJECT.match(lines[i - 1])):
            yield i


def _subject_of(lines: Lines, i: int) -> int:
    while i > 0 and lines[i].startswith(" "):
        i -= 1
    return i


def _replace(lines: Lines, i: int, new: str) -> Lines:
    return [*lines[:i], new, *lines[i + 1:]]


def _drop_letter(word: str) -> str:
    middle = len(word) // 2
    return word[:middle] + word[middle + 1:]


def misspelt_property(slug: str, lines: Lines, others: Sequence[str]) -> Iterator[Candidate]:
    seen = set()
    for i in _statement_lines(lines):
        m = _PRED.match(lines[i])
        if m and m.group(2) not in seen:
            seen.add(m.group(2))
            wrong = _drop_letter(m.group(2))
            yield (f"ibmkg:{m.group(2)} -> ibmkg:{wrong}",
                   _replace(lines, i, f"    ibmkg:{wrong} {m.group(3)} ;"), i + 1)


def invented_property(slug: str, lines: Lines, others: Sequence[str]) -> Iterator[Candidate]:
    for i, line in enumerate(lines):
        if _SUBJECT.match(line):
            new = [*lines[:i + 1], "    ibmkg:totallyMadeUp 42 ;", *lines[i + 1:]]
            yield f"ibmkg:totallyMadeUp 42 added to {line.split()[0]}", new, i + 2


def misspelt_class(slug: str, lines: Lines, others: Sequence[str]) -> Iterator[Candidate]:
    seen = set()
    for i, line in enumerate(lines):
        m = _SUBJECT.match(line)
        if m:
            for cls in re.findall(r"ibmkg:([A-Za-z]+)", m.group(2)):
                if cls not in seen:
                    seen.add(cls)
                    yield (f"class ibmkg:{cls} -> ibmkg:{_drop_letter(cls)}",
                           _replace(lines, i, line.replace(f"ibmkg:{cls}",
                                                           f"ibmkg:{_drop_letter(cls)}", 1)),
                           i + 1)


def misspelt_concept(slug: str, lines: Lines, others: Sequence[str]) -> Iterator[Candidate]:
    for i in _statement_lines(lines):
        m = re.match(r"^(    ibmkg:(?:measuredBy|outcomeDomain|direction|basis|scope|agent) )"
                     r"((?:measure|outcome|ibmkg):)([\w-]+) ;$", lines[i])
        if m:
            wrong = m.group(3) + "x"
            yield (f"{m.group(2)}{m.group(3)} -> {m.group(2)}{wrong}",
                   _replace(lines, i, f"{m.group(1)}{m.group(2)}{wrong} ;"), i + 1)


def malformed_literal(slug: str, lines: Lines, others: Sequence[str]) -> Iterator[Candidate]:
    for i in _statement_lines(lines):
        line = lines[i]
        year = re.search(r'"(\d{3})(\d)"\^\^xsd:gYear', line)
        number = re.match(r"^(    \S+ )(\d+)( ;)$", line)
        decimal = re.match(r"^(    \S+ )(\d+)\.(\d+)( ;)$", line)
        if year:
            yield ("gYear with a letter O", _replace(lines, i, line.replace(
                year.group(0), f'"{year.group(1)}O"^^xsd:gYear')), i + 1)
        elif number:
            yield (f"{number.group(2)} -> \"{number.group(2)}O\"^^xsd:integer",
                   _replace(lines, i, f'{number.group(1)}"{number.group(2)}O"^^xsd:integer'
                            f"{number.group(3)}"), i + 1)
        elif decimal:
            yield (f"{decimal.group(2)}.{decimal.group(3)} -> decimal with a comma",
                   _replace(lines, i, f'{decimal.group(1)}"{decimal.group(2)},'
                            f'{decimal.group(3)}"^^xsd:decimal{decimal.group(4)}'), i + 1)


def wrong_datatype(slug: str, lines: Lines, others: Sequence[str]) -> Iterator[Candidate]:
    for i in _statement_lines(lines):
        m = re.match(r"^(    \S+ )(\d+(?:\.\d+)?|true|false)( ;)$", lines[i])
        if m:
            yield (f"{m.group(2)} written as the string \"{m.group(2)}\"",
                   _replace(lines, i, f'{m.group(1)}"{m.group(2)}"{m.group(3)}'), i + 1)


def negative_count(slug: str, lines: Lines, others: Sequence[str]) -> Iterator[Candidate]:
    for i in _statement_lines(lines):
        m = re.match(r"^(    ibmkg:(?:patientCount|responders|denominator) )(\d+)( ;)$", lines[i])
        if m:
            yield (f"{lines[i].split()[0]} {m.group(2)} -> -{m.group(2)}",
                   _replace(lines, i, f"{m.group(1)}-{m.group(2)}{m.group(3)}"), i + 1)


def responders_above_denominator(slug: str, lines: Lines,
                                 others: Sequence[str]) -> Iterator[Candidate]:
    for i, line in enumerate(lines):
        m = re.match(r"^    ibmkg:denominator (\d+) ;$", line)
        if m:
            for j in range(_subject_of(lines, i), len(lines)):
                if lines[j].startswith("    ibmkg:responders "):
                    yield (f"responders set to {int(m.group(1)) + 1}, above the denominator "
                           f"{m.group(1)}", _replace(lines, j, f"    ibmkg:responders "
                                                     f"{int(m.group(1)) + 1} ;"), j + 1)
                    break
                if lines[j] == "":
                    break


def count_does_not_add_up(slug: str, lines: Lines, others: Sequence[str]) -> Iterator[Candidate]:
    """The study's patient count changed, so its arms no longer add up to it (or, in a
    crossover study, no longer match it)."""
    for i, line in enumerate(lines):
        m = re.match(r"^    ibmkg:patientCount (\d+) ;$", line)
        if m and lines[_subject_of(lines, i)].startswith(f"study:{slug} "):
            yield (f"study patient count {m.group(1)} -> {int(m.group(1)) + 5}",
                   _replace(lines, i, f"    ibmkg:patientCount {int(m.group(1)) + 5} ;"), i + 1)


def concept_outside_scheme(slug: str, lines: Lines, others: Sequence[str]) -> Iterator[Candidate]:
    for i in _statement_lines(lines):
        measure = re.match(r"^    ibmkg:measuredBy measure:[\w-]+ ;$", lines[i])
        outcome = re.match(r"^    ibmkg:outcomeDomain outcome:[\w-]+ ;$", lines[i])
        if measure:
            yield ("ibmkg:measuredBy an outcome domain, not a measure", _replace(
                lines, i, f"    ibmkg:measuredBy <{PREFIXES['outcome']}muscle-strength> ;"), i + 1)
        elif outcome:
            yield ("ibmkg:outcomeDomain a measure, not a domain", _replace(
                lines, i, f"    ibmkg:outcomeDomain <{PREFIXES['measure']}mmt> ;"), i + 1)


def value_outside_value_set(slug: str, lines: Lines,
                            others: Sequence[str]) -> Iterator[Candidate]:
    swaps = {"direction": "ibmkg:Moderate", "basis": "ibmkg:WholeGroup",
             "scope": "ibmkg:Improved", "role": "ibmkg:PerCycle"}
    for i in _statement_lines(lines):
        m = re.match(r"^    ibmkg:(direction|basis|scope|role) ibmkg:\w+ ;$", lines[i])
        if m:
            yield (f"ibmkg:{m.group(1)} given a value of another value set", _replace(
                lines, i, f"    ibmkg:{m.group(1)} {swaps[m.group(1)]} ;"), i + 1)


def design_contradiction(slug: str, lines: Lines, others: Sequence[str]) -> Iterator[Candidate]:
    for i in _statement_lines(lines):
        m = re.match(r"^    ibmkg:(isControlled|isCrossover|isRandomised|isBlinded) "
                     r"(true|false) ;$", lines[i])
        if m:
            flipped = "false" if m.group(2) == "true" else "true"
            yield (f"ibmkg:{m.group(1)} {m.group(2)} -> {flipped}", _replace(
                lines, i, f"    ibmkg:{m.group(1)} {flipped} ;"), i + 1)


def missing_quote(slug: str, lines: Lines, others: Sequence[str]) -> Iterator[Candidate]:
    for i in _statement_lines(lines):
        if lines[i].startswith("    ibmkg:quotedText "):
            subject = _subject_of(lines, i)
            yield (f"ibmkg:quotedText of {lines[subject].split()[0]} deleted",
                   [*lines[:i], *lines[i + 1:]], subject + 1)


def altered_quote(slug: str, lines: Lines, others: Sequence[str]) -> Iterator[Candidate]:
    for i in _statement_lines(lines):
        m = re.match(r'^    ibmkg:quotedText "(.+)" ;$', lines[i])
        if m and lines[_subject_of(lines, i)].startswith("<"):
            yield ("quote reworded so it is not in its Table I cell", _replace(
                lines, i, f'    ibmkg:quotedText "{m.group(1)} (reworded)" ;'), i + 1)


def dangling_link(slug: str, lines: Lines, others: Sequence[str]) -> Iterator[Candidate]:
    for i, line in enumerate(lines):
        m = re.match(r"^(    ibmkg:(?:hasArm|receives|tableRow|reportedIn) )(<[^>]+)>( ;|,)$",
                     line) or re.match(r"^(    ibmkg:reportedIn )(pub:[\w-]+)()( ;)$", line)
        if m:
            target = m.group(2) + "-gone" + (">" if m.group(2).startswith("<") else "")
            yield (f"{line.split()[0]} points to {target}, described nowhere", _replace(
                lines, i, f"{m.group(1)}{target}{m.group(len(m.groups()))}"), i + 1)


def malformed_doi(slug: str, lines: Lines, others: Sequence[str]) -> Iterator[Candidate]:
    for i in _statement_lines(lines):
        m = re.match(r'^    bibo:doi "(10\.[^"]+)" ;$', lines[i])
        if m:
            yield ("DOI written as a URL", _replace(
                lines, i, f'    bibo:doi "https://doi.org/{m.group(1)}" ;'), i + 1)
            yield ("DOI with a space", _replace(
                lines, i, f'    bibo:doi "{m.group(1).replace("/", " / ", 1)}" ;'), i + 1)


def duplicated_study(slug: str, lines: Lines, others: Sequence[str]) -> Iterator[Candidate]:
    """A second study node for the same publication and Table I row."""
    start = next(i for i, line in enumerate(lines) if line.startswith(f"study:{slug} a "))
    end = next(i for i in range(start, len(lines)) if lines[i].endswith(" ."))
    block = [line.replace(f"study:{slug} ", f"study:{slug}-again ", 1)
             for line in lines[start:end + 1]]
    yield ("the study described twice under two IRIs",
           [*lines, "", *block], len(lines) + 2)


def finding_wrong_study(slug: str, lines: Lines, others: Sequence[str]) -> Iterator[Candidate]:
    other = next(s for s in others if s != slug)
    for i, line in enumerate(lines):
        m = re.match(rf"^(    ibmkg:hasFinding |        )<{re.escape(STUDY)}{slug}/"
                     r"(finding-\d+)>( ;|,)$", line)
        if m:
            yield (f"{m.group(2)} attached to study {other}", _replace(
                lines, i, f"{m.group(1)}<{STUDY}{other}/{m.group(2)}>{m.group(3)}"), i + 1)
            return


def missing_count(slug: str, lines: Lines, others: Sequence[str]) -> Iterator[Candidate]:
    for i in _statement_lines(lines):
        if lines[i].startswith("    ibmkg:patientCount "):
            subject = _subject_of(lines, i)
            yield (f"ibmkg:patientCount of {lines[subject].split()[0]} deleted",
                   [*lines[:i], *lines[i + 1:]], subject + 1)


Kind = Callable[[str, Lines, Sequence[str]], Iterator[Candidate]]

#: Every kind of mistake, by name.
KINDS: dict[str, Kind] = {
    "misspelt property": misspelt_property,
    "invented property": invented_property,
    "misspelt class": misspelt_class,
    "misspelt concept or value": misspelt_concept,
    "malformed literal": malformed_literal,
    "wrong datatype": wrong_datatype,
    "negative count": negative_count,
    "responders above denominator": responders_above_denominator,
    "count that does not add up": count_does_not_add_up,
    "concept outside its scheme": concept_outside_scheme,
    "value outside its value set": value_outside_value_set,
    "design attribute contradicts the design": design_contradiction,
    "missing quote": missing_quote,
    "quote not in its cell": altered_quote,
    "dangling link": dangling_link,
    "malformed DOI": malformed_doi,
    "duplicated study": duplicated_study,
    "finding attached to the wrong study": finding_wrong_study,
    "missing count": missing_count,
}


def generate(layout: Layout, *, per_study: int = PER_STUDY) -> list[Mutant]:
    """Apply every kind of mistake to every study file, at most ``per_study`` times each.

    :param layout: the project (its ``kg/studies/*.ttl`` are mutated in memory only).
    :param per_study: the cap per kind and study.
    :returns: the mutants, each of which parses.
    """
    files = sorted(layout.studies.glob("*.ttl"))
    slugs = [f.stem for f in files]
    mutants: list[Mutant] = []
    for kind, make in KINDS.items():
        for path in files:
            lines = path.read_text(encoding="utf-8").split("\n")
            candidates = list(make(path.stem, lines, slugs[slugs.index(path.stem) + 1:]
                                   + slugs[:slugs.index(path.stem)]))
            # spread the picks over the file rather than taking the first few lines
            step = max(1, len(candidates) // per_study)
            for description, new_lines, line in candidates[::step][:per_study]:
                text = "\n".join(new_lines)
                parse_turtle(text, source=f"{kind} in {path.name}")  # every mutant parses
                mutants.append(Mutant(kind, path.stem, len(mutants), description, text, line))
    return mutants


# --- validating many mutants at once ------------------------------------------------------------


def rename(text: str, slug: str, tag: str) -> str:
    """Move a study file's own IRIs into their own space: ``study/<slug>`` -> ``<slug>-<tag>``.

    :param text: the study's Turtle.
    :param slug: its slug.
    :param tag: the suffix.
    :returns: the renamed Turtle.
    """
    return re.sub(rf"((?:study|pub):|(?:study|publication)/){re.escape(slug)}(?=[/>\s;,.-])",
                  rf"\g<1>{slug}-{tag}", text)


@dataclass
class Context:
    """What every batch shares: the project without its studies, and the shapes."""

    base: LoadedData
    shapes: list[pyoxigraph.Triple]
    originals: dict[str, str]

    @classmethod
    def of(cls, layout: Layout) -> Context:
        """Load the project once.

        :param layout: the project.
        :returns: the context.
        """
        data = load_project(layout, with_mappings=False)
        base = LoadedData(tuple(g for g in data.graphs if not g.name.startswith(STUDY)),
                          SourceIndex())
        for graph in base.graphs:
            text = data.index.texts.get(graph.display)
            if text is not None:
                base.index.scan(graph.display, text, graph=graph.name)
        files = shape_files(layout)
        shapes, _ = load_shapes(files)
        originals = {p.stem: p.read_text(encoding="utf-8")
                     for p in sorted(layout.studies.glob("*.ttl"))}
        return cls(base, shapes, originals)


def _key(r: ValidationResult, slug: str, tag: str) -> tuple[str, ...]:
    def back(text: str | None) -> str:
        return (text or "").replace(f"{slug}-{tag}", slug)

    return (back(r.focus), back(r.path), back(r.value), r.constraint_component, r.constraint,
            r.severity.value)


def _add(graphs: list[SourceGraph], index: SourceIndex, text: str, slug: str, tag: str) -> str:
    """Add one renamed study file to a batch; return the name it is shown under."""
    display = f"mutants/{slug}-{tag}.ttl"
    renamed = rename(text, slug, tag)
    name = f"{STUDY}{slug}-{tag}"
    graphs.append(SourceGraph(name, display, tuple(parse_turtle(renamed))))
    index.scan(display, renamed, graph=name)
    return display


def run(mutants: Sequence[Mutant], context: Context, *, engine: Engine = ENGINE,
        shacl: bool = True, batch: int = 40, progress: bool = False) -> list[Outcome]:
    """Validate mutants, many per run, each next to a renamed unmutated copy.

    :param mutants: the mutants.
    :param context: the project and shapes.
    :param engine: the SHACL engine.
    :param shacl: run the shapes; with ``False`` only the Python checks run.
    :param batch: at most this many mutants (all of one study) per validation run.
    :param progress: say on standard error how far it got.
    :returns: one outcome per mutant, in order.
    """
    outcomes: dict[int, Outcome] = {}
    # one study per batch: the batch holds one unmutated copy, and SHACL-SPARQL constraints
    # that join across studies stay small
    chunks = [group[i:i + batch] for slug in sorted({m.slug for m in mutants})
              for group in [[m for m in mutants if m.slug == slug]]
              for i in range(0, len(group), batch)]
    done = 0
    for chunk in chunks:
        graphs = list(context.base.graphs)
        index = SourceIndex(dict(context.base.index.subjects), dict(context.base.index.mentions),
                            dict(context.base.index.files), dict(context.base.index.texts))

        for slug in sorted({m.slug for m in chunk}):
            _add(graphs, index, context.originals[slug], slug, "base")
        shown = {m.number: _add(graphs, index, m.text, m.slug, m.tag) for m in chunk}
        report = validate(LoadedData(tuple(graphs), index), context.shapes if shacl else [],
                          engine=engine)
        by_file: dict[str, list[ValidationResult]] = defaultdict(list)
        for r in report.results:
            if r.location is not None:
                by_file[r.location.file].append(r)
        for m in chunk:
            baseline = {_key(r, m.slug, "base") for r in by_file[f"mutants/{m.slug}-base.ttl"]}
            new = [r for r in by_file[shown[m.number]] if _key(r, m.slug, m.tag) not in baseline]
            at_line = [r for r in new if r.location is not None and r.location.line == m.line]
            outcomes[m.number] = Outcome(m, new, at_line)
        done += len(chunk)
        if progress:
            print(f"validated {done}/{len(mutants)} mutants", file=sys.stderr, flush=True)
    return [outcomes[m.number] for m in mutants]


# --- the report ---------------------------------------------------------------------------------

#: Kinds no shape can catch at their own line, with the reason (none today).
OUT_OF_REACH: dict[str, str] = {}


def table(outcomes: Sequence[Outcome]) -> str:
    """The detection rate per kind as a Markdown table.

    :param outcomes: the outcomes of every mutant.
    :returns: the table.
    """
    total: Counter[str] = Counter()
    caught: Counter[str] = Counter()
    elsewhere: Counter[str] = Counter()
    for o in outcomes:
        total[o.mutant.kind] += 1
        caught[o.mutant.kind] += o.caught
        elsewhere[o.mutant.kind] += bool(o.new) and not o.caught
    rows = ["| kind of mistake | mutants | caught at its line | caught elsewhere only | missed |"
            " rate |", "|---|---:|---:|---:|---:|---:|"]
    for kind in KINDS:
        if total[kind]:
            missed = total[kind] - caught[kind] - elsewhere[kind]
            rows.append(f"| {kind} | {total[kind]} | {caught[kind]} | {elsewhere[kind]} | "
                        f"{missed} | {100 * caught[kind] / total[kind]:.1f} % |")
    n, c = sum(total.values()), sum(caught.values())
    rows.append(f"| **all** | **{n}** | **{c}** | **{sum(elsewhere.values())}** | "
                f"**{n - c - sum(elsewhere.values())}** | **{100 * c / n:.1f} %** |")
    return "\n".join(rows)


def _merge_rows(document: str, fresh: str, kinds: Sequence[str]) -> str:
    """The document's table with the rows of ``kinds`` taken from ``fresh``, totals redone."""
    def rows(text: str) -> dict[str, list[int]]:
        found = re.findall(r"^\| ([^|*]+?) \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|", text,
                           re.MULTILINE)
        return {kind: [int(n) for n in numbers] for kind, *numbers in found}

    merged = rows(document)
    merged.update({k: v for k, v in rows(fresh).items() if k in kinds})
    lines = ["| kind of mistake | mutants | caught at its line | caught elsewhere only | missed |"
             " rate |", "|---|---:|---:|---:|---:|---:|"]
    for kind in KINDS:
        if kind in merged:
            n, c, e, miss = merged[kind]
            lines.append(f"| {kind} | {n} | {c} | {e} | {miss} | {100 * c / n:.1f} % |")
    n, c, e, miss = (sum(v[i] for v in merged.values()) for i in range(4))
    rate = f"{100 * c / n:.1f} %"
    lines.append(f"| **all** | **{n}** | **{c}** | **{e}** | **{miss}** | **{rate}** |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Validate every mutant; print (or write into a document) the detection table.

    :param argv: command-line arguments.
    :returns: 0 when every mutant is caught at its line, else 1.
    """
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", type=Path, help="Markdown file whose table to replace")
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--kinds", nargs="+", choices=list(KINDS), metavar="KIND",
                        help="validate only these kinds; with --write, replace only their rows")
    args = parser.parse_args(argv)
    layout = default_layout()
    mutants = [m for m in generate(layout) if not args.kinds or m.kind in args.kinds]
    started = time.perf_counter()
    outcomes = run(mutants, Context.of(layout), batch=args.batch, progress=True)
    seconds = time.perf_counter() - started
    text = table(outcomes)
    if args.kinds and args.write:
        text = _merge_rows(args.write.read_text(encoding="utf-8"), text, args.kinds)
    for o in outcomes:
        if not o.caught:
            places = ", ".join(sorted({str(r.location) for r in o.new})) or "nothing"
            print(f"not caught at line {o.mutant.line}: {o.mutant.kind} in {o.mutant.slug} "
                  f"({o.mutant.description}); results at: {places}", file=sys.stderr)
    summary = (f"{len(mutants)} mutants of {len({m.kind for m in mutants})} kinds from "
               f"{len({m.slug for m in mutants})} study files, validated with "
               f"{ENGINE.value} in {seconds:.0f} s (batches of {args.batch}).")
    if args.kinds and args.write:
        old = args.write.read_text(encoding="utf-8").split("<!-- mutation-table:begin -->\n")[1]
        summary = (old.split("\n")[0] + f" Rows for {', '.join(args.kinds)} re-validated "
                   f"after a shape change: {len(mutants)} mutants in {seconds:.0f} s.")
    if args.write:
        document = args.write.read_text(encoding="utf-8")
        begin, end = "<!-- mutation-table:begin -->", "<!-- mutation-table:end -->"
        head, _, rest = document.partition(begin)
        _, _, tail = rest.partition(end)
        args.write.write_text(f"{head}{begin}\n{summary}\n\n{text}\n{end}{tail}",
                              encoding="utf-8")
    print(summary)
    print(text)
    return 0 if all(o.caught for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
