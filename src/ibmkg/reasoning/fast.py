"""The fast classifier: the ontology's axioms compiled into rules, run to a fixpoint in Python.

HermiT is complete for OWL 2 DL and slow at scale (its time grows with the square of the
individuals it realises together). The ontology needs much less: its defined classes test
a study's own arms, regimens, findings and weaknesses, and vocabulary individuals whose
types the ontology fixes. This module compiles the axioms it finds into rules and applies
them, individual by individual, until nothing changes:

- the told hierarchy (``rdfs:subClassOf``, ``owl:equivalentClass`` between named classes);
- ``rdfs:domain`` and ``rdfs:range`` (named classes), ``rdfs:subPropertyOf``,
  ``owl:inverseOf``;
- each ``C owl:equivalentClass E`` both ways (E implies C; C implies E's named parts and
  ``owl:hasValue`` values), each ``C rdfs:subClassOf E`` one way;
- class expressions built from ``owl:intersectionOf``, ``owl:unionOf``,
  ``owl:complementOf``, ``owl:oneOf``, ``owl:someValuesFrom``, ``owl:hasValue`` and
  ``owl:allValuesFrom``. A universal restriction holds only on a property closed by the
  closed-world step of :mod:`ibmkg.reasoning.inputs` (a study's ``hasFinding``), exactly as
  HermiT concludes it from the closure axioms; a complement holds when the facts refute
  the class (a disjoint type, or a different value of a functional property among
  individuals declared ``owl:AllDifferent``).

After the fixpoint, the clashes HermiT would find are checked: a type ``owl:Nothing``, two
disjoint types, two different values of a functional property. Anything this compiler does
not know (a cardinality, a property chain, ``owl:sameAs`` in the data, a merge that an
inverse-functional property would force) raises :class:`UnsupportedAxiomError`, and
:func:`ibmkg.reasoning.reason` falls back to HermiT. What it does not decide at all:
the satisfiability of classes (HermiT's ``unsatisfiable_classes``; run ``--engine hermit``).

The two-engine section of ``tests/test_reasoning.py`` runs this classifier and HermiT on the
real graph, on every reasoning fixture and on synthetic graphs and asserts identical
classifications.

>>> from pyoxigraph import Literal
>>> onto = [Triple(NamedNode(_IBMKG + "BlindedStudy"), NamedNode(_OWL + "equivalentClass"),
...                NamedNode(_IBMKG + "Blinded"))]
>>> rules = compile_ontology(onto)
>>> x = NamedNode("https://w3id.org/ibmkg/study/x")
>>> types = classify(rules, [Triple(x, TYPE, NamedNode(_IBMKG + "Blinded"))], [])
>>> sorted(types[x.value])[0].removeprefix(_IBMKG)
'Blinded'
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Final, NamedTuple

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from ibmkg.errors import ReasoningError
from ibmkg.namespaces import PREFIXES
from ibmkg.reasoning.inputs import HAS_FINDING, TYPE, Vocabulary

__all__ = [
    "Clash",
    "Rules",
    "UnsupportedAxiomError",
    "classify",
    "compile_ontology",
]

_OWL: Final = PREFIXES["owl"]
_RDF: Final = PREFIXES["rdf"]
_RDFS: Final = PREFIXES["rdfs"]
_XSD: Final = PREFIXES["xsd"]
_IBMKG: Final = PREFIXES["ibmkg"]
_THING: Final = _OWL + "Thing"
_NOTHING: Final = _OWL + "Nothing"
_STUDY: Final = _IBMKG + "Study"
_NUMERIC: Final = frozenset(_XSD + n for n in (
    "integer", "decimal", "int", "long", "short", "byte", "nonNegativeInteger",
    "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
    "unsignedShort", "unsignedByte"))

Term = NamedNode | BlankNode | Literal


class Lit(NamedTuple):
    """A literal, as the fixpoint holds it (plain Python values hash fast)."""

    value: str
    datatype: str
    language: str | None


#: A node of the fixpoint: an IRI, ``_:`` and a blank node's id, or a literal.
Key = str | Lit


def _key(term: Term) -> Key:
    if isinstance(term, NamedNode):
        return term.value
    if isinstance(term, BlankNode):
        return "_:" + term.value
    return Lit(term.value, term.datatype.value, term.language)

#: Predicates of the ontology the compiler understands (others: UnsupportedAxiomError).
_KNOWN_OWL: Final = frozenset(_OWL + n for n in (
    "equivalentClass", "intersectionOf", "unionOf", "complementOf", "oneOf", "onProperty",
    "someValuesFrom", "allValuesFrom", "hasValue", "disjointWith", "inverseOf", "members",
    "distinctMembers", "versionIRI", "versionInfo", "imports", "deprecated",
    "annotatedSource", "annotatedProperty", "annotatedTarget"))
#: Types of the ontology's nodes that carry no rule or only the rules read here.
_META_TYPES: Final = frozenset({
    _OWL + n for n in ("Class", "Restriction", "ObjectProperty", "DatatypeProperty",
                       "AnnotationProperty", "FunctionalProperty", "InverseFunctionalProperty",
                       "NamedIndividual", "Ontology", "AllDifferent", "AllDisjointClasses",
                       "Axiom", "Thing")} | {_RDFS + "Class", _RDFS + "Datatype",
                                             _RDF + "Property", _RDF + "List"})
_UNSUPPORTED_TYPES: Final = frozenset(_OWL + n for n in (
    "TransitiveProperty", "SymmetricProperty", "AsymmetricProperty", "ReflexiveProperty",
    "IrreflexiveProperty", "NegativePropertyAssertion", "AllDisjointProperties"))


class UnsupportedAxiomError(ReasoningError):
    """The ontology or the data uses OWL this classifier does not compile (use HermiT)."""


# --- class expressions --------------------------------------------------------------------


@dataclass(frozen=True)
class Named:
    """A named class."""

    iri: str


@dataclass(frozen=True)
class And:
    """``owl:intersectionOf``."""

    parts: tuple[Expr, ...]


@dataclass(frozen=True)
class Or:
    """``owl:unionOf``."""

    parts: tuple[Expr, ...]


@dataclass(frozen=True)
class Not:
    """``owl:complementOf``."""

    inner: Expr


@dataclass(frozen=True)
class OneOf:
    """``owl:oneOf`` (individuals)."""

    values: frozenset[Key]


@dataclass(frozen=True)
class Some:
    """``owl:someValuesFrom`` (``filler`` None: any value, as ``owl:Thing``)."""

    prop: str
    filler: Expr | None


@dataclass(frozen=True)
class Value:
    """``owl:hasValue``."""

    prop: str
    value: Key


@dataclass(frozen=True)
class Only:
    """``owl:allValuesFrom``."""

    prop: str
    filler: Expr


Expr = Named | And | Or | Not | OneOf | Some | Value | Only


@dataclass(frozen=True)
class Clash:
    """A contradiction found after the fixpoint.

    :param individual: the individual's IRI (or blank node label).
    :param reason: what clashes, in compact notation.
    """

    individual: str
    reason: str


@dataclass
class Rules:
    """The compiled ontology.

    :param vocab: the told hierarchy, classes and labels.
    """

    vocab: Vocabulary
    #: (condition, consequence, the class an individual must have to be tested, or None).
    rules: list[tuple[Expr, Expr, str | None]] = field(default_factory=list)
    #: Named class -> equivalent expressions (to refute membership).
    definitions: dict[str, list[Expr]] = field(default_factory=lambda: defaultdict(list))
    domains: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    ranges: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    super_props: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    inverses: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    functional: set[str] = field(default_factory=set)
    inverse_functional: set[str] = field(default_factory=set)
    disjoint: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    different: dict[Key, set[Key]] = field(default_factory=lambda: defaultdict(set))
    #: The ontology's own individuals: their types and property values.
    abox: list[Triple] = field(default_factory=list)


class _Graph:
    """Subject -> predicate -> objects, over a list of triples."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self.out: dict[Term, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for t in triples:
            obj = t.object
            if isinstance(obj, NamedNode | BlankNode | Literal) and not isinstance(
                    t.subject, Triple):
                self.out[t.subject][t.predicate.value].append(obj)

    def one(self, node: Term, prop: str) -> Term | None:
        values = self.out.get(node, {}).get(prop, [])
        return values[0] if values else None

    def items(self, node: Term) -> list[Term]:
        """The members of an RDF list."""
        found: list[Term] = []
        while isinstance(node, BlankNode | NamedNode) and node.value != _RDF + "nil":
            first = self.one(node, _RDF + "first")
            if first is None:
                break
            found.append(first)
            nxt = self.one(node, _RDF + "rest")
            if nxt is None:
                break
            node = nxt
        return found


