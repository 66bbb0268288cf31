"""The compiled SHACL engine: every shape as whole-graph SPARQL on pyoxigraph, pySHACL for the rest.

:func:`validate_compiled` gives the same :class:`~ibmkg.validation.ValidationReport` as
:func:`~ibmkg.validation.validate` (same focus nodes, paths, values, constraint components,
severities and source shapes), much faster: each constraint of each targeted shape is one
SPARQL query over the whole graph (:mod:`ibmkg.validation.compile_core`), and each
SPARQL-based constraint is rewritten to bind ``$this`` by the shape's targets instead of
running once per focus node (:mod:`ibmkg.validation.compile_sparql`). A shape that uses a
construct not compiled (qualified value shapes, SPARQL-based targets ...) is validated, whole, by
pySHACL, so a graph is never half-validated; when every shape compiles, neither rdflib nor
pySHACL is imported.

Specification: https://www.w3.org/TR/shacl/
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pyoxigraph

from ibmkg.graph_io import LoadedData
from ibmkg.namespaces import PREFIXES
from ibmkg.source_index import SourceIndex
from ibmkg.validation import Severity, ValidationReport, ValidationResult
from ibmkg.validation.compile_core import SH, CompiledShape, ShapesGraph, Term, compile_shape
from ibmkg.validation.compile_sparql import NotCompilable
from ibmkg.validation.evaluate import DataIndex, Raw, evaluate_shape
from ibmkg.validation.report import fill_message

if TYPE_CHECKING:
    from ibmkg.queries import StoredQuery

__all__ = ["CompiledPlan", "compile_shapes", "run_compiled", "validate_compiled",
           "validate_project_compiled"]

_TARGET_PROPS = frozenset(SH + p for p in ("targetClass", "targetNode", "targetSubjectsOf",
                                           "targetObjectsOf", "target"))


@dataclass
class CompiledPlan:
    """What :func:`compile_shapes` made of a shapes graph.

    :param shapes: the shapes graph.
    :param compiled: the targeted shapes that compiled.
    :param fallback: targeted shape -> why it is left to pySHACL.
    """

    shapes: ShapesGraph
    compiled: list[CompiledShape] = field(default_factory=list)
    fallback: dict[Term, str] = field(default_factory=dict)

    def backwards(self) -> set[str]:
        """The predicates that paths or targets walk from object to subject.

        :returns: predicate IRIs.
        """
        found = {t.value for shape in self.compiled for kind, t in shape.targets
                 if kind == "objectsOf"}
        for shape in self.compiled:
            for unit in shape.units:
                if unit.path is not None:
                    found |= {p for p, back in unit.path.predicates() if back}
        return found


def compile_shapes(shapes: Iterable[pyoxigraph.Triple]) -> CompiledPlan:
    """Compile every targeted shape; note those left to pySHACL and why.

    :param shapes: the shapes graph.
    :returns: the plan.

    >>> from ibmkg.graph_io import parse_turtle
    >>> plan = compile_shapes(parse_turtle('''@prefix sh: <http://www.w3.org/ns/shacl#> .
    ... <http://ex/S> sh:targetClass <http://ex/C> ; sh:property [ sh:path <http://ex/p> ;
    ...     sh:minCount 1 ] .
    ... <http://ex/T> sh:targetClass <http://ex/C> ; sh:qualifiedValueShape <http://ex/S> ;
    ...     sh:qualifiedMinCount 1 ; sh:path <http://ex/q> .'''))
    >>> len(plan.compiled), [str(s) for s in plan.fallback]
    (1, ['<http://ex/T>'])
    """
    graph = ShapesGraph(shapes)
    plan = CompiledPlan(graph)
    for shape in graph.targeted():
        try:
            compiled = compile_shape(graph, shape, lambda c: _prefixes(graph, c))
        except NotCompilable as reason:
            plan.fallback[shape] = str(reason)
            continue
        plan.compiled.append(compiled)
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
    :returns: the report, equal to the reference path's (SHACL results only: the
        closed-vocabulary and literal checks are :func:`ibmkg.validation.validate`'s).

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
    from ibmkg.validation import Engine, validate

    return validate(data, shapes, ontology, inference=inference, use_shapes=use_shapes,
                    engine=Engine.COMPILED, python_checks=False)


def _without_targets(graph: ShapesGraph, compiled: list[Term]) -> list[pyoxigraph.Triple]:
    """The shapes graph with the targets of the compiled shapes removed (pySHACL skips them)."""
    done = set(compiled)
    return [t for t in graph.triples if not (t.subject in done and (
        t.predicate.value in _TARGET_PROPS or (
            t.predicate.value == PREFIXES["rdf"] + "type"
            and t.object == pyoxigraph.NamedNode(PREFIXES["rdfs"] + "Class"))))]


def _term_text(term: object) -> str:
    """As the pySHACL adapter names a term: IRI, ``_:label``, or a literal's lexical form."""
    if isinstance(term, pyoxigraph.NamedNode | pyoxigraph.Literal):
        return term.value
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    return str(term)


