"""Compile SHACL shapes into plans that :mod:`ibmkg.validation.evaluate` runs over a whole graph.

Each targeted shape becomes a :class:`CompiledShape`: its targets and one :class:`Unit` per
shape (the node shape and each property shape) holding its paths, parameters and its
SPARQL-based constraints, the latter rewritten to run once over all focus nodes
(:mod:`ibmkg.validation.compile_sparql`). A shape that uses a construct not compiled here
raises :class:`~ibmkg.validation.compile_sparql.NotCompilable` and is left whole to pySHACL.

Specification: https://www.w3.org/TR/shacl/#core-components
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pyoxigraph

from ibmkg.namespaces import PREFIXES, curie_for
from ibmkg.validation.compile_sparql import NotCompilable, rewrite_select

__all__ = ["CompiledShape", "Path", "ShapesGraph", "SparqlConstraint", "Unit", "compile_shape"]

SH = "http://www.w3.org/ns/shacl#"
_RDF = PREFIXES["rdf"]
_RDFS = PREFIXES["rdfs"]
_XSD = PREFIXES["xsd"]
_TYPE = f"<{_RDF}type>/<{_RDFS}subClassOf>*"

Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal

#: Parameters of shapes that this module does not compile; a shape using one goes to pySHACL.
UNSUPPORTED = frozenset(SH + p for p in (
    "qualifiedValueShape", "qualifiedMinCount", "qualifiedMaxCount", "target", "rule",
    "expression"))

_TARGETS = ("targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target")


class ShapesGraph:
    """The shapes graph as subject -> predicate -> objects, with list and path helpers.

    :param triples: the shapes graph.
    """

    def __init__(self, triples: Iterable[pyoxigraph.Triple]) -> None:
        self.by_subject: dict[Term, dict[str, list[Term]]] = {}
        self.triples = list(triples)
        for t in self.triples:
            props = self.by_subject.setdefault(t.subject, {})  # type: ignore[arg-type]
            props.setdefault(t.predicate.value, []).append(t.object)  # type: ignore[arg-type]

    def objects(self, node: Term, prop: str) -> list[Term]:
        """The objects of ``node prop``.

        :param node: the subject.
        :param prop: the predicate IRI.
        :returns: the objects, in graph order.
        """
        return self.by_subject.get(node, {}).get(prop, [])

    def one(self, node: Term, prop: str) -> Term | None:
        """The first object of ``node prop``, if any.

        :param node: the subject.
        :param prop: the predicate IRI.
        :returns: the object or None.
        """
        values = self.objects(node, prop)
        return values[0] if values else None

    def items(self, node: Term) -> list[Term]:
        """The members of an RDF list.

        :param node: the list head.
        :returns: the members.
        :raises NotCompilable: for a malformed list.
        """
        members: list[Term] = []
        while not (isinstance(node, pyoxigraph.NamedNode) and node.value == _RDF + "nil"):
            first = self.one(node, _RDF + "first")
            rest = self.one(node, _RDF + "rest")
            if first is None or rest is None or len(members) > 10_000:
                raise NotCompilable("a malformed RDF list")
            members.append(first)
            node = rest
        return members

    def component_parameters(self) -> set[str]:
        """The parameters of constraint components declared in the shapes graph (SHACL-SPARQL).

        :returns: parameter predicate IRIs.
        """
        found = set()
        for props in self.by_subject.values():  # typed sh:ConstraintComponent or a subclass
            for parameter in props.get(SH + "parameter", []):
                found |= {p.value for p in self.objects(parameter, SH + "path")}
        return found

    def targeted(self) -> list[Term]:
        """The shapes that have targets (explicit, or implicit class targets), sorted.

        :returns: the shape nodes.
        """
        shapes = set()
        for node, props in self.by_subject.items():
            if any(SH + t in props for t in _TARGETS) or self.implicit_class(node):
                shapes.add(node)
        return sorted(shapes, key=str)

    def implicit_class(self, node: Term) -> bool:
        """Whether ``node`` is a shape that is also an ``rdfs:Class`` (an implicit target).

        :param node: a node of the shapes graph.
        :returns: the verdict.
        """
        types = {t.value for t in self.objects(node, _RDF + "type")}
        return _RDFS + "Class" in types and bool({SH + "NodeShape", SH + "PropertyShape"}
                                                 & types)

    def path(self, node: Term) -> Path:
        """A SHACL path as a path tree, a SPARQL path and the text the report shows.

        :param node: the path node.
        :returns: the path.
        :raises NotCompilable: for a malformed path.
        """
        if isinstance(node, pyoxigraph.NamedNode):
            return Path("iri", (), node, f"<{node.value}>", node.value)
        if isinstance(node, pyoxigraph.Literal):
            raise NotCompilable("a literal as a path")
        if self.one(node, _RDF + "first") is not None:  # a list wins, as in pySHACL
            parts = tuple(self.path(p) for p in self.items(node))
            return Path("/", parts, None, "(" + "/".join(p.sparql for p in parts) + ")",
                        "/".join(_shown(p) for p in parts))
        inverse = self.one(node, SH + "inversePath")
        if inverse is not None:
            inner = self.path(inverse)
            return Path("inverse", (inner,), None, f"^({inner.sparql})", "^" + _shown(inner))
        for prop, suffix in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"),
                             ("zeroOrOnePath", "?")):
            operand = self.one(node, SH + prop)
            if operand is not None:
                inner = self.path(operand)
                return Path(suffix, (inner,), None, f"({inner.sparql}){suffix}",
                            f"({_shown(inner)}){suffix}")
        alternatives = self.one(node, SH + "alternativePath")
        if alternatives is not None:
            parts = tuple(self.path(p) for p in self.items(alternatives))
            return Path("|", parts, None, "(" + "|".join(p.sparql for p in parts) + ")",
                        "(" + "|".join(_shown(p) for p in parts) + ")")
        raise NotCompilable("an unknown kind of path")


def _shown(path: Path) -> str:
    """A path operand as the report shows it: an IRI as a CURIE, a composite path as it is."""
    return _show(path.text) if path.kind == "iri" else path.text


def _show(iri: str) -> str:
    """Show a path part as the pySHACL adapter does (the same rule, so the texts are equal)."""
    if iri.startswith(("_:", "^", "(", "/")) or " " in iri:
        return iri
    return curie_for(iri) or f"<{iri}>"


@dataclass(frozen=True)
class Path:
    """A SHACL property path.

    :param kind: ``iri``, ``inverse``, ``/`` (sequence), ``|`` (alternatives), ``*``, ``+``, ``?``.
    :param parts: the operands.
    :param iri: the predicate of an ``iri`` path.
    :param sparql: the same path in SPARQL.
    :param text: the path as the report shows it.
    """

    kind: str
    parts: tuple[Path, ...]
    iri: pyoxigraph.NamedNode | None
    sparql: str
    text: str

    def predicates(self, *, inverse: bool = False) -> set[tuple[str, bool]]:
        """The predicates walked, each with whether it is walked backwards.

        :param inverse: whether this path is itself walked backwards.
        :returns: (predicate IRI, backwards) pairs.
        """
        if self.iri is not None:
            return {(self.iri.value, inverse)}
        flip = inverse != (self.kind == "inverse")
        return {p for part in self.parts for p in part.predicates(inverse=flip)}


@dataclass
class SparqlConstraint:
    """A SPARQL-based constraint, rewritten to run once over all focus nodes.

    :param node: the constraint node (``sh:sourceConstraint``).
    :param query: the rewritten query with its PREFIX lines.
    :param messages: the constraint's own messages.
    """

    node: Term
    query: str
    messages: list[pyoxigraph.Literal]


@dataclass
class Unit:
    """The constraints of one shape (a node shape, or one of its property shapes).

    :param shape: the shape (``sh:sourceShape``).
    :param path: its path; None for a node shape (the value node is the focus node).
    :param severity: ``Violation``, ``Warning`` or ``Info``.
    :param messages: the shape's messages.
    :param params: constraint parameter IRI -> its values in the shapes graph.
    :param lists: list-valued parameters (``sh:in``, ``sh:languageIn``, ...) -> members.
    :param sparql: the SPARQL-based constraints.
    :param closed_allowed: the predicates a closed shape allows, or None when not closed.
    :param logic: ``node``, ``not``, ``and``, ``or``, ``xone`` with the shapes they name.
    """

    shape: Term
    path: Path | None
    severity: str
    messages: list[pyoxigraph.Literal]
    params: dict[str, list[Term]]
    lists: dict[str, list[list[Term]]] = field(default_factory=dict)
    sparql: list[SparqlConstraint] = field(default_factory=list)
    closed_allowed: frozenset[str] | None = None
    logic: list[tuple[str, list[CompiledShape]]] = field(default_factory=list)


@dataclass
class CompiledShape:
    """A targeted shape: its targets and the units to evaluate on its focus nodes.

    :param node: the shape.
    :param targets: (kind, term) with kind ``node``, ``class``, ``subjectsOf``, ``objectsOf``.
    :param units: the shape's own constraints, then each property shape's.
    """

    node: Term
    targets: list[tuple[str, Term]]
    units: list[Unit]


#: Constraint parameters evaluated on value nodes, and those whose value is an RDF list.
_PARAMS = ("class", "datatype", "nodeKind", "minCount", "maxCount", "hasValue", "pattern",
           "flags", "minLength", "maxLength", "minInclusive", "minExclusive", "maxInclusive",
           "maxExclusive", "uniqueLang", "equals", "disjoint", "lessThan", "lessThanOrEquals")
_LIST_PARAMS = ("in", "languageIn")


def _severity(graph: ShapesGraph, shape: Term) -> str:
    severity = graph.one(shape, SH + "severity")
    if severity is None:
        return "Violation"
    name = severity.value.removeprefix(SH)
    if name not in ("Violation", "Warning", "Info"):
        raise NotCompilable("a custom severity")
    return name


def _messages(graph: ShapesGraph, node: Term) -> list[pyoxigraph.Literal]:
    return [m for m in graph.objects(node, SH + "message") if isinstance(m, pyoxigraph.Literal)]


def _deactivated(graph: ShapesGraph, node: Term) -> bool:
    flag = graph.one(node, SH + "deactivated")
    return isinstance(flag, pyoxigraph.Literal) and flag.value in ("true", "1")


def _true(term: Term | None) -> bool:
    return isinstance(term, pyoxigraph.Literal) and term.value in ("true", "1")


def _nt(term: Term) -> str:
    if isinstance(term, pyoxigraph.BlankNode):
        raise NotCompilable("a blank node where a SPARQL term is needed")
    return str(term)


def _focus_pattern(targets: list[tuple[str, Term]]) -> str:
    """A group pattern binding ``?this`` to the focus nodes (for SPARQL-based constraints)."""
    branches = []
    nodes = [t for kind, t in targets if kind == "node"]
    if nodes:
        branches.append("VALUES ?this { " + " ".join(_nt(n) for n in nodes) + " }")
    for kind, term in targets:
        if kind == "class":
            branches.append(f"?this {_TYPE} {_nt(term)} .")
        elif kind == "subjectsOf":
            branches.append(f"?this {_nt(term)} ?_any .")
        elif kind == "objectsOf":
            branches.append(f"?_any {_nt(term)} ?this .")
    union = branches[0] if len(branches) == 1 else \
        " UNION ".join("{ " + b + " }" for b in branches)
    # DISTINCT: a node typed with a class and its subclass is one focus node, counted once.
    return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"


def compile_shape(graph: ShapesGraph, shape: Term, prefixes: Callable[[Term], str],
                  *, nested: tuple[Term, ...] = ()) -> CompiledShape:
    """Compile one targeted shape (with its property shapes).

    :param graph: the shapes graph.
    :param shape: the targeted shape.
    :param prefixes: the PREFIX lines of a SPARQL-based constraint.
    :param nested: the shapes that name this one (``sh:node``, ``sh:or`` ...), outermost first;
        a nested shape's targets are ignored, as SHACL says.
    :returns: the compiled shape (no units when it is deactivated).
    :raises NotCompilable: when the shape uses something not compiled here.
    """
    if shape in nested:
        raise NotCompilable("a recursive shape")
    if nested:
        if _deactivated(graph, shape):
            return CompiledShape(shape, [], [])
        units = [_unit(graph, shape, "", prefixes, (*nested, shape))]
        if graph.one(shape, SH + "path") is None:
            for prop in graph.objects(shape, SH + "property"):
                if not _deactivated(graph, prop):
                    if graph.one(prop, SH + "path") is None:
                        raise NotCompilable("a property shape without sh:path")
                    units.append(_unit(graph, prop, "", prefixes, (*nested, shape, prop)))
        elif graph.objects(shape, SH + "property"):
            raise NotCompilable("a property shape nested in a property shape")
        return CompiledShape(shape, [], units)
    if graph.objects(shape, SH + "target"):
        raise NotCompilable("a SPARQL-based target")
    targets: list[tuple[str, Term]] = [("node", t) for t in graph.objects(shape, SH + "targetNode")]
    targets += [("class", c) for c in graph.objects(shape, SH + "targetClass")]
    if graph.implicit_class(shape):
        targets.append(("class", shape))
    targets += [("subjectsOf", p) for p in graph.objects(shape, SH + "targetSubjectsOf")]
    targets += [("objectsOf", p) for p in graph.objects(shape, SH + "targetObjectsOf")]
    if _deactivated(graph, shape):
        return CompiledShape(shape, targets, [])
    focus = _focus_pattern(targets) if targets else ""
    units = [_unit(graph, shape, focus, prefixes, (shape,))]
    if graph.one(shape, SH + "path") is None:
        for prop in graph.objects(shape, SH + "property"):
            if _deactivated(graph, prop):
                continue
            if graph.one(prop, SH + "path") is None:
                raise NotCompilable("a property shape without sh:path")
            if graph.objects(prop, SH + "property"):
                raise NotCompilable("a property shape nested in a property shape")
            units.append(_unit(graph, prop, focus, prefixes, (shape, prop)))
    elif graph.objects(shape, SH + "property"):
        raise NotCompilable("a property shape nested in a property shape")
    return CompiledShape(shape, targets, units)


def _unit(graph: ShapesGraph, shape: Term, focus: str, prefixes: Callable[[Term], str],
          chain: tuple[Term, ...]) -> Unit:
    props = graph.by_subject.get(shape, {})
    used = set(props) & UNSUPPORTED
    if used:
        raise NotCompilable(f"{sorted(used)[0]} is not compiled")
    if set(props) & graph.component_parameters():
        raise NotCompilable("a SPARQL-based constraint component")
    path_node = graph.one(shape, SH + "path")
    path = graph.path(path_node) if path_node is not None else None
    params = {name: props[SH + name] for name in _PARAMS if SH + name in props}
    for name in ("minCount", "maxCount", "minLength", "maxLength"):
        for value in params.get(name, []):
            if not (isinstance(value, pyoxigraph.Literal) and value.value.isdigit()):
                raise NotCompilable(f"sh:{name} that is not a non-negative integer")
    if path is None and {"minCount", "maxCount", "uniqueLang", "lessThan",
                         "lessThanOrEquals"} & set(params):
        raise NotCompilable("a property-shape parameter on a node shape")
    for name in ("minInclusive", "minExclusive", "maxInclusive", "maxExclusive"):
        for value in params.get(name, []):
            _nt(value)
    for name in ("class", "datatype", "equals", "disjoint", "lessThan", "lessThanOrEquals",
                 "nodeKind"):
        for value in params.get(name, []):
            if not isinstance(value, pyoxigraph.NamedNode):
                raise NotCompilable(f"sh:{name} that is not an IRI")
    for pattern in params.get("pattern", []):
        try:
            re.compile(pattern.value)
        except re.error as error:
            raise NotCompilable("a pattern Python cannot compile") from error
    lists = {name: [graph.items(head) for head in props[SH + name]]
             for name in _LIST_PARAMS if SH + name in props}
    closed = None
    if _true(graph.one(shape, SH + "closed")):
        allowed = {p.value for prop in graph.objects(shape, SH + "property")
                   for p in graph.objects(prop, SH + "path")
                   if isinstance(p, pyoxigraph.NamedNode)}
        for ignored in graph.objects(shape, SH + "ignoredProperties"):
            allowed |= {t.value for t in graph.items(ignored)}
        closed = frozenset(allowed)
    unit = Unit(shape, path, _severity(graph, shape), _messages(graph, shape), params, lists,
                closed_allowed=closed)
    for name in ("node", "not"):
        for target in props.get(SH + name, []):
            unit.logic.append((name, [compile_shape(graph, target, prefixes, nested=chain)]))
    for name in ("and", "or", "xone"):
        for head in props.get(SH + name, []):
            unit.logic.append((name, [compile_shape(graph, member, prefixes, nested=chain)
                                      for member in graph.items(head)]))
    for constraint in graph.objects(shape, SH + "sparql"):
        if _deactivated(graph, constraint):
            continue
        select = graph.one(constraint, SH + "select")
        if select is None:
            raise NotCompilable("a SPARQL constraint without sh:select")
        if not focus:
            raise NotCompilable("a SPARQL constraint in a nested shape or without targets")
        current = shape.value if isinstance(shape, pyoxigraph.NamedNode) else None
        query = rewrite_select(select.value, focus, path=path.sparql if path else None,
                               current_shape=current)
        unit.sparql.append(SparqlConstraint(constraint, prefixes(constraint) + query,
                                            _messages(graph, constraint)))
    return unit
