"""Benchmark :func:`ibmkg.reasoning.reason` on the real graph and on synthetic studies.

Measures the wall time of one ``reason()`` call (parsing, closure axioms, Java start,
HermiT, reading back, justifications) on the letter's ten studies and on 100, 1,000 and
10,000 synthetic studies made by ``benchmarks/synthetic.py`` in a temporary directory (never
in ``kg/``). Each run is a fresh Python process with a time cap, so a run that does not
finish is stopped and recorded as such. Small sizes report the median of several runs.

Writes a Markdown table (studies, triples, seconds, engine, runs, note) to
``benchmarks/results/reasoning.md``; ``make bench`` runs it.

Two engines: ``auto`` (what ``ibmkg reason`` runs: the fast classifier, the ontology's axioms
compiled into rules, HermiT only when the input needs it) at every size, and HermiT (the
reference, in batches) at ``--hermit-sizes``. ``benchmarks/check_engines.py`` checks that
both classify a 1,000-study sample identically.

Usage: ``python benchmarks/bench_reasoning.py [--sizes 100 1000 10000] [--hermit-sizes 100
1000] [--cap 900]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402 - the generator lives beside this script

#: Measured once by hand (2026-11-25, same machine) before batching existed; kept here
#: because it is why reason() splits large inputs.
WHY_BATCHES = (
    "Why batches: HermiT realises every individual of one ABox together, and its time grows",
    "with about the square of their number. In one HermiT run (no batches), 100 synthetic",
    "studies took about 20 s, 300 studies 118 s of HermiT alone, and 1,000 studies did not",
    "finish within 900 s. Above 40 data files, `reason()` therefore reasons over batches of",
    "40 files in parallel threads and merges the results (see `ibmkg.reasoning`).",
)


@dataclass
class Row:
    """One line of the results table."""

    label: str
    studies: int
    triples: int | None
    seconds: list[float]
    engine: str
    runs: int
    note: str = ""

    def markdown(self) -> str:
        """The table line."""
        if self.seconds:
            shown = f"{statistics.median(self.seconds):.1f}"
            if len(self.seconds) > 1:
                shown += f" ({min(self.seconds):.1f}–{max(self.seconds):.1f})"
        else:
            shown = "—"
        triples = f"{self.triples:,}" if self.triples is not None else "—"
        return (f"| {self.label} | {self.studies:,} | {triples} | {shown} | {self.engine} | "
                f"{len(self.seconds)}/{self.runs} | {self.note} |")


def worker(engine: str, files: list[Path]) -> None:
    """Reason once and print the figures as JSON (runs in a child process)."""
    from ibmkg.reasoning import Engine, reason
    from ibmkg.reasoning.inputs import load_inputs

    ontology = ROOT / "ontology" / "ibmkg.ttl"
    result = reason(ontology, files, engine=Engine(engine))
    done_at = time.time()  # what a user waits for ends here; counting triples is ours
    inputs = load_inputs(ontology, files)
    triples = len(inputs.ontology) + len(inputs.data)
    batches = [n for n in result.notes if n.startswith("reasoned in ")]
    print(json.dumps({"seconds": result.seconds, "triples": triples, "done_at": done_at,
                      "engine": result.engine.value, "inferred": len(result.inferred_triples),
                      "batches": batches[0].removeprefix("reasoned in ") if batches else ""}))


def run_once(engine: str, files_from: Path, cap: float) -> tuple[dict[str, object] | None, str]:
    """One child process; returns its figures, or ``None`` and why."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", engine, str(files_from)]
    started = time.perf_counter()
    spawned = time.time()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=cap, check=False)
    except subprocess.TimeoutExpired:
        return None, f"stopped at the {cap:.0f} s time cap"
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return None, f"failed after {time.perf_counter() - started:.0f} s: {last[:160]}"
    figures: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["wall"] = float(str(figures["done_at"])) - spawned  # start to reason()'s answer
    return figures, ""


