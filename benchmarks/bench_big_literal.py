"""Time every build step on a study holding one huge literal (issue 11: 10 MB took over 400 s).

Copies the project to a temporary folder, appends an ``rdfs:comment`` of SIZE megabytes to
one study, and runs ``ibmkg build`` (with the reasoner when Java is present), printing the
time of each step. Usage: ``python benchmarks/bench_big_literal.py [--sizes 1 10]``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(size_mb: float, reason: bool) -> str:
    """Build a copy of the project with one literal of ``size_mb`` MB; return the timings."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        shutil.copytree(ROOT, root, ignore=shutil.ignore_patterns(
            ".venv", "build*", ".git", "__pycache__", "*_cache", "benchmarks"))
        study = sorted((root / "kg" / "studies").glob("*.ttl"))[0]
        slug = study.stem
        with study.open("a", encoding="utf-8") as handle:
            handle.write(f'\n<https://w3id.org/ibmkg/study/{slug}> '
                         f'<http://www.w3.org/2000/01/rdf-schema#comment> '
                         f'"{"x" * int(size_mb * 1_000_000)}" .\n')
        command = [sys.executable, "-c",
                   "import sys; from ibmkg.cli import main; sys.exit(main(sys.argv[1:]))",
                   "--root", str(root), "build", *([] if reason else ["--no-reason"])]
        start = time.monotonic()
        proc = subprocess.run(command, capture_output=True, text=True, check=False)
        total = time.monotonic() - start
        steps = [ln for ln in proc.stderr.splitlines() if " ... " in ln]
        return (f"{size_mb:g} MB: exit {proc.returncode}, {total:.1f} s in all; "
                + "; ".join(steps))


def main() -> None:
    """Parse the arguments and print one line per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1.0, 10.0])
    parser.add_argument("--no-reason", action="store_true")
    args = parser.parse_args()
    for size in args.sizes:
        print(run(size, not args.no_reason), flush=True)


if __name__ == "__main__":
    main()
