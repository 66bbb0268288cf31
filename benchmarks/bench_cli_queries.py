"""Benchmark every stored query as a user runs it: a whole ``ibmkg query`` on the store on disk.

For each size a throw-away project (the real ontology, queries and review; synthetic studies
from ``benchmarks/generate.py``) is made and its query store built once (what ``make run``
leaves). Then, for each local stored query, interleaved ``--repeat`` times, three whole
processes are timed side by side:

- ``ibmkg query NAME``: the command, on the warm cached store (compacted when it was built);
- bare, same store: a fresh Python process that opens that store read-only with pyoxigraph
  and runs the same prepared text (its own ``ORDER BY`` included), reading every term;
- bare, not compacted: the same on a copy of the same triples put on disk by pyoxigraph's
  ``bulk_load`` alone (the store as it was before ibmkg compacted its cache).

Medians go to ``--out`` (Markdown) with a PNG of the three per query at the largest size
(when matplotlib is installed). Queries that need the reasoner or a remote endpoint are left
out (``make bench-queries`` measures the reasoned one in memory).

Usage: ``python benchmarks/bench_cli_queries.py [--sizes 1000 10000] [--repeat 3]
[--out benchmarks/results/cli-queries.md]``
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench_scale import make_project  # noqa: E402 - the benchmarks' shared project maker
from query_tables import add_arguments, grouped_bars, machine  # noqa: E402

#: A fresh process: open a store on disk read-only, run one query text, read every term.
_BARE = """
import sys
import pyoxigraph
store = pyoxigraph.Store.read_only(sys.argv[1])
rows = 0
for solution in store.query(sys.stdin.read()):
    rows += 1
    for _ in solution:
        pass
print(rows)
"""

COLUMNS = ("ibmkg query", "bare, same store", "bare, not compacted")


def _ibmkg() -> str:
    return str(Path(sys.executable).parent / "ibmkg")


def warm(root: Path) -> Path:
    """Build the project's query store as ``make run`` would; return its database directory."""
    subprocess.run([_ibmkg(), "--root", str(root), "query", "review-summary"],
                   capture_output=True, check=True)
    from ibmkg.paths import Layout
    from ibmkg.store.cache import cache_path

    return cache_path(Layout(root), "plain") / "db"


def uncompacted_copy(database: Path, target: Path) -> Path:
    """The same quads on disk through pyoxigraph's ``bulk_load`` only (no compaction)."""
    import pyoxigraph

    dump = target / "all.nq"
    pyoxigraph.Store.read_only(str(database)).dump(output=str(dump),
                                                   format=pyoxigraph.RdfFormat.N_QUADS)
    copy = pyoxigraph.Store(str(target / "db"))
    copy.bulk_load(path=str(dump), format=pyoxigraph.RdfFormat.N_QUADS)
    copy.flush()
    del copy
    dump.unlink()
    return target / "db"


def prepared_texts(root: Path, only: list[str] | None = None) -> dict[str, str]:
    """Each local stored query's text as ``ibmkg query`` sends it (default parameters)."""
    from ibmkg.queries import bindings_for, load_catalogue
    from ibmkg.store.embedded import EmbeddedStore

    store = EmbeddedStore()
    return {name: store.prepare(q.sparql, bindings_for(q, {}), forms=("SELECT",))
            for name, q in sorted(load_catalogue(root / "queries").items())
            if not q.federated and not q.inferred and (not only or name in only)}


def csv_rows(text: str) -> int:
    """The rows of a W3C CSV answer (its header excluded; values may hold line breaks)."""
    return sum(1 for _ in csv.reader(io.StringIO(text))) - 1


