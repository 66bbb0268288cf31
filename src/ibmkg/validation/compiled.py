"""The compiled SHACL engine: every shape as whole-graph SPARQL on pyoxigraph, pySHACL for the rest.

:func:`validate_compiled` gives the same :class:`~ibmkg.validation.ValidationReport` as
:func:`~ibmkg.validation.validate` (same focus nodes, paths, values, constraint components,
severities and source shapes), much faster: each constraint of each targeted shape is one
SPARQL query over the whole graph (:mod:`ibmkg.validation.compile_core`), and each
SPARQL-based constraint is rewritten to bind ``$this`` by the shape's targets instead of
running once per focus node (:mod:`ibmkg.validation.compile_sparql`). A shape that uses a
construct not compiled (``sh:node``, ``sh:or``, SPARQL targets ...) is validated, whole, by
pySHACL, so a graph is never half-validated; when every shape compiles, neither rdflib nor
pySHACL is imported.

Specification: https://www.w3.org/TR/shacl/
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import pyoxigraph

from ibmkg.graph_io import LoadedData
from ibmkg.namespaces import PREFIXES
from ibmkg.validation import (
    Severity,
    ValidationReport,
    ValidationResult,
    _fill,
    _result_key,
    _study_labels,
    select_shapes,
)
from ibmkg.validation.compile_core import SH, Check, ShapesGraph, Term, compile_shape
from ibmkg.validation.compile_sparql import NotCompilable

__all__ = ["CompiledPlan", "compile_shapes", "validate_compiled"]

_TARGET_PROPS = frozenset(SH + p for p in ("targetClass", "targetNode", "targetSubjectsOf",
                                           "targetObjectsOf", "target"))


@dataclass
class CompiledPlan:
    """What :func:`compile_shapes` made of a shapes graph.

    :param checks: the compiled checks.
    :param compiled: the targeted shapes that compiled.
    :param fallback: targeted shape -> why it is left to pySHACL.
    :param shapes: the shapes graph.
    """

    checks: list[Check]
    compiled: list[Term]
    fallback: dict[Term, str] = field(default_factory=dict)
    shapes: ShapesGraph | None = None


def compile_shapes(shapes: Iterable[pyoxigraph.Triple]) -> CompiledPlan:
    """Compile every targeted shape; note those left to pySHACL and why.

    :param shapes: the shapes graph.
    :returns: the plan.

    >>> from ibmkg.graph_io import parse_turtle
    >>> plan = compile_shapes(parse_turtle('''@prefix sh: <http://www.w3.org/ns/shacl#> .
    ... <http://ex/S> sh:targetClass <http://ex/C> ; sh:property [ sh:path <http://ex/p> ;
    ...     sh:minCount 1 ] .
    ... <http://ex/T> sh:targetClass <http://ex/C> ; sh:or ( <http://ex/S> ) .'''))
    >>> len(plan.checks), [str(s) for s in plan.fallback]
    (1, ['<http://ex/T>'])
    """
    graph = ShapesGraph(shapes)
    plan = CompiledPlan([], [], shapes=graph)
    for shape in graph.targeted():
        try:
            checks = compile_shape(graph, shape, lambda c: _prefixes(graph, c))
        except NotCompilable as reason:
            plan.fallback[shape] = str(reason)
            continue
        plan.checks += checks
        plan.compiled.append(shape)
    return plan


_PREFIX_USE = re.compile(r"(?<![\w<?$])([A-Za-z][\w\-.]*)?:(?=[\w])")


def _prefixes(graph: ShapesGraph, constraint: Term) -> str:
    """PREFIX lines from ``sh:prefixes``/``sh:declare``, then the project's for the rest."""
    declared: dict[str, str] = {}
    for owner in graph.objects(constraint, SH + "prefixes"):
        for declaration in graph.objects(owner, SH + "declare"):
            prefix = graph.one(declaration, SH + "prefix")
            namespace = graph.one(declaration, SH + "namespace")
            if prefix is not None and namespace is not None:
                declared.setdefault(prefix.value, namespace.value)
    select = graph.one(constraint, SH + "select")
    text = select.value if select is not None else ""
    for prefix in set(_PREFIX_USE.findall(_strip_strings(text))):
        if prefix not in declared and prefix in _FALLBACK_PREFIXES:
            declared[prefix] = _FALLBACK_PREFIXES[prefix]
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in sorted(declared.items()))


