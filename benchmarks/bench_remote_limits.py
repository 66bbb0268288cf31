"""Measure the remote store's limits against a misbehaving server on 127.0.0.1.

Starts ``tests/fault_server.py`` (a real HTTP server in its own process) and, each in a fresh
Python process so the peak memory is that request's own, times:

* a server that sends one byte per second, with ``timeout=5`` (issue 11 measured 41 s and an
  ``IncompleteRead`` on the old code);
* an endless answer with the default size limit (64 MiB; the old code read a 200 MB answer
  into 1.56 GB);

and records the wall time, the peak resident memory and the error line. Writes a Markdown
table to ``benchmarks/results/remote-limits.md``.

Usage: ``python benchmarks/bench_remote_limits.py [--out FILE]``
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

_PROBE = """
import json, resource, sys, time
from ibmkg.errors import EndpointError
from ibmkg.store.remote import RemoteStore
url, timeout = sys.argv[1], float(sys.argv[2])
started = time.perf_counter()
try:
    RemoteStore(url, timeout=timeout).query("SELECT * WHERE { ?s ?p ?o }")
    outcome = "answered"
except EndpointError as err:
    outcome = str(err)
print(json.dumps({"seconds": time.perf_counter() - started, "outcome": outcome,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _probe(url: str, timeout: float) -> dict[str, object]:
    done = subprocess.run([sys.executable, "-c", _PROBE, url, str(timeout)], check=True,
                          capture_output=True, text=True, timeout=600)
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE / "results" / "remote-limits.md")
    args = parser.parse_args()
    server = subprocess.Popen([sys.executable, str(ROOT / "tests" / "fault_server.py")],
                              stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    base = f"http://127.0.0.1:{int(server.stdout.readline())}"
    lines = ["# Remote store limits", "",
             "| case | timeout (s) | seconds | peak memory (MB) | outcome |",
             "|---|--:|--:|--:|---|"]
    try:
        for label, path, timeout in [("one byte per second", "/slow", 5.0),
                                     ("endless answer, default 64 MiB limit", "/huge", 120.0),
                                     ("baseline: a one-row answer", "/ok", 5.0)]:
            result = _probe(base + path, timeout)
            outcome = str(result["outcome"]).replace(base, "http://127.0.0.1:PORT")
            lines.append(f"| {label} | {timeout:g} | {result['seconds']:.1f} | "
                         f"{result['peak_mb']:.0f} | {outcome} |")
            print(lines[-1], flush=True)
    finally:
        server.terminate()
        server.wait(timeout=10)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
