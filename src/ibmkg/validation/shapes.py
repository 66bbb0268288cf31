"""The shapes graph: loaded with positions, checked before any data, and cut down on demand.

A broken shapes file must stop validation before any data is looked at, with the shape and
its line: a ``sh:`` term that SHACL does not define (``sh:minCont``, an unknown constraint
component), a path that is not a SHACL path (a literal, an unknown path operator), and a
prefix used in a SHACL-SPARQL query but not declared through ``sh:prefixes``/``sh:declare``
(SHACL 5.2.1: engines must not fall back to the Turtle file's own prefixes).

Specification: https://www.w3.org/TR/shacl/#sparql-prefixes
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Final

import pyoxigraph

from ibmkg.errors import ShapesError
from ibmkg.graph_io import parse_turtle, read_text
from ibmkg.source_index import SourceIndex
from ibmkg.validation.report import SH, show

__all__ = ["SHACL_TERMS", "check_shapes", "load_shapes", "select_shapes"]

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_OWL_IMPORTS = "http://www.w3.org/2002/07/owl#imports"

_TERMS_TEXT: Final = """
    AbstractResult AndConstraintComponent BlankNode BlankNodeOrIRI BlankNodeOrLiteral
    ClassConstraintComponent ClosedConstraintComponent ConstraintComponent
    DatatypeConstraintComponent DisjointConstraintComponent EqualsConstraintComponent
    ExpressionConstraintComponent Function HasValueConstraintComponent IRI IRIOrLiteral
    InConstraintComponent Info JSConstraint JSConstraintComponent JSExecutable JSFunction
    JSLibrary JSRule JSTarget JSTargetType JSValidator LanguageInConstraintComponent
    LessThanConstraintComponent LessThanOrEqualsConstraintComponent Literal
    MaxCountConstraintComponent MaxExclusiveConstraintComponent
    MaxInclusiveConstraintComponent MaxLengthConstraintComponent MinCountConstraintComponent
    MinExclusiveConstraintComponent MinInclusiveConstraintComponent
    MinLengthConstraintComponent NodeConstraintComponent NodeKind NodeKindConstraintComponent
    NodeShape NotConstraintComponent OrConstraintComponent Parameter Parameterizable
    PatternConstraintComponent PrefixDeclaration PropertyConstraintComponent PropertyGroup
    PropertyShape QualifiedMaxCountConstraintComponent QualifiedMinCountConstraintComponent
    ResultAnnotation Rule SPARQLAskExecutable SPARQLAskValidator SPARQLConstraint
    SPARQLConstraintComponent SPARQLConstructExecutable SPARQLExecutable SPARQLFunction
    SPARQLRule SPARQLSelectExecutable SPARQLSelectValidator SPARQLTarget SPARQLTargetType
    SPARQLUpdateExecutable Severity Shape Target TargetType TripleRule
    UniqueLangConstraintComponent ValidationReport ValidationResult Validator Violation
    Warning XoneConstraintComponent
    alternativePath and annotationProperty annotationValue annotationVarName ask class closed
    condition conforms construct datatype deactivated declare defaultValue description
    detail disjoint entailment equals expression filterShape flags focusNode group hasValue
    ignoredProperties in intersection inversePath js jsFunctionName jsLibrary jsLibraryURL
    labelTemplate languageIn lessThan lessThanOrEquals maxCount maxExclusive maxInclusive
    maxLength message minCount minExclusive minInclusive minLength name namespace node
    nodeKind nodeValidator nodes not object oneOrMorePath optional or order parameter path
    pattern predicate prefix prefixes property propertyValidator qualifiedMaxCount
    qualifiedMinCount qualifiedValueShape qualifiedValueShapesDisjoint result
    resultAnnotation resultMessage resultPath resultSeverity returnType rule select severity
    shapesGraph shapesGraphWellFormed sourceConstraint sourceConstraintComponent sourceShape
    sparql subject suggestedShapesGraph target targetClass targetNode targetObjectsOf
    targetSubjectsOf this union uniqueLang update validator value xone zeroOrMorePath
    zeroOrOnePath
