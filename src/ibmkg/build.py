"""``ibmkg build``: load, validate, reason, query, and publish every artifact into ``build/``.

Everything is written into a staging directory that replaces ``build/`` in one atomic
exchange at the end (:func:`ibmkg.io.swap.swap_in`), so an input error (a file that does not
parse, a malformed query header) or a kill leaves the previous build as it was. Data that
does not conform is written beside it, to ``build.rejected/`` (with its validation report),
and ``build/`` keeps the previous good build; :attr:`BuildResult.ok` is false and
:attr:`BuildResult.rejected` says where the report is. The reasoner's temporary files go
to a private ``build.tmp-<pid>-work/`` folder, removed at the end or by the next run.

Artifacts: ``kg.ttl`` (canonical), ``kg.nt``, ``kg.jsonld``, ``kg.trig`` (one named graph
per source file), ``validation.txt``, ``validation.ttl``, ``queries/<name>.csv`` and
``.md`` for every stored query run, ``queries.ttl`` (the catalogue as SPARQL examples),
``table1.md``/``table1.html`` (when :mod:`ibmkg.table` exists), ``inferred.ttl`` (when the
reasoner ran), ``site/`` with ``evidence-map.svg`` and ``timeline.svg`` (when
:mod:`ibmkg.publish` exists) and ``summary.txt``.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pyoxigraph

from ibmkg.errors import InconsistentGraphError, ReasoningError
from ibmkg.export.rdf import serialize
from ibmkg.export.results import format_results
from ibmkg.export.sparql_examples import examples_turtle
from ibmkg.formats import RdfFormat, ReportFormat, ResultFormat, TableFormat
from ibmkg.graph_io import (
    LoadedData,
    SourceGraph,
    atomic_write,
    load_project,
    load_turtle,
    staging_dir,
)
from ibmkg.io.swap import clean_stale
from ibmkg.namespaces import PREFIXES
from ibmkg.paths import Layout, kg_files, shape_files
from ibmkg.progress import NULL_PROGRESS, Progress
from ibmkg.queries import INFERRED_GRAPH, StoredQuery, load_catalogue, run_query
from ibmkg.store.embedded import EmbeddedStore
from ibmkg.store.lexical import written_forms
from ibmkg.validation import ValidationReport, format_report, validate_project

__all__ = [
    "BuildResult", "QueryRun", "build", "infer", "private_tempdir", "reasoner", "rejected_dir",
]


@dataclass(frozen=True)
class QueryRun:
    """What happened to one stored query during the build.

    :param name: the query name.
    :param rows: rows returned (``None`` when skipped).
    :param note: why it was skipped, or why it failed as a check.
    :param is_check: whether it is a data check (must return no rows).
    """

    name: str
    rows: int | None
    note: str = ""
    is_check: bool = False

    @property
    def failed(self) -> bool:
        """A check that returned rows."""
        return self.is_check and bool(self.rows)


@dataclass
class BuildResult:
    """The outcome of a build.

    :param out: the build directory.
    :param studies: number of study graphs.
    :param triples: distinct triples in the merged graph.
    :param report: the SHACL report.
    :param queries: one entry per stored query.
    :param notes: steps skipped and why.
    :param rejected: where the build went instead of ``out`` because the data does not
        conform (``None`` when it was published to ``out``).
    """

    out: Path
    studies: int
    triples: int
    report: ValidationReport
    queries: list[QueryRun] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    rejected: Path | None = None

    def ok(self, *, strict: bool = False) -> bool:
        """Whether the data conforms (check rows are Violations in the report).

        :param strict: also fail on SHACL warnings and infos.
        :returns: the verdict.
        """
        return self.report.passes(strict=strict)

    def summary(self) -> str:
        """The short summary printed by ``ibmkg build``."""
        lines = [f"studies   {self.studies}", f"triples   {self.triples}",
                 f"shacl     {self.report.summary()}"]
        width = max((len(q.name) for q in self.queries), default=0)
        for q in self.queries:
            count = "skipped" if q.rows is None else f"{q.rows} row(s)"
            flag = "  FAILED: a check must return no rows" if q.failed else ""
            note = f"  ({q.note})" if q.note else ""
            lines.append(f"query     {q.name.ljust(width)}  {count}{note}{flag}")
        lines += [f"note      {n}" for n in self.notes]
        return "\n".join(lines)


def optional_module(name: str) -> ModuleType | None:
    """Import an optional part of ibmkg (reasoning, Table I), or return ``None`` if absent.

    :param name: the module name.
    :returns: the module, or ``None`` when that module (not one it imports) is missing.
    """
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as err:
        if err.name == name:
            return None
        raise


def reasoner() -> ModuleType:
    """Return :mod:`ibmkg.reasoning`, imported on demand (it loads owlready2 when run).

    :returns: the module.
    :raises ReasoningError: when the module is not available.
    """
    module = optional_module("ibmkg.reasoning")
    if module is None:
        raise ReasoningError("ibmkg.reasoning is not available; reasoning cannot run")
    return module


def infer(layout: Layout, engine: str = "auto") -> tuple[Any, list[pyoxigraph.Triple]]:
    """Run the reasoner over the ontology and the curated files.

    By default the fast classifier runs; :mod:`ibmkg.reasoning` falls back to HermiT (or OWL
    2 RL without Java) when it cannot decide the input, and says so in the result's notes.

    :param layout: the project layout.
    :param engine: ``auto``, ``fast``, ``hermit`` or ``owlrl``.
    :returns: the :class:`ibmkg.reasoning.ReasoningResult` and its inferred triples.
    :raises ReasoningError: when the reasoner cannot run.
    :raises InconsistentGraphError: when the ontology and the data are inconsistent.
    """
    module = reasoner()
    result = module.reason(layout.ontology, kg_files(layout), engine=module.Engine(engine))
    return result, list(result.inferred_triples)


def rejected_dir(out: Path) -> Path:
    """Where a build whose data does not conform is written: ``build.rejected/`` beside ``out``.

    :param out: the build folder.
    :returns: the folder for the rejected build.

    >>> rejected_dir(Path("p/build")).as_posix()
    'p/build.rejected'
    """
    return out.with_name(out.name + ".rejected")


@contextlib.contextmanager
def private_tempdir(out: Path) -> Iterator[Path]:
    """Send every temporary file made in the block (the reasoner's) to a folder beside ``out``.

    The folder is ``<out>.tmp-<pid>-work``: removed at the end of the block, or, after a
    kill, by the next run's :func:`ibmkg.io.swap.clean_stale`.

    :param out: the build folder.
    :returns: a context manager yielding the private folder.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{out.name}.tmp-{os.getpid()}-work", dir=out.parent))
    previous = tempfile.tempdir
    tempfile.tempdir = str(work)
    try:
        yield work
    finally:
        tempfile.tempdir = previous
        shutil.rmtree(work, ignore_errors=True)


def build(layout: Layout, out: Path | None = None, *, progress: Progress = NULL_PROGRESS,
          reason: bool = True, strict: bool = False) -> BuildResult:
    """Build every artifact of the project into ``out`` (``build/`` by default).

    :param layout: the project layout.
    :param out: the output directory; replaced as a whole on success.
    :param progress: reports long steps.
    :param reason: try to run the reasoner (skipped with a note when unavailable).
    :param strict: reject the build on SHACL warnings and infos too.
    :returns: the outcome; the caller decides the exit code from :meth:`BuildResult.ok`.
    :raises RdfSyntaxError: when a source file does not parse (nothing is written).
    :raises QueryHeaderError: when a stored query is malformed (nothing is written).
    """
    out = out or layout.build
    clean_stale(out)
    notes: list[str] = []
    with progress.step("loading"):
        data = load_project(layout)
        shapes = [t for path in shape_files(layout)
                  for t in load_turtle(path, display=layout.relative(path).as_posix())]
        catalogue = load_catalogue(layout.queries)
    with progress.step("validating"):
        report = validate_project(data, shapes, catalogue.values())
    if not shapes:
        notes.append("no shapes in shapes/: nothing validated")
    store_data = data
    reasoning: Any = None
    if reason:
        with progress.step("reasoning"):
            try:
                with private_tempdir(out):
                    reasoning, inferred = infer(layout)
            except ReasoningError as err:
                if isinstance(err, InconsistentGraphError):
                    raise
                notes.append(f"reasoning skipped: {err}")
            else:
                store_data = data.with_graph(SourceGraph(INFERRED_GRAPH, "inferred",
                                                         tuple(inferred)))
                notes.append(f"reasoner ({reasoning.engine.value}) inferred "
                             f"{len(inferred)} triple(s) in {reasoning.seconds:.1f} s")
    else:
        notes.append("reasoning skipped (--no-reason)")
    store = EmbeddedStore.from_data(store_data)
    store.written_forms, conflicts = written_forms(
        t.object for t in store_data.triples() if isinstance(t.object, pyoxigraph.Literal))
    if conflicts:
        notes.append(f"{len(conflicts)} value(s) written in more than one way (e.g. "
                     f"{conflicts[0]}): query answers show one of the forms; the files keep "
                     f"each; write one form to make them agree")
    runs, tables = _run_queries(store, list(catalogue.values()), progress)
    studies = sum(1 for g in data.graphs if g.name.startswith(PREFIXES["study"]))
    result = BuildResult(out, studies, len(set(data.triples())), report, runs, notes)
    target = out
    if not result.ok(strict=strict):
        target = result.rejected = rejected_dir(out)
    with progress.step("writing"), staging_dir(target) as tmp:
        _write(tmp, layout, data, report, catalogue.values(), tables, store, result)
        if reasoning is not None:
            reasoner().write_inferred(reasoning, tmp / "inferred.ttl")
    if result.rejected is None:
        shutil.rmtree(rejected_dir(out), ignore_errors=True)
    with progress.step("caching the store for ibmkg query"):
        from ibmkg.store.cache import open_cached

        open_cached(layout, build=lambda: data)
    return result


def _run_queries(store: EmbeddedStore, queries: list[StoredQuery], progress: Progress,
                 ) -> tuple[list[QueryRun], dict[str, tuple[str, str]]]:
    runs: list[QueryRun] = []
    tables: dict[str, tuple[str, str]] = {}
    has_inferred = INFERRED_GRAPH in store.graph_names()
    with progress.step("running stored queries"):
        for query in queries:
            if query.federated:
                runs.append(QueryRun(query.name, None, "federated", query.is_check))
                continue
            if query.inferred and not has_inferred:
                runs.append(QueryRun(query.name, None, "needs the reasoner", query.is_check))
                continue
            if any(p.required for p in query.params):
                runs.append(QueryRun(query.name, None, "has required parameters",
                                     query.is_check))
                continue
            table = run_query(store, query)
            runs.append(QueryRun(query.name, len(table), "", query.is_check))
            tables[query.name] = (format_results(table, ResultFormat.CSV),
                                  format_results(table, ResultFormat.MD) + "\n")
    return runs, tables


def _write(tmp: Path, layout: Layout, data: LoadedData, report: ValidationReport,
           queries: Iterable[StoredQuery], tables: dict[str, tuple[str, str]], store: EmbeddedStore,
           result: BuildResult) -> None:
    context = layout.context if layout.context.is_file() else None
    for fmt in (RdfFormat.TURTLE, RdfFormat.NTRIPLES, RdfFormat.TRIG, RdfFormat.JSONLD):
        atomic_write(tmp / f"kg{fmt.extension}", serialize(data, fmt, context=context))
    atomic_write(tmp / "validation.txt", format_report(report, ReportFormat.TEXT) + "\n")
    atomic_write(tmp / "validation.ttl", format_report(report, ReportFormat.TURTLE))
    for name, (csv_text, md_text) in tables.items():
        target = tmp / "queries" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(target.with_name(target.name + ".csv"), csv_text)
        atomic_write(target.with_name(target.name + ".md"), md_text)
    atomic_write(tmp / "queries.ttl", examples_turtle(queries))
    table = optional_module("ibmkg.table")
    if table is None:
        result.notes.append("Table 1 skipped: ibmkg.table is not available")
    else:
        for table_format in (TableFormat.MD, TableFormat.HTML):
            text = table.render_table(store, table_format, structured=False)
            atomic_write(tmp / f"table1.{table_format.value}",
                         text if text.endswith("\n") else text + "\n")
    publish = optional_module("ibmkg.publish.site")
    if publish is not None:  # the linked-data site, pictures and a standalone table1.html
        result.notes.extend(publish.build_step(tmp, layout, data, store))
    atomic_write(tmp / "summary.txt", result.summary() + "\n")
