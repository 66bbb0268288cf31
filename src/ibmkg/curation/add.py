"""Adding studies to the graph: every check first, then one atomic write per study file.

The order is the cheapest first: the form's schema (all errors at once, with lines), the
ontology's values, duplicates (slug, DOI, PMID) against the studies already in ``kg/``, SHACL
on the new triples together with the whole existing graph, then the reasoner's consistency
check. Only when all pass is ``kg/studies/<slug>.ttl`` written, in canonical Turtle, through a
temporary file renamed over the target, so a crash at any moment leaves either the old file
or the whole new one. With ``replace`` an existing study is replaced the same way; without it
an existing slug is refused.

>>> from ibmkg.paths import default_layout
>>> from ibmkg.curation.yamlio import read_form_text
>>> form = read_form_text("slug: cherin-2002\\nlabel: x\\npublication:\\n  title: t\\n",
...                       display="x.yaml")
>>> plan_study(form, default_layout(), display="x.yaml")
Traceback (most recent call last):
...
ibmkg.errors.DuplicateStudyError: x.yaml: study 'cherin-2002' is already in the graph (...)...
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import pyoxigraph

from ibmkg.canonical import canonical_turtle
from ibmkg.curation.model import Study
from ibmkg.curation.rdf import (
    Problem,
    publication_iri,
    study_iri,
    study_to_triples,
)
from ibmkg.curation.vocab import Vocabulary
from ibmkg.errors import CurationError, DuplicateStudyError, FormProblem, InputError
from ibmkg.graph_io import LoadedData, SourceGraph, atomic_write, load_project
from ibmkg.namespaces import PREFIXES
from ibmkg.paths import Layout
from ibmkg.queries import StoredQuery

_BIBO: Final = PREFIXES["bibo"]
_LABEL: Final = PREFIXES["rdfs"] + "label"

#: Maps a problem's place in the form to (line, column); the default knows no lines.
Locator = Callable[[tuple[str | int, ...]], tuple[int, int]]


@dataclass
class Plan:
    """What adding one study would do.

    :param study: the form.
    :param path: the file it would write.
    :param turtle: the canonical Turtle it would write.
    :param triples: the triples it would add.
    :param replaces: whether a study file of that slug exists already.
    """

    study: Study
    path: Path
    turtle: str
    triples: list[pyoxigraph.Triple]
    replaces: bool


@dataclass
class AddOutcome:
    """The result of :func:`add_studies`.

    :param plans: one per study, in order.
    :param report: the SHACL report of the new studies with the existing graph.
    :param reasoning: notes of the reasoner's consistency check (empty when skipped).
    :param written: the files written (empty for a dry run or when a check failed).
    """

    plans: list[Plan]
    report: object
    reasoning: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Whether every check passed."""
        return bool(getattr(self.report, "passes", lambda: True)())