"""
#: Every term of the SHACL vocabulary (core, SHACL-SPARQL and advanced features), local names.
SHACL_TERMS: Final = frozenset(_TERMS_TEXT.split())

_PATH_OPERATORS: Final = frozenset(SH + p for p in (
    "inversePath", "alternativePath", "zeroOrMorePath", "oneOrMorePath", "zeroOrOnePath"))


def load_shapes(paths: Sequence[Path], *, display: Sequence[str] | None = None,
                ) -> tuple[list[pyoxigraph.Triple], SourceIndex]:
    """Parse shapes files and remember where each shape is written.

    :param paths: the Turtle files.
    :param display: the names to show for them (default: the paths as given).
    :returns: the triples and the index of the shapes' positions.
    :raises RdfSyntaxError: when a file does not parse.

    >>> load_shapes([])
    ([], SourceIndex(subjects={}, mentions={}, files={}, texts={}))
    """
    index = SourceIndex()
    triples: list[pyoxigraph.Triple] = []
    for i, path in enumerate(paths):
        name = display[i] if display is not None else path.as_posix()
        text = read_text(path, display=name)
        triples += parse_turtle(text, source=name)
        index.scan(name, text)
    return triples, index


def check_shapes(shapes: Iterable[pyoxigraph.Triple], index: SourceIndex | None = None) -> None:
    """Refuse a broken shapes graph before any data is validated.

    :param shapes: the shapes graph.
    :param index: where the shapes are written, to name the line.
    :raises ShapesError: on the first problem, naming the shape, its line and the fix.

    >>> check_shapes(parse_turtle('''@prefix sh: <http://www.w3.org/ns/shacl#> .
    ... <http://ex/S> sh:targetClass <http://ex/C> ; sh:minCont 1 .'''))
    Traceback (most recent call last):
    ...
    ibmkg.errors.ShapesError: shape <http://ex/S>: sh:minCont is not a SHACL term; \
