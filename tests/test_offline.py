"""``make run`` (``ibmkg build``) and the reasoner's Java stay on this machine.

The build runs as a separate process under an audit hook (``tests/audited_run.py``) with every
proxy variable, and the reasoner's Java proxy, pointed at a loopback listener that counts
connections: the build must open no file outside the project, the Python environment and the
temp folder, connect no socket but local ones, look up no name, start no program but the
query workers, and the listener must count nothing. HermiT is checked the same way, with a
control that makes it try to fetch an ``owl:imports`` and sees the attempt arrive at the
listener (so the check can fail).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

import serve_server
from ibmkg.paths import Layout, kg_files
from ibmkg.reasoning import Engine, find_java, reason
from ibmkg.reasoning.offline import JAVA_PROXY_ENV, java_offline
from stray_access import outside

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
#: What a checkout holds that the build reads.
PROJECT_PARTS = ("kg", "ontology", "shapes", "queries", "pyproject.toml", "LICENSE",
                 "LICENSE-DATA", "README.md")
OWL = "http://www.w3.org/2002/07/owl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass(frozen=True)
class AuditedRun:
    """One audited ``ibmkg build`` and what it touched."""

    root: Path
    returncode: int
    stderr: str
    events: list[dict[str, str]]
    worker_events: list[str]
    connections: int


def _java() -> str:
    found = find_java()
    if found is None:
        serve_server.missing("no Java runtime on the PATH (or in $IBMKG_JAVA): HermiT cannot run")
        raise AssertionError("unreachable: missing() skips or fails")
    return found


@pytest.fixture()
def listener() -> Iterator[serve_server.Listener]:
    running = serve_server.listen()
    yield running
    running.close()


@pytest.fixture(scope="module")
def audited_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AuditedRun]:
    """``ibmkg build`` of a copy of the real project, audited (once per module)."""
    scratch = tmp_path_factory.mktemp("offline")
    root = scratch / "project"
    root.mkdir()
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, root / part)
        elif source.is_file():
            shutil.copy2(source, root / part)
    log, worker_log = scratch / "events.jsonl", scratch / "workers.log"
    running = serve_server.listen()
    proxy = f"http://127.0.0.1:{running.port}"
    env = {key: value for key, value in os.environ.items() if key != "IBMKG_ROOT"}
    env.update({name: proxy for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY",
                                         "HTTPS_PROXY", "ALL_PROXY")})
    env.update({"no_proxy": "", "NO_PROXY": "", "IBMKG_SANDBOX_AUDIT": str(worker_log),
                JAVA_PROXY_ENV: f"127.0.0.1:{running.port}"})
    try:
        done = subprocess.run([sys.executable, str(TESTS / "audited_run.py"), str(log), "build"],
                              cwd=root, env=env, capture_output=True, text=True, timeout=600,
                              check=False)
    finally:
        running.close()
    events = [json.loads(line) for line in log.read_text().splitlines()]
    workers = worker_log.read_text().splitlines() if worker_log.exists() else []
    yield AuditedRun(root, done.returncode, done.stderr, events, workers, running.connections)


def _outside(events: list[dict[str, str]], project: Path) -> list[str]:
    return outside([e["value"] for e in events if e["event"] == "open"], project)


def test_make_run_builds_everything(audited_build: AuditedRun) -> None:
    assert audited_build.returncode == 0, audited_build.stderr[-800:]
    build = audited_build.root / "build"
    for produced in ("kg.ttl", "inferred.ttl", "validation.txt", "site/index.html",
                     "queries/patient-totals.csv"):
        assert (build / produced).is_file(), produced
    opened = {e["value"] for e in audited_build.events if e["event"] == "open"}
    assert any("kg/studies/" in path for path in opened), "the hook saw no study file read"


def test_make_run_reads_nothing_outside_the_project(audited_build: AuditedRun) -> None:
    assert _outside(audited_build.events, audited_build.root) == []


def test_make_run_makes_no_connection(audited_build: AuditedRun) -> None:
    network = [e for e in audited_build.events
               if e["event"] == "getaddrinfo"
               or (e["event"] == "connect" and not e["value"].startswith("AF_UNIX"))]
    assert network == []
    assert audited_build.connections == 0
    assert [line for line in audited_build.worker_events if "\tsocket.connect\t" in line] == []
    opened = sum(e["event"] == "open" for e in audited_build.events)
    print(f"RELIABILITY offline make-run (ibmkg build, site and reasoning included): "
          f"{opened} file opens audited, 0 outside the project, 0 connections, 0 name lookups")


def test_make_run_starts_no_unaudited_program(audited_build: AuditedRun) -> None:
    programs = {Path(e["value"]).name for e in audited_build.events if e["event"] == "popen"}
    # The build runs the stored queries in sandboxed worker processes (this Python), and the
    # fast reasoner needs no Java; anything else would be a program nobody audited.
    assert programs <= {Path(sys.executable).name, "java"}, programs
    if Path(sys.executable).name in programs:  # query workers ran: their own hooks reported
        assert any("audit\tinstalled" in line for line in audited_build.worker_events)


def test_hermit_makes_no_connection(listener: serve_server.Listener,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    _java()
    monkeypatch.setenv(JAVA_PROXY_ENV, f"127.0.0.1:{listener.port}")
    result = reason(ROOT / "ontology" / "ibmkg.ttl", kg_files(Layout(ROOT)), engine=Engine.HERMIT)
    assert result.engine is Engine.HERMIT and result.consistent
    assert listener.connections == 0
    print("RELIABILITY offline hermit: the real graph reasoned with its Java's proxies at a "
          "counting listener: 0 connections (control: an owl:imports fetch arrives there)")


def _hermit_importing(tmp_path: Path, java: str) -> subprocess.CompletedProcess[str]:
    """HermiT run as owlready2 runs it, on an ontology that imports a remote IRI."""
    from owlready2.reasoning import _HERMIT_CLASSPATH

    ontology = tmp_path / "imports.nt"
    ontology.write_text(
        f"<urn:o> <{RDF_TYPE}> <{OWL}Ontology> .\n"
        f"<urn:o> <{OWL}imports> <http://example.org/remote.owl> .\n", encoding="utf-8")
    with java_offline():
        return subprocess.run([java, "-cp", _HERMIT_CLASSPATH,
                               "org.semanticweb.HermiT.cli.CommandLine", "-c", "-O",
                               ontology.as_uri()],
                              capture_output=True, text=True, timeout=120, check=False)


def test_hermit_network_attempts_reach_only_the_proxy(
        listener: serve_server.Listener, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # The control: owlready2 drops owl:imports before HermiT sees the ontology, so the
    # reasoner above had nothing to fetch; HermiT given one directly tries, and the attempt
    # arrives at the listener standing in for the proxy, not at example.org.
    java = _java()
    monkeypatch.setenv(JAVA_PROXY_ENV, f"127.0.0.1:{listener.port}")
    done = _hermit_importing(tmp_path, java)
    assert done.returncode != 0
    assert listener.connections >= 1


def test_hermit_import_fails_at_once_by_default(monkeypatch: pytest.MonkeyPatch,
                                                tmp_path: Path) -> None:
    monkeypatch.delenv(JAVA_PROXY_ENV, raising=False)
    done = _hermit_importing(tmp_path, _java())
    assert done.returncode != 0
    assert "Connection refused" in done.stdout + done.stderr


def test_make_run_answers_keep_written_forms(audited_build: AuditedRun) -> None:
    # Regression (issue 11): build/queries/*.csv showed the store's "3" for the
    # "3.0"^^xsd:decimal the study files write.
    assert audited_build.returncode == 0
    studies = (audited_build.root / "kg" / "studies" / "amato-1994.ttl").read_text()
    assert 'ibmkg:courseDurationMonths 3.0 ' in studies  # a decimal, written 3.0
    rows = (audited_build.root / "build" / "queries" / "course-duration.csv").read_text()
    amato = [line for line in rows.splitlines() if "/amato-1994," in line]
    assert amato and all(",3.0," in line for line in amato), amato