#: What pySHACL's rdflib graphs resolve without a declaration (rdflib's defaults and ours).
_FALLBACK_PREFIXES = {**PREFIXES, "rdf": PREFIXES["rdf"], "rdfs": PREFIXES["rdfs"],
                      "xsd": PREFIXES["xsd"], "owl": PREFIXES["owl"],
                      "xml": "http://www.w3.org/XML/1998/namespace"}


def _strip_strings(text: str) -> str:
    return re.sub(r"<[^<>\s]*>|\"[^\"]*\"|'[^']*'", " ", text)


def validate_compiled(
    data: LoadedData,
    shapes: Iterable[pyoxigraph.Triple],
    ontology: Iterable[pyoxigraph.Triple] | None = None,
    *,
    inference: str = "none",
    use_shapes: Sequence[str] | None = None,
) -> ValidationReport:
    """Validate like :func:`ibmkg.validation.validate`, with compiled whole-graph SPARQL.

    :param data: the loaded graphs (their source index gives file and line).
    :param shapes: the shapes graph.
    :param ontology: extra triples to mix into the data graph (e.g. inferences).
    :param inference: anything but ``none`` hands the whole validation to pySHACL.
    :param use_shapes: run only these shapes (IRIs) and what they use; all by default.
    :returns: the report, equal to the reference path's.

    >>> from ibmkg.graph_io import parse_turtle
    >>> from ibmkg.source_index import SourceIndex
    >>> from ibmkg.graph_io import SourceGraph
    >>> data = LoadedData((SourceGraph("urn:g", "g.ttl", tuple(parse_turtle(
    ...     '<http://ex/a> a <http://ex/C> .'))),), SourceIndex())
    >>> shapes = parse_turtle('''@prefix sh: <http://www.w3.org/ns/shacl#> .
    ... <http://ex/S> sh:targetClass <http://ex/C> ; sh:property [ sh:path <http://ex/p> ;
    ...     sh:minCount 1 ] .''')
    >>> [(r.focus, r.constraint_component) for r in validate_compiled(data, shapes).results]
    [('http://ex/a', 'http://www.w3.org/ns/shacl#MinCountConstraintComponent')]
    """
    from ibmkg.validation import validate

    if inference != "none":
        return validate(data, shapes, ontology, inference=inference, use_shapes=use_shapes)
    shape_list = list(shapes)
    if use_shapes is not None:
        shape_list = select_shapes(shape_list, use_shapes)
    plan = compile_shapes(shape_list)
    extra = list(ontology) if ontology is not None else []
    store = pyoxigraph.Store()
    store.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object)
                 for t in (*data.triples(), *extra))
    labels = _study_labels(data)
    assert plan.shapes is not None
    results = [r for check in plan.checks
               for r in _run(store, check, plan.shapes, data)]
    if plan.fallback:
        rest = _without_targets(plan.shapes, plan.compiled)
        results += validate(data, rest, extra or None).results
    results = list(dict.fromkeys(results))
    results.sort(key=_result_key)
    return ValidationReport(results, labels)


def _without_targets(graph: ShapesGraph, compiled: list[Term]) -> list[pyoxigraph.Triple]:
    """The shapes graph with the targets of the compiled shapes removed (pySHACL skips them)."""
    done = set(compiled)
    return [t for t in graph.triples if not (t.subject in done and (
        t.predicate.value in _TARGET_PROPS or (
            t.predicate.value == PREFIXES["rdf"] + "type"
            and t.object == pyoxigraph.NamedNode(PREFIXES["rdfs"] + "Class"))))]


