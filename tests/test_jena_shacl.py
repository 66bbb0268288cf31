"""Apache Jena SHACL as a second engine: the same results as ibmkg on the same data and shapes.

Jena (Debian's ``libapache-jena-java``, Jena 4.5) is started as ``java -cp ... shacl.shacl
validate --shapes S --data D``; its report is read back with the same reader ibmkg uses for
pySHACL's, and the two are compared on focus node, path, constraint component and severity.
The classpath is built in a fixture from ``/usr/share/java`` (override with
``$IBMKG_JENA_JARS``), including the fix for Debian's relocated Xerces message bundles.

Each Jena run starts a JVM (about 3 s of CPU), so ``make test`` compares the real graph and
the broken fixture named in :data:`SAMPLE`; ``make crosscheck`` (``IBMKG_CROSSCHECK=all``)
compares every broken fixture in ``tests/data/broken``. Without Java or the jars the tests
skip, except in CI where they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pyoxigraph
import pytest
import rdflib

from ibmkg.graph_io import LoadedData, SourceGraph
from ibmkg.source_index import SourceIndex
from ibmkg.validation import ValidationResult, validate
from ibmkg.validation.pyshacl_adapter import _results
from test_shapes import FIXTURES, Fixture, _base, _broken

JARS = Path(os.environ.get("IBMKG_JENA_JARS", "/usr/share/java"))
_JAR_NAMES = (
    "jena-arq jena-base jena-cmds jena-core jena-dboe-base jena-dboe-index jena-dboe-storage "
    "jena-dboe-trans-data jena-dboe-transaction jena-iri jena-rdfconnection jena-shacl "
    "jena-shex jena-tdb jena-tdb2 commons-cli commons-codec commons-compress commons-csv "
    "commons-io commons-lang3 dexx.collection gson guava httpclient httpcore jackson-core "
    "jackson-databind jackson-annotations jsonld-java jakarta.json-api protobuf slf4j-api "
    "slf4j-simple thrift titanium-json-ld")
CLASSPATH_JARS = _JAR_NAMES.split()

#: The broken fixture compared in ``make test`` (a SHACL-SPARQL constraint with a result path,
#: on top of the real graph's core constraints); ``make crosscheck`` compares all of them.
SAMPLE = ("Study-armTotals",)

ALL = os.environ.get("IBMKG_CROSSCHECK") == "all"
CASES = [f for f in FIXTURES if ALL or f.path.stem in SAMPLE]


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def jena(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The command that starts Jena SHACL, with its classpath."""
    java = shutil.which("java")
    if java is None:
        _missing("java is not installed (Debian: default-jre-headless)")
    missing = [j for j in CLASSPATH_JARS if not (JARS / f"{j}.jar").is_file()]
    if missing:
        _missing(f"Jena jars missing from {JARS}: {', '.join(missing)} "
                 "(Debian: libapache-jena-java)")
    extra = tmp_path_factory.mktemp("jena-xerces")
    prefix = "org/apache/jena/ext/xerces/impl/"
    with zipfile.ZipFile(JARS / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith(prefix) and not name.endswith("/"):
                target = extra / "xerces" / "impl" / name[len(prefix):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))
    classpath = os.pathsep.join([*(str(JARS / f"{j}.jar") for j in CLASSPATH_JARS), str(extra)])
    return [str(java), "-cp", classpath, "shacl.shacl", "validate"]


def _nt(triples: list[pyoxigraph.Triple], path: Path) -> Path:
    path.write_text("".join(f"{t} .\n" for t in dict.fromkeys(triples)), encoding="utf-8")
    return path


def _key(r: ValidationResult) -> tuple[str, str, str, str]:
    return (r.focus, r.path or "", r.constraint_component, r.severity.value)


def _jena_results(command: list[str], data: Path, shapes: Path) -> list[ValidationResult]:
    run = subprocess.run([*command, "--shapes", str(shapes), "--data", str(data)],
                         capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    report = rdflib.Graph().parse(data=run.stdout, format="turtle")
    data_graph = rdflib.Graph().parse(data, format="nt")
    shapes_graph = rdflib.Graph().parse(shapes, format="nt")
    return [r for r, _ in _results(report, data_graph, shapes_graph)]


def _compare(command: list[str], triples: list[pyoxigraph.Triple],
             shapes: list[pyoxigraph.Triple], tmp: Path) -> list[ValidationResult]:
    data = LoadedData((SourceGraph("urn:ibmkg:crosscheck", "data.nt", tuple(triples)),),
                      SourceIndex())
    ours = validate(data, shapes, python_checks=False).results
    theirs = _jena_results(command, _nt(triples, tmp / "data.nt"),
                           _nt(shapes, tmp / "shapes.nt"))
    assert Counter(map(_key, ours)) == Counter(map(_key, theirs))
    return ours


def test_real_graph_same_results(jena: list[str], project: LoadedData,
                                 shapes: list[pyoxigraph.Triple], tmp_path: Path) -> None:
    ours = _compare(jena, list(project.triples()), shapes, tmp_path)
    assert [r.source_shape.rsplit("/", 1)[-1] for r in ours] == ["Cited-doiInfo"]


def test_sample_is_collected() -> None:
    assert {f.path.stem for f in CASES} >= set(SAMPLE)
    assert len(CASES) == (len(FIXTURES) if ALL else len(SAMPLE))


@pytest.mark.parametrize("fixture", CASES, ids=[f.path.stem for f in CASES])
def test_broken_fixture_same_results(fixture: Fixture, jena: list[str], project: LoadedData,
                                     shapes: list[pyoxigraph.Triple], tmp_path: Path) -> None:
    ours = _compare(jena, _broken(_base(project, fixture), fixture), shapes, tmp_path)
    assert any(fixture.shape in (r.source_shape, r.source_constraint) for r in ours)