def measure(label: str, studies: int, files_from: Path, engine: str, runs: int,
            cap: float) -> Row:
    """Run ``runs`` times (stopping at the first failure) and collect the figures.

    The seconds are the wall time from starting the child process (Python start and imports
    included) to ``reason()``'s answer, as a user of ``ibmkg reason`` waits (the benchmark's
    own count of the input triples afterwards is left out); ``reason()``'s time is in the
    note. The CPU time is the whole child's, that count included.
    """
    row = Row(label, studies, None, [], engine, runs)
    inner: list[float] = []
    cpu: list[float] = []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        figures, problem = run_once(engine, files_from, cap)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if figures is None:
            row.note = problem
            break
        row.seconds.append(float(str(figures["wall"])))
        inner.append(float(str(figures["seconds"])))
        row.triples = int(str(figures["triples"]))
        row.engine = str(figures["engine"])
        row.note = "; ".join(x for x in (
            str(figures["batches"]), f"{figures['inferred']:,} inferred triples",
            f"reason() {statistics.median(inner):.1f} s",
            f"CPU {statistics.median(cpu):.1f} s (Java included)") if x)
    print(row.markdown(), file=sys.stderr, flush=True)
    return row


def _files(spec: Path) -> list[Path]:
    """The data files: a directory of generated studies, or the project (``kg``)."""
    if spec.name == "kg":
        return [spec / "review.ttl", *sorted((spec / "studies").glob("*.ttl"))]
    return sorted((spec / "studies").glob("*.ttl"))


def _java_version() -> str:
    try:
        out = subprocess.run(["java", "-version"], capture_output=True, text=True, check=False)
    except OSError:
        return "none"
    first = (out.stderr or out.stdout).splitlines()
    return first[0] if first else "unknown"


def _load() -> str:
    try:
        return " ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worker", nargs=2, metavar=("ENGINE", "FILES"), help=argparse.SUPPRESS)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="runs for sizes up to 1,000")
    parser.add_argument("--cap", type=float, default=900.0, help="seconds allowed per run")
    parser.add_argument("--hermit-sizes", type=int, nargs="*", default=[100, 1000],
                        help="synthetic sizes also run with HermiT (slow: the reference)")
    parser.add_argument("--rl-sizes", type=int, nargs="*", default=[100],
                        help="synthetic sizes also run with OWL 2 RL (owlrl)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "reasoning.md")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker[0], _files(Path(args.worker[1])))
        return
    load_before = _load()
    rows = [measure("letter (kg/)", 10, ROOT / "kg", "auto", 5, args.cap),
            measure("letter (kg/)", 10, ROOT / "kg", "hermit", 5, args.cap),
            measure("letter (kg/)", 10, ROOT / "kg", "owlrl", 1, args.cap)]
    with tempfile.TemporaryDirectory(prefix="ibmkg-bench-") as tmp:
        for size in args.sizes:
            target = Path(tmp) / f"n{size}"
            synthetic.generate(size, target, seed=args.seed)
            runs = args.runs if size <= 1000 else 1
            rows.append(measure("synthetic", size, target, "auto", runs, args.cap))
            if size in args.hermit_sizes:
                rows.append(measure("synthetic", size, target, "hermit", runs, args.cap))
            if size in args.rl_sizes:
                rows.append(measure("synthetic", size, target, "owlrl", 1, args.cap))
    lines = [
        "# Reasoning benchmark",
        "",
        "Generated by `make bench` (`benchmarks/bench_reasoning.py`); do not edit.",
        "",
        "Wall time of a fresh process making one `ibmkg.reasoning.reason()` call (Python start",
        "and imports included; `reason()`'s own time and the process's CPU time are in the",
        "note, the CPU time being what an idle machine would roughly take): parsing, the engine",
        "(`auto`: the fast classifier, what `ibmkg reason` runs; `hermit`: HermiT through",
        "owlready2, Java start included, with closure axioms), the types read back and the",
        "SPARQL justifications. Synthetic studies come from `benchmarks/synthetic.py`",
        f"(seed {args.seed}), written to a temporary directory. Seconds are the median",
        f"(min–max) of the runs; each run is capped at {args.cap:.0f} s.",
        "",
        f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, {_java_version()};",
        f"load average (1, 5, 15 min) {load_before} at the start, {_load()} at the end (a",
        "shared machine: above the CPU count, processes wait for a CPU and wall times grow).",
        f"Run as `python benchmarks/bench_reasoning.py {' '.join(sys.argv[1:])}`; "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
        "| data | studies | triples | seconds | engine | runs | note |",
        "|---|---:|---:|---:|---|---:|---|",
        *(row.markdown() for row in rows),
        "",
        *WHY_BATCHES,
        "",
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
