"""The W3C SHACL test suite (core and SPARQL), read from ``../shared/w3c-tests`` or
``$IBMKG_W3C_TESTS``: one case per ``sht:Validate`` entry."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph

from ibmkg.graph_io import LoadedData, SourceGraph
from ibmkg.source_index import SourceIndex

_SUITE = "data-shapes/data-shapes-test-suite/tests"


def suite_root() -> Path:
    """Where the W3C suites are (they are never copied into the project)."""
    env = os.environ.get("IBMKG_W3C_TESTS")
    base = Path(env) if env else Path(__file__).resolve().parents[2] / "shared" / "w3c-tests"
    return base / _SUITE


@dataclass(frozen=True)
class Case:
    """One validation test: its id, data file, shapes file and whether it expects a failure."""

    id: str
    data: Path
    shapes: Path
    expects_failure: bool


_QUERY = """
PREFIX mf: <http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#>
PREFIX sht: <http://www.w3.org/ns/shacl-test#>
SELECT ?test ?data ?shapes ?failure WHERE {
  ?test a sht:Validate ; mf:action ?action ; mf:result ?result .
  ?action sht:dataGraph ?data ; sht:shapesGraph ?shapes .
  BIND (sameTerm(?result, sht:Failure) AS ?failure)
}"""


def cases(groups: tuple[str, ...] = ("core", "sparql")) -> list[Case]:
    """Every ``sht:Validate`` case of the given groups, sorted by id.

    :param groups: the suite's top folders.
    :returns: the cases (empty when the suite is absent).
    """
    root = suite_root()
    found = []
    for group in groups:
        for path in sorted((root / group).rglob("*.ttl")):
            if path.name == "manifest.ttl":
                continue
            store = pyoxigraph.Store()
            store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE,
                       base_iri=path.as_uri())
            solutions = store.query(_QUERY)
            assert isinstance(solutions, pyoxigraph.QuerySolutions)
            for row in solutions:
                test, data, shapes, failure = (row["test"], row["data"], row["shapes"],
                                               row["failure"])
                assert test is not None and data is not None and shapes is not None
                found.append(Case(
                    f"{path.relative_to(root).with_suffix('').as_posix()}"
                    f"#{test.value.rsplit('/', 1)[-1]}",
                    Path(data.value.removeprefix("file://")),
                    Path(shapes.value.removeprefix("file://")),
                    failure is not None and failure.value == "true"))
    return sorted(found, key=lambda c: c.id)


def load(path: Path) -> list[pyoxigraph.Triple]:
    """Parse one suite file with its own IRI as base.

    :param path: the file.
    :returns: its triples.
    """
    return [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in pyoxigraph.parse(
        path=str(path), format=pyoxigraph.RdfFormat.TURTLE, base_iri=path.as_uri())]


def as_data(triples: list[pyoxigraph.Triple], name: str) -> LoadedData:
    """Wrap triples as loaded data (no source index: suite files are not project files).

    :param triples: the data graph.
    :param name: a display name.
    :returns: the data.
    """
    return LoadedData((SourceGraph("urn:ibmkg:w3c", name, tuple(triples)),), SourceIndex())
