"""`make bench` smoke test: benchmarks/bench_scale.py runs end to end on 20 studies.

It proves the benchmark still works (every step and every stored query gets a figure); it
measures nothing: speed is only read from `make bench`'s report.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from ibmkg.paths import find_root
from ibmkg.queries import load_catalogue

ROOT = find_root(Path(__file__).parent)


def test_bench_scale_runs_every_step_and_query(tmp_path: Path) -> None:
    out = tmp_path / "results.md"
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_scale.py"),
                          "--sizes", "20", "--repeat", "1", "--budget", "300",
                          "--steps", "load,load-bare,reason-fast,queries,export",
                          "--out", str(out)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    rows = {line.split(" | ")[0].lstrip("| "): line.split(" | ")[1]
            for line in out.read_text(encoding="utf-8").split("Against bare")[0].splitlines()
            if line.startswith("| ") and not line.startswith("| step")
            and not line.startswith("| ---")}
    queries = [q.name for q in load_catalogue(ROOT / "queries").values() if not q.federated]
    expected = {"generate", "load", "load-bare", "reason-fast", "export",
                "load (in the queries step)"}
    expected |= {f"query {q}" for q in queries}
    expected |= {f"query {q} (bare)" for q in queries}
    assert set(rows) == expected
    assert all(re.match(r"[0-9.e+-]+ s\b", cell) for cell in rows.values()), rows


def _query_rows(report: Path) -> list[list[str]]:
    """The cells of a per-query benchmark's table rows (headers and rules left out)."""
    return [line.split(" | ") for line in report.read_text(encoding="utf-8").splitlines()
            if line.startswith("| ") and not line.startswith(("| query", "| ---"))]


def _run_per_query(script: str, queries: list[str], out: Path) -> list[list[str]]:
    """Run a per-query benchmark on 5 studies, one run each; return its table's cells."""
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), "--sizes", "5",
                          "--repeat", "1", "--queries", *queries, "--out", str(out)],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    return _query_rows(out)


def test_bench_cli_queries_times_the_command_and_both_bare_stores(tmp_path: Path) -> None:
    """`make bench-cli-queries` on 5 studies and two queries: three figures per query, the
    same number of rows from `ibmkg query` and both bare stores (else the script fails)."""
    rows = _run_per_query("bench_cli_queries.py", ["patients-by-design", "course-duration"],
                          tmp_path / "cli.md")
    assert [row[0].lstrip("| ") for row in rows] == ["course-duration", "patients-by-design"]
    # course-duration answers one row per synthetic study; patients-by-design one per design
    assert rows[0][1] == "5"
    assert int(rows[1][1]) >= 1
    assert all(re.fullmatch(r"[0-9.]+ s", cell) for row in rows for cell in row[2:5]), rows


def test_bench_query_engines_agrees_and_times_both_engines(tmp_path: Path) -> None:
    """`make bench-query-engines` on 5 studies and two queries: a real Virtuoso, bulk-loaded,
    gives the rows the embedded store gives (else the script fails), and every cell is a time."""
    sys.path.insert(0, str(ROOT / "tests"))
    import virtuoso_server

    virtuoso_server.require()
    rows = _run_per_query("bench_engines_queries.py", ["evidence-by-design", "course-duration"],
                          tmp_path / "engines.md")
    assert [row[0].lstrip("| ") for row in rows] == ["course-duration", "evidence-by-design"]
    assert rows[0][1] == "5"  # one IVIG course per synthetic study
    assert all(re.fullmatch(r"[0-9.]+ s( \|)?", cell) for row in rows for cell in row[2:]), rows