def _expr(graph: _Graph, node: Term) -> Expr:
    """Read a class expression."""
    if isinstance(node, NamedNode):
        return Named(node.value)
    if not isinstance(node, BlankNode):
        raise UnsupportedAxiomError(f"a literal {node} where a class is expected")
    props = graph.out.get(node, {})
    if _OWL + "intersectionOf" in props:
        return And(tuple(_expr(graph, m) for m in graph.items(props[_OWL + "intersectionOf"][0])))
    if _OWL + "unionOf" in props:
        return Or(tuple(_expr(graph, m) for m in graph.items(props[_OWL + "unionOf"][0])))
    if _OWL + "complementOf" in props:
        return Not(_expr(graph, props[_OWL + "complementOf"][0]))
    if _OWL + "oneOf" in props:
        return OneOf(frozenset(_key(m) for m in graph.items(props[_OWL + "oneOf"][0])))
    on = props.get(_OWL + "onProperty")
    if on and isinstance(on[0], NamedNode):
        prop = on[0].value
        if _OWL + "someValuesFrom" in props:
            filler = props[_OWL + "someValuesFrom"][0]
            if isinstance(filler, NamedNode) and (filler.value == _THING
                                                  or filler.value.startswith(_XSD)
                                                  or filler.value == _RDFS + "Literal"):
                return Some(prop, None)
            return Some(prop, _expr(graph, filler))
        if _OWL + "hasValue" in props:
            return Value(prop, _key(props[_OWL + "hasValue"][0]))
        if _OWL + "allValuesFrom" in props:
            return Only(prop, _expr(graph, props[_OWL + "allValuesFrom"][0]))
    shown = sorted(p.rsplit("#", 1)[-1] for p in props)
    raise UnsupportedAxiomError(f"a class expression with {', '.join(shown)} is not compiled")


