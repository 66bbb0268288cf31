"""The gate's verdicts kept on disk: a query the gate passed is not parsed by rdflib again.

Protects: an accepted query's verdict is kept and reused (the second ``ibmkg query`` of a
stored query imports no rdflib); a refused query is never kept and is refused again with its
file and line; a verdict file edited by hand to accept a refused query cannot make the gate
accept it (the key is the query text's hash, and a malformed entry is ignored); a changed
gate or option gets a new key; a read-only project still answers.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ibmkg.errors import UnsafeQueryError
from ibmkg.sandbox import gate
from ibmkg.sandbox.gate import QueryInfo, inspect_query, keep_verdicts
from ibmkg.sandbox.verdicts import LIMIT, VerdictCache, verdict_key


@pytest.fixture
def verdicts(tmp_path: Path) -> object:
    path = tmp_path / ".ibmkg" / "gate-verdicts.json"
    keep_verdicts(path)
    yield path
    keep_verdicts(None)


def test_an_accepted_query_is_kept_and_reused(verdicts: Path) -> None:
    text = "SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s"
    info = inspect_query(text)
    assert info.columns == ("s", "n")
    kept = json.loads(verdicts.read_text(encoding="utf-8"))["verdicts"]
    assert kept == {verdict_key(text, False, gate.MAX_DEPTH): ["SELECT", ["s", "n"], False,
                                                               False]}
    # a fresh process's gate (empty memory cache) answers from the file
    keep_verdicts(verdicts)
    assert VerdictCache(verdicts).get(verdict_key(text, False, gate.MAX_DEPTH)) == info
    assert inspect_query(text) == info


def test_a_refused_query_is_never_kept(verdicts: Path) -> None:
    text = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    for _ in range(2):
        with pytest.raises(UnsafeQueryError):
            inspect_query(text)
    assert not verdicts.exists()


def test_a_forged_verdict_cannot_accept_a_refused_query(verdicts: Path) -> None:
    """The key is the text's hash: a verdict for another text does not apply; and an entry
    under the right key that is malformed is ignored (the query is parsed and refused)."""
    text = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    key = verdict_key(text, False, gate.MAX_DEPTH)
    verdicts.parent.mkdir(parents=True)
    verdicts.write_text(json.dumps({"format": 1, "verdicts": {key: ["SELECT", "s", 0, None]}}),
                        encoding="utf-8")
    keep_verdicts(verdicts)
    with pytest.raises(UnsafeQueryError):
        inspect_query(text)
    verdicts.write_text("{not json", encoding="utf-8")
    keep_verdicts(verdicts)
    with pytest.raises(UnsafeQueryError):
        inspect_query(text)


def test_the_key_follows_the_options_and_the_text() -> None:
    base = verdict_key("ASK {}", False, 64)
    assert base != verdict_key("ASK {}", True, 64)
    assert base != verdict_key("ASK {}", False, 65)
    assert base != verdict_key("ASK { }", False, 64)
    assert len(base) == 64


def test_the_file_keeps_the_newest_verdicts(tmp_path: Path) -> None:
    cache = VerdictCache(tmp_path / "v.json")
    info = QueryInfo("ASK", (), False)
    for number in range(LIMIT + 5):
        cache.put(f"k{number}", info)
    reread = VerdictCache(tmp_path / "v.json")
    assert reread.get("k0") is None and reread.get("k4") is None
    assert reread.get("k5") == info and reread.get(f"k{LIMIT + 4}") == info


def test_an_unwritable_place_only_loses_the_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    cache = VerdictCache(blocker / "v.json")
    cache.put("k", QueryInfo("ASK", (), False))  # no error: the verdict is not kept
    assert VerdictCache(blocker / "v.json").get("k") is None
    assert blocker.read_text(encoding="utf-8").startswith("a file")


def test_the_second_stored_query_needs_no_rdflib(tmp_path: Path) -> None:
    """The point of the cache: the first answer of ``ibmkg query`` without rdflib's import."""
    from ibmkg.paths import find_root

    root = tmp_path / "project"
    source = find_root(Path(__file__).parent)
    for name in ("ontology", "kg", "queries"):
        shutil.copytree(source / name, root / name)
    shutil.copy(source / "pyproject.toml", root / "pyproject.toml")
    program = ("import sys, runpy\n"
               "sys.argv = ['ibmkg', '--root', sys.argv[1], 'query', 'patients-by-design']\n"
               "from ibmkg.cli import main\n"
               "code = main(sys.argv[1:])\n"
               "print('RDFLIB' if 'rdflib' in sys.modules else 'NO-RDFLIB', code)\n")
    first = subprocess.run([sys.executable, "-c", program, str(root)], capture_output=True,
                           text=True, timeout=300)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip().endswith("RDFLIB 0")  # parsed once...
    assert (root / ".ibmkg" / "gate-verdicts.json").is_file()
    second = subprocess.run([sys.executable, "-c", program, str(root)], capture_output=True,
                            text=True, timeout=300)
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip().endswith("NO-RDFLIB 0")  # ...then answered from the file
    assert "case series" in second.stdout
