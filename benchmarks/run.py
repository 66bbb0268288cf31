"""Time the project's pipeline with rdflib and with pyoxigraph, side by side.

Steps: parse every Turtle file, load a store, validate with pySHACL (its data graph built by
each parser), run every local stored query, and write Turtle. Each step runs ``--repeat``
times and the median is kept. ``--copies N`` multiplies the study graphs (renamed copies) to
see how the timings grow. The report goes to ``benchmarks/results/latest.md`` and
``latest.json``; nothing in it names this machine's paths.

Usage: ``python benchmarks/run.py [--repeat 3] [--copies 1 3] [--no-validate]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pyoxigraph
import rdflib

from ibmkg.canonical import canonical_turtle
from ibmkg.graph_io import LoadedData, SourceGraph, atomic_write, load_project, to_rdflib_graph
from ibmkg.paths import Layout, default_layout, import_files, kg_files, shape_files
from ibmkg.queries import StoredQuery, load_catalogue
from ibmkg.sparql import add_missing_prefixes
from ibmkg.store.embedded import EmbeddedStore
from ibmkg.validation import validate

STUDY = "https://w3id.org/ibmkg/study/"


@dataclass
class Row:
    """One measured step: seconds for each engine (``None`` when not applicable)."""

    step: str
    copies: int
    rdflib: float | None
    pyoxigraph: float | None
    note: str = ""


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)


def median_time(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def with_copies(data: LoadedData, copies: int) -> LoadedData:
    """Add ``copies - 1`` renamed copies of every study graph (synthetic scale-up)."""
    graphs = list(data.graphs)
    for n in range(1, copies):
        for graph in data.graphs:
            if not graph.name.startswith(STUDY):
                continue

            def rename(term: Any, n: int = n) -> Any:
                if isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(STUDY):
                    slug, _, rest = term.value[len(STUDY):].partition("/")
                    return pyoxigraph.NamedNode(f"{STUDY}{slug}-copy{n}" + (f"/{rest}" if rest
                                                                            else ""))
                return term

            triples = tuple(pyoxigraph.Triple(rename(t.subject), t.predicate, rename(t.object))
                            for t in graph.triples)
            graphs.append(SourceGraph(rename(pyoxigraph.NamedNode(graph.name)).value,
                                      graph.display, triples))
    return LoadedData(tuple(graphs), data.index)


def run(layout: Layout, repeat: int, copies_list: list[int], with_validation: bool) -> Report:
    report = Report()
    files = [layout.ontology, *import_files(layout), *kg_files(layout)]
    base = load_project(layout, with_mappings=False)
    shapes = [t for p in shape_files(layout) for t in pyoxigraph.parse(path=p)]
    queries = [q for q in load_catalogue(layout.queries).values()
               if not q.federated and not q.inferred and not any(p.required for p in q.params)]

    def rdflib_parse() -> rdflib.Graph:
        graph = rdflib.Graph()
        for path in files:
            graph.parse(path, format="turtle")
        return graph

    report.rows.append(Row("parse Turtle files", 1, median_time(rdflib_parse, repeat),
                           median_time(lambda: load_project(layout, with_mappings=False),
                                       repeat)))
    for copies in copies_list:
        shapes_here = shapes if with_validation and copies == copies_list[0] else []
        _measure(report, with_copies(base, copies), copies, queries, shapes_here, repeat)
    return report


def _measure(report: Report, data: LoadedData, copies: int, queries: list[StoredQuery],
             shapes: list[pyoxigraph.Triple], repeat: int) -> None:
    """Load, query, write (and validate, when shapes are given) one scale of the graph."""
    ntriples = pyoxigraph.serialize(data.triples(), format=pyoxigraph.RdfFormat.N_TRIPLES) or b""

    def rdflib_graph() -> rdflib.Graph:
        return rdflib.Graph().parse(data=ntriples, format="nt")

    report.rows.append(Row(f"load a store ({len(set(data.triples()))} triples)", copies,
                           median_time(rdflib_graph, repeat),
                           median_time(lambda: EmbeddedStore.from_data(data), repeat)))
    graph = rdflib_graph()
    store = EmbeddedStore.from_data(data)
    for query in queries:
        text = add_missing_prefixes(query.sparql)
        r_rows = len(list(graph.query(text)))
        o_rows = len(store.query(query.sparql))
        if r_rows != o_rows:
            report.mismatches.append(f"{query.name} (x{copies}): rdflib {r_rows} rows, "
                                     f"pyoxigraph {o_rows}")
        report.rows.append(Row(f"query {query.name}", copies,
                               median_time(partial(_rdflib_rows, graph, text), repeat),
                               median_time(partial(store.query, query.sparql), repeat),
                               f"{o_rows} rows"))
    report.rows.append(Row("write Turtle", copies,
                           median_time(partial(graph.serialize, format="turtle"), repeat),
                           median_time(lambda: canonical_turtle(data.triples()), repeat),
                           "rdflib serializer vs ibmkg canonical writer"))
    if shapes:
        def rdflib_validate() -> object:
            import pyshacl

            return pyshacl.validate(rdflib_graph(), shacl_graph=to_rdflib_graph(shapes),
                                    advanced=True)

        report.rows.append(Row("validate (pySHACL)", copies, median_time(rdflib_validate, 1),
                               median_time(lambda: validate(data, shapes), 1),
                               "data graph parsed by rdflib vs by pyoxigraph and converted"))


def _rdflib_rows(graph: rdflib.Graph, text: str) -> int:
    return len(list(graph.query(text)))


def environment() -> dict[str, str]:
    return {
        "python": platform.python_version(),
        "platform": f"{platform.system()} {platform.machine()}",
        "cpus": str(os.cpu_count()),
        **{name: version(name) for name in ("rdflib", "pyoxigraph", "pyshacl")},
    }


def markdown(report: Report, env: dict[str, str], repeat: int) -> str:
    lines = [
        "# ibmkg benchmark: rdflib vs pyoxigraph",
        "",
        "Generated by `make bench` (`benchmarks/run.py`); median of "
        f"{repeat} run(s) per step, seconds.",
        "",
        "Environment: " + ", ".join(f"{k} {v}" for k, v in env.items()),
        "",
        "| step | copies | rdflib | pyoxigraph | ratio | note |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for row in report.rows:
        ratio = (f"{row.rdflib / row.pyoxigraph:.1f}x" if row.rdflib and row.pyoxigraph
                 else "")
        lines.append(f"| {row.step} | {row.copies} | {_s(row.rdflib)} | {_s(row.pyoxigraph)} "
                     f"| {ratio} | {row.note} |")
    lines += ["", "Row-count mismatches between the engines: "
              + ("; ".join(report.mismatches) if report.mismatches else "none"), ""]
    return "\n".join(lines)


def _s(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds:.4f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--copies", type=int, nargs="+", default=[1, 3])
    parser.add_argument("--no-validate", action="store_true")
    parser.add_argument("--out", type=Path, default=None, help="results directory")
    args = parser.parse_args(argv)
    layout = default_layout()
    report = run(layout, args.repeat, args.copies, not args.no_validate)
    env = environment()
    out = args.out or layout.benchmark_results
    out.mkdir(parents=True, exist_ok=True)
    atomic_write(out / "latest.md", markdown(report, env, args.repeat))
    atomic_write(out / "latest.json", json.dumps({
        "environment": env, "repeat": args.repeat,
        "rows": [row.__dict__ for row in report.rows], "mismatches": report.mismatches,
    }, indent=2) + "\n")
    print(markdown(report, env, args.repeat))
    print(f"written to {layout.relative(out).as_posix()}/latest.md and latest.json",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
