"""Compile SHACL shapes into whole-graph SPARQL checks (the core constraint components).

Each targeted shape becomes a list of :class:`Check`: one SPARQL query per constraint, run once
over the whole data graph with ``?this`` bound by the shape's targets (the approach of
SHACL-to-SPARQL engines), returning the violating focus nodes and values. A few checks keep
a Python test on the rows (``sh:pattern``, lengths, ill-typed literals) so that they mean
exactly what pySHACL means. A shape that uses a construct not compiled here raises
:class:`~ibmkg.validation.compile_sparql.NotCompilable` and is left whole to pySHACL.

Specification: https://www.w3.org/TR/shacl/#core-components
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import pyoxigraph

from ibmkg.namespaces import PREFIXES, curie_for
from ibmkg.validation.compile_sparql import NotCompilable, rewrite_select
from ibmkg.validation.lexical import ill_typed, may_be_ill_typed

__all__ = ["Check", "ShapesGraph", "compile_shape"]

SH = "http://www.w3.org/ns/shacl#"
_RDF = PREFIXES["rdf"]
_RDFS = PREFIXES["rdfs"]
_XSD = PREFIXES["xsd"]
_TYPE = f"<{_RDF}type>/<{_RDFS}subClassOf>*"

Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal

#: Parameters of shapes that this module does not compile; a shape using one goes to pySHACL.
UNSUPPORTED = frozenset(SH + p for p in (
    "node", "not", "and", "or", "xone", "qualifiedValueShape", "qualifiedMinCount",
    "qualifiedMaxCount", "target", "rule", "expression", "sparql_ask"))

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

    def path(self, node: Term) -> tuple[str, str]:
        """A SHACL path as a SPARQL path and as the text the report shows.

        :param node: the path node.
        :returns: (SPARQL path, display text).
        :raises NotCompilable: for a malformed path.
        """
        if isinstance(node, pyoxigraph.NamedNode):
            return f"<{node.value}>", node.value
        if isinstance(node, pyoxigraph.Literal):
            raise NotCompilable("a literal as a path")
        inverse = self.one(node, SH + "inversePath")
        if inverse is not None:
            sparql, text = self.path(inverse)
            return f"^({sparql})", "^" + _show(text)
        for prop, suffix in (("zeroOrMorePath", "*"), ("oneOrMorePath", "+"),
                             ("zeroOrOnePath", "?")):
            inner = self.one(node, SH + prop)
            if inner is not None:
                sparql, text = self.path(inner)
                return f"({sparql}){suffix}", f"({_show(text)}){suffix}"
        alternatives = self.one(node, SH + "alternativePath")
        if alternatives is not None:
            parts = [self.path(p) for p in self.items(alternatives)]
            return ("(" + "|".join(s for s, _ in parts) + ")",
                    "(" + "|".join(_show(t) for _, t in parts) + ")")
        if self.one(node, _RDF + "first") is not None:
            parts = [self.path(p) for p in self.items(node)]
            return "(" + "/".join(s for s, _ in parts) + ")", "/".join(_show(t) for _, t in parts)
        raise NotCompilable("an unknown kind of path")


def _show(iri: str) -> str:
    if iri.startswith("_:") or iri.startswith("^") or " " in iri or iri[:1] in "/(":
        return iri
    return curie_for(iri) or f"<{iri}>"


@dataclass
class Check:
    """One compiled constraint: a query, and how its rows become results.

    :param query: SPARQL; its solutions bind ``?this`` and, where a value is reported, ``?v``
        (and ``?p`` for ``sh:closed``, or the variables of a SPARQL-based constraint).
    :param shape: the shape whose constraint this is (``sh:sourceShape``).
    :param component: the constraint component IRI.
    :param severity: the severity IRI's local name.
    :param path: the result path text, if any.
    :param messages: the shape's (and constraint's) messages.
    :param keep: a Python test on the value, for checks SPARQL cannot state exactly.
    :param report_value: whether ``?v`` is reported as ``sh:value``.
    :param constraint: the ``sh:sourceConstraint`` (SPARQL-based constraints).
    :param value_is_focus: report the focus node as value when the query binds none.
    """

    query: str
    shape: Term
    component: str
    severity: str
    path: str | None
    messages: list[pyoxigraph.Literal]
    keep: Callable[[Term], bool] | None = None
    report_value: bool = True
    constraint: Term | None = None
    value_is_focus: bool = False
    extra_messages: list[pyoxigraph.Literal] = field(default_factory=list)


def _nt(term: Term) -> str:
    if isinstance(term, pyoxigraph.BlankNode):
        raise NotCompilable("a blank node as a constraint parameter")
    return str(term)


def _focus(graph: ShapesGraph, shape: Term) -> str:
    """A group pattern binding ``?this`` to the focus nodes of the shape's targets."""
    branches = []
    nodes = graph.objects(shape, SH + "targetNode")
    if nodes:
        branches.append("VALUES ?this { " + " ".join(_nt(n) for n in nodes) + " }")
    classes = list(graph.objects(shape, SH + "targetClass"))
    if graph.implicit_class(shape):
        classes.append(shape)
    branches += [f"?this {_TYPE} {_nt(c)} ." for c in classes]
    branches += [f"?this {_nt(p)} ?_any ." for p in graph.objects(shape, SH + "targetSubjectsOf")]
    branches += [f"?_any {_nt(p)} ?this ." for p in graph.objects(shape, SH + "targetObjectsOf")]
    if graph.objects(shape, SH + "target"):
        raise NotCompilable("a SPARQL-based target")
    if not branches:
        raise NotCompilable("a shape without targets")
    union = branches[0] if len(branches) == 1 else \
        " UNION ".join("{ " + b + " }" for b in branches)
    # DISTINCT: a node typed with a class and its subclass is one focus node, counted once.
    return f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"


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