def _required(expr: Expr) -> str | None:
    """A named class every member of the expression must have, or ``@`` and a property it
    must have a value of (to skip the other individuals)."""
    if isinstance(expr, Named):
        return expr.iri
    if isinstance(expr, Value | Some):
        return "@" + expr.prop
    if isinstance(expr, And):
        for part in expr.parts:
            found = _required(part)
            if found is not None:
                return found
    return None


def compile_ontology(triples: Sequence[Triple]) -> Rules:
    """Compile the ontology's axioms into rules.

    :param triples: the ontology's triples.
    :returns: the rules.
    :raises UnsupportedAxiomError: when the ontology uses OWL the compiler does not know.

    >>> compile_ontology([]).rules
    []
    """
    vocab = Vocabulary(triples)
    rules = Rules(vocab)
    graph = _Graph(triples)
    individuals: set[NamedNode] = set()
    for t in triples:
        s, p, o = t.subject, t.predicate.value, t.object
        if p.startswith(_OWL) and p not in _KNOWN_OWL:
            raise UnsupportedAxiomError(f"the ontology uses {p}, which the fast classifier "
                                        "does not compile")
        if p == _RDF + "type" and isinstance(o, NamedNode):
            if o.value in _UNSUPPORTED_TYPES:
                raise UnsupportedAxiomError(f"the ontology uses {o.value}, which the fast "
                                            "classifier does not compile")
            if o.value == _OWL + "FunctionalProperty" and isinstance(s, NamedNode):
                rules.functional.add(s.value)
            elif o.value == _OWL + "InverseFunctionalProperty" and isinstance(s, NamedNode):
                rules.inverse_functional.add(s.value)
            elif isinstance(s, NamedNode) and (o.value == _OWL + "NamedIndividual" or (
                    o.value not in _META_TYPES and (o.value in vocab.classes or not
                                                    o.value.startswith((_OWL, _RDFS, _RDF))))):
                individuals.add(s)
        if not isinstance(s, NamedNode):
            if p == _RDFS + "subClassOf" and isinstance(s, BlankNode) and not isinstance(
                    o, Triple):  # a general class inclusion
                left = _expr(graph, s)
                rules.rules.append((left, _expr(graph, o), _required(left)))
            continue
        if p == _OWL + "equivalentClass" and isinstance(o, BlankNode):
            expr = _expr(graph, o)
            rules.definitions[s.value].append(expr)
            rules.rules.append((expr, Named(s.value), _required(expr)))
            rules.rules.append((Named(s.value), expr, s.value))
        elif p == _RDFS + "subClassOf" and isinstance(o, BlankNode):
            rules.rules.append((Named(s.value), _expr(graph, o), s.value))
        elif p == _RDFS + "domain" and isinstance(o, NamedNode):
            rules.domains[s.value].add(o.value)
        elif p == _RDFS + "range" and isinstance(o, NamedNode) and not (
                o.value.startswith(_XSD) or o.value in (_RDFS + "Literal", _RDF + "langString")
                or o.value == _RDFS + "Datatype"):
            rules.ranges[s.value].add(o.value)
        elif p == _RDFS + "subPropertyOf" and isinstance(o, NamedNode):
            rules.super_props[s.value].add(o.value)
        elif p == _OWL + "inverseOf" and isinstance(o, NamedNode):
            rules.inverses[s.value].add(o.value)
            rules.inverses[o.value].add(s.value)
        elif p == _OWL + "disjointWith" and isinstance(o, NamedNode):
            rules.disjoint[s.value].add(o.value)
            rules.disjoint[o.value].add(s.value)
        elif p in (_RDFS + "domain", _RDFS + "range") and isinstance(o, BlankNode):
            raise UnsupportedAxiomError("a class expression as domain or range is not compiled")
    for node, props in graph.out.items():
        types = {v.value for v in props.get(_RDF + "type", []) if isinstance(v, NamedNode)}
        members = [m for key in (_OWL + "members", _OWL + "distinctMembers")
                   for head in props.get(key, []) for m in graph.items(head)]
        if _OWL + "AllDisjointClasses" in types:
            named = [m.value for m in members if isinstance(m, NamedNode)]
            for a in named:
                rules.disjoint[a].update(b for b in named if b != a)
        elif _OWL + "AllDifferent" in types:
            keys = [_key(m) for m in members]
            for key in keys:
                rules.different[key].update(b for b in keys if b != key)
        del node
    rules.abox = [t for t in triples if t.subject in individuals
                  and t.predicate.value not in vocab.annotation_properties]
    return rules


