"""Running pySHACL: the only module that imports it.

pySHACL reports focus nodes, paths and messages, but not where the failing triple was
written, and it leaves ``{$this}``/``{?value}`` placeholders of core constraints literal.
This adapter turns its report graph into :class:`ValidationResult` objects: placeholders
filled, CURIEs shown, the message's language tag kept. Locating results is left to the
caller (:mod:`ibmkg.validation.locate`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import pyoxigraph

from ibmkg.errors import ValidationEngineError
from ibmkg.graph_io import to_rdflib_graph
from ibmkg.validation.literals import lexical_problem
from ibmkg.validation.report import (
    SH,
    Severity,
    ValidationResult,
    fill_message,
    show,
    show_term,
)

if TYPE_CHECKING:
    import rdflib

__all__ = ["meta_validate", "run_pyshacl"]


def run_pyshacl(data: Iterable[pyoxigraph.Triple], shapes: Iterable[pyoxigraph.Triple], *,
                inference: str = "none",
                ) -> list[tuple[ValidationResult, str | None]]:
    """Validate triples with pySHACL.

    :param data: the data graph (ontology included when ``sh:class`` needs it).
    :param shapes: the shapes graph.
    :param inference: pySHACL's ``inference`` option.
    :returns: each result with the IRI of the nearest named ancestor of its focus node when
        that is a blank node (to locate it), else ``None``.

    >>> from ibmkg.graph_io import parse_turtle
    >>> data = parse_turtle('<http://ex/a> <http://ex/n> "22O"^^'
    ...                     '<http://www.w3.org/2001/XMLSchema#integer> .')
    >>> shapes = parse_turtle('''@prefix sh: <http://www.w3.org/ns/shacl#> .
    ... <http://ex/S> sh:targetNode <http://ex/a> ; sh:property [ sh:path <http://ex/n> ;
    ...     sh:datatype <http://www.w3.org/2001/XMLSchema#integer> ] .''')
    >>> [(r.value, anchor) for r, anchor in run_pyshacl(data, shapes)]
    [('"22O"^^<http://www.w3.org/2001/XMLSchema#integer>', None)]
    """
    import pyshacl
    from rdflib.plugins.sparql.sparql import SPARQLError

    ill_typed: dict[str, str] = {}
    data_graph = to_rdflib_graph(_plain_ill_typed(data, ill_typed))
    shapes_graph = to_rdflib_graph(shapes)
    try:
        _, report_graph, _ = pyshacl.validate(
            data_graph, shacl_graph=shapes_graph, inference=inference, advanced=True,
            allow_warnings=True, allow_infos=True, abort_on_first=False,
        )
    except (SPARQLError, TypeError, ValueError, ArithmeticError, LookupError) as err:
        # rdflib raises out of SPARQL aggregates (SUM over a string) instead of treating the
        # error as SPARQL does; say which engine failed rather than crash without a word
        raise ValidationEngineError(
            f"pySHACL failed on this data ({type(err).__name__}: {err}); a SHACL-SPARQL "
            "constraint probably computes with a value of the wrong datatype: guard it with "
            "FILTER (datatype(?x) = ...) and run with --debug for the traceback") from err
    results = _results(report_graph, data_graph, shapes_graph)
    if not ill_typed:
        return results
    return [(_restore(r, ill_typed), anchor) for r, anchor in results]


def _restore(result: ValidationResult, originals: dict[str, str]) -> ValidationResult:
    original = originals.get(result.value or "")
    if original is None or result.value is None:
        return result
    message = result.message.replace(show_term(result.value), show_term(original))
    return replace(result, value=original, message=message)


def _plain_ill_typed(data: Iterable[pyoxigraph.Triple], originals: dict[str, str],
                     ) -> Iterator[pyoxigraph.Triple]:
    """Hand ill-typed literals (``"22O"^^xsd:integer``) to pySHACL as plain strings.

    rdflib cannot represent them: it lets ``"200O"^^xsd:gYear`` pass ``sh:datatype`` and
    raises a Python ``TypeError`` for ``"22O"^^xsd:integer`` inside a SPARQL ``SUM``. As a
    string, the literal fails ``sh:datatype`` as SHACL requires of an ill-typed literal
    (4.1.2); ``originals`` maps each string back to the literal as written, to report it.
    """
    for t in data:
        obj = t.object
        if isinstance(obj, pyoxigraph.Literal) and not obj.language \
                and lexical_problem(obj.value, obj.datatype.value) is not None:
            plain = pyoxigraph.Literal(obj.value)
            originals[str(plain)] = str(obj)
            yield pyoxigraph.Triple(t.subject, t.predicate, plain)
        else:
            yield t


def meta_validate(shapes: Iterable[pyoxigraph.Triple]) -> list[ValidationResult]:
    """Validate a shapes graph against SHACL-for-SHACL (the W3C shapes of SHACL itself).

    :param shapes: the shapes graph.
    :returns: the results (focus nodes are shapes).

    >>> from ibmkg.graph_io import parse_turtle
    >>> meta_validate(parse_turtle('<http://ex/S> <http://www.w3.org/ns/shacl#targetNode> 1 .'))
    []
    """
    from pyshacl.entrypoints import meta_validate as pyshacl_meta

    graph = to_rdflib_graph(shapes)
    _, report_graph, _ = pyshacl_meta(graph, inference="rdfs")
    return [r for r, _ in _results(report_graph, graph, graph)]


def _results(report: rdflib.Graph, data: rdflib.Graph, shapes: rdflib.Graph,
             ) -> list[tuple[ValidationResult, str | None]]:
    from rdflib import BNode, Namespace, URIRef

    sh = Namespace(SH)
    results = []
    # only the report's own results: those nested under sh:detail are not results (3.6.2.7)
    for node in sorted(report.objects(None, sh.result), key=str):
        def one(prop: URIRef, node: Any = node) -> Any:
            return report.value(node, prop)

        focus = one(sh.focusNode)
        value = one(sh.value)
        path_node = one(sh.resultPath)
        path = _path_text(report, path_node) if path_node is not None else None
        severity = _severity(one(sh.resultSeverity))
        focus_text = _term_text(focus)
        value_text = _ntriples(value) if value is not None else None
        messages = sorted(report.objects(node, sh.resultMessage), key=str)
        languages = sorted({str(lang) for m in messages
                            if (lang := getattr(m, "language", None))})
        message = fill_message("; ".join(str(m) for m in messages) or "constraint not met",
                        focus_text, value_text, path)
        anchor = _anchor(data, focus) if isinstance(focus, BNode) else None
        results.append((ValidationResult(
            severity=severity, focus=focus_text, path=path, value=value_text, message=message,
            source_shape=_shape_text(shapes, one(sh.sourceShape)),
            constraint_component=str(one(sh.sourceConstraintComponent) or ""),
            source_constraint=_term_text(one(sh.sourceConstraint)) or None,
            language=languages[0] if len(languages) == 1 else None,
        ), anchor))
    return results


def _severity(term: Any) -> Severity:
    """sh:Violation, sh:Warning or sh:Info; any other severity IRI counts as a Violation."""
    text = str(term or "")
    local = text.rsplit("#", 1)[-1] if text.startswith(SH) else ""
    return Severity(local) if local in {s.value for s in Severity} else Severity.VIOLATION


def _term_text(term: Any) -> str:
    from rdflib import BNode

    if term is None:
        return ""
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _shape_text(shapes: rdflib.Graph, shape: Any) -> str:
    """Name a shape stably: its IRI, or ``<parent> sh:property [ sh:path <path> ]``."""
    from rdflib import BNode, Namespace

    sh = Namespace(SH)
    if not isinstance(shape, BNode):
        return _term_text(shape)
    parents = sorted(str(p) for p in shapes.subjects(sh.property, shape)
                     if not isinstance(p, BNode))
    path = shapes.value(shape, sh.path)
    if parents and path is not None:
        return f"{parents[0]} sh:property [ sh:path {_path_text(shapes, path)} ]"
    return _term_text(shape)


def _ntriples(term: Any) -> str:
    """N-Triples text of an rdflib term, lexical form kept as pySHACL saw it."""
    from rdflib import BNode, Literal

    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        datatype = pyoxigraph.NamedNode(str(term.datatype)) if term.datatype else None
        return str(pyoxigraph.Literal(str(term), language=term.language or None,
                                      datatype=None if term.language else datatype))
    return f"<{term}>"


def _anchor(data: rdflib.Graph, node: Any, depth: int = 5) -> str | None:
    """The IRI of the nearest named ancestor of a blank node (to locate it)."""
    from rdflib import URIRef

    for _ in range(depth):
        parents = sorted(data.subjects(None, node), key=str)
        if not parents:
            return None
        node = parents[0]
        if isinstance(node, URIRef):
            return str(node)
    return None


def _shown(report: rdflib.Graph, path: Any) -> str:
    """A path operand as the report shows it: an IRI as a CURIE, a composite path as it is."""
    from rdflib import BNode

    return _path_text(report, path) if isinstance(path, BNode) else show(str(path))


def _path_text(report: rdflib.Graph, path: Any) -> str:
    """A SPARQL property path for a SHACL path (IRIs stay IRIs)."""
    from rdflib import RDF, BNode, Namespace
    from rdflib.collection import Collection

    sh = Namespace(SH)
    if not isinstance(path, BNode):
        return str(path)
    inverse = report.value(path, sh.inversePath)
    if inverse is not None:
        return "^" + _shown(report, inverse)
    for prop, suffix in ((sh.zeroOrMorePath, "*"), (sh.oneOrMorePath, "+"),
                         (sh.zeroOrOnePath, "?")):
        inner = report.value(path, prop)
        if inner is not None:
            return f"({_shown(report, inner)}){suffix}"
    alternatives = report.value(path, sh.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_shown(report, p)
                              for p in Collection(report, alternatives)) + ")"
    if report.value(path, RDF.first) is not None:
        return "/".join(_shown(report, p) for p in Collection(report, path))
    return f"_:{path}"
