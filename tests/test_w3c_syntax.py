"""The strict input gate on the W3C suites: RDF 1.1 Turtle, N-Triples, N-Quads; SPARQL 1.1 syntax.

Every document goes through ibmkg's own loader (:func:`ibmkg.graph_io.load_rdf`, i.e. the gate
:func:`ibmkg.io.gate.parse_rdf`): no negative test accepted, no positive test refused, and
each evaluation test's graph equal to the expected one under RDFC-1.0 canonicalization.
SPARQL documents go through ibmkg's query check (``QUERY_GATE``) or update check
(``UPDATE_GATE``) and are never run. Exclusions only through the ``XFAIL`` dict.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

import pyoxigraph
import pytest

from ibmkg.errors import InputError, UnsafeQueryError
from ibmkg.graph_io import load_rdf
from ibmkg.io.sparql_syntax import check_update
from ibmkg.sandbox.gate import inspect_query
from w3c_suites import Case, manifest_cases, require_suites, suite_root

#: The query checking entry point the SPARQL syntax tests go through: the query sandbox's
#: parse-only gate. A test document's base IRI is its own IRI, given as a ``BASE`` line. A
#: positive test may be refused by policy (a dataset clause), never as a syntax error.
QUERY_GATE: Final[Callable[..., object]] = inspect_query
#: The update checking entry point.
UPDATE_GATE: Final[Callable[..., object]] = check_update

RDF_SUITES: Final = {
    "rdf-turtle": ("rdf/rdf11/rdf-turtle", 313),
    "rdf-n-triples": ("rdf/rdf11/rdf-n-triples", 70),
    "rdf-n-quads": ("rdf/rdf11/rdf-n-quads", 87),
}
SPARQL_SUITES: Final = {
    "syntax-query": ("sparql/sparql11/syntax-query", 94),
    "syntax-update-1": ("sparql/sparql11/syntax-update-1", 54),
    "syntax-update-2": ("sparql/sparql11/syntax-update-2", 1),
    "syntax-fed": ("sparql/sparql11/syntax-fed", 3),
}
BASE: Final = "https://w3c.github.io/rdf-tests/"

#: Cases excluded, with the reason (strict: an excluded case that passes fails the run).
#: None today: the gate checks a query with rdflib's grammar (for what it contains) and with
#: pyoxigraph's (which is stricter), so the ten invalid queries rdflib accepts are refused.
XFAIL: Final[dict[str, str]] = {}


def _cases(suites: dict[str, tuple[str, int]]) -> list[Any]:
    root = suite_root()
    if root is None:
        return [pytest.param(None, None, id="suites-absent")]
    params: list[Any] = []
    for suite, (folder, _) in suites.items():
        for case in manifest_cases(root / "rdf-tests" / folder, f"{BASE}{folder}/"):
            key = f"{suite}/{case.name}"
            marks = [pytest.mark.xfail(reason=XFAIL[key], strict=True)] if key in XFAIL else []
            params.append(pytest.param(suite, case, id=key, marks=marks))
    return params


RDF_CASES: Final = _cases(RDF_SUITES)
SPARQL_CASES: Final = _cases(SPARQL_SUITES)


def _canonical(quads: list[pyoxigraph.Quad]) -> set[pyoxigraph.Quad]:
    dataset = pyoxigraph.Dataset(quads)
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


@pytest.mark.w3c
@pytest.mark.parametrize(("suite", "case"), RDF_CASES)
def test_rdf_syntax(suite: str | None, case: Case | None) -> None:
    require_suites()
    assert case is not None
    if "Negative" in case.kind:
        with pytest.raises(InputError):
            load_rdf(case.action, display=case.action.name, base_iri=case.base)
        return
    quads = load_rdf(case.action, display=case.action.name, base_iri=case.base)
    if case.kind.endswith("Eval"):
        assert case.result is not None
        fmt = pyoxigraph.RdfFormat.N_QUADS if case.result.suffix == ".nq" \
            else pyoxigraph.RdfFormat.N_TRIPLES
        expected = list(pyoxigraph.parse(path=case.result, format=fmt))
        assert _canonical(quads) == _canonical(expected)


@pytest.mark.w3c
@pytest.mark.parametrize(("suite", "case"), SPARQL_CASES)
def test_sparql_syntax(suite: str | None, case: Case | None) -> None:
    require_suites()
    assert case is not None
    text = case.action.read_text(encoding="utf-8")
    update = "Update" in case.kind
    check: Callable[..., object] = UPDATE_GATE if update else QUERY_GATE
    # SERVICE is allowed only where the suite is about it (federated stored queries run
    # against an endpoint the user names); every other query is checked as a user's query is
    kwargs: dict[str, object] = {"base_iri": case.base} if update else \
        {"allow_service": suite == "syntax-fed"}
    if not update:
        text = f"BASE <{case.base}>\n{text}"
    if "Negative" in case.kind:
        with pytest.raises(InputError):
            check(text, source=case.action.name, **kwargs)
    else:
        try:
            check(text, source=case.action.name, **kwargs)
        except UnsafeQueryError:
            # Refused by policy (a dataset clause, an extension function), not as a syntax
            # error: the gate parsed it.
            assert not update


def test_every_case_is_collected() -> None:
    """The suites are run whole: the number of cases is the manifests' number."""
    root = require_suites()
    for folder, expected in (*RDF_SUITES.values(), *SPARQL_SUITES.values()):
        assert len(manifest_cases(root / "rdf-tests" / folder, f"{BASE}{folder}/")) == expected
    assert len(RDF_CASES) == 313 + 70 + 87
    negative = [c for c in SPARQL_CASES if "Negative" in c.values[1].kind]
    assert len(negative) == 31 + 13
    assert set(XFAIL) <= {c.id for c in RDF_CASES + SPARQL_CASES}


def test_counts_by_kind() -> None:
    """Per kind, for docs/reliability.md (recorded by the reliability plugin)."""
    require_suites()
    kinds: dict[str, int] = {}
    for param in RDF_CASES + SPARQL_CASES:
        case = param.values[1]
        kinds[case.kind] = kinds.get(case.kind, 0) + 1
    assert kinds["TestTurtleNegativeSyntax"] + kinds.get("TestTurtleNegativeEval", 0) > 0
    assert kinds["NegativeSyntaxTest11"] == 31
    assert kinds["NegativeUpdateSyntaxTest11"] == 13