def compile_shape(graph: ShapesGraph, shape: Term, prefixes: Callable[[Term], str],
                  ) -> list[Check]:
    """Compile one targeted shape (with its property shapes) into checks.

    :param graph: the shapes graph.
    :param shape: the targeted shape.
    :param prefixes: the PREFIX lines of a SPARQL-based constraint.
    :returns: the checks.
    :raises NotCompilable: when the shape uses something not compiled here.
    """
    if _deactivated(graph, shape):
        return []
    focus = _focus(graph, shape)
    checks = _shape_checks(graph, shape, focus, prefixes)
    if graph.one(shape, SH + "path") is None:
        for prop in graph.objects(shape, SH + "property"):
            if _deactivated(graph, prop):
                continue
            if graph.one(prop, SH + "path") is None:
                raise NotCompilable("a property shape without sh:path")
            if graph.objects(prop, SH + "property"):
                raise NotCompilable("a property shape nested in a property shape")
            checks += _shape_checks(graph, prop, focus, prefixes)
    elif graph.objects(shape, SH + "property"):
        raise NotCompilable("a property shape nested in a property shape")
    return checks


def _shape_checks(graph: ShapesGraph, shape: Term, focus: str,
                  prefixes: Callable[[Term], str]) -> list[Check]:
    props = graph.by_subject.get(shape, {})
    used = set(props) & UNSUPPORTED
    if used:
        raise NotCompilable(f"{sorted(used)[0]} is not compiled")
    path_node = graph.one(shape, SH + "path")
    path, path_text = graph.path(path_node) if path_node is not None else (None, None)
    severity = _severity(graph, shape)
    messages = _messages(graph, shape)
    values = f"?this {path} ?v ." if path else "BIND (?this AS ?v)"
    checks: list[Check] = []

    def add(component: str, where: str, *, select: str = "?this ?v",
            keep: Callable[[Term], bool] | None = None, report_value: bool = True) -> None:
        checks.append(Check(f"SELECT DISTINCT {select} WHERE {{ {focus} {where} }}", shape,
                            SH + component, severity, path_text, messages, keep=keep,
                            report_value=report_value))

    for cls in graph.objects(shape, SH + "class"):
        add("ClassConstraintComponent",
            f"{values} FILTER NOT EXISTS {{ ?v {_TYPE} {_nt(cls)} }}")
    for datatype in graph.objects(shape, SH + "datatype"):
        _datatype(add, values, _nt(datatype), datatype.value)
    for kind in graph.objects(shape, SH + "nodeKind"):
        test = _NODE_KINDS.get(kind.value.removeprefix(SH))
        if test is None:
            raise NotCompilable("an unknown sh:nodeKind")
        add("NodeKindConstraintComponent", f"{values} FILTER (!({test}))")
    for count in graph.objects(shape, SH + "minCount"):
        if path is None:
            raise NotCompilable("sh:minCount on a node shape")
        if int(count.value) > 0:
            checks.append(Check(
                f"SELECT ?this WHERE {{ {focus} OPTIONAL {{ ?this {path} ?v }} }} GROUP BY ?this "
                f"HAVING (COUNT(DISTINCT ?v) < {int(count.value)})", shape,
                SH + "MinCountConstraintComponent", severity, path_text, messages,
                report_value=False))
    for count in graph.objects(shape, SH + "maxCount"):
        if path is None:
            raise NotCompilable("sh:maxCount on a node shape")
        checks.append(Check(
            f"SELECT ?this WHERE {{ {focus} ?this {path} ?v }} GROUP BY ?this "
            f"HAVING (COUNT(DISTINCT ?v) > {int(count.value)})", shape,
            SH + "MaxCountConstraintComponent", severity, path_text, messages,
            report_value=False))
    for members in graph.objects(shape, SH + "in"):
        allowed = " || ".join(f"sameTerm(?v, {_nt(m)})" for m in graph.items(members))
        add("InConstraintComponent", f"{values} FILTER (!({allowed or 'false'}))")
    for value in graph.objects(shape, SH + "hasValue"):
        if path is None:
            add("HasValueConstraintComponent", f"FILTER (!sameTerm(?this, {_nt(value)}))",
                select="?this", report_value=False)
        else:
            add("HasValueConstraintComponent",
                f"FILTER NOT EXISTS {{ ?this {path} ?hv FILTER (sameTerm(?hv, {_nt(value)})) }}",
                select="?this", report_value=False)
    for bound, component, op in (("minInclusive", "MinInclusive", ">="),
                                 ("minExclusive", "MinExclusive", ">"),
                                 ("maxInclusive", "MaxInclusive", "<="),
                                 ("maxExclusive", "MaxExclusive", "<")):
        for limit in graph.objects(shape, SH + bound):
            add(component + "ConstraintComponent",
                f"{values} FILTER (!COALESCE(?v {op} {_nt(limit)}, false))")
    _text_checks(graph, shape, add, values)
    _pair_checks(graph, shape, add, values, path)
    if _true(graph.one(shape, SH + "closed")):
        _closed(graph, shape, add)
    for constraint in graph.objects(shape, SH + "sparql"):
        checks += _sparql(graph, shape, constraint, focus, path, path_text, severity, messages,
                          prefixes)
    return checks


