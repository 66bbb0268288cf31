"""What the per-query benchmarks share: their arguments, machine line and grouped-bar plot.

Used by ``bench_cli_queries.py`` and ``bench_engines_queries.py`` (one row per stored
query, one column per way of running it).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def add_arguments(parser: argparse.ArgumentParser, sizes: list[int], out_name: str) -> None:
    """``--sizes``, ``--repeat``, ``--seed``, ``--queries`` and ``--out`` (under results/)."""
    parser.add_argument("--sizes", type=int, nargs="+", default=sizes)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--queries", nargs="+", help="only these stored queries")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / out_name)


def machine(at_start: tuple[float, float, float]) -> str:
    """The report's machine line: platform, CPUs, Python, load average at start and end."""
    return (f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
            f"{platform.python_version()}; load average (1, 5, 15 min) at the start "
            f"{', '.join(f'{x:.1f}' for x in at_start)}, at the end "
            f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")


def grouped_bars(results: dict[str, dict[str, float]], columns: Sequence[str], title: str,
                 ylabel: str, path: Path, *, log: bool = False) -> None:
    """One group of bars per query, one bar per column (when matplotlib is installed).

    :param log: a log scale with a dashed line at 1 s.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: no plot", file=sys.stderr)
        return
    names = list(results)
    figure, axes = plt.subplots(figsize=(10, 5))
    width = 0.8 / len(columns)
    middle = (len(columns) - 1) / 2
    for offset, column in enumerate(columns):
        axes.bar([i + (offset - middle) * width for i in range(len(names))],
                 [max(results[n][column], 1e-4) for n in names], width, label=column)
    if log:
        axes.axhline(1.0, color="grey", linewidth=0.8, linestyle="--")
        axes.set_yscale("log")
    axes.set_xticks(range(len(names)), names, rotation=60, ha="right", fontsize=8)
    axes.set_ylabel(ylabel)
    axes.set_title(title)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