def _result(raw: Raw, graph: ShapesGraph, data: LoadedData,
            parents: dict[object, list[object]]) -> ValidationResult:
    unit = raw.unit
    focus_text = _term_text(raw.focus)
    value_text = str(raw.value) if raw.value is not None else None
    texts = {m.value for m in unit.messages}
    if raw.constraint is not None:
        bound: dict[str, object] = dict(raw.bindings)
        bound["this"] = raw.focus
        if raw.value is not None:
            bound["value"] = raw.value
        texts |= {_format(m.value, bound) for m in raw.constraint.messages}
    message = "; ".join(sorted(texts)) or _default_message(raw.component, focus_text, raw.path)
    message = fill_message(message, focus_text, value_text, raw.path)
    anchor = focus_text if not focus_text.startswith("_:") else _anchor(parents, raw.focus)
    location = data.index.locate(anchor) if anchor else None
    return ValidationResult(
        severity=Severity(unit.severity), focus=focus_text, path=raw.path, value=value_text,
        message=message, source_shape=_shape_text(graph, unit.shape),
        constraint_component=raw.component,
        study=data.index.files.get(location.file) if location else None, location=location,
        source_constraint=_term_text(raw.constraint.node) if raw.constraint is not None
        else None)


def _format(message: str, bound: dict[str, object]) -> str:
    for name, term in bound.items():
        text = term.value if isinstance(term, pyoxigraph.NamedNode | pyoxigraph.Literal) \
            else str(term)
        message = re.sub("{[?$]" + re.escape(name) + "}", text.replace("\\", "\\\\"),
                         message)
    return message


def _default_message(component: str, focus: str, path: str | None) -> str:
    name = component.removeprefix(SH).removesuffix("ConstraintComponent")
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
        return f"{parents[0]} sh:property [ sh:path {graph.path(path).text} ]"
    return _term_text(shape)


def _blank_parents(triples: Iterable[pyoxigraph.Triple]) -> dict[object, list[object]]:
    parents_of: dict[object, list[object]] = {}
    for t in triples:
        if isinstance(t.object, pyoxigraph.BlankNode):
            parents_of.setdefault(t.object, []).append(t.subject)
    return parents_of


def _anchor(parents_of: dict[object, list[object]], node: object, depth: int = 5) -> str | None:
    """The IRI of the nearest named ancestor of a blank node (to locate it)."""
    for _ in range(depth):
        parents = sorted(parents_of.get(node, []), key=str)
        if not parents:
            return None
        node = parents[0]
        if isinstance(node, pyoxigraph.NamedNode):
            return node.value
    return None


def validate_project_compiled(data: LoadedData, shapes: Iterable[pyoxigraph.Triple],
                              checks: Iterable[StoredQuery] = (), *, inference: str = "none",
                              ) -> ValidationReport:
    """:func:`ibmkg.validation.validate_project` with the compiled engine.

    :param data: the loaded graphs.
    :param shapes: the shapes graph (may be empty).
    :param checks: stored queries; those under ``checks/`` are run.
    :param inference: anything but ``none`` hands the SHACL part to pySHACL.
    :returns: one report with the SHACL results and one Violation per check row.

    >>> from ibmkg.source_index import SourceIndex
    >>> validate_project_compiled(LoadedData((), SourceIndex()), []).conforms
    True
    """
    from ibmkg.validation import Engine, validate_project

    return validate_project(data, shapes, checks, inference=inference, engine=Engine.COMPILED)


#: What an engine returns at the level of ``ibmkg.validation``'s engine dispatch: each result
#: (not yet located) with the IRI of the nearest named ancestor of a blank focus node.
EngineResults = list[tuple[ValidationResult, str | None]]


def run_compiled(data: Iterable[pyoxigraph.Triple], shapes: Iterable[pyoxigraph.Triple], *,
                 inference: str = "none",
                 fallback: Callable[..., EngineResults]) -> EngineResults:
    """The compiled engine with the calling convention of an engine adapter (``run_pyshacl``).

    :param data: the data graph (ontology included when ``sh:class`` needs it).
    :param shapes: the shapes graph.
    :param inference: anything but ``none`` hands the whole validation to ``fallback``.
    :param fallback: the reference engine, ``fallback(triples, shapes, inference=...)``, run
        on the shapes that do not compile (their targets only).
    :returns: each result (without file and line) with its blank focus node's named anchor.

    >>> from ibmkg.graph_io import parse_turtle
    >>> shapes = parse_turtle('''@prefix sh: <http://www.w3.org/ns/shacl#> .
    ... <http://ex/S> sh:targetNode <http://ex/a> ; sh:property [ sh:path <http://ex/p> ;
    ...     sh:minCount 1 ] .''')
    >>> [(r.focus, anchor) for r, anchor in run_compiled([], shapes, fallback=print)]
    [('http://ex/a', None)]
    """
    triples = list(data)
    shape_list = list(shapes)
    if inference != "none":
        return fallback(triples, shape_list, inference=inference)
    plan = compile_shapes(shape_list)
    store = pyoxigraph.Store()
    store.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples)
    index = DataIndex(triples, store, plan.backwards())
    parents = _blank_parents(triples)
    empty = LoadedData((), SourceIndex())
    found: EngineResults = []
    for shape in plan.compiled:
        for raw in evaluate_shape(shape, index):
            result = _result(raw, plan.shapes, empty, parents)
            anchor = _anchor(parents, raw.focus) if result.focus.startswith("_:") else None
            found.append((result, anchor))
    if plan.fallback:
        found += fallback(triples, _without_targets(plan.shapes,
                                                    [s.node for s in plan.compiled]))
    return found