_NODE_KINDS = {
    "IRI": "isIRI(?v)", "BlankNode": "isBlank(?v)", "Literal": "isLiteral(?v)",
    "BlankNodeOrIRI": "!isLiteral(?v)", "BlankNodeOrLiteral": "!isIRI(?v)",
    "IRIOrLiteral": "!isBlank(?v)",
}


def _true(term: Term | None) -> bool:
    return isinstance(term, pyoxigraph.Literal) and term.value in ("true", "1")


def _datatype(add: Callable[..., None], values: str, datatype: str, iri: str) -> None:
    if iri in (_RDFS + "Literal", _RDFS + "Datatype"):
        add("DatatypeConstraintComponent", f"{values} FILTER (!isLiteral(?v))")
        return
    add("DatatypeConstraintComponent",
        f"{values} FILTER (!isLiteral(?v) || !sameTerm(datatype(?v), {datatype}))")
    if may_be_ill_typed(iri):
        add("DatatypeConstraintComponent",
            f"{values} FILTER (isLiteral(?v) && sameTerm(datatype(?v), {datatype}))",
            keep=lambda v: isinstance(v, pyoxigraph.Literal) and ill_typed(v.value, iri))


_FLAGS = {"i": re.IGNORECASE, "m": re.MULTILINE, "s": re.DOTALL, "x": re.VERBOSE}


