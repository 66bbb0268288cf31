"""`make bench`: load, reason, validate, every stored query and export at 1k, 10k and 100k studies.

Each step runs in a fresh process (``--worker``), so a row is what a user waits for and the
peak memory is that process's own (``ru_maxrss``); the parent kills a step that exceeds
``--budget`` seconds and reports it as "over budget", never drops it. The bare engines
run alongside: ``load bare`` is pyoxigraph's own bulk loader on the same files, ``query
bare`` the same prepared SPARQL on the same pyoxigraph store, ``export bare`` pyoxigraph's
own N-Quads dump. Runs are interleaved (every step once, then every step again) and the
median is reported. The data comes from ``benchmarks/generate.py`` (synthetic, marked as
such, 2 % deliberate defects), in a throw-away project next to the real ontology, review,
shapes and queries.

Writes ``--out`` (Markdown) and, when matplotlib is installed, a PNG of time against size
per step beside it.

Usage: ``python benchmarks/bench_scale.py [--sizes 1000 10000 100000] [--repeat 3]
[--budget 600] [--steps load,reason,...] [--out benchmarks/results.md]``
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

#: Every step, in the order of the report. ``queries`` stands for one row per stored query.
STEPS: tuple[str, ...] = ("load", "load-graphs", "load-bare", "load-cache-build",
                          "load-bare-disk", "load-cached", "query-cli",
                          "reason-fast", "reason-hermit", "validate", "queries", "export",
                          "export-bare", "help")
#: Steps that are skipped by default above a size (they are reported as "not run").
SLOW_LIMITS: dict[str, int] = {"reason-hermit": 1000, "validate": 1000}
#: Above this size the ``queries`` step does not reason (``reason-fast`` measures reasoning on
#: its own): the queries that need the inferred graph are reported as "not run" there.
QUERY_REASONING_LIMIT = 10_000


# --- the worker: one step in this process ------------------------------------------------


def _peak_mb(who: str = "self") -> float:
    import resource

    scope = resource.RUSAGE_CHILDREN if who == "children" else resource.RUSAGE_SELF
    return resource.getrusage(scope).ru_maxrss / 1024


def _worker(step: str, root: Path) -> dict[str, object]:
    """Run one step in this process; return what it measured."""
    import pyoxigraph

    from ibmkg.paths import Layout, import_files, kg_files

    layout = Layout(root)
    files = [layout.ontology, *import_files(layout), *kg_files(layout)]
    started = time.perf_counter()
    out: dict[str, object] = {}
    peak = "self"
    if step in ("load", "load-graphs"):
        from ibmkg.store.embedded import EmbeddedStore

        store = EmbeddedStore.from_project(layout, study_graphs=step == "load-graphs")
        out["triples"] = len(store.oxigraph)
    elif step == "load-cache-build":
        from ibmkg.store.cache import cache_path, open_cached

        shutil.rmtree(cache_path(layout), ignore_errors=True)
        store, hit = open_cached(layout)
        assert not hit
        out["triples"] = len(store.oxigraph)
    elif step == "load-cached":
        _require_warm(layout)  # built by the load-cache-build step
        peak = "children"
        reopen = subprocess.run([sys.executable, "-c", _REOPEN, str(root)],
                                capture_output=True, text=True, check=True)
        out.update(json.loads(reopen.stdout))
    elif step == "query-cli":
        _require_warm(layout)  # built by the load-cache-build step: what `make run` leaves
        peak = "children"  # the ibmkg process and its query worker, not this one
        started = time.perf_counter()
        subprocess.run([str(Path(sys.executable).parent / "ibmkg"), "--root", str(root),
                        "query", "patients-by-design"], capture_output=True, check=True)
    elif step == "load-bare":
        bare = pyoxigraph.Store()
        for path in files:
            bare.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
        out["triples"] = len(bare)
    elif step == "load-bare-disk":  # bare pyoxigraph's fastest way to a store on disk
        work = Path(tempfile.mkdtemp(dir=root))
        try:
            bare = pyoxigraph.Store()
            for path in files:
                bare.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
            bare.dump(output=str(work / "all.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
            del bare
            disk = pyoxigraph.Store(str(work / "db"))
            disk.bulk_load(path=str(work / "all.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
            disk.flush()
            out["triples"] = len(disk)
            del disk
        finally:
            shutil.rmtree(work, ignore_errors=True)
    elif step in ("reason-fast", "reason-hermit"):
        from ibmkg.reasoning import Engine, reason

        engine = Engine.FAST if step == "reason-fast" else Engine.HERMIT
        result = reason(layout.ontology, kg_files(layout), engine=engine)
        out["inferred"] = len(result.inferred_triples)
    elif step == "validate":
        from ibmkg.cli import cli

        code = 0
        try:
            cli.main(["--root", str(root), "validate", "--format", "json"],
                     standalone_mode=False)
        except SystemExit as exit_:
            code = int(exit_.code or 0)
        out["exit"] = code
    elif step == "queries":
        size = _studies(layout)
        limit = int(os.environ.get("IBMKG_BENCH_REASON_UP_TO", QUERY_REASONING_LIMIT))
        out["queries"] = _queries(layout, reason_too=size <= limit,
                                  repeat=3 if size <= QUERY_REASONING_LIMIT else 1)
    elif step in ("export", "export-bare"):
        sink = Path(tempfile.mkdtemp()) / "kg.nt"
        if step == "export":
            from ibmkg.export.rdf import serialize
            from ibmkg.formats import RdfFormat
            from ibmkg.graph_io import load_project

            data = load_project(layout)
            started = time.perf_counter()  # the serialisation only
            sink.write_text(serialize(data, RdfFormat.NTRIPLES), encoding="utf-8")
        else:
            bare = pyoxigraph.Store()
            for path in files:
                bare.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
            started = time.perf_counter()
            bare.dump(output=str(sink), format=pyoxigraph.RdfFormat.N_QUADS)
        out["bytes"] = sink.stat().st_size
        shutil.rmtree(sink.parent)
    elif step == "help":
        peak = "children"
        run = subprocess.run([str(Path(sys.executable).parent / "ibmkg"), "--help"],
                             capture_output=True, check=True)
        out["bytes"] = len(run.stdout)
    else:
        raise SystemExit(f"unknown step {step!r}")
    out.setdefault("seconds", time.perf_counter() - started)
    out["peak_mb"] = _peak_mb(peak)
    return out


#: The cached reopen in a process of its own, so that its peak memory is the reopen's only.
_REOPEN = """
import json, sys, time
from pathlib import Path
from ibmkg.paths import Layout
from ibmkg.store.cache import open_cached
layout = Layout(Path(sys.argv[1]))
started = time.perf_counter()
store, hit = open_cached(layout)
assert hit
print(json.dumps({"seconds": time.perf_counter() - started, "triples": len(store.oxigraph)}))
"""


def _require_warm(layout: object) -> None:
    """Fail at once (rather than build it inside the step) when the cache is not current."""
    from ibmkg.paths import Layout
    from ibmkg.store.cache import _current, cache_path, digest_files, source_files

    assert isinstance(layout, Layout)
    if not _current(cache_path(layout), digest_files(source_files(layout))):
        raise SystemExit("no current cache: the load-cache-build step did not finish")


def _studies(layout: object) -> int:
    from ibmkg.paths import Layout

    assert isinstance(layout, Layout)
    return sum(1 for _ in layout.studies.glob("*.ttl"))


def _queries(layout: object, *, reason_too: bool = True, repeat: int = 3,
             ) -> dict[str, dict[str, float]]:
    """Every stored query: seconds through ibmkg and on the bare store, medians of ``repeat``.

    Without ``reason_too`` the queries that need the inferred graph are left out (reported
    as not run)."""
    import pyoxigraph

    from ibmkg.paths import Layout, kg_files
    from ibmkg.queries import INFERRED_GRAPH, bindings_for, load_catalogue, run_query
    from ibmkg.reasoning import Engine, reason
    from ibmkg.store.embedded import EmbeddedStore

    assert isinstance(layout, Layout)
    loading = time.perf_counter()
    store = EmbeddedStore.from_project(layout, study_graphs=False)  # the query store
    loaded = {"seconds": time.perf_counter() - loading, "peak_mb": _peak_mb()}
    catalogue = load_catalogue(layout.queries)
    if reason_too and any(q.inferred for q in catalogue.values()):
        result = reason(layout.ontology, kg_files(layout), engine=Engine.FAST)
        store.load(result.inferred_triples, INFERRED_GRAPH)
    timings: dict[str, dict[str, float]] = {}
    for name, query in sorted(catalogue.items()):
        if query.federated:
            continue
        if query.inferred and not reason_too:
            timings[name] = {"not_run": 1.0}
            continue
        ours, bare = [], []
        text = store.prepare(query.sparql, bindings_for(query, {}), forms=("SELECT",))
        for _ in range(repeat):
            t = time.perf_counter()
            rows = run_query(store, query).rows
            ours.append(time.perf_counter() - t)
            t = time.perf_counter()
            solutions = store.oxigraph.query(text)
            assert isinstance(solutions, pyoxigraph.QuerySolutions)
            bare_rows = sum(1 for _ in solutions)
            bare.append(time.perf_counter() - t)
        timings[name] = {"seconds": statistics.median(ours), "bare": statistics.median(bare),
                         "rows": len(rows), "bare_rows": bare_rows}
    timings[" load"] = loaded  # the store the queries ran on (in-process, imports excluded)
    return timings


# --- the parent: projects, runs, report ----------------------------------------------------


@dataclass
class Cell:
    """Runs of one step at one size."""

    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    over: float | None = None
    failed: str | None = None
    not_run: str | None = None


def make_project(studies: int, seed: int, where: Path) -> Path:
    """A throw-away project: the real ontology, imports, review, shapes, queries; synthetic studies.

    :param studies: how many synthetic studies.
    :param seed: the generator's seed.
    :param where: the parent directory.
    :returns: the project root.
    """
    from generate import PREFIXES, synthetic_studies

    root = where / f"project-{studies}"
    for name in ("ontology", "shapes", "queries"):
        shutil.copytree(ROOT / name, root / name)
    (root / "kg" / "studies").mkdir(parents=True)
    shutil.copy(ROOT / "kg" / "review.ttl", root / "kg" / "review.ttl")
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    # one file per study, as in a real project (the loader refuses a study described in
    # another study's file)
    for number, body in synthetic_studies(studies, seed=seed):
        (root / "kg" / "studies" / f"synthetic-{number:05d}.ttl").write_text(
            f"# SYNTHETIC: generated by benchmarks/generate.py (seed {seed}); not real data.\n"
            + PREFIXES + body, encoding="utf-8")
    return root


def run_step(step: str, root: Path, budget: float) -> tuple[float, dict[str, object] | None, str]:
    """One step in a fresh process.

    :returns: wall seconds, the worker's measurements (None when over budget or failed), and
        the error text.
    """
    started = time.perf_counter()
    try:
        run = subprocess.run([sys.executable, __file__, "--worker", step, "--root", str(root)],
                             capture_output=True, text=True, timeout=budget, check=False)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - started, None, "over budget"
    wall = time.perf_counter() - started
    if run.returncode != 0:
        return wall, None, (run.stderr.strip().splitlines() or ["failed"])[-1][:200]
    return wall, json.loads(run.stdout.strip().splitlines()[-1]), ""


def _fmt(cell: Cell | None, budget: float) -> str:
    if cell is None:
        return "–"
    if cell.not_run:
        return f"not run ({cell.not_run})"
    if cell.over is not None and not cell.seconds:
        return f"over budget (> {budget:.0f} s)"
    if cell.failed and not cell.seconds:
        return f"failed: {cell.failed}"
    text = f"{statistics.median(cell.seconds):.3g} s"
    if cell.peak_mb:
        text += f", {statistics.median(cell.peak_mb):.0f} MB"
    return text


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point.

    :param argv: the arguments.
    :returns: the exit code.
    """
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--worker")
    parser.add_argument("--root", type=Path)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--budget", type=float, default=600.0)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--steps", default=",".join(STEPS))
    parser.add_argument("--all-slow", action="store_true",
                        help="run HermiT and pySHACL at every size (up to the budget)")
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    parser.add_argument("--reason-queries-up-to", type=int, default=QUERY_REASONING_LIMIT,
                        help="the largest size at which the queries step reasons first (the "
                        "inferred-graph queries are 'not run' above it)")
    args = parser.parse_args(argv)
    if args.worker:  # the limit comes from the parent's environment, not this default
        print(json.dumps(_worker(args.worker, args.root)))
        return 0
    os.environ["IBMKG_BENCH_REASON_UP_TO"] = str(args.reason_queries_up_to)
    steps = [s for s in args.steps.split(",") if s]
    unknown = set(steps) - set(STEPS)
    if unknown:
        parser.error(f"unknown steps {sorted(unknown)}; known: {', '.join(STEPS)}")
    cells: dict[tuple[str, int], Cell] = {}
    args.load_at_start = os.getloadavg()
    args.command = " ".join(["python benchmarks/bench_scale.py", *(argv if argv is not None
                                                                   else sys.argv[1:])])
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="ibmkg-bench-") as tmp:
        for size in args.sizes:
            generating = time.perf_counter()
            root = make_project(size, args.seed, Path(tmp))
            cells.setdefault(("generate", size), Cell()).seconds.append(
                time.perf_counter() - generating)
            print(f"generate @ {size}: {time.perf_counter() - generating:.2f} s", file=sys.stderr)
            for _ in range(args.repeat):
                for step in steps:
                    _measure(step, size, root, args, cells)
            shutil.rmtree(root)
    args.total = time.perf_counter() - started
    text = report(cells, steps, args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    plot(cells, args.sizes, args.out.with_suffix(".png"))
    print(text)
    return 0


def _measure(step: str, size: int, root: Path, args: argparse.Namespace,
             cells: dict[tuple[str, int], Cell]) -> None:
    cell = cells.setdefault((step, size), Cell())
    limit = SLOW_LIMITS.get(step)
    if limit is not None and size > limit and not args.all_slow:
        cell.not_run = f"above {limit:,} studies; --all-slow runs it"
        return
    if cell.over is not None:
        return  # once over budget, the other repeats would be too
    wall, measured, error = run_step(step, root, args.budget)
    if measured is None:
        if error == "over budget":
            cell.over = wall
        else:
            cell.failed = error
        print(f"{step} @ {size}: {error}", file=sys.stderr)
        return
    if step == "queries":
        assert isinstance(measured["queries"], dict)
        for name, timing in measured["queries"].items():
            if name == " load":
                row = cells.setdefault(("load (in the queries step)", size), Cell())
                row.seconds.append(float(timing["seconds"]))
                row.peak_mb.append(float(timing["peak_mb"]))
                continue
            for kind in ("seconds", "bare"):
                row = cells.setdefault((f"query {name}" + (" (bare)" if kind == "bare" else ""),
                                        size), Cell())
                if "not_run" in timing:
                    row.not_run = "needs the inferred graph; not reasoned at this size"
                    continue
                row.seconds.append(float(timing[kind]))
    seconds = wall if step in ("load", "load-graphs", "load-bare", "load-cache-build",
                               "load-bare-disk", "reason-fast", "reason-hermit",
                               "validate") else float(str(measured["seconds"]))
    cell.seconds.append(seconds)
    cell.peak_mb.append(float(str(measured["peak_mb"])))
    print(f"{step} @ {size}: {seconds:.2f} s, {measured['peak_mb']:.0f} MB", file=sys.stderr)


def report(cells: dict[tuple[str, int], Cell], steps: list[str], args: argparse.Namespace,
           ) -> str:
    """The Markdown report.

    :returns: the text.
    """
    sizes = args.sizes
    rows = ["generate"] * any(s == "generate" for s, _ in cells)
    rows += [s for s in steps if s != "queries"]
    rows += ["load (in the queries step)"] * any(s.startswith("load (") for s, _ in cells)
    rows += sorted({step for step, _ in cells if step.startswith("query ")})
    at_start = getattr(args, "load_at_start", None)
    lines = [
        "# ibmkg at scale (written by `make bench`; do not edit)",
        "",
        f"Synthetic studies from `benchmarks/generate.py` (seed {args.seed}, 2 % deliberate "
        f"defects), medians of {args.repeat} interleaved run(s), budget {args.budget:.0f} s "
        "per step. Whole processes (Python start included) for load, reason, validate and "
        "`--help`; the serialisation only for export; one call for each query on a loaded "
        "store. Peak memory is the step's process's own maximum resident set.",
        "",
        f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; load average (1, 5, 15 min) "
        + (f"at the start {', '.join(f'{x:.1f}' for x in at_start)}, " if at_start else "")
        + f"at the end {', '.join(f'{x:.1f}' for x in os.getloadavg())}.",
        "",
        f"Command: `{getattr(args, 'command', 'python benchmarks/bench_scale.py')}`"
        + (f", {args.total / 60:.1f} min in all." if getattr(args, "total", None) else "."),
        "",
        "| step | " + " | ".join(f"{n:,} studies" for n in sizes) + " |",
        "| --- | " + " | ".join("---" for _ in sizes) + " |",
    ]
    for row in rows:
        lines.append(f"| {row} | " + " | ".join(_fmt(cells.get((row, n)), args.budget)
                                               for n in sizes) + " |")
    lines += _ratios(cells, sizes)
    lines += ["", "Steps: `generate` = writing the synthetic project (in the parent); `load` = "
              "`EmbeddedStore.from_project(study_graphs=False)`, the query store (the strict "
              "gate straight into pyoxigraph; each study's triples once, in the default "
              "graph; the ontology, imports, review and mappings also in their named graphs; "
              "the line index is scanned only when a location is asked for); `load-graphs` = "
              "the same with one named graph per study file too (what queries naming graphs "
              "and `ibmkg serve` open); `load-bare` = pyoxigraph `bulk_load` of the same files "
              "into the default graph only; `load-cache-build` = building the persistent "
              "query store from cold (`open_cached`, the same gate, written to disk in "
              "batches); `load-bare-disk` = bare pyoxigraph's quickest way to the same "
              "triples on disk (`bulk_load` in memory, one N-Quads dump, one `bulk_load` "
              "into a store on disk); "
              "`reason-fast` / `reason-hermit` = `ibmkg.reasoning.reason` with each engine; "
              "`validate` = `ibmkg validate`; `export` = N-Triples through "
              "`ibmkg.export.rdf.serialize`, `export-bare` = pyoxigraph's N-Quads dump; "
              "`help` = `ibmkg --help` (memory: that process); `load-cached` = reopening the "
              "persistent store (`ibmkg.store.cache.open_cached`, warm, in a process of its "
              "own: memory is that process's); `query-cli` = a whole `ibmkg query "
              "patients-by-design` process on a warm cache (time to the first answer; memory: "
              "the largest of that process and its query worker). A query row is one call on "
              "the in-memory store of `load` (ours: through `run_query`; bare: the same text "
              "on pyoxigraph), the median of 3 calls up to "
              f"{QUERY_REASONING_LIMIT:,} studies and 1 call above; queries needing the "
              "inferred graph run with `reason-fast`'s inferences up to "
              f"{args.reason_queries_up_to:,} studies (`--reason-queries-up-to`).", ""]
    return "\n".join(lines)


def _median(cells: dict[tuple[str, int], Cell], step: str, size: int,
            what: str = "seconds") -> float | None:
    cell = cells.get((step, size))
    values = getattr(cell, what) if cell is not None else []
    return statistics.median(values) if values else None


def _ratios(cells: dict[tuple[str, int], Cell], sizes: list[int]) -> list[str]:
    """Loading against bare pyoxigraph, and how each query grows from one size to the next."""
    lines = ["", "Against bare pyoxigraph, time and peak memory (goal: 1.5x): in memory against "
             "`load-bare`, on disk against `load-bare-disk`:", "",
             "| step | " + " | ".join(f"{n:,} studies" for n in sizes) + " |",
             "| --- | " + " | ".join("---" for _ in sizes) + " |"]
    for step in ("load", "load-graphs", "load (in the queries step)", "load-cache-build",
                 "load-cached"):
        cells_text = []
        base = "load-bare-disk" if step == "load-cache-build" else "load-bare"
        for n in sizes:
            bare_s, bare_m = _median(cells, base, n), _median(cells, base, n, "peak_mb")
            ours_s, ours_m = _median(cells, step, n), _median(cells, step, n, "peak_mb")
            if None in (bare_s, bare_m, ours_s, ours_m):
                cells_text.append("–")
                continue
            assert bare_s and bare_m and ours_s is not None and ours_m is not None
            cells_text.append(f"x{ours_s / bare_s:.2f} time, x{ours_m / bare_m:.2f} memory")
        lines.append(f"| {step} | " + " | ".join(cells_text) + " |")
    queries = sorted({s for s, _ in cells if s.startswith("query ") and "(bare)" not in s})
    if len(sizes) > 1 and queries:
        lines += ["", "Growth of each stored query from one size to the next (x10 studies is "
                  "linear at about x10):", "",
                  "| query | " + " | ".join(f"{a:,} → {b:,}" for a, b in itertools.pairwise(sizes))
                  + " |", "| --- | " + " | ".join("---" for _ in sizes[1:]) + " |"]
        for query in queries:
            growth = []
            for a, b in itertools.pairwise(sizes):
                first, second = _median(cells, query, a), _median(cells, query, b)
                growth.append(f"x{second / first:.1f}" if first and second else "–")
            lines.append(f"| {query[6:]} | " + " | ".join(growth) + " |")
    return lines


def plot(cells: dict[tuple[str, int], Cell], sizes: list[int], path: Path) -> None:
    """Time against size per step (log-log), when matplotlib is installed.

    :param cells: the measurements.
    :param sizes: the sizes.
    :param path: the PNG to write.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ModuleNotFoundError:
        print("matplotlib is not installed: no plot", file=sys.stderr)
        return
    figure, axes = plt.subplots(figsize=(9, 6))
    for step in sorted({s for s, _ in cells if not s.startswith("query ")}):
        points = [(n, statistics.median(c.seconds)) for n in sizes
                  if (c := cells.get((step, n))) is not None and c.seconds]
        if points:
            axes.plot(*zip(*points, strict=True), marker="o", label=step)
    worst = [(n, max(statistics.median(c.seconds) for (s, m), c in cells.items()
                     if m == n and s.startswith("query ") and "(bare)" not in s and c.seconds))
             for n in sizes if any(m == n and s.startswith("query ") for s, m in cells)]
    if worst:
        axes.plot(*zip(*worst, strict=True), marker="s", linestyle="--",
                  label="slowest stored query")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("studies")
    axes.set_ylabel("seconds (median)")
    axes.legend(fontsize="small")
    axes.grid(True, which="both", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=100)


if __name__ == "__main__":
    sys.exit(main())