def load_form(path: Path, vocab: Vocabulary, *, display: str | None = None,
              ) -> tuple[Study, Locator]:
    """Read a study form file and check it: schema and ontology values, every problem at once.

    :param path: the YAML file.
    :param vocab: the allowed values.
    :param display: the name shown in messages (default: the path).
    :returns: the form and a locator for later problems (lines and columns of its fields).
    :raises CurationError: listing every problem, sorted by line.
    :raises InputError: when the file cannot be read.
    """
    from ibmkg.curation.yamlio import MAX_BYTES, locate, read_form_located

    name = display or str(path)
    try:
        if path.is_file() and path.stat().st_size > MAX_BYTES:
            raise InputError(f"{name}: larger than {MAX_BYTES} bytes; a study form is small")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except OSError as err:
        raise InputError(f"{name}: cannot read ({err.strerror or err})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"{name}: byte {err.start} is not UTF-8; save the file as UTF-8") \
            from None
    study, positions = read_form_located(text, display=name, vocab=vocab)

    def where(loc: tuple[str | int, ...]) -> tuple[int, int]:
        return locate(loc, positions)

    return study, where


def _no_lines(loc: tuple[str | int, ...]) -> tuple[int, int]:
    del loc
    return (0, 0)


def plan_study(study: Study, layout: Layout, *, vocab: Vocabulary | None = None,
               replace: bool = False, display: str = "<form>", locate: Locator = _no_lines,
               existing: LoadedData | None = None) -> Plan:
    """Resolve a checked form into triples and refuse duplicates; writes nothing.

    :param study: the form.
    :param layout: the project.
    :param vocab: the allowed values (read from the project when not given).
    :param replace: allow the slug to exist already.
    :param display: the form's file name for messages.
    :param locate: maps a field's path to its line and column.
    :param existing: the loaded project (loaded when not given).
    :returns: the plan.
    :raises CurationError: listing every value the ontology does not allow.
    :raises DuplicateStudyError: when the slug, DOI or PMID is already in the graph.
    """
    vocab = vocab or Vocabulary.from_layout(layout)
    triples, problems = study_to_triples(study, vocab)
    if problems:
        raise CurationError([_located(p, display, locate) for p in problems])
    path = layout.studies / f"{study.slug}.ttl"
    data = existing if existing is not None else load_project(layout, with_mappings=False)
    _refuse_duplicates(study, data, layout, replace=replace, display=display)
    return Plan(study, path, canonical_turtle(triples), triples, path.exists())


def _located(problem: Problem, display: str, locate: Locator) -> FormProblem:
    line, column = locate(problem.loc)
    return FormProblem(display, line, column, ".".join(str(x) for x in problem.loc),
                       problem.message)


def _refuse_duplicates(study: Study, data: LoadedData, layout: Layout, *, replace: bool,
                       display: str) -> None:
    own = study_iri(study.slug)
    wanted = {"doi": (study.publication.doi or "").lower(), "pmid": study.publication.pmid or ""}
    for graph in data.graphs:
        if not graph.name.startswith(PREFIXES["study"]):
            continue
        label = next((_text(t.object) for t in graph.triples
                      if _text(t.subject) == graph.name and t.predicate.value == _LABEL), "")
        named = f"{label}, {graph.display}" if label else graph.display
        if graph.name == own:
            if not replace:
                raise DuplicateStudyError(
                    f"{display}: study {study.slug!r} is already in the graph ({named}); "
                    "choose another slug, or use --replace to replace it")
            continue
        for t in graph.triples:
            key = t.predicate.value.removeprefix(_BIBO)
            if key in wanted and wanted[key] and _text(t.object).lower() == wanted[key]:
                raise DuplicateStudyError(
                    f"{display}: publication.{key} {_text(t.object)!r} is already the "
                    f"{key.upper()} of study {graph.name.removeprefix(PREFIXES['study'])!r} "
                    f"({named}); add to that study (ibmkg describe, then --replace) instead")
    if study.slug and publication_iri(study.slug) in {g.name for g in data.graphs}:
        raise DuplicateStudyError(f"{display}: a graph already uses the slug {study.slug!r}")
    del layout


def _text(term: object) -> str:
    value = getattr(term, "value", "")
    return value if isinstance(value, str) else ""


def add_studies(plans: Sequence[Plan], layout: Layout, *, dry_run: bool = False,
                reasoner: bool = True, existing: LoadedData | None = None) -> AddOutcome:
    """Check planned studies together with the existing graph, and write them if all pass.

    :param plans: from :func:`plan_study` (all with distinct slugs).
    :param layout: the project.
    :param dry_run: check only; write nothing.
    :param reasoner: run the reasoner's consistency check (HermiT when Java is found).
    :param existing: the loaded project (loaded when not given).
    :returns: the outcome; ``written`` is empty unless every check passed.
    :raises InconsistentGraphError: when the reasoner finds the graph inconsistent.
    :raises InputError: when two plans share a slug.
    """
    from ibmkg.graph_io import load_turtle
    from ibmkg.paths import shape_files
    from ibmkg.validation import validate_project

    slugs = [p.study.slug for p in plans]
    if len(set(slugs)) != len(slugs):
        twice = sorted({s for s in slugs if slugs.count(s) > 1})
        raise InputError(f"the same slug is given twice: {', '.join(twice)}; give each study "
                         "its own slug")
    data = existing if existing is not None else load_project(layout)
    for plan in plans:
        display = layout.relative(plan.path).as_posix()
        data.index.scan(display, plan.turtle, graph=study_iri(plan.study.slug))
        data = data.with_graph(SourceGraph(study_iri(plan.study.slug), display,
                                           tuple(plan.triples)))
    shapes = [t for p in shape_files(layout)
              for t in load_turtle(p, display=layout.relative(p).as_posix())]
    report = validate_project(data, shapes, _checks(layout))
    outcome = AddOutcome(list(plans), report)
    if not report.passes():
        return outcome
    if reasoner:
        outcome.reasoning = _consistency(plans, layout)
    if not dry_run:
        outcome.written = write_plans(plans, layout)
    return outcome


#: Where new study files are written before they are renamed into ``kg/studies/``: beside
#: ``kg/`` (same file system), so a crash never leaves a stray file inside ``kg/``.
STAGING: Final = ".ibmkg-staging"


def write_plans(plans: Sequence[Plan], layout: Layout) -> list[Path]:
    """Write checked plans as one batch: all staged first, then renamed into place.

    Every new file is written and flushed in a staging directory beside ``kg/``; then a
    journal naming each staged file and its target is written atomically, and only then are
    the files renamed into ``kg/studies/``. A crash before the journal leaves ``kg/`` as it
    was; a crash after it is rolled forward by :func:`recover` (run first by every write), so
    a batch is applied wholly or not at all, and ``kg/`` never holds a partial or temporary
    file.

    :param plans: checked plans (see :func:`add_studies`).
    :param layout: the project.
    :returns: the files written.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     layout = Layout(Path(d))
    ...     plan = Plan(Study.model_validate({"slug": "a-1", "label": "A",
    ...         "publication": {"title": "T"}}), layout.studies / "a-1.ttl", "# x", [], False)
    ...     [p.name for p in write_plans([plan], layout)], plan.path.read_text()
    (['a-1.ttl'], '# x')
    """
    recover(layout)
    staging = layout.root / STAGING
    staging.mkdir(exist_ok=True)
    staged: list[tuple[str, str]] = []
    try:
        for plan in plans:
            plan.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f"{plan.path.stem}.", suffix=".tmp",
                                       dir=staging)
            with os.fdopen(fd, "wb") as handle:
                handle.write(plan.turtle.encode("utf-8"))
                handle.flush()
                os.fsync(handle.fileno())
            Path(tmp).chmod(0o644)
            staged.append((Path(tmp).name, layout.relative(plan.path).as_posix()))
        atomic_write(staging / JOURNAL, json.dumps(staged))
    except BaseException:
        for name, _ in staged:
            (staging / name).unlink(missing_ok=True)
        raise
    recover(layout)
    return [p.path for p in plans]


