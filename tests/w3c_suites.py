"""The W3C conformance suites, read where they are (never copied into the project).

The suites live in ``../shared/w3c-tests/`` beside the project (or ``$IBMKG_W3C_TESTS``);
see its ``PROVENANCE.md``. Tests that need them skip with a reason when they are absent,
and fail when ``CI=true``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pyoxigraph
import pytest

from ibmkg.paths import find_root

MF: Final = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
RDFT: Final = "http://www.w3.org/ns/rdftest#"
RDF_TYPE: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDF_FIRST: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
RDF_REST: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"


def suite_root() -> Path | None:
    """The folder holding ``rdf-tests/`` and ``data-shapes/``, or ``None`` when absent."""
    env = os.environ.get("IBMKG_W3C_TESTS")
    root = Path(env) if env else find_root(Path(__file__).parent).parent / "shared" / "w3c-tests"
    return root if (root / "rdf-tests").is_dir() else None


def require_suites() -> Path:
    """The suite folder; skip (or, with ``CI=true``, fail) when it is absent."""
    root = suite_root()
    if root is None:
        reason = "the W3C suites are not in ../shared/w3c-tests (set IBMKG_W3C_TESTS)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)
    return root


@dataclass(frozen=True)
class Case:
    """One manifest entry.

    :param name: the test's IRI fragment.
    :param kind: its rdft:/mf: type (local name).
    :param action: the input file.
    :param result: the expected N-Triples/N-Quads file, for evaluation tests.
    :param base: the test's base IRI (the action's IRI).
    """

    name: str
    kind: str
    action: Path
    result: Path | None
    base: str


def manifest_cases(folder: Path, assumed_base: str) -> list[Case]:
    """Read ``folder/manifest.ttl`` in entry order.

    :param folder: the suite's folder.
    :param assumed_base: the IRI the manifest is published at (its ``mf:assumedTestBase``).
    :returns: the cases.
    """
    manifest = folder / "manifest.ttl"
    triples = list(pyoxigraph.parse(path=manifest, format=pyoxigraph.RdfFormat.TURTLE,
                                    base_iri=assumed_base + "manifest.ttl"))
    by_subject: dict[str, dict[str, list[pyoxigraph.NamedNode | pyoxigraph.BlankNode
                                        | pyoxigraph.Literal | pyoxigraph.Triple]]] = {}
    for t in triples:
        by_subject.setdefault(str(t.subject), {}).setdefault(t.predicate.value, []).append(
            t.object)
    entries: list[str] = []
    for t in triples:
        if t.predicate.value == MF + "entries":
            node = t.object
            while str(node) in by_subject and RDF_FIRST in by_subject[str(node)]:
                entries.append(str(by_subject[str(node)][RDF_FIRST][0]))
                node = by_subject[str(node)][RDF_REST][0]
    cases: list[Case] = []
    for entry in entries:
        props = by_subject[entry]
        kind = str(props[RDF_TYPE][0]).strip("<>").rsplit("#", 1)[-1]
        action_iri = _iri(props[MF + "action"][0])
        result = props.get(MF + "result")
        result_path = folder / _iri(result[0]).rsplit("/", 1)[-1] if result else None
        cases.append(Case(entry.strip("<>").rsplit("#", 1)[-1], kind,
                          folder / action_iri.rsplit("/", 1)[-1], result_path, action_iri))
    return cases


def _iri(term: object) -> str:
    if isinstance(term, pyoxigraph.NamedNode):
        return term.value
    raise TypeError(f"expected an IRI, got {term}")