def _text_checks(graph: ShapesGraph, shape: Term, add: Callable[..., None], values: str) -> None:
    for pattern in graph.objects(shape, SH + "pattern"):
        flags = 0
        for flag_text in graph.objects(shape, SH + "flags"):
            for letter in flag_text.value:
                flags |= _FLAGS.get(letter, 0)
        regex = re.compile(pattern.value, flags)
        add("PatternConstraintComponent", values,
            keep=lambda v, regex=regex: isinstance(v, pyoxigraph.BlankNode)
            or not regex.search(v.value))
    for bound, component in (("minLength", "MinLength"), ("maxLength", "MaxLength")):
        for limit in graph.objects(shape, SH + bound):
            n = int(limit.value)
            add(component + "ConstraintComponent", values,
                keep=lambda v, n=n, low=bound == "minLength": isinstance(v, pyoxigraph.BlankNode)
                or (len(v.value) < n if low else len(v.value) > n))
    for tags in graph.objects(shape, SH + "languageIn"):
        matches = " || ".join(f"langMatches(lang(?v), {_nt(t)})" for t in graph.items(tags))
        add("LanguageInConstraintComponent",
            f"{values} FILTER (!isLiteral(?v) || !({matches or 'false'}))")


def _pair_checks(graph: ShapesGraph, shape: Term, add: Callable[..., None], values: str,
                 path: str | None) -> None:
    if _true(graph.one(shape, SH + "uniqueLang")):
        if path is None:
            raise NotCompilable("sh:uniqueLang on a node shape")
        add("UniqueLangConstraintComponent",
            f"?this {path} ?v . ?this {path} ?w . FILTER (lang(?v) != '' && "
            f"lang(?v) = lang(?w) && !sameTerm(?v, ?w))", select="?this", report_value=False)
    for other in graph.objects(shape, SH + "equals"):
        p2 = _nt(other)
        add("EqualsConstraintComponent", f"{values} FILTER NOT EXISTS {{ ?this {p2} ?v }}")
        own = f"?this {path} ?v" if path else "FILTER (sameTerm(?v, ?this))"
        add("EqualsConstraintComponent", f"?this {p2} ?v . FILTER NOT EXISTS {{ {own} }}")
    for other in graph.objects(shape, SH + "disjoint"):
        add("DisjointConstraintComponent", f"{values} ?this {_nt(other)} ?v .")
    for name, op in (("lessThan", "<"), ("lessThanOrEquals", "<=")):
        for other in graph.objects(shape, SH + name):
            if path is None:
                raise NotCompilable(f"sh:{name} on a node shape")
            component = name[0].upper() + name[1:] + "ConstraintComponent"
            add(component,
                f"{values} ?this {_nt(other)} ?o . FILTER (!COALESCE(?v {op} ?o, false))")


def _closed(graph: ShapesGraph, shape: Term, add: Callable[..., None]) -> None:
    allowed = {p.value for prop in graph.objects(shape, SH + "property")
               for p in graph.objects(prop, SH + "path") if isinstance(p, pyoxigraph.NamedNode)}
    for ignored in graph.objects(shape, SH + "ignoredProperties"):
        allowed |= {t.value for t in graph.items(ignored)}
    test = " && ".join(f"?p != <{iri}>" for iri in sorted(allowed)) or "true"
    add("ClosedConstraintComponent", f"?this ?p ?v . FILTER ({test})",
        select="?this ?p ?v")


def _sparql(graph: ShapesGraph, shape: Term, constraint: Term, focus: str, path: str | None,
            path_text: str | None, severity: str, messages: list[pyoxigraph.Literal],
            prefixes: Callable[[Term], str]) -> list[Check]:
    if _deactivated(graph, constraint):
        return []
    select = graph.one(constraint, SH + "select")
    if select is None:
        raise NotCompilable("a SPARQL constraint without sh:select")
    current = shape.value if isinstance(shape, pyoxigraph.NamedNode) else None
    query = rewrite_select(select.value, focus, path=path, current_shape=current)
    return [Check(prefixes(constraint) + query, shape, SH + "SPARQLConstraintComponent",
                  severity, path_text, messages, constraint=constraint,
                  value_is_focus=path is None,
                  extra_messages=_messages(graph, constraint))]