#: The staging directory's list of files to rename into place (written last, atomically).
JOURNAL: Final = "commit.json"


def recover(layout: Layout) -> list[Path]:
    """Finish or discard an interrupted write: roll a journalled batch forward, drop the rest.

    :param layout: the project.
    :returns: the files a journalled batch put in place.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     recover(Layout(Path(d)))
    []
    """
    staging = layout.root / STAGING
    done: list[Path] = []
    journal = staging / JOURNAL
    if journal.is_file():
        try:
            entries = json.loads(journal.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            entries = []  # the journal is written atomically: an unreadable one was never valid
        for name, target in entries:
            source, path = staging / Path(name).name, layout.root / target
            if source.is_file():
                try:
                    source.replace(path)
                except OSError as err:
                    if err.errno != errno.EXDEV:
                        raise
                    atomic_write(path, source.read_bytes())  # staging on another file system
                    source.unlink()
            done.append(path)
        journal.unlink()
    if staging.is_dir():
        for stale in staging.iterdir():
            if stale.name.endswith(".tmp") or stale.name.startswith(f".{JOURNAL}."):
                stale.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            staging.rmdir()
    return done


def _checks(layout: Layout) -> list[StoredQuery]:
    from ibmkg.queries import load_query

    directory = layout.queries / "checks"
    if not directory.is_dir():
        return []
    return [load_query(p, name=f"checks/{p.stem}") for p in sorted(directory.glob("*.rq"))]


def _consistency(plans: Sequence[Plan], layout: Layout) -> list[str]:
    from ibmkg.paths import study_files
    from ibmkg.reasoning import reason

    new = {p.path.name for p in plans}
    with tempfile.TemporaryDirectory(prefix="ibmkg-add-") as tmp:
        files = [f for f in study_files(layout) if f.name not in new]
        if layout.review.is_file():
            files.insert(0, layout.review)
        for plan in plans:
            candidate = Path(tmp) / plan.path.name
            candidate.write_text(plan.turtle, encoding="utf-8")
            files.append(candidate)
        result = reason(layout.ontology, files, strict=True)
    return [f"consistent ({result.engine.value}, {result.seconds:.1f} s)", *result.notes]
