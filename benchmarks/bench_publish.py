"""Benchmark ``ibmkg publish`` (the library's :class:`ibmkg.endpoint.Publisher`) to Virtuoso.

Starts a throw-away Virtuoso on 127.0.0.1 (``tests/virtuoso_server.py``: temporary database,
free ports, stopped by its PID), then for each size publishes the ontology plus that many
synthetic studies (``benchmarks/synthetic.py``, written to a temporary directory) three
times: into an empty server (everything added), the same input again (0 changes, the
idempotent case) and with one study changed. Each publication uploads the role graphs that
changed, verifies them by the server's fingerprint, counts the changes per role, switches,
then refreshes the mirrors (``G``, ``G/ontology``, ...) by server-side ``COPY``; the wall
time of each run is recorded, and apart from it the time of the mirror step (from the
switch to the end: each mirror's fingerprint, the copies and their verification).

Writes a Markdown table to ``benchmarks/results/publish.md``. Virtuoso must be installed
(Debian's ``virtuoso-opensource``).

Usage: ``python benchmarks/bench_publish.py [--sizes 10 100] [--out FILE]``
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests"))

import synthetic  # noqa: E402 - the generator lives beside this script

import virtuoso_server  # noqa: E402 - the test fixture that starts Virtuoso
from ibmkg.endpoint.publish import Publisher, plan_graphs  # noqa: E402
from ibmkg.graph_io import load_dataset  # noqa: E402
from ibmkg.paths import Layout  # noqa: E402
from ibmkg.store.remote import RemoteStore  # noqa: E402

GRAPH = "https://example.org/ibmkg-bench"


def _publish(server: virtuoso_server.VirtuosoServer, files: list[Path],
             ) -> tuple[float, float, float, int, int, int, str]:
    """Publish once: seconds, seconds of the mirror step and of its COPY updates alone,
    triples in the publication, triples added, removed, and the roles uploaded and mirrors
    copied."""
    layout = Layout(ROOT)
    data = load_dataset(layout.ontology, files, layout=layout)
    plans = plan_graphs(data, GRAPH)
    store = RemoteStore(server.endpoint, update_endpoint=server.update_endpoint, user="dba",
                        password="dba", timeout=600)
    switched: list[float] = []
    copying: list[float] = []
    uploaded: set[str] = set()

    def progress(line: str) -> None:
        if line.startswith(("copying ", "copied ")):
            copying.append(time.perf_counter())
        elif line.startswith("switched "):
            switched.append(time.perf_counter())
        elif line.startswith("uploaded "):
            name = line.split(" to ")[-1]  # urn:ibmkg:version:<16 hex>:ROLE:G
            uploaded.add(name[len("urn:ibmkg:version:") + 17:].split(":", 1)[0])

    started = time.perf_counter()
    summary = Publisher(store, graph_store=server.graph_store,
                        progress=progress).publish(GRAPH, plans)
    ended = time.perf_counter()
    mirrors = ended - switched[0] if switched else ended - started  # 0 changes: no switch
    copies = sum(copying[i + 1] - copying[i] for i in range(0, len(copying) - 1, 2))
    copied = [m.role for m in summary.mirrors if m.copied]
    what = f"uploaded {', '.join(sorted(uploaded)) or 'none'}; copied {', '.join(copied) or 'none'}"
    return (ended - started, mirrors, copies, sum(c.triples for c in summary.changes),  # the roles
            sum(c.added for c in summary.changes), sum(c.removed for c in summary.changes),
            what)


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100])
    parser.add_argument("--out", type=Path, default=HERE / "results" / "publish.md")
    args = parser.parse_args()
    if not virtuoso_server.available():
        sys.exit("virtuoso-t is not installed (apt-get install virtuoso-opensource)")
    lines = [
        "# Publishing to Virtuoso",
        "",
        f"Python {platform.python_version()}, {platform.machine()}; Virtuoso on 127.0.0.1 "
        "(Debian package, temporary database). Graph Store Protocol upload in chunks of 1,000 "
        "triples, fingerprint verification, server-side change counts per role, switch, then "
        "the mirrors refreshed by server-side COPY (\"mirror s\": from the switch to the end; "
        "with 0 changes, the whole run, which is then mostly the check of each live role "
        "graph and mirror; \"copy s\": the COPY updates alone).",
        "",
        "| studies | triples | run | seconds | mirror s | copy s | added | removed | roles |",
        "|--:|--:|---|--:|--:|--:|--:|--:|---|",
    ]
    with tempfile.TemporaryDirectory(prefix="ibmkg-bench-publish-") as tmp:
        (Path(tmp) / "virtuoso").mkdir()
        server = virtuoso_server.start(Path(tmp) / "virtuoso")
        try:
            for size in args.sizes:
                files = synthetic.generate(size, Path(tmp) / f"studies-{size}")
                runs = [("first", files), ("same again", files)]
                changed = Path(tmp) / f"changed-{size}" / files[0].name
                changed.parent.mkdir(parents=True)
                changed.write_text(files[0].read_text(encoding="utf-8").replace(
                    'not a real study."', 'not a real study (changed)."', 1), encoding="utf-8")
                runs.append(("one study changed", [changed, *files[1:]]))
                for label, inputs in runs:
                    seconds, mirrors, copies, triples, added, removed, what = _publish(
                        server, inputs)
                    lines.append(f"| {size} | {triples} | {label} | {seconds:.1f} | "
                                 f"{mirrors:.1f} | {copies:.2f} | {added} | {removed} | "
                                 f"{what} |")
                    print(lines[-1], flush=True)
        finally:
            server.stop()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
