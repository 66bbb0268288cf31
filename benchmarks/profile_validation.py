"""Where the time of ``ibmkg validate`` goes at scale: phases, then each shape and constraint.

Runs the steps of ``ibmkg validate REVIEW FILE`` (the compiled engine) one by one in this
process on synthetic studies (``benchmarks/synthetic.py``, SYNTHETIC DATA, all in one file as
``bench_validation.py`` writes them), timing each: loading through the strict loader,
compiling the shapes, filling the store and the index, each shape's core constraints and
each SPARQL-based constraint (one query over the whole graph), placing the results at their
file and line, the Python checks (closed vocabulary, literal forms) and the JSON report.
Whatever grows faster than the number of studies shows up by comparing two sizes.

Usage: ``python benchmarks/profile_validation.py [--sizes 1000 10000] [--top 15]``; writes
``benchmarks/results/validation-profile.md``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402 - the generator lives beside this script

T = TypeVar("T")


def _timed(phases: dict[str, float], name: str, work: Callable[[], T]) -> T:
    started = time.perf_counter()
    result = work()
    phases[name] = phases.get(name, 0.0) + time.perf_counter() - started
    return result


def profile(size: int, work: Path, seed: int) -> tuple[dict[str, float], list[tuple[float, str,
                                                                                     int]]]:
    """Time the phases and every shape unit and SPARQL constraint at one size.

    :param size: synthetic studies.
    :param work: a temporary folder.
    :param seed: the generator's seed.
    :returns: phase -> seconds, and (seconds, what, results) for each unit and constraint.
    """
    import pyoxigraph

    from ibmkg.formats import ReportFormat
    from ibmkg.graph_io import LoadedData
    from ibmkg.paths import default_layout, shape_files
    from ibmkg.source_index import SourceIndex
    from ibmkg.validation import (
        ValidationReport,
        _place,  # the step that locates each result
        format_report,
        load_shapes,
        python_check_results,
    )
    from ibmkg.validation.compiled import _blank_parents, _result, compile_shapes
    from ibmkg.validation.context import load_in_context
    from ibmkg.validation.evaluate import DataIndex, _evaluate_unit, _sparql, focus_nodes
    from ibmkg.validation.locate import Locator

    files = synthetic.generate(size, work / "studies", seed=seed)
    data_file = work / f"synthetic-{size}.ttl"
    data_file.write_text("\n".join(p.read_text(encoding="utf-8") for p in files),
                         encoding="utf-8")
    layout = default_layout()
    phases: dict[str, float] = {}
    shape_paths = shape_files(layout)
    shapes, _ = _timed(phases, "load shapes", lambda: load_shapes(
        shape_paths, display=[p.name for p in shape_paths]))
    data, _ = _timed(phases, "load data (strict loader, source index)", lambda: load_in_context(
        layout, [layout.kg / "review.ttl", data_file]))
    triples = list(data.triples())
    plan = _timed(phases, "compile shapes", lambda: compile_shapes(shapes))

    def fill() -> DataIndex:
        store = pyoxigraph.Store()
        store.bulk_extend(pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples)
        return DataIndex(triples, store, plan.backwards())

    index = _timed(phases, "store and index", fill)
    parents = _blank_parents(triples)
    empty = LoadedData((), SourceIndex())
    rows: list[tuple[float, str, int]] = []
    raws = []
    for shape in plan.compiled:
        started = time.perf_counter()
        focus = list(focus_nodes(shape, index))
        phases["shapes: focus nodes"] = phases.get("shapes: focus nodes", 0.0) + \
            time.perf_counter() - started
        for unit in shape.units:
            started = time.perf_counter()
            found = list(_evaluate_unit(unit, focus, index))
            rows.append((time.perf_counter() - started, f"core {unit.shape}", len(found)))
            raws += found
            for constraint in unit.sparql:
                started = time.perf_counter()
                found = list(_sparql(unit, constraint, index))
                rows.append((time.perf_counter() - started, f"SPARQL {constraint.node}",
                             len(found)))
                raws += found
    phases["shapes: core constraints"] = sum(r[0] for r in rows if r[1].startswith("core"))
    phases["shapes: SPARQL constraints"] = sum(r[0] for r in rows if r[1].startswith("SPARQL"))
    results = _timed(phases, "results made readable", lambda: [
        _result(raw, plan.shapes, empty, parents) for raw in raws])
    locator = Locator(data.index)
    placed = _timed(phases, "results placed at file:line:col", lambda: [
        _place(r, None, locator, data.index) for r in results])
    checks = _timed(phases, "Python checks (vocabulary, literal forms)",
                    lambda: python_check_results(data, locator))
    report = ValidationReport(placed + checks)
    _timed(phases, "JSON report", lambda: format_report(report, ReportFormat.JSON))
    phases["(results)"] = float(len(report.results))
    return phases, sorted(rows, reverse=True)


def main(argv: list[str] | None = None) -> int:
    """Profile each size and write the tables.

    :param argv: the arguments.
    :returns: 0.
    """
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--top", type=int, default=15)
    parser.add_argument("--out", type=Path,
                        default=HERE / "results" / "validation-profile.md")
    args = parser.parse_args(argv)
    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    measured: dict[int, tuple[dict[str, float], list[tuple[float, str, int]]]] = {}
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="ibmkg-profile-") as tmp:
            measured[size] = profile(size, Path(tmp), args.seed)
        print(f"{size}: {sum(v for k, v in measured[size][0].items() if k[0] != '('):.1f} s",
              file=sys.stderr, flush=True)
    sizes = list(measured)
    names = list(dict.fromkeys(k for phases, _ in measured.values() for k in phases))
    lines = ["# Where `ibmkg validate` spends its time", "",
             "Generated by `benchmarks/profile_validation.py`; do not edit.", "",
             "The steps of `ibmkg validate kg/review.ttl FILE` (compiled engine) timed one by one "
             f"in one process, on SYNTHETIC studies (seed {args.seed}) in one file. Load "
             f"average (1, 5, 15 min) {load_before} at the start and "
             f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end on "
             f"{os.cpu_count()} CPU(s); {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
             "", "| step | " + " | ".join(f"{n:,} studies" for n in sizes) + " |",
             "|---|" + "---:|" * len(sizes)]
    for name in names:
        cells = []
        for size in sizes:
            value = measured[size][0].get(name)
            cells.append("-" if value is None else f"{value:,.0f}" if name.startswith("(")
                         else f"{value:.2f} s")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    for size in sizes:
        lines += ["", f"Slowest shape units and SPARQL constraints at {size:,} studies:", "",
                  "| seconds | unit or constraint | results |", "|---:|---|---:|"]
        lines += [f"| {s:.3f} | {what} | {n:,} |" for s, what, n in measured[size][1][:args.top]]
    lines.append("")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