# --- the fixpoint ---------------------------------------------------------------------------


class _State:
    """Types and property values of every individual, closed under the rules' bookkeeping."""

    def __init__(self, rules: Rules, closed: set[Key]) -> None:
        self.rules = rules
        self.types: dict[Key, set[str]] = defaultdict(set)
        self.facts: dict[Key, dict[str, set[Key]]] = defaultdict(lambda: defaultdict(set))
        self.closed = closed
        #: Nodes whose types or values changed since the last pass.
        self.touched: set[Key] = set()
        #: Object -> the subjects that have it as a value.
        self.incoming: dict[Key, set[Key]] = defaultdict(set)
        self._props: dict[str, frozenset[str]] = {}

    def props_above(self, prop: str) -> frozenset[str]:
        if prop not in self._props:
            seen, todo = {prop}, [prop]
            while todo:
                for parent in self.rules.super_props.get(todo.pop(), ()):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            self._props[prop] = frozenset(seen)
        return self._props[prop]

    def add_type(self, node: Key, cls: str) -> None:
        if isinstance(node, Lit):
            return
        have = self.types[node]
        if cls in have:
            return
        ancestors = self.rules.vocab.told_ancestors(cls)
        if not ancestors <= have:
            have |= ancestors
            self.touched.add(node)

    def add_fact(self, subject: Key, prop: str, obj: Key) -> None:
        props = self.facts[subject]
        literal = isinstance(obj, Lit)
        rules = self.rules
        for q in self._props.get(prop) or self.props_above(prop):
            values = props[q]
            if obj in values:
                continue
            values.add(obj)
            self.touched.add(subject)
            domains = rules.domains.get(q)
            if domains:
                for cls in domains:
                    self.add_type(subject, cls)
            if literal:
                continue
            self.incoming[obj].add(subject)
            ranges = rules.ranges.get(q)
            if ranges:
                for cls in ranges:
                    self.add_type(obj, cls)
            inverses = rules.inverses.get(q)
            if inverses:
                for inverse in inverses:
                    self.add_fact(obj, inverse, subject)

    # --- entailment tests ---------------------------------------------------------------

    def compiled(self, expr: Expr) -> Callable[[Key], bool]:
        """:meth:`holds` for one expression, as a closure (the fixpoint's hot path)."""
        types, facts = self.types, self.facts
        empty: dict[str, set[Key]] = {}
        if isinstance(expr, Named):
            iri = expr.iri
            if iri == _THING:
                return lambda node: True
            return lambda node: iri in types.get(node, ())
        if isinstance(expr, And):
            parts = [self.compiled(p) for p in expr.parts]
            return lambda node: all(part(node) for part in parts)
        if isinstance(expr, Or):
            alternatives = [self.compiled(p) for p in expr.parts]
            return lambda node: any(part(node) for part in alternatives)
        if isinstance(expr, Some):
            prop = expr.prop
            if expr.filler is None:
                return lambda node: bool(facts.get(node, empty).get(prop))
            filler = self.compiled(expr.filler)
            return lambda node: any(filler(v) for v in facts.get(node, empty).get(prop, ()))
        if isinstance(expr, Value):
            prop, value = expr.prop, expr.value
            return lambda node: any(_same(v, value) for v in
                                    facts.get(node, empty).get(prop, ()))
        return lambda node: self.holds(node, expr)

    def holds(self, node: Key, expr: Expr) -> bool:
        """Whether the facts entail that the node is in the expression."""
        if isinstance(expr, Named):
            return expr.iri == _THING or expr.iri in self.types.get(node, ())
        if isinstance(expr, And):
            return all(self.holds(node, part) for part in expr.parts)
        if isinstance(expr, Or):
            return any(self.holds(node, part) for part in expr.parts)
        if isinstance(expr, Not):
            return self.refuted(node, expr.inner, 0)
        if isinstance(expr, OneOf):
            return node in expr.values
        values = self.facts.get(node, {}).get(expr.prop, ())
        if isinstance(expr, Some):
            return any(expr.filler is None or self.holds(v, expr.filler) for v in values)
        if isinstance(expr, Value):
            return any(_same(v, expr.value) for v in values)
        return self._is_closed(node, expr.prop) and all(self.holds(v, expr.filler)
                                                        for v in values)

    def refuted(self, node: Key, expr: Expr, depth: int) -> bool:
        """Whether the facts entail that the node is NOT in the expression."""
        if depth > 8:
            return False
        if isinstance(expr, Named):
            if expr.iri == _NOTHING:
                return True
            have = self.types.get(node, set())
            if any(d in have for a in self.rules.vocab.told_ancestors(expr.iri)
                   for d in self.rules.disjoint.get(a, ())):
                return True
            return any(self.refuted(node, d, depth + 1)
                       for d in self.rules.definitions.get(expr.iri, ()))
        if isinstance(expr, And):
            return any(self.refuted(node, part, depth + 1) for part in expr.parts)
        if isinstance(expr, Or):
            return all(self.refuted(node, part, depth + 1) for part in expr.parts)
        if isinstance(expr, Not):
            return self.holds(node, expr.inner)
        if isinstance(expr, OneOf):
            return all(self._distinct(node, v) for v in expr.values)
        values = self.facts.get(node, {}).get(expr.prop, set())
        if isinstance(expr, Value):
            return expr.prop in self.rules.functional and any(
                self._distinct(v, expr.value) for v in values)
        if isinstance(expr, Some):
            return (self._is_closed(node, expr.prop) and expr.filler is not None
                    and all(self.refuted(v, expr.filler, depth + 1) for v in values))
        return any(self.refuted(v, expr.filler, depth + 1) for v in values)

    def _is_closed(self, node: Key, prop: str) -> bool:
        return prop == HAS_FINDING.value and node in self.closed

    def _distinct(self, a: Key, b: Key) -> bool:
        if isinstance(a, Lit) and isinstance(b, Lit):
            return not _same(a, b)
        if isinstance(a, Lit) or isinstance(b, Lit):
            return True
        return b in self.rules.different.get(a, ())

    # --- consequences -------------------------------------------------------------------

    def entail(self, node: Key, expr: Expr) -> None:
        """Record that the node is in the expression (what it implies for named types)."""
        if isinstance(expr, Named):
            if expr.iri != _THING:
                self.add_type(node, expr.iri)
        elif isinstance(expr, And):
            for part in expr.parts:
                self.entail(node, part)
        elif isinstance(expr, Value):
            self.add_fact(node, expr.prop, expr.value)
        elif isinstance(expr, Only):
            for value in list(self.facts.get(node, {}).get(expr.prop, ())):
                self.entail(value, expr.filler)
        elif isinstance(expr, Some) and expr.filler is None:
            pass  # an anonymous value: no named type follows for anyone named


