"""Benchmark ``ibmkg serve``: concurrent requests from a second process on loopback.

A temporary project holds the real ontology, queries and review plus N synthetic studies
(``benchmarks/synthetic.py``; invented data, marked as such). ``ibmkg serve`` is started on a
free 127.0.0.1 port and stopped by its PID; a client process sends a bounded number of
requests (a mix of stored queries by name, with and without parameters, and ad-hoc SELECT
and ASK queries through ``/sparql``) from a fixed number of concurrent threads, and records
throughput, latency percentiles and failures (which must be 0) to
``benchmarks/results/serve.md``.

Usage: ``python benchmarks/bench_serve.py [--studies N ...] [--requests R] [--concurrency C]``
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402 - the benchmark's own generator, next to this file

#: The request mix: (path and query string, Accept header).
MIX = [
    ("/queries/randomised", "application/sparql-results+json"),
    ("/queries/studies-by-outcome?outcome=dysphagia", "application/sparql-results+json"),
    ("/queries/patient-totals", "text/csv"),
    ("/queries/evidence-by-design", "application/sparql-results+xml"),
    ("/sparql?" + urllib.parse.urlencode({"query": "SELECT ?s ?l WHERE { ?s a ibmkg:Study ; "
                                          "rdfs:label ?l } ORDER BY ?l LIMIT 50"}),
     "text/tab-separated-values"),
    ("/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s a ibmkg:Study }"}),
     "application/sparql-results+json"),
]


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def make_project(studies: int, target: Path) -> Path:
    """A copy of the project whose kg/studies holds ``studies`` synthetic studies."""
    project = target / "project"
    for folder in ("ontology", "queries", "shapes"):
        shutil.copytree(ROOT / folder, project / folder)
    (project / "kg").mkdir(parents=True)
    shutil.copy2(ROOT / "kg" / "review.ttl", project / "kg" / "review.ttl")
    files = synthetic.generate(studies, target / "generated", seed=1)
    shutil.copytree(files[0].parent, project / "kg" / "studies")
    target = project
    (target / "pyproject.toml").write_text("[project]\nname = 'bench'\n", encoding="utf-8")
    return target


def start(project: Path, workers: int, in_memory: bool = False,
          ) -> tuple[subprocess.Popen[bytes], str, float]:
    """Start the server; return it, its base URL and the seconds it took to answer."""
    port = free_port()
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from ibmkg.cli import main; sys.exit(main())",
         "--root", str(project), "serve", "--port", str(port), "--workers", str(workers),
         "--timeout", "30", *(["--in-memory"] if in_memory else [])],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    while time.monotonic() - started < 1800:
        if process.poll() is not None:
            raise RuntimeError(f"ibmkg serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(base + "/sparql?query=ASK%7B%7D", timeout=5):
                return process, base, time.monotonic() - started
        except OSError:
            time.sleep(0.5)
    process.kill()
    raise RuntimeError("ibmkg serve did not start")


def client(base: str, requests: int, concurrency: int) -> dict[str, object]:
    """Run in a second process: fire the requests and measure (prints JSON)."""
    def one(i: int) -> tuple[float, bool]:
        path, accept = MIX[i % len(MIX)]
        started = time.perf_counter()
        try:
            request = urllib.request.Request(base + path, headers={"Accept": accept})
            with urllib.request.urlopen(request, timeout=120) as answer:
                answer.read()
                ok = answer.status == 200
        except (urllib.error.URLError, OSError):
            ok = False
        return time.perf_counter() - started, ok

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(one, range(requests)))
    elapsed = time.perf_counter() - started
    latencies = sorted(r[0] for r in results)

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, round(p / 100 * (len(latencies) - 1)))]

    return {"requests": requests, "concurrency": concurrency, "seconds": elapsed,
            "throughput": requests / elapsed, "p50": pct(50), "p90": pct(90), "p99": pct(99),
            "max": latencies[-1], "mean": statistics.fmean(latencies),
            "failures": sum(1 for r in results if not r[1])}


def _measure(project: Path, studies: int, mode: str, args: argparse.Namespace,
             ) -> dict[str, object]:
    """Start the server in one mode, fire the requests from a second process, stop it."""
    process, base, startup = start(project, args.workers, mode == "memory")
    load_before = os.getloadavg()[0]
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--client", base, "--requests",
             str(args.requests), "--concurrency", str(args.concurrency)],
            capture_output=True, check=True, timeout=3600)
        result: dict[str, object] = json.loads(done.stdout)
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
    result.update(studies=studies, startup=startup, mode=mode,
                  load=(load_before, os.getloadavg()[0]))
    print(f"{studies} studies, {mode}: {result['throughput']:.1f} req/s, p50 "
          f"{float(str(result['p50'])) * 1000:.0f} ms, p99 "
          f"{float(str(result['p99'])) * 1000:.0f} ms, failures {result['failures']}",
          file=sys.stderr)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, nargs="+", default=[100, 1000, 10000])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--modes", nargs="+", choices=["disk", "memory"],
                        default=["disk", "memory"], help="where the workers read the graph: "
                        "the persistent store on disk, or their own copy (--in-memory)")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "serve.md")
    parser.add_argument("--client", metavar="BASE_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.client:
        print(json.dumps(client(args.client, args.requests, args.concurrency)))
        return
    rows = []
    for studies in args.studies:
        with tempfile.TemporaryDirectory(prefix="ibmkg-bench-serve-") as tmp:
            project = make_project(studies, Path(tmp))
            for mode in args.modes:  # side by side on the same project
                rows.append(_measure(project, studies, mode, args))
    lines = [
        "# ibmkg serve under concurrent load",
        "",
        f"Written by `benchmarks/bench_serve.py` ({time.strftime('%Y-%m-%d')}); Python "
        f"{platform.python_version()}, {os.cpu_count()} CPUs, {args.workers} query workers, "
        f"{args.concurrency} concurrent client threads in a second process on 127.0.0.1, "
        f"{args.requests} requests per size, a fixed mix of {len(MIX)} requests (stored "
        "queries by name with and without parameters, ad-hoc SELECT and ASK; JSON, XML, CSV "
        "and TSV answers). The server keeps answers of repeated queries (`--cache`, default "
        "256; the graph is read-only): the first request of each kind runs the query in a "
        "worker and identical requests arriving meanwhile wait for it, so p99 and max show "
        "the cold runs. Studies beyond the letter's ten are SYNTHETIC (invented by "
        "`benchmarks/synthetic.py`). `disk`: the query workers open the project's persistent "
        "store read-only (no copy of the graph per worker); `memory`: `--in-memory`, each "
        "worker loads its own copy at start (the start column includes it). The server keeps "
        "rendered answers. "
        "`load` is the machine's 1-minute load average when the client started and when it "
        "ended (2 cores shared with other work: above 2 the benchmark competed for the CPU).",
        "",
        "| studies | workers | start (s) | requests | req/s | p50 (ms) | p90 (ms) | p99 (ms) "
        "| max (ms) | failures | load |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        lines.append(f"| {r['studies']:,} | {r['mode']} | {r['startup']:.1f} | {r['requests']} | "
                     f"{r['throughput']:.1f} | {r['p50'] * 1000:.0f} | {r['p90'] * 1000:.0f} | "
                     f"{r['p99'] * 1000:.0f} | {r['max'] * 1000:.0f} | {r['failures']} | "
                     f"{r['load'][0]:.1f} → {r['load'][1]:.1f} |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if any(r["failures"] for r in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