did you mean sh:minCount?
    """
    import difflib

    triples = list(shapes)
    by_subject: dict[object, list[pyoxigraph.Triple]] = {}
    for t in triples:
        by_subject.setdefault(t.subject, []).append(t)
    parents: dict[object, object] = {t.object: t.subject for t in triples}

    def where(node: object) -> str:
        owner = node
        for _ in range(6):
            if isinstance(owner, pyoxigraph.NamedNode):
                break
            owner = parents.get(owner, owner)
        name = f"shape {show(owner.value)}" if isinstance(owner, pyoxigraph.NamedNode) \
            else "a blank-node shape"
        location = index.locate(owner.value) if index is not None \
            and isinstance(owner, pyoxigraph.NamedNode) else None
        return f"{location}: {name}" if location else name

    for t in triples:
        for term in (t.predicate, t.object if t.predicate.value == _RDF + "type" else None):
            if isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(SH) \
                    and term.value[len(SH):] not in SHACL_TERMS:
                local = term.value[len(SH):]
                close = difflib.get_close_matches(local, sorted(SHACL_TERMS), n=1, cutoff=0.6)
                hint = f"did you mean sh:{close[0]}?" if close else \
                    "use a term of the SHACL vocabulary (https://www.w3.org/TR/shacl/)"
                raise ShapesError(f"{where(t.subject)}: sh:{local} is not a SHACL term; {hint}")
        if t.predicate.value == SH + "path":
            problem = _path_problem(t.object, by_subject)
            if problem:
                raise ShapesError(f"{where(t.subject)}: sh:path {problem}; give an IRI or a "
                                  "SHACL path (sh:inversePath, sh:alternativePath, a list ...)")
    _check_prefixes(triples, by_subject, where)


def _path_problem(path: object, by_subject: dict[object, list[pyoxigraph.Triple]],
                  depth: int = 0) -> str | None:
    if isinstance(path, pyoxigraph.NamedNode):
        return None
    if isinstance(path, pyoxigraph.Literal):
        return f"is the literal {path!s}, not a path"
    if depth > 20:
        return "nests too deeply"
    props = {t.predicate.value: t.object for t in by_subject.get(path, [])}
    if _RDF + "first" in props:  # a sequence (or an alternative's list)
        node: object = path
        while node != pyoxigraph.NamedNode(_RDF + "nil"):
            items = {t.predicate.value: t.object for t in by_subject.get(node, [])}
            if _RDF + "first" not in items:
                return "is a broken list"
            problem = _path_problem(items[_RDF + "first"], by_subject, depth + 1)
            if problem:
                return problem
            node = items.get(_RDF + "rest", pyoxigraph.NamedNode(_RDF + "nil"))
        return None
    operators = [p for p in props if p in _PATH_OPERATORS]
    if len(operators) != 1:
        return "is a blank node with no path operator" if not operators else \
            "has more than one path operator"
    return _path_problem(props[operators[0]], by_subject, depth + 1)


def _check_prefixes(triples: list[pyoxigraph.Triple],
                    by_subject: dict[object, list[pyoxigraph.Triple]],
                    where: Callable[[object], str]) -> None:
    """Every prefix a SPARQL query uses must be declared through ``sh:prefixes``."""
    from ibmkg.sparql import declared_prefixes, tokens

    def declared(node: object) -> set[str]:
        names = set()
        stack = [t.object for t in by_subject.get(node, []) if t.predicate.value == SH + "prefixes"]
        seen: set[object] = set()
        while stack:  # the sh:prefixes nodes and what they owl:imports, transitively
            ontology = stack.pop()
            if ontology in seen:
                continue
            seen.add(ontology)
            for t in by_subject.get(ontology, []):
                if t.predicate.value == SH + "declare":
                    names |= {_text(d.object) for d in by_subject.get(t.object, [])
                              if d.predicate.value == SH + "prefix"}
                elif t.predicate.value == _OWL_IMPORTS:
                    stack.append(t.object)
        return names

    for t in triples:
        if t.predicate.value not in (SH + "select", SH + "ask", SH + "construct", SH + "update"):
            continue
        query = _text(t.object)
        used = {tok.text.split(":", 1)[0] for tok in tokens(query) if tok.kind == "pname"}
        # PREFIX lines inside the query itself are allowed too
        missing = sorted(used - declared(t.subject) - set(declared_prefixes(query)))
        if missing:
            names = ", ".join(f"{p}:" for p in missing)
            raise ShapesError(
                f"{where(t.subject)}: its SPARQL query uses {names} but does not declare it; "
                "add an sh:declare [ sh:prefix ...; sh:namespace ... ] to the node its "
                "sh:prefixes names (SHACL 5.2.1)")


def _text(term: object) -> str:
    return term.value if isinstance(term, pyoxigraph.Literal | pyoxigraph.NamedNode) else ""


_TARGETS: Final = frozenset(SH + p for p in ("targetClass", "targetNode", "targetSubjectsOf",
                                               "targetObjectsOf", "target"))


def select_shapes(shapes: Iterable[pyoxigraph.Triple], names: Sequence[str],
                  ) -> list[pyoxigraph.Triple]:
    """Keep the named shapes, everything they reach, and only their own targets.

    :param shapes: the shapes graph.
    :param names: IRIs of the shapes to keep.
    :returns: the smaller shapes graph.

    >>> g = parse_turtle('''@prefix sh: <http://www.w3.org/ns/shacl#> .
    ... <http://ex/A> sh:targetClass <http://ex/C> ; sh:property <http://ex/P> .
    ... <http://ex/P> sh:path <http://ex/p> ; sh:node <http://ex/B> .
    ... <http://ex/B> sh:targetClass <http://ex/D> ; sh:minCount 1 .''')
    >>> len(select_shapes(g, ["http://ex/A"]))  # B's own target is dropped
    5
    """
    by_subject: dict[object, list[pyoxigraph.Triple]] = {}
    for t in shapes:
        by_subject.setdefault(t.subject, []).append(t)
    roots = {pyoxigraph.NamedNode(n) for n in names}
    kept: list[pyoxigraph.Triple] = []
    seen: set[object] = set()
    stack: list[object] = list(roots)
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        for t in by_subject.get(node, []):
            if t.predicate.value in _TARGETS and node not in roots:
                continue
            kept.append(t)
            if t.object in by_subject:
                stack.append(t.object)
    return kept