def _depth(expr: Expr) -> int:
    """How many property hops an expression looks along."""
    if isinstance(expr, And | Or):
        return max((_depth(p) for p in expr.parts), default=0)
    if isinstance(expr, Not):
        return _depth(expr.inner) + 1  # a refutation may look one hop further
    if isinstance(expr, Some | Only):
        return 1 + (_depth(expr.filler) if expr.filler is not None else 0)
    if isinstance(expr, Value):
        return 1
    return 0


def _same(a: Key, b: Key) -> bool:
    if a == b:
        return True
    if isinstance(a, Lit) and isinstance(b, Lit) and a.datatype == b.datatype:
        if a.datatype not in _NUMERIC:
            return False
        try:
            return Decimal(a.value) == Decimal(b.value)
        except InvalidOperation:
            return False
    return False


def _studies(rules: Rules, data: Sequence[Triple]) -> set[Key]:
    """The individuals whose findings the closed-world step closes (asserted studies)."""
    return {t.subject.value for t in data if t.predicate == TYPE and isinstance(t.object, NamedNode)
            and isinstance(t.subject, NamedNode)
            and _STUDY in rules.vocab.told_ancestors(t.object.value)}


def classify(rules: Rules, data: Sequence[Triple], clashes: list[Clash]) -> dict[str, set[str]]:
    """Entailed named types of every named subject of the data (asserted ones included).

    :param rules: the compiled ontology.
    :param data: the data's logical triples (annotations dropped).
    :param clashes: receives the contradictions found (empty when consistent).
    :returns: IRI -> entailed class IRIs (``owl:Thing`` excluded).
    :raises UnsupportedAxiomError: when the data needs reasoning this classifier lacks
        (``owl:sameAs``, or a merge that a functional or inverse-functional property forces).
    """
    state = _State(rules, _studies(rules, data))
    for t in [*rules.abox, *data]:
        subject, obj = t.subject, t.object
        if type(subject) is NamedNode:  # the common cases first: one type test each
            s: Key = subject.value
        elif isinstance(subject, Triple):
            continue
        else:
            s = _key(subject)
        if type(obj) is NamedNode:
            o: Key = obj.value
        elif isinstance(obj, Triple):
            continue
        else:
            o = _key(obj)
        p = t.predicate.value
        if p.startswith(_OWL) and p not in (_OWL + "differentFrom",):
            raise UnsupportedAxiomError(f"the data uses {p}, which the fast classifier does "
                                        "not compile")
        if p == _RDF + "type":
            if isinstance(o, str) and not o.startswith("_:"):
                state.add_type(s, o)
            else:
                raise UnsupportedAxiomError("a class expression as a type in the data is "
                                            "not compiled")
        elif p == _OWL + "differentFrom":
            rules.different[s].add(o)
            rules.different[o].add(s)
        else:
            state.add_fact(s, p, o)
    by_class: dict[str | None, list[tuple[Callable[[Key], bool], Expr]]] = defaultdict(list)
    for condition, consequence, required in rules.rules:
        by_class[required].append((state.compiled(condition), consequence))
    hops = max((_depth(c) for c, _, _ in rules.rules), default=0)
    queue: set[Key] = set(state.types.keys() | state.facts.keys())
    while queue:
        state.touched = set()
        for node in queue:
            if isinstance(node, Lit):
                continue
            have = state.types.get(node, set())
            candidates = list(by_class.get(None, ()))
            for cls in list(have):
                candidates += by_class.get(cls, ())
            for prop in list(state.facts.get(node, ())):
                candidates += by_class.get("@" + prop, ())
            for test, consequence in candidates:
                if isinstance(consequence, Named) and consequence.iri in have:
                    continue
                if test(node):
                    state.entail(node, consequence)
        queue = set(state.touched)
        frontier = set(queue)
        for _ in range(hops):
            frontier = {s for node in frontier for s in state.incoming.get(node, ())} - queue
            queue |= frontier
    _check(state, clashes)
    subjects = {t.subject.value for t in data if isinstance(t.subject, NamedNode)}
    return {s: state.types.get(s, set()) - {_THING} for s in subjects}


