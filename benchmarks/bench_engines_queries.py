"""Every stored query on two engines side by side: pyoxigraph in memory and Virtuoso.

For each size a throw-away project (the real ontology, queries and review; synthetic studies
from ``benchmarks/generate.py``) is loaded into ibmkg's query store in memory
(``EmbeddedStore.from_project``); the same triples (its default graph, dumped as N-Triples)
go into a throw-away Virtuoso on 127.0.0.1 through Virtuoso's bulk loader
(``tests/virtuoso_server.py``; Debian's ``virtuoso-opensource``). Then, for each local stored
query, interleaved ``--repeat`` times:

- ibmkg, in memory: ``run_query`` on the embedded store (what ``make bench-queries`` times);
- ibmkg, Virtuoso: ``run_query`` on a :class:`~ibmkg.store.remote.RemoteStore` of the
  endpoint (what ``ibmkg query --endpoint`` does: SPARQLWrapper, JSON results, rows);
- bare Virtuoso: the same text sent over HTTP, the TSV answer read whole.

The three must give the same rows (as sorted multisets of their text), else the benchmark
fails: a wrong answer is not a figure. Medians go to ``--out`` (Markdown) with a plot.

Usage: ``python benchmarks/bench_engines_queries.py [--sizes 10000 100000] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

from bench_scale import make_project  # noqa: E402 - the benchmarks' shared project maker
from query_tables import add_arguments, grouped_bars, machine  # noqa: E402

import virtuoso_server  # noqa: E402 - the test fixture that starts Virtuoso

COLUMNS = ("ibmkg, in memory", "ibmkg, Virtuoso", "bare Virtuoso")
GRAPH = "urn:ibmkg:bench"


def _bare(endpoint: str, text: str) -> int:
    """Send a query; read the whole TSV answer; return its rows."""
    request = urllib.request.Request(
        endpoint, data=urllib.parse.urlencode({"query": text}).encode("ascii"),
        headers={"Accept": "text/tab-separated-values"})
    with urllib.request.urlopen(request, timeout=600) as response:
        return int(response.read().count(b"\n")) - 1


def _key(rows: list[tuple[object, ...]]) -> list[str]:
    return sorted(repr(tuple(str(v) for v in row)) for row in rows)


def measure(root: Path, server: virtuoso_server.VirtuosoServer, embedded: object,
            repeat: int, only: list[str] | None) -> dict[str, dict[str, float]]:
    """Medians per query and column (seconds), with the row count."""
    from ibmkg.queries import bindings_for, load_catalogue, run_query
    from ibmkg.store.embedded import EmbeddedStore
    from ibmkg.store.remote import RemoteStore

    assert isinstance(embedded, EmbeddedStore)
    remote = RemoteStore(server.endpoint, timeout=600.0, max_bytes=2**34)
    results: dict[str, dict[str, float]] = {}
    for name, query in sorted(load_catalogue(root / "queries").items()):
        if query.federated or query.inferred or (only and name not in only):
            continue
        text = embedded.prepare(query.sparql, bindings_for(query, {}), forms=("SELECT",))
        times: dict[str, list[float]] = {column: [] for column in COLUMNS}
        for _ in range(repeat):
            started = time.perf_counter()
            ours = run_query(embedded, query).rows
            times[COLUMNS[0]].append(time.perf_counter() - started)
            started = time.perf_counter()
            theirs = run_query(remote, query).rows
            times[COLUMNS[1]].append(time.perf_counter() - started)
            started = time.perf_counter()
            bare_rows = _bare(server.endpoint, text)
            times[COLUMNS[2]].append(time.perf_counter() - started)
            if _key(ours) != _key(theirs) or bare_rows != len(ours):
                raise SystemExit(f"{name}: the engines disagree ({len(ours)} rows in memory, "
                                 f"{len(theirs)} through Virtuoso, {bare_rows} bare)")
        results[name] = {column: statistics.median(t) for column, t in times.items()}
        results[name]["rows"] = len(ours)
        print(f"{name}: " + ", ".join(f"{c} {results[name][c]:.2f} s" for c in COLUMNS),
              file=sys.stderr, flush=True)
    return results


def report(table: dict[int, dict[str, dict[str, float]]], loads: dict[int, dict[str, float]],
           args: argparse.Namespace, at_start: tuple[float, float, float],
           minutes: float) -> str:
    """The Markdown report."""
    lines = [
        "# Stored queries on pyoxigraph and Virtuoso (written by `make bench-query-engines`; "
        "do not edit)",
        "",
        f"Synthetic studies from `benchmarks/generate.py` (seed {args.seed}), medians of "
        f"{args.repeat} interleaved runs. ibmkg, in memory: `run_query` on the embedded "
        "query store; ibmkg, Virtuoso: `run_query` on a `RemoteStore` of a throw-away "
        "Virtuoso on 127.0.0.1 holding the same triples (SPARQLWrapper, JSON results); bare "
        "Virtuoso: the same text over HTTP, the TSV answer read whole. The three gave the "
        "same rows for every query.",
        "",
        machine(at_start) + f"; Virtuoso {args.virtuoso_version}.",
        "",
        f"Command: `python benchmarks/bench_engines_queries.py --sizes "
        f"{' '.join(map(str, sorted(table)))} --repeat {args.repeat}"
        + (f" --queries {' '.join(args.queries)}" if args.queries else "")
        + f"`, {minutes:.1f} min in all.",
        "",
    ]
    for size in sorted(table):
        load = loads[size]
        lines += [f"## {size:,} studies ({load['triples']:,.0f} triples)", "",
                  f"Loading: ibmkg's query store in memory {load['embedded']:.1f} s; Virtuoso's "
                  f"bulk loader {load['virtuoso']:.1f} s (from an N-Triples dump).", "",
                  "| query | rows | " + " | ".join(COLUMNS) + " |",
                  "| --- | ---: | " + " | ".join("---:" for _ in COLUMNS) + " |"]
        for name, cells in table[size].items():
            lines.append(f"| {name} | {cells['rows']:,.0f} | "
                         + " | ".join(f"{cells[c]:.3f} s" for c in COLUMNS) + " |")
        lines.append("")
        for column in COLUMNS:
            count = sum(1 for cells in table[size].values() if cells[column] < 1.0)
            lines.append(f"- {column}: {count} of {len(table[size])} under 1 s.")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and write the report."""
    import subprocess

    import pyoxigraph

    from ibmkg.paths import Layout
    from ibmkg.store.embedded import EmbeddedStore

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser, [10000, 100000], "engines-queries.md")
    args = parser.parse_args(argv)
    if not virtuoso_server.available():
        sys.exit("virtuoso-t is not installed (apt-get install virtuoso-opensource)")
    version = subprocess.run([virtuoso_server.EXECUTABLE, "-?"], capture_output=True,
                             text=True, check=False)
    args.virtuoso_version = next((line.split("Version")[1].strip().split()[0]
                                  for line in (version.stdout + version.stderr).splitlines()
                                  if "Version" in line), "(version not reported)")
    at_start, started = os.getloadavg(), time.perf_counter()
    table: dict[int, dict[str, dict[str, float]]] = {}
    loads: dict[int, dict[str, float]] = {}
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = make_project(size, args.seed, Path(tmp))
            clock = time.perf_counter()
            embedded = EmbeddedStore.from_project(Layout(root), study_graphs=False)
            loads[size] = {"embedded": time.perf_counter() - clock,
                           "triples": len(embedded.oxigraph)}
            (Path(tmp) / "virtuoso").mkdir()
            dump = Path(tmp) / "virtuoso" / "all.nt"
            embedded.oxigraph.dump(output=str(dump), format=pyoxigraph.RdfFormat.N_TRIPLES,
                                   from_graph=pyoxigraph.DefaultGraph())
            # about 2.7 GB of cache at 100,000 studies, less below
            server = virtuoso_server.start(Path(tmp) / "virtuoso", timeout=180.0,
                                           buffers=max(20000, size * 34 // 10),
                                           max_rows=10_000_000, execution_limit=600,
                                           estimate_limit=0)
            try:
                clock = time.perf_counter()
                server.bulk_load(dump, GRAPH)
                loads[size]["virtuoso"] = time.perf_counter() - clock
                print(f"== {size} studies", file=sys.stderr, flush=True)
                table[size] = measure(root, server, embedded, args.repeat, args.queries)
            finally:
                server.stop()
            del embedded
    text = report(table, loads, args, at_start, (time.perf_counter() - started) / 60)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")
    grouped_bars(table[max(table)], COLUMNS, f"Stored queries, {max(table):,} synthetic studies",
                 "seconds (median)", args.out.with_suffix(".png"), log=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
