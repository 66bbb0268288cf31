"""Kill `ibmkg build` and `ibmkg canon` at random points: nothing is lost or half-written.

Each trial starts the real command in its own process and kills it (SIGKILL or SIGTERM, in
turn) after a random delay within one run's duration. Every output must then be
byte-identical to the previous one or to a complete new one, and after the next full run
no temporary file or folder may be left. ``IBMKG_KILL_TRIALS`` sets the number of trials per
command (default 20); ``make reliability`` records the counts.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ibmkg.paths import Layout

TRIALS = int(os.environ.get("IBMKG_KILL_TRIALS", "20"))
SIGNALS = (signal.SIGKILL, signal.SIGTERM)
_MAIN = "import sys; from ibmkg.cli import main; sys.exit(main(sys.argv[1:]))"


def _run(root: Path, *args: str, kill_after: float | None = None,
         sig: signal.Signals = signal.SIGKILL) -> int | None:
    env = {**os.environ, "IBMKG_ROOT": str(root)}
    proc = subprocess.Popen([sys.executable, "-c", _MAIN, *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    if kill_after is None:
        return proc.wait(timeout=300)
    try:
        return proc.wait(timeout=kill_after)
    except subprocess.TimeoutExpired:
        proc.send_signal(sig)
        proc.wait(timeout=60)
        return None


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _leftovers(root: Path) -> list[str]:
    found = [p.name for p in root.iterdir() if ".tmp-" in p.name or ".old-" in p.name]
    found += [p.as_posix() for p in root.rglob(".*.tmp-*")]
    return found


@pytest.fixture()
def project(tmp_path: Path, fixture_layout: Layout) -> Path:
    root = tmp_path / "project"
    shutil.copytree(fixture_layout.root, root)
    return root


def _variant(root: Path, which: int) -> None:
    study = root / "kg" / "studies" / "fixture-alpha-2001.ttl"
    text = study.read_text()
    marker = "# kill-test variant"
    text = text.split(marker)[0]
    study.write_text(text + (f"{marker}\n<https://w3id.org/ibmkg/study/fixture-alpha-2001> "
                             f"<http://www.w3.org/2000/01/rdf-schema#comment> \"v{which}\" .\n"
                             if which else ""))


def test_killed_build_keeps_a_whole_build(project: Path) -> None:
    rng = random.Random(11)
    snapshots = []
    for which in (1, 0):
        _variant(project, which)
        start = time.monotonic()
        assert _run(project, "build", "--no-reason") == 0
        duration = time.monotonic() - start
        snapshots.append(_snapshot(project / "build"))
    assert snapshots[0] != snapshots[1]
    current = 1
    outcomes = {"killed": 0, "finished": 0}
    for trial in range(TRIALS):
        _variant(project, current)
        code = _run(project, "build", "--no-reason", kill_after=rng.uniform(0, duration * 1.1),
                    sig=SIGNALS[trial % 2])
        outcomes["killed" if code is None else "finished"] += 1
        state = _snapshot(project / "build")
        assert state in snapshots, f"trial {trial}: build/ is neither the old nor the new build"
        current = 1 - snapshots.index(state)
    assert _run(project, "build", "--no-reason") == 0
    assert _leftovers(project) == []
    assert outcomes["killed"] >= TRIALS // 2, outcomes
    print(f"RELIABILITY kill build trials={TRIALS} killed={outcomes['killed']} intact={TRIALS}")


def test_killed_canon_keeps_every_file_whole(project: Path) -> None:
    rng = random.Random(12)
    files = sorted((project / "kg").rglob("*.ttl"))
    canonical = {p: p.read_bytes() for p in files}
    messy = {p: b"# reformatted\n" + text.replace(b" .\n", b"  .\n") for p, text in
             canonical.items()}
    for path, text in messy.items():
        path.write_bytes(text)
    start = time.monotonic()
    assert _run(project, "canon") == 0
    duration = time.monotonic() - start
    rewritten = {p: p.read_bytes() for p in files}
    outcomes = {"killed": 0, "finished": 0}
    for trial in range(TRIALS):
        for path, text in messy.items():
            path.write_bytes(text)
        code = _run(project, "canon", kill_after=rng.uniform(0, duration * 1.1),
                    sig=SIGNALS[trial % 2])
        outcomes["killed" if code is None else "finished"] += 1
        for path in files:
            assert path.read_bytes() in (messy[path], rewritten[path]), f"trial {trial}: {path}"
    assert _run(project, "canon") == 0
    assert _leftovers(project) == []
    assert outcomes["killed"] >= TRIALS // 2, outcomes
    print(f"RELIABILITY kill canon trials={TRIALS} killed={outcomes['killed']} intact={TRIALS}")


def _group_members(pgid: int) -> list[tuple[int, str]]:
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            comm = (entry / "comm").read_text().strip()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            members.append((int(entry.name), comm))
    return members


def test_killed_during_reasoning_leaves_no_java_and_no_temp_file(project: Path) -> None:
    """Was: an orphaned `java` process and a temporary file after each kill (`ibmkg reason
    --engine hermit`, the step of `build` that runs Java)."""
    from ibmkg.reasoning import find_java

    if find_java() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but Java is not installed", pytrace=False)
        pytest.skip("Java is not installed (HermiT cannot run)")
    env = {**os.environ, "IBMKG_ROOT": str(project)}
    proc = subprocess.Popen([sys.executable, "-c", _MAIN, "reason", "--engine", "hermit"],
                            env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 120
    while not any(comm == "java" for _, comm in _group_members(proc.pid)):
        assert proc.poll() is None, "the build ended before the reasoner started"
        assert time.monotonic() < deadline, "the reasoner never started"
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 128 + signal.SIGTERM
    time.sleep(0.5)
    assert _group_members(proc.pid) == []
    assert _leftovers(project) == []
    print("RELIABILITY kill reasoning trials=1 orphans=0")