def _timed(command: list[str], stdin: str | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    run = subprocess.run(command, input=stdin, capture_output=True, text=True, check=True)
    return time.perf_counter() - started, run.stdout


def measure(root: Path, databases: tuple[Path, Path], repeat: int,
            only: list[str] | None = None) -> dict[str, dict[str, float]]:
    """Medians of ``repeat`` interleaved runs per query and column (seconds), with row counts.

    :raises SystemExit: when the three give different numbers of rows (a wrong answer is
        not a figure).
    """
    results: dict[str, dict[str, float]] = {}
    for name, text in prepared_texts(root, only).items():
        times: dict[str, list[float]] = {column: [] for column in COLUMNS}
        rows = 0
        for _ in range(repeat):
            seconds, out = _timed([_ibmkg(), "--root", str(root), "query", name,
                                   "--format", "csv"])
            times[COLUMNS[0]].append(seconds)
            counts = {csv_rows(out)}
            for column, database in zip(COLUMNS[1:], databases, strict=True):
                seconds, out = _timed([sys.executable, "-c", _BARE, str(database)], text)
                times[column].append(seconds)
                counts.add(int(out))
            if len(counts) != 1:
                raise SystemExit(f"{name}: the three runs gave {sorted(counts)} rows")
            rows = counts.pop()
        results[name] = {column: statistics.median(t) for column, t in times.items()}
        results[name]["rows"] = rows
        print(f"{name}: " + ", ".join(f"{c} {results[name][c]:.2f} s" for c in COLUMNS),
              file=sys.stderr, flush=True)
    return results


def report(table: dict[int, dict[str, dict[str, float]]], args: argparse.Namespace,
           at_start: tuple[float, float, float], minutes: float) -> str:
    """The Markdown report."""
    sizes = sorted(table)
    lines = [
        "# Stored queries as `ibmkg query` runs them (written by `make bench-cli-queries`; "
        "do not edit)",
        "",
        f"Synthetic studies from `benchmarks/generate.py` (seed {args.seed}), medians of "
        f"{args.repeat} interleaved runs, whole processes (Python start included). "
        "`ibmkg query`: the command on the warm cached store; bare, same store: a fresh "
        "process opening that store read-only with pyoxigraph and running the same text "
        "(pyoxigraph's own `ORDER BY`), reading every term; bare, not compacted: the same "
        "on the same quads put on disk by pyoxigraph's `bulk_load` alone.",
        "",
        machine(at_start) + ".",
        "",
        f"Command: `python benchmarks/bench_cli_queries.py --sizes "
        f"{' '.join(map(str, sizes))} --repeat {args.repeat}"
        + (f" --queries {' '.join(args.queries)}" if args.queries else "")
        + f"`, {minutes:.1f} min in all.",
        "",
    ]
    for size in sizes:
        lines += [f"## {size:,} studies", "",
                  "| query | rows | " + " | ".join(COLUMNS)
                  + " | compacted / not (bare) |",
                  "| --- | ---: | " + " | ".join("---:" for _ in COLUMNS) + " | ---: |"]
        for name, cells in table[size].items():
            ratio = cells[COLUMNS[1]] / cells[COLUMNS[2]]
            lines.append(f"| {name} | {cells['rows']:,.0f} | "
                         + " | ".join(f"{cells[c]:.2f} s" for c in COLUMNS)
                         + f" | x{ratio:.2f} |")
        ratios = [cells[COLUMNS[1]] / cells[COLUMNS[2]] for cells in table[size].values()]
        lines += ["", f"Median of the ratios compacted / not compacted: "
                      f"x{statistics.median(ratios):.2f}.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser, [1000, 10000], "cli-queries.md")
    args = parser.parse_args(argv)
    at_start, started = os.getloadavg(), time.perf_counter()
    table: dict[int, dict[str, dict[str, float]]] = {}
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = make_project(size, args.seed, Path(tmp))
            database = warm(root)
            bare = uncompacted_copy(database, Path(tempfile.mkdtemp(dir=tmp)))
            print(f"== {size} studies", file=sys.stderr, flush=True)
            table[size] = measure(root, (database, bare), args.repeat, args.queries)
    text = report(table, args, at_start, (time.perf_counter() - started) / 60)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    grouped_bars(table[max(table)], COLUMNS,
                 f"Stored queries on the store on disk, {max(table):,} synthetic studies",
                 "seconds (whole process, median)", args.out.with_suffix(".png"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
