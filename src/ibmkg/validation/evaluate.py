"""Run compiled shapes over a whole data graph: the index, the paths and the constraint tests.

The data stays as written: values are read from an index of the original triples, because a
``pyoxigraph.Store`` keeps literals in canonical form (``"4.0"^^xsd:decimal`` comes back as
``"4"``, ``"5"^^xsd:byte`` as ``"5"^^xsd:integer``, ``"1"^^xsd:boolean`` as ``"true"``),
which would change what ``sh:datatype``, ``sh:in`` and ``sh:value`` see. The store answers
what needs SPARQL: class membership (``rdf:type/rdfs:subClassOf*``), value comparisons
(``sh:minInclusive`` ..., ``sh:lessThan``, asked once for all values of a constraint, each
value keyed by its position so the original term is reported) and the SPARQL-based
constraints, run once per shape over all focus nodes.

Specification: https://www.w3.org/TR/shacl/#core-components
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, partial

import pyoxigraph

from ibmkg.validation.compile_core import SH, CompiledShape, Path, SparqlConstraint, Term, Unit
from ibmkg.validation.lexical import ill_typed

__all__ = ["DataIndex", "Raw", "evaluate_shape"]

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RawFactory = Callable[["Term", str, "Term | None"], "Raw"]
_LANG_STRING = _RDF + "langString"


@dataclass(frozen=True)
class Raw:
    """One result before it is made readable.

    :param unit: the shape's unit (severity, messages, source shape).
    :param focus: the focus node.
    :param path: the result path text, if any.
    :param value: the value node, if reported.
    :param component: the constraint component IRI.
    :param constraint: the SPARQL-based constraint, if any.
    :param bindings: the solution of a SPARQL-based constraint (for its message).
    """

    unit: Unit
    focus: Term
    path: str | None
    value: Term | None
    component: str
    constraint: SparqlConstraint | None = None
    bindings: tuple[tuple[str, Term], ...] = ()


class DataIndex:
    """The data graph indexed by subject (and by object for the predicates walked backwards).

    :param triples: the data graph, terms as written.
    :param store: the same triples in a pyoxigraph store, for SPARQL.
    :param backwards: predicate IRIs that paths or targets walk from object to subject.
    """

    def __init__(self, triples: Iterable[pyoxigraph.Triple], store: pyoxigraph.Store,
                 backwards: set[str]) -> None:
        self.store = store
        self.out: dict[Term, dict[str, dict[Term, None]]] = {}
        self.back: dict[str, dict[Term, dict[Term, None]]] = {p: {} for p in backwards}
        for t in triples:
            s, p, o = t.subject, t.predicate.value, t.object
            self.out.setdefault(s, {}).setdefault(p, {})[o] = None  # type: ignore[arg-type, index]
            if p in self.back:
                self.back[p].setdefault(o, {})[s] = None  # type: ignore[arg-type, index]
        self._instances: dict[Term, frozenset[Term]] = {}

    def instances(self, cls: Term) -> frozenset[Term]:
        """The instances of a class and its subclasses (``rdf:type/rdfs:subClassOf*``).

        :param cls: the class.
        :returns: the instances.
        """
        if cls not in self._instances:
            solutions = self.store.query(
                f"SELECT DISTINCT ?x WHERE {{ ?x <{_RDF}type>/<{_RDFS}subClassOf>* {cls} }}")
            assert isinstance(solutions, pyoxigraph.QuerySolutions)
            self._instances[cls] = frozenset(row[0] for row in solutions)
        return self._instances[cls]

    def original(self, literal: pyoxigraph.Literal, candidates: Iterable[Term]) -> Term:
        """The literal as written, among candidates, for a literal the store gave back.

        :param literal: a literal in the store's canonical form.
        :param candidates: terms as written, one of which may be it.
        :returns: the one candidate with that canonical form, else the literal itself.
        """
        found = [c for c in candidates if isinstance(c, pyoxigraph.Literal)
                 and _canonical(c) == literal]
        return found[0] if len(found) == 1 else literal

    def values(self, node: Term, path: Path, *, backwards: bool = False) -> dict[Term, None]:
        """The value nodes of ``node`` along ``path`` (an ordered set).

        :param node: the focus node.
        :param path: the path.
        :param backwards: walk the path from object to subject.
        :returns: the values.
        """
        if path.iri is not None:
            if backwards:
                return self.back.get(path.iri.value, {}).get(node, {})
            return self.out.get(node, {}).get(path.iri.value, {})
        if path.kind == "inverse":
            return self.values(node, path.parts[0], backwards=not backwards)
        if path.kind == "/":
            frontier: dict[Term, None] = {node: None}
            for part in (reversed(path.parts) if backwards else path.parts):
                frontier = {v: None for n in frontier for v in self.values(n, part,
                                                                          backwards=backwards)}
            return frontier
        if path.kind == "|":
            return {v: None for part in path.parts
                    for v in self.values(node, part, backwards=backwards)}
        step = path.parts[0]
        if path.kind == "?":
            return {node: None, **self.values(node, step, backwards=backwards)}
        reached: dict[Term, None] = {node: None} if path.kind == "*" else {}
        todo = list(self.values(node, step, backwards=backwards))
        while todo:
            current = todo.pop()
            if current in reached:
                continue
            reached[current] = None
            todo.extend(self.values(current, step, backwards=backwards))
        return reached


_SUBJECT = pyoxigraph.NamedNode("urn:ibmkg:canonical")


@cache
def _canonical(literal: pyoxigraph.Literal) -> pyoxigraph.Literal:
    """The form a pyoxigraph store gives a literal back in."""
    if literal.language or literal.datatype.value == _XSD_STRING:
        return literal
    store = pyoxigraph.Store()
    store.add(pyoxigraph.Quad(_SUBJECT, _SUBJECT, literal))
    back = next(iter(store)).object
    assert isinstance(back, pyoxigraph.Literal)
    return back


def focus_nodes(shape: CompiledShape, index: DataIndex) -> dict[Term, None]:
    """The focus nodes of a shape's targets.

    :param shape: the compiled shape.
    :param index: the data.
    :returns: the focus nodes (an ordered set).
    """
    nodes: dict[Term, None] = {}
    for kind, term in shape.targets:
        if kind == "node":
            nodes[term] = None
        elif kind == "class":
            nodes.update(dict.fromkeys(index.instances(term)))
        elif kind == "subjectsOf":
            nodes.update({s: None for s, props in index.out.items() if term.value in props})
        else:
            nodes.update(dict.fromkeys(index.back.get(term.value, {})))
    return nodes


def evaluate_shape(shape: CompiledShape, index: DataIndex) -> Iterator[Raw]:
    """Evaluate every unit of a compiled shape on its focus nodes.

    :param shape: the compiled shape.
    :param index: the data.
    :returns: the results.
    """
    focus = list(focus_nodes(shape, index)) if shape.units else []
    for unit in shape.units:
        yield from _evaluate_unit(unit, focus, index)
        for constraint in unit.sparql:
            yield from _sparql(unit, constraint, index)


def _value_tests(unit: Unit, index: DataIndex) -> list[tuple[str, Callable[[Term], bool]]]:
    """(component, passes) for each test of a single value node, built once per unit."""
    params = unit.params
    tests: list[tuple[str, Callable[[Term], bool]]] = []
    for cls in params.get("class", []):
        members = index.instances(cls)
        tests.append(("Class", members.__contains__))
    for datatype in params.get("datatype", []):
        tests.append(("Datatype", partial(_has_datatype, datatype=datatype.value)))
    for kind in params.get("nodeKind", []):
        tests.append(("NodeKind", partial(_has_kind, kind=kind.value.removeprefix(SH))))
    for allowed in unit.lists.get("in", []):
        tests.append(("In", set(allowed).__contains__))
    for tags in unit.lists.get("languageIn", []):
        tests.append(("LanguageIn", partial(_language_in, tags=tags)))
    return tests


_RANGES = ("minInclusive", "minExclusive", "maxInclusive", "maxExclusive")
_STRING_PARAMS = frozenset(("pattern", "minLength", "maxLength", "uniqueLang"))
_PAIR_PARAMS = frozenset(("equals", "disjoint", "lessThan", "lessThanOrEquals"))


def _evaluate_unit(unit: Unit, focus: list[Term], index: DataIndex) -> Iterator[Raw]:
    params = unit.params
    path = unit.path
    text = path.text if path else None
    comparisons: list[tuple[Term, Term, str, Term]] = []  # focus, value, component, expression

    def raw(f: Term, name: str, value: Term | None) -> Raw:
        return Raw(unit, f, text, value, SH + name + "ConstraintComponent")

    min_counts = [int(x.value) for x in params.get("minCount", [])]
    max_counts = [int(x.value) for x in params.get("maxCount", [])]
    wanted = params.get("hasValue", [])
    tests = _value_tests(unit, index)
    ranges = [(name, limit) for name in _RANGES for limit in params.get(name, [])]
    strings = bool(_STRING_PARAMS & set(params))
    pairs = bool(_PAIR_PARAMS & set(params))
    logic_pairs: list[tuple[Term, Term]] = []
    for f in focus:
        values = list(index.values(f, path)) if path else [f]
        for n in min_counts:
            if len(values) < n:
                yield raw(f, "MinCount", None)
        for n in max_counts:
            if len(values) > n:
                yield raw(f, "MaxCount", None)
        for w in wanted:
            if w not in values:
                yield raw(f, "HasValue", None)
        for v in values:
            for name, passes in tests:
                if not passes(v):
                    yield raw(f, name, v)
            for name, limit in ranges:
                comparisons.append((f, v, name, limit))
            if unit.logic:
                logic_pairs.append((f, v))
        if strings:
            yield from _string_checks(unit, f, values, raw)
        if pairs:
            yield from _pair_checks(unit, f, values, index, raw, comparisons)
        if unit.closed_allowed is not None:
            for p, objects in index.out.get(f, {}).items():
                if p not in unit.closed_allowed:
                    for o in objects:
                        yield Raw(unit, f, p, o, SH + "ClosedConstraintComponent")
    yield from _compare(unit, comparisons, index)
    if logic_pairs:
        yield from _logic(unit, logic_pairs, index, raw)


def failing(shape: CompiledShape, nodes: list[Term], index: DataIndex) -> set[Term]:
    """The nodes that do not conform to a (nested) shape.

    :param shape: the shape.
    :param nodes: the nodes to check, as focus nodes of the shape.
    :param index: the data.
    :returns: those with at least one result.
    """
    return {r.focus for unit in shape.units for r in _evaluate_unit(unit, nodes, index)}


def _logic(unit: Unit, pairs: list[tuple[Term, Term]], index: DataIndex, raw: _RawFactory,
           ) -> Iterator[Raw]:
    """``sh:node``, ``sh:not``, ``sh:and``, ``sh:or``, ``sh:xone`` on every value at once."""
    values = list(dict.fromkeys(v for _, v in pairs))
    for name, shapes in unit.logic:
        if name == "node":  # the nested results are details (sh:detail), not results
            fails = [failing(shapes[0], values, index)]
        else:
            fails = [failing(shape, values, index) for shape in shapes]
        component = {"node": "Node", "not": "Not", "and": "And", "or": "Or", "xone": "Xone"}[name]
        for f, v in pairs:
            bad = [v in fail for fail in fails]
            if (name == "node" and bad[0]) or (name == "not" and not bad[0]) or \
                    (name == "and" and any(bad)) or (name == "or" and all(bad)) or \
                    (name == "xone" and bad.count(False) != 1):
                yield raw(f, component, v)


def _has_datatype(v: Term, datatype: str) -> bool:
    """``sh:datatype`` as pySHACL decides it on rdflib terms."""
    if not isinstance(v, pyoxigraph.Literal):
        return False
    if datatype == _RDFS + "Literal":
        return True
    if v.language:
        return datatype == _LANG_STRING
    actual = v.datatype.value
    if datatype == _RDFS + "Datatype":
        return actual != _XSD_STRING
    if actual == _XSD_STRING:
        return datatype == _XSD_STRING
    return actual == datatype and not ill_typed(v.value, datatype)


def _has_kind(v: Term, kind: str) -> bool:
    iri, blank = isinstance(v, pyoxigraph.NamedNode), isinstance(v, pyoxigraph.BlankNode)
    literal = not iri and not blank
    return {"IRI": iri, "BlankNode": blank, "Literal": literal, "BlankNodeOrIRI": not literal,
            "BlankNodeOrLiteral": not iri, "IRIOrLiteral": not blank}.get(kind, False)


def _language_in(v: Term, tags: list[Term]) -> bool:
    if not isinstance(v, pyoxigraph.Literal) or not v.language:
        return False
    wanted = {t.value.lower() for t in tags}
    lang = v.language.lower()
    return "*" in wanted or lang in wanted or lang.split("-")[0] in wanted


def _text(v: Term) -> str:
    return v.value if isinstance(v, pyoxigraph.NamedNode | pyoxigraph.Literal) else str(v)


def _string_checks(unit: Unit, f: Term, values: list[Term], raw: _RawFactory) -> Iterator[Raw]:
    params = unit.params
    flags_text = params["flags"][0].value.lower() if params.get("flags") else ""
    flags = (re.IGNORECASE if "i" in flags_text else 0) | (re.MULTILINE if "m" in flags_text
                                                            else 0)
    for pattern in params.get("pattern", []):
        regex = re.compile(pattern.value, flags)
        for v in values:
            if isinstance(v, pyoxigraph.BlankNode) or not regex.search(_text(v)):
                yield raw(f, "Pattern", v)
    for name, low in (("minLength", True), ("maxLength", False)):
        for limit in params.get(name, []):
            n = int(limit.value)
            for v in values:
                if isinstance(v, pyoxigraph.BlankNode) or \
                        (len(_text(v)) < n if low else len(_text(v)) > n):
                    yield raw(f, name[0].upper() + name[1:], v)
    if any(t.value in ("true", "1") for t in params.get("uniqueLang", [])):
        seen: set[str] = set()
        duplicated: set[str] = set()
        for v in values:
            if isinstance(v, pyoxigraph.Literal) and v.language:
                lang = v.language.lower()
                (duplicated if lang in seen else seen).add(lang)
        for _ in duplicated:
            yield raw(f, "UniqueLang", None)


def _pair_checks(unit: Unit, f: Term, values: list[Term], index: DataIndex, raw: _RawFactory,
                 comparisons: list[tuple[Term, Term, str, Term]]) -> Iterator[Raw]:
    params = unit.params
    for other in params.get("equals", []):
        theirs = index.values(f, Path("iri", (), other, "", ""))  # type: ignore[arg-type]
        for v in values:
            if v not in theirs:
                yield raw(f, "Equals", v)
        for v in theirs:
            if v not in values:
                yield raw(f, "Equals", v)
    for other in params.get("disjoint", []):
        theirs = index.values(f, Path("iri", (), other, "", ""))  # type: ignore[arg-type]
        for v in values:
            if v in theirs:
                yield raw(f, "Disjoint", v)
    for name in ("lessThan", "lessThanOrEquals"):
        for other in params.get(name, []):
            theirs = index.values(f, Path("iri", (), other, "", ""))  # type: ignore[arg-type]
            for v in values:
                for o in theirs:
                    comparisons.append((f, v, name, o))


_OPERATORS = {"minInclusive": (">=", False), "minExclusive": (">", False),
              "maxInclusive": ("<=", False), "maxExclusive": ("<", False),
              "lessThan": ("<", True), "lessThanOrEquals": ("<=", True)}
# (the flag says whether the other side is a value of the data rather than a shape parameter)


def _compare(unit: Unit, comparisons: list[tuple[Term, Term, str, Term]], index: DataIndex,
             ) -> Iterator[Raw]:
    """Ask the store, in one query, which comparisons fail (values keyed by position)."""
    if not comparisons:
        return
    rows = []
    for i, (_, v, name, other) in enumerate(comparisons):
        if isinstance(v, pyoxigraph.BlankNode) or isinstance(other, pyoxigraph.BlankNode):
            rows.append(f"({i} UNDEF UNDEF UNDEF)")
            continue
        operator, _ = _OPERATORS[name]
        rows.append(f'({i} {v} {other} "{operator}")')
    query = ("SELECT ?i WHERE { VALUES (?i ?a ?b ?op) { " + " ".join(rows) + " } "
             'FILTER (!COALESCE(IF(?op = ">=", ?a >= ?b, IF(?op = ">", ?a > ?b, '
             'IF(?op = "<=", ?a <= ?b, ?a < ?b))), false)) }')
    solutions = index.store.query(query)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    for row in solutions:
        i = int(row[0].value)
        f, v, name, _ = comparisons[i]
        component = name[0].upper() + name[1:] + "ConstraintComponent"
        yield Raw(unit, f, unit.path.text if unit.path else None, v, SH + component)


def _sparql(unit: Unit, constraint: SparqlConstraint, index: DataIndex) -> Iterator[Raw]:
    solutions = index.store.query(constraint.query)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    names = [v.value for v in solutions.variables]
    for solution in solutions:
        row = {k: v for k, v in zip(names, solution, strict=True) if v is not None}
        focus = row.get("this")
        if focus is None or isinstance(focus, pyoxigraph.Triple):
            continue
        value = row.get("value")
        if value is None and unit.path is None:
            value = focus
        elif isinstance(value, pyoxigraph.Literal):
            candidates = index.values(focus, unit.path) if unit.path else \
                {o: None for objects in index.out.get(focus, {}).values() for o in objects}
            value = index.original(value, candidates)
        path = unit.path.text if unit.path else None
        p = row.get("path")
        if isinstance(p, pyoxigraph.NamedNode):
            path = p.value
        bindings = tuple(sorted(((k, v) for k, v in row.items()
                                 if not isinstance(v, pyoxigraph.Triple)), key=lambda kv: kv[0]))
        yield Raw(unit, focus, path, value, SH + "SPARQLConstraintComponent", constraint,
                  bindings)
