"""Benchmark SHACL validation: ``ibmkg validate`` (compiled and pySHACL) against Apache Jena SHACL.

Whole processes, as a user runs them, on synthetic studies (``benchmarks/synthetic.py``,
SYNTHETIC DATA) validated together with the project's ontology, imports and review against
``shapes/``:

- ``compiled``: ``ibmkg validate --engine compiled REVIEW FILE``;
- ``pyshacl``: ``ibmkg validate --engine pyshacl REVIEW FILE`` (the reference path);
- ``jena``: ``java -cp ... shacl.shacl validate --shapes SHAPES --data DATA`` (Apache Jena
  SHACL from Debian's ``libapache-jena-java``) on the same triples and shapes.

Runs are interleaved (each round runs every engine once per size) and the median wall time
and the peak resident memory of each process are reported. The ibmkg engines write their JSON
report and Jena its report graph to files in every run, so the first timed run is also the one
whose results are compared (no separate untimed run). The load average before and after, the
exact commands and every run's time are written with the table. An engine that exceeds its budget
at one size is reported "over budget" there and not run at larger sizes. At each size where
both ibmkg engines ran, their JSON reports are compared (same results, yes or no).

Usage: ``python benchmarks/bench_validation.py [--sizes 100 1000] [--runs 3]``; writes
``benchmarks/results/validation.md`` and ``validation.png``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import synthetic  # noqa: E402

JENA_JARS = (
    "jena-arq", "jena-base", "jena-cmds", "jena-core", "jena-dboe-base", "jena-dboe-index",
    "jena-dboe-storage", "jena-dboe-trans-data", "jena-dboe-transaction", "jena-iri",
    "jena-rdfconnection", "jena-shacl", "jena-shex", "jena-tdb", "jena-tdb2", "commons-cli",
    "commons-codec", "commons-compress", "commons-csv", "commons-io", "commons-lang3",
    "dexx.collection", "gson", "guava", "httpclient", "httpcore", "jackson-core",
    "jackson-databind", "jackson-annotations", "jsonld-java", "jakarta.json-api", "protobuf",
    "slf4j-api", "slf4j-simple", "thrift", "titanium-json-ld",
)
ENGINES = ("compiled", "pyshacl", "jena")


@dataclass
class Cell:
    """The runs of one engine at one size."""

    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system seconds of the process
    over_budget: bool = False
    over_runs: int = 0  # timed runs that went over budget after others had finished
    error: str | None = None

    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None

    def text(self) -> str:
        if self.error and self.error.startswith("not run"):
            return self.error
        if self.error:
            return f"error: {self.error}"
        if not self.seconds:
            return "over budget" if self.over_budget else "not run"
        text = f"{statistics.median(self.seconds):.2f} s, {max(self.peak_mb):.0f} MB"
        if self.cpu:
            text += f" (CPU {statistics.median(self.cpu):.1f} s)"
        if self.over_runs:
            text += f" (median of {len(self.seconds)}; {self.over_runs} run(s) over budget)"
        return text


def jena_classpath(java_dir: Path, work: Path) -> str | None:
    """The classpath of jena-on-debian.md, with the relocated Xerces messages extracted."""
    jars = [java_dir / f"{name}.jar" for name in JENA_JARS]
    if not all(j.is_file() for j in jars):
        return None
    xerces = work / "xerces"
    with zipfile.ZipFile(java_dir / "jena-core.jar") as archive:
        prefix = "org/apache/jena/ext/xerces/impl/"
        for member in archive.namelist():
            if member.startswith(prefix) and not member.endswith("/") and \
                    not member.endswith(".class"):
                target = xerces / "xerces" / "impl" / member[len(prefix):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(member))
    return os.pathsep.join([str(xerces), *map(str, jars)])


def timed(command: list[str], budget: float, stdout: Path | None = None,
          ) -> tuple[float, float, int, float] | None:
    """Run a process; return (seconds, peak MB, exit code, CPU seconds), or None when over
    budget."""
    out = stdout.open("wb") if stdout else subprocess.DEVNULL
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT)
    deadline = start + budget
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            os.wait4(process.pid, 0)
            return None
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    if stdout:
        out.close()  # type: ignore[union-attr]
    return (elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status),
            usage.ru_utime + usage.ru_stime)


def prepare(size: int, work: Path, seed: int) -> tuple[Path, Path, Path]:
    """Write the synthetic file, and the merged data and shapes files Jena reads."""
    import pyoxigraph

    from ibmkg.graph_io import load_dataset, load_turtle
    from ibmkg.paths import default_layout, import_files, shape_files

    folder = work / f"studies-{size}"
    files = synthetic.generate(size, folder, seed=seed)
    data_file = work / f"synthetic-{size}.ttl"
    with data_file.open("w", encoding="utf-8") as out:
        for path in files:
            out.write(path.read_text(encoding="utf-8") + "\n")
    shutil.rmtree(folder)
    layout = default_layout()
    review = layout.kg / "review.ttl"
    data = load_dataset(layout.ontology, [review, data_file], layout=layout,
                        imports=import_files(layout))
    merged = work / f"data-{size}.nt"
    merged.write_bytes(pyoxigraph.serialize(data.triples(),
                                            format=pyoxigraph.RdfFormat.N_TRIPLES) or b"")
    shapes = work / "shapes.nt"
    if not shapes.exists():
        triples = [t for p in shape_files(layout) for t in load_turtle(p)]
        shapes.write_bytes(pyoxigraph.serialize(_declare_prov(triples),
                                                format=pyoxigraph.RdfFormat.N_TRIPLES) or b"")
    return data_file, merged, shapes


def _declare_prov(triples: list) -> list:  # type: ignore[type-arg]
    """Jena refuses a SPARQL constraint using an undeclared prefix; declare prov: (copy only)."""
    import pyoxigraph

    sh = "http://www.w3.org/ns/shacl#"
    owner = pyoxigraph.NamedNode("https://w3id.org/ibmkg/shapes/")
    decl = pyoxigraph.NamedNode("https://w3id.org/ibmkg/shapes/prefix-prov-bench")
    xsd_any = pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#anyURI")
    declared = any(t.predicate.value == sh + "prefix" and t.object.value == "prov"
                   for t in triples)
    if declared:
        return triples
    return [*triples,
            pyoxigraph.Triple(owner, pyoxigraph.NamedNode(sh + "declare"), decl),
            pyoxigraph.Triple(decl, pyoxigraph.NamedNode(sh + "prefix"),
                              pyoxigraph.Literal("prov")),
            pyoxigraph.Triple(decl, pyoxigraph.NamedNode(sh + "namespace"),
                              pyoxigraph.Literal("http://www.w3.org/ns/prov#",
                                                 datatype=xsd_any))]


def same_results(first: Path, second: Path) -> bool:
    """Whether two ``--format json`` reports hold the same results (compared fields)."""
    def rows(path: Path) -> set[tuple[object, ...]]:
        document = json.loads(path.read_text(encoding="utf-8"))
        return {(r["focus"], r["path"], r["value"], r["constraint_component"], r["severity"],
                 r["source_shape"]) for r in document["results"]}

    return rows(first) == rows(second)


def same_as_jena(ours: Path, report: Path) -> bool:
    """Whether Jena's report holds the compiled engine's SHACL results."""
    import pyoxigraph

    store = pyoxigraph.Store()
    store.load(report.read_bytes(), format=pyoxigraph.RdfFormat.TURTLE)
    solutions = store.query(
        "PREFIX sh: <http://www.w3.org/ns/shacl#> SELECT ?f ?p ?c ?s WHERE { "
        "?r a sh:ValidationResult ; sh:focusNode ?f ; sh:sourceConstraintComponent ?c ; "
        "sh:resultSeverity ?s . OPTIONAL { ?r sh:resultPath ?p } }")
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    jena = {(r["f"].value, r["p"].value if isinstance(r["p"], pyoxigraph.NamedNode) else None,
             r["c"].value, r["s"].value.rsplit("#", 1)[-1])
            for r in solutions}
    document = json.loads(ours.read_text(encoding="utf-8"))
    mine = {(r["focus"], r["path"] if r["path"] and "://" in r["path"]
             and not r["path"].startswith(("^", "(")) else None,
             r["constraint_component"], r["severity"])
            for r in document["results"] if "/query/" not in r["source_shape"]}
    return jena == mine


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--budget", type=float, default=900.0,
                        help="seconds per process for the compiled engine and Jena")
    parser.add_argument("--pyshacl-budget", type=float, default=600.0,
                        help="seconds per pySHACL process")
    parser.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES),
                        help="engines to run (the others are reported as not run)")
    parser.add_argument("--java-dir", type=Path, default=Path("/usr/share/java"))
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--name", default="validation.md",
                        help="file name of the results under --out (the plot beside it)")
    args = parser.parse_args(argv)
    ibmkg = str(Path(sys.executable).parent / "ibmkg")
    table: dict[int, dict[str, Cell]] = {n: {e: Cell() for e in ENGINES} for n in args.sizes}
    agree: dict[int, bool] = {}
    agree_jena: dict[int, bool] = {}
    shown_commands: dict[int, dict[str, str]] = {}
    load_before = _load()
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    with tempfile.TemporaryDirectory(prefix="ibmkg-bench-") as tmp:
        work = Path(tmp)
        classpath = jena_classpath(args.java_dir, work) if shutil.which("java") else None
        review = default_review()
        for size in args.sizes:
            data_file, merged, shapes = prepare(size, work, args.seed)
            commands = {
                "compiled": [ibmkg, "validate", "--format", "json", "--engine", "compiled",
                             str(review), str(data_file)],
                "pyshacl": [ibmkg, "validate", "--format", "json", "--engine", "pyshacl",
                            str(review), str(data_file)],
                "jena": ["java", "-cp", classpath or "", "shacl.shacl", "validate",
                         "--shapes", str(shapes), "--data", str(merged)],
            }
            if classpath is None:
                table[size]["jena"].error = "Java or Debian's Jena jars not found"
            for engine in set(ENGINES) - set(args.engines):
                table[size][engine].error = "not run (--engines)"
            outputs = {"compiled": work / f"compiled-{size}.json",
                        "pyshacl": work / f"pyshacl-{size}.json",
                        "jena": work / f"jena-{size}.ttl"}
            shown_commands[size] = {e: _shown(c, work, ibmkg, classpath)
                                    for e, c in commands.items()}
            for round_number in range(args.runs):
                for engine in ENGINES:
                    cell = table[size][engine]
                    if cell.over_budget or cell.error or _skipped(table, size, engine):
                        continue
                    budget = args.pyshacl_budget if engine == "pyshacl" else args.budget
                    run = timed(commands[engine], budget, outputs[engine])
                    if run is None and cell.seconds:
                        cell.over_runs += 1
                    elif run is None:
                        cell.over_budget = True
                    elif run[2] not in (0, 1):
                        cell.error = f"exit code {run[2]}"
                    else:
                        cell.seconds.append(run[0])
                        cell.peak_mb.append(run[1])
                        cell.cpu.append(run[3])
                    last = f"{run[0]:.2f} s, {run[1]:.0f} MB" if run else "over budget"
                    print(f"{size:>6} {engine:<8} run {last}; so far {cell.text()}",
                          file=sys.stderr, flush=True)
                if round_number == 0:  # compare the first round's reports
                    done = {e for e in ENGINES if table[size][e].seconds}
                    if {"compiled", "pyshacl"} <= done:
                        agree[size] = same_results(outputs["compiled"], outputs["pyshacl"])
                    if {"compiled", "jena"} <= done:
                        agree_jena[size] = same_as_jena(outputs["compiled"], outputs["jena"])
    args.out.mkdir(parents=True, exist_ok=True)
    conditions: dict[str, object] = {
        "started": started, "load_before": load_before, "load_after": _load(),
        "argv": " ".join(sys.argv[1:]) or "(defaults)", "commands": shown_commands}
    (args.out / args.name).write_text(markdown(table, agree, agree_jena, args, conditions),
                                      encoding="utf-8")
    plot(table, args.out / Path(args.name).with_suffix(".png"))
    return 0


def default_review() -> Path:
    from ibmkg.paths import default_layout

    return default_layout().kg / "review.ttl"


def _skipped(table: dict[int, dict[str, Cell]], size: int, engine: str) -> bool:
    """An engine over budget at a smaller size is not run at larger ones."""
    if any(smaller < size and cells[engine].over_budget for smaller, cells in table.items()):
        table[size][engine].over_budget = True
        return True
    return False


def _shown(command: list[str], work: Path, ibmkg: str, classpath: str | None) -> str:
    """A command as the results show it: no path of this machine, ``$WORK`` for the temp dir."""
    words = []
    for word in command:
        if word == ibmkg:
            word = "ibmkg"
        elif classpath and word == classpath:
            word = "$JENA_CLASSPATH"
        elif word.startswith(str(work)):
            word = "$WORK" + word[len(str(work)):]
        elif word.startswith(str(ROOT)):
            word = word[len(str(ROOT)) + 1:]
        words.append(word)
    return " ".join(words)


def _load() -> str:
    """The 1, 5 and 15 minute load averages (the machine may be shared)."""
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def markdown(table: dict[int, dict[str, Cell]], agree: dict[int, bool],
             agree_jena: dict[int, bool], args: argparse.Namespace,
             conditions: dict[str, object]) -> str:
    lines = [
        "# SHACL validation: compiled engine, pySHACL and Apache Jena SHACL",
        "",
        "Generated by `benchmarks/bench_validation.py` (`make bench-validation`); do not edit.",
        "",
        f"Whole processes on SYNTHETIC studies (seed {args.seed}) with the ontology, imports "
        f"and review, against `shapes/`; median of {args.runs} interleaved run(s), peak "
        "resident memory of the process and its CPU time (user + system; Jena uses several "
        "threads, so its CPU time can exceed its wall time). Budgets: pySHACL "
        f"{args.pyshacl_budget:.0f} s, others {args.budget:.0f} s per process.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPU(s), Python "
        f"{platform.python_version()}, {platform.system()} {platform.release()}; "
        f"started {conditions['started']}, finished "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
        f"Load average (1, 5, 15 min) {conditions['load_before']} at the start and "
        f"{conditions['load_after']} at the end, on {os.cpu_count()} CPU(s): above the CPU "
        "count, processes waited for a CPU and wall times are longer than on an idle machine.",
        "",
        f"Run as `python benchmarks/bench_validation.py {conditions['argv']}`.",
        "",
        "| studies | compiled | pySHACL | Jena SHACL | compiled / Jena | same results as "
        "pySHACL | same results as Jena |",
        "|---:|---|---|---|---:|---|---|",
    ]
    for size, cells in table.items():
        fast, jena = cells["compiled"].median(), cells["jena"].median()
        ratio = f"{fast / jena:.2f}" if fast and jena else "-"
        same = ("yes" if agree[size] else "NO") if size in agree else "not compared"
        same_jena = ("yes" if agree_jena[size] else "NO") if size in agree_jena \
            else "not compared"
        lines.append(f"| {size:,} | {cells['compiled'].text()} | {cells['pyshacl'].text()} | "
                     f"{cells['jena'].text()} | {ratio} | {same} | {same_jena} |")
    lines += ["", "Results are compared on focus node, path, value, constraint component, "
              "severity and source shape with pySHACL; with Jena on focus node, path (IRI "
              "paths), constraint component and severity, over the SHACL results (the "
              "project's SPARQL data checks under `queries/checks/` are ibmkg's own).",
              "", "Jena reads the same triples (merged N-Triples, written beforehand) and the "
              "same shapes, with `prov:` declared through `sh:declare` in its copy (Jena "
              "refuses an undeclared prefix in a SPARQL constraint).", "",
              "Each run, in seconds (in the order run):", ""]
    for size, cells in table.items():
        for engine, cell in cells.items():
            if cell.seconds:
                runs = ", ".join(f"{x:.2f}" for x in cell.seconds)
                lines.append(f"- {size:,} studies, {engine}: {runs}")
    lines += ["", "Commands (`$WORK`: the run's temporary folder; `$JENA_CLASSPATH`: Debian's "
              "Jena jars, see `jena_classpath`):", ""]
    commands = conditions["commands"]
    assert isinstance(commands, dict)
    for size, by_engine in commands.items():
        for engine, command in by_engine.items():
            if table[size][engine].seconds:
                lines.append(f"- {size:,} {engine}: `{command}`")
    lines.append("")
    return "\n".join(lines)


def plot(table: dict[int, dict[str, Cell]], target: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(6, 4))
    for engine, label in (("compiled", "ibmkg compiled"), ("pyshacl", "ibmkg pySHACL"),
                          ("jena", "Apache Jena SHACL")):
        points = [(n, m) for n, c in table.items() if (m := c[engine].median()) is not None]
        if points:
            axes.plot([n for n, _ in points], [s for _, s in points], marker="o", label=label)
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("synthetic studies")
    axes.set_ylabel("seconds (whole process, median)")
    axes.set_title("ibmkg validate vs Apache Jena SHACL")
    axes.legend()
    figure.tight_layout()
    figure.savefig(target, dpi=120)


if __name__ == "__main__":
    raise SystemExit(main())