def _run(store: pyoxigraph.Store, check: Check, graph: ShapesGraph, data: LoadedData,
         ) -> list[ValidationResult]:
    try:
        solutions = store.query(check.query)
    except SyntaxError as error:  # a query this module wrote: a bug, not the user's input
        raise RuntimeError(f"compiled query does not parse: {error}\n{check.query}") from error
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    names = [v.value for v in solutions.variables]
    out = []
    for solution in solutions:
        row = dict(zip(names, solution, strict=True))
        focus = row.get("this")
        if focus is None or isinstance(focus, pyoxigraph.Triple):
            continue
        value = row.get("v") if check.constraint is None else row.get("value")
        if check.keep is not None and (value is None or not check.keep(value)):
            continue
        path = check.path
        if check.component == SH + "ClosedConstraintComponent":
            p = row.get("p")
            path = p.value if isinstance(p, pyoxigraph.NamedNode) else path
        elif check.constraint is not None:
            p = row.get("path")
            if isinstance(p, pyoxigraph.NamedNode):
                path = p.value
        if check.constraint is not None and value is None and check.value_is_focus:
            value = focus
        if not check.report_value:
            value = None
        out.append(_result(check, graph, data, focus, path, value, row))
    return out


def _term_text(term: object) -> str:
    if isinstance(term, pyoxigraph.NamedNode):
        return term.value
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    return str(term)


def _result(check: Check, graph: ShapesGraph, data: LoadedData, focus: object, path: str | None,
            value: object, row: dict[str, object]) -> ValidationResult:
    focus_text = _term_text(focus)
    value_text = str(value) if value is not None else None
    texts = sorted({m.value for m in check.messages}) if check.messages else []
    if check.constraint is not None:
        bound = {k: v for k, v in row.items() if v is not None}
        bound["this"] = focus
        if value is not None:
            bound["value"] = value
        formatted = {_format(m.value, bound) for m in check.extra_messages}
        texts = sorted(set(texts) | formatted)
    if not texts:
        texts = [_default_message(check, focus_text, path)]
    message = _fill("; ".join(texts), focus_text, value_text, path)
    anchor = focus_text if not focus_text.startswith("_:") else _anchor(data, focus)
    location = data.index.locate(anchor) if anchor else None
    return ValidationResult(
        severity=Severity(check.severity), focus=focus_text, path=path, value=value_text,
        message=message, source_shape=_shape_text(graph, check.shape),
        constraint_component=check.component,
        study=data.index.files.get(location.file) if location else None, location=location,
        source_constraint=_term_text(check.constraint) if check.constraint is not None
        else None)


def _format(message: str, bound: dict[str, object]) -> str:
    for name, term in bound.items():
        text = term.value if isinstance(term, pyoxigraph.NamedNode | pyoxigraph.Literal) \
            else str(term)
        message = re.sub("{[?$]" + re.escape(name) + "}", text.replace("\\", "\\\\"),
                         message)
    return message


def _default_message(check: Check, focus: str, path: str | None) -> str:
    name = check.component.removeprefix(SH).removesuffix("ConstraintComponent")
    return f"{name} constraint not met on {focus}" + (f"->{path}" if path else "")


def _shape_text(graph: ShapesGraph, shape: Term) -> str:
    """Name a shape as the pySHACL adapter does: its IRI, or ``<parent> sh:property [...]``."""
    if not isinstance(shape, pyoxigraph.BlankNode):
        return _term_text(shape)
    parents = sorted(t.subject.value for t in graph.triples
                     if t.predicate.value == SH + "property" and t.object == shape
                     and isinstance(t.subject, pyoxigraph.NamedNode))
    path = graph.one(shape, SH + "path")
    if parents and path is not None:
        return f"{parents[0]} sh:property [ sh:path {graph.path(path)[1]} ]"
    return _term_text(shape)


def _anchor(data: LoadedData, node: object, depth: int = 5) -> str | None:
    """The IRI of the nearest named ancestor of a blank node (to locate it)."""
    parents_of: dict[object, list[object]] = {}
    for t in data.triples():
        if isinstance(t.object, pyoxigraph.BlankNode):
            parents_of.setdefault(t.object, []).append(t.subject)
    for _ in range(depth):
        parents = sorted(parents_of.get(node, []), key=str)
        if not parents:
            return None
        node = parents[0]
        if isinstance(node, pyoxigraph.NamedNode):
            return node.value
    return None