def _check(state: _State, clashes: list[Clash]) -> None:
    rules = state.rules
    for node, types in state.types.items():
        label = node if isinstance(node, str) else str(node)
        if _NOTHING in types:
            clashes.append(Clash(label, "a member of owl:Nothing"))
        for cls in sorted(types):
            for other in sorted(rules.disjoint.get(cls, set()) & types):
                if cls < other:
                    clashes.append(Clash(label, f"<{cls}> owl:disjointWith <{other}>"))
    objects_of: dict[tuple[str, Key], set[Key]] = defaultdict(set)
    for node, props in state.facts.items():
        for prop, values in props.items():
            if prop in rules.inverse_functional:
                for value in values:
                    objects_of[(prop, value)].add(node)
            if prop not in rules.functional or len(values) < 2:
                continue
            ordered = sorted(values, key=str)
            for i, a in enumerate(ordered):
                for b in ordered[i + 1:]:
                    if state._distinct(a, b):
                        clashes.append(Clash(str(node), f"<{prop}> a owl:FunctionalProperty"))
                    elif not _same(a, b):
                        raise UnsupportedAxiomError(
                            f"{a} and {b} would be the same individual (functional <{prop}>)")
    for (prop, value), subjects in objects_of.items():
        if len(subjects) > 1:
            raise UnsupportedAxiomError(f"{value} has {len(subjects)} subjects of the "
                                        f"inverse-functional <{prop}>: they would be merged")
