"""Benchmark `ibmkg site` (`ibmkg.publish.build_site`) on the letter and synthetic studies.

Times one site build (load, one pass over the graph, JSON-LD compaction, every page and its
four RDF files, the index with the stored questions answered, pictures, VoID/DCAT; pyLODE
documentation included) on the letter's ten studies and on synthetic studies made by
``benchmarks/synthetic.py`` in a temporary project (never in ``kg/``). Each size runs in a
fresh Python process, with a time cap.

Writes a Markdown table (studies, triples, pages, files, seconds, peak memory) to
``benchmarks/results/site.md``; ``make bench`` runs it at 1,000 and 10,000 studies,
``make bench-site-quick`` at 100 and 1,000.

Usage: ``python benchmarks/bench_site.py [--sizes 1000 10000] [--cap 1800] [--out FILE]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402 - the generator lives beside this script


def worker(root: Path) -> None:
    """Build the site of the project at ``root`` and print the figures as JSON."""
    from ibmkg.graph_io import load_project
    from ibmkg.paths import Layout
    from ibmkg.publish.site import build_site

    layout = Layout(root)
    started = time.perf_counter()
    data = load_project(layout)
    loaded = time.perf_counter()
    result = build_site(layout, root / "build" / "site", data=data, modified="2026-11-30")
    done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"triples": len(set(data.triples())), "pages": result.pages,
                      "files": result.files, "load": loaded - started,
                      "site": done - loaded, "peak_mb": peak, "workers_mb": workers}))


def _project(target: Path, studies: int | None, seed: int) -> Path:
    """A throw-away project: the real ontology, shapes and queries, real or synthetic kg/."""
    for name in ("ontology", "shapes", "queries", "pyproject.toml", "LICENSE-DATA"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copyfile(source, target / name)
    if studies is None:
        shutil.copytree(ROOT / "kg", target / "kg")
    else:
        made = synthetic.generate(studies, target.parent / "synthetic", seed=seed)
        (target / "kg" / "studies").mkdir(parents=True)
        for path in made:  # the generator never writes into a kg/ folder itself
            path.replace(target / "kg" / "studies" / path.name)
    return target


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(label: str, studies: int | None, seed: int, cap: float, runs: int = 1) -> list[str]:
    """Runs in fresh processes on one project (the second with the caches the first made)."""
    with tempfile.TemporaryDirectory(prefix="ibmkg-bench-site-") as tmp:
        root = _project(Path(tmp) / "project", studies, seed)
        lines = [_run(label, studies, root, cap)]
        for _ in range(runs - 1):
            lines.append(_run(label + ", cached pyLODE and pictures", studies, root, cap))
        return lines


def _run(label: str, studies: int | None, root: Path, cap: float) -> str:
    """One run in a fresh process; the Markdown table line."""
    env = {**os.environ, "IBMKG_ROOT": str(root)}
    cpu = _cpu()
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, __file__, "--worker", str(root)], env=env,
                              capture_output=True, text=True, timeout=cap, check=False)
    except subprocess.TimeoutExpired:
        return f"| {label} | {studies or 10} | | | | > {cap:.0f} | | | | stopped at the cap |"
    wall = time.perf_counter() - started
    if done.returncode != 0:
        return f"| {label} | {studies or 10} | | | | | | | | failed: " \
               f"{done.stderr.strip().splitlines()[-1][:80]} |"
    cpu = _cpu() - cpu
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return (f"| {label} | {studies or 10} | {figures['triples']:,} | {figures['pages']:,} | "
            f"{figures['files']:,} | {figures['site']:.1f} | {figures['load']:.1f} | "
            f"{wall:.1f} | {cpu:.1f} | peak {figures['peak_mb']:.0f} MB"
            + (f", child processes {figures['workers_mb']:.0f} MB at most"
               if figures["workers_mb"] > 0 else "") + " |")


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000])
    parser.add_argument("--cap", type=float, default=3600.0, help="seconds allowed per run")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--out", type=Path, default=HERE / "results" / "site.md")
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return
    load = os.getloadavg()[0]
    head = ["# Site build benchmark", "",
            "Generated by `benchmarks/bench_site.py`; do not edit.", "",
            f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
            f"{platform.python_version()}; load average {load:.1f} at the start.", "",
            "| graph | studies | triples | pages | files | site s | load s | process s | "
            "process CPU s | note |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"]
    foot = ["", "`site s`: `build_site()` alone (one pass over the graph, JSON-LD compaction, "
            "every page and its four RDF files, index, pictures, VoID/DCAT, pyLODE); "
            "`load s`: reading the project; `process s`: the whole fresh process (wall); "
            "`process CPU s`: its user + system CPU time and its child processes' (page "
            "workers from 2,000 pages on, one forked process per CPU; query workers), which "
            "a loaded machine does not inflate much. The second letter run reuses the pyLODE "
            "page and the pictures cached by the first in `.ibmkg/`.", ""]
    rows: list[str] = []
    args.out.parent.mkdir(parents=True, exist_ok=True)
    for label, size in [("letter (kg/)", None), *(("synthetic", n) for n in args.sizes)]:
        for line in measure(label, size, args.seed, args.cap, runs=2 if size is None else 1):
            rows.append(line)
            args.out.write_text("\n".join([*head, *rows, *foot]), encoding="utf-8")
            print(line, flush=True)
    foot[-1:] = [f"Load average {os.getloadavg()[0]:.1f} at the end.", ""]
    args.out.write_text("\n".join([*head, *rows, *foot]), encoding="utf-8")


if __name__ == "__main__":
    main()
