"""Why the reasoner concluded what it did: SPARQL over the asserted facts, one rule set per class.

HermiT (through owlready2) says *that* a study is, say, a controlled study, not *why*. This
module explains each inference with the asserted facts that support it: which arm receives a
comparator, which design attribute has which value, which finding improved on which basis,
which weakness the letter states. Each defined class of ``ontology/ibmkg.ttl`` has a
:class:`Definition` here, written from its ``owl:equivalentClass`` axiom: SPARQL rules over
the asserted graph (never per study), plus the named classes it intersects or unites.

The same definitions find the culprits of an inconsistency (:func:`find_clashes`): members
of two disjoint classes, values that contradict a ``owl:hasValue`` axiom, two values of a
functional property. The reasoner decides; these queries only explain, so a definition
that drifts from its axiom shows up as an inference without a justification (which the
tests forbid on the real graph).

>>> render_template("arm {arm} receives {regimen}", {"arm": '"IVIG period"', "regimen": None})
'arm "IVIG period" receives ?'
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

import pyoxigraph

from ibmkg.namespaces import PREFIXES, curie_for

__all__ = [
    "DEFINITIONS",
    "Clash",
    "Definition",
    "Explainer",
    "Rule",
    "render_template",
]

_IBMKG = PREFIXES["ibmkg"]
_RDF_TYPE = PREFIXES["rdf"] + "type"
_LABEL = PREFIXES["rdfs"] + "label"
_SKOS_PREF = PREFIXES["skos"] + "prefLabel"


@dataclass(frozen=True)
class Rule:
    """One way the asserted facts support membership of a class.

    :param template: the sentence, with ``{variable}`` slots filled from each result row.
    :param sparql: a SELECT query with ``?x`` for the individual (prefixes of
        :data:`ibmkg.namespaces.PREFIXES` may be used without declaring them).
    """

    template: str
    sparql: str


@dataclass(frozen=True)
class Definition:
    """The membership conditions of a defined class, as SPARQL over asserted facts.

    An individual is a member when it belongs to every class of ``all_of``, to at least one
    class of ``any_of`` (when given), matches at least one of ``rules`` (when given) and is
    not selected by ``unless``. ``explain`` rules only add sentences to the justification.

    :param all_of: named classes intersected (local names in the ibmkg namespace).
    :param any_of: named classes united.
    :param rules: rules, any of which suffices.
    :param unless: a SELECT of ``?x`` to exclude (the closed-world reading of ``only``).
    :param explain: rules that justify without deciding membership.
    """

    all_of: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()
    unless: str | None = None
    explain: tuple[Rule, ...] = ()


def _attribute(prop: str, value: str) -> tuple[Rule, Rule]:
    """The two ways a study has a yes/no design attribute: stated, or implied by its design."""
    stated = Rule(f"{prop} {value} (asserted)", f"SELECT ?x WHERE {{ ?x ibmkg:{prop} {value} }}")
    implied = Rule(
        f"asserted design {{design}} implies {prop} {value}",
        f"""SELECT ?x ?design WHERE {{
            ?x a ?design . ?design rdfs:subClassOf* ?super .
            ?super rdfs:subClassOf [ owl:onProperty ibmkg:{prop} ; owl:hasValue {value} ] }}""",
    )
    return stated, implied


_COMPARATOR_ARM = Rule(
    "arm {arm} receives {regimen} (agent {agent}, role {role})",
    """SELECT ?x ?arm ?regimen ?agent ?role WHERE {
        ?x ibmkg:hasArm ?arm . ?arm ibmkg:receives ?regimen .
        OPTIONAL { ?regimen ibmkg:agent ?agent } OPTIONAL { ?regimen ibmkg:role ?role }
        FILTER (?role IN (ibmkg:PlaceboComparator, ibmkg:ActiveComparator)
                || (BOUND(?agent) && ?agent = ibmkg:Placebo)) }""",
)
_PLACEBO_ARM = Rule(
    "arm {arm} receives {regimen} whose agent is {agent}",
    """SELECT ?x ?arm ?regimen ?agent WHERE {
        ?x ibmkg:hasArm ?arm . ?arm ibmkg:receives ?regimen .
        ?regimen ibmkg:agent ?agent . FILTER (?agent = ibmkg:Placebo) }""",
)
_CO_INTERVENTION = Rule(
    "arm {arm} receives {experimental} (experimental intervention) with {co} "
    "(co-intervention; agent {agent}, a {agent_class})",
    """SELECT ?x ?arm ?experimental ?co ?agent ?agent_class WHERE {
        ?x ibmkg:hasArm ?arm .
        ?arm ibmkg:receives ?experimental .
        ?experimental ibmkg:role ibmkg:ExperimentalIntervention .
        ?arm ibmkg:receives ?co . ?co ibmkg:role ibmkg:CoIntervention ; ibmkg:agent ?agent .
        ?agent a ?agent_class . ?agent_class rdfs:subClassOf* ibmkg:ImmunotherapyAgent }""",
)
_CONCOMITANT_WEAKNESS = Rule(
    "stated weakness {quote} of type {type}",
    """SELECT ?x ?quote ?type WHERE {
        ?x ibmkg:hasWeakness ?weakness . ?weakness ibmkg:weaknessType ?type .
        OPTIONAL { ?weakness ibmkg:quotedText ?quote }
        VALUES ?type { weakness:concomitant-immunotherapy weakness:concomitant-steroids } }""",
)
_IMPROVEMENT = Rule(
    "finding {finding}: direction improved, basis {basis}",
    """SELECT ?x ?finding ?basis WHERE {
        ?x ibmkg:hasFinding ?finding . ?finding a ibmkg:EffectFinding ;
            ibmkg:direction ibmkg:Improved .
        OPTIONAL { ?finding ibmkg:basis ?basis } }""",
)
_OTHER_IMPROVEMENT = """SELECT ?x WHERE {
    ?x ibmkg:hasFinding ?finding . ?finding ibmkg:direction ibmkg:Improved .
    FILTER NOT EXISTS { ?finding ibmkg:basis ibmkg:PatientReported } }"""
_NOT_IMPROVEMENT = Rule(
    "finding {finding} is not an improvement (direction {direction})",
    """SELECT ?x ?finding ?direction WHERE {
        ?x ibmkg:hasFinding ?finding . ?finding ibmkg:direction ?direction .
        FILTER (?direction != ibmkg:Improved) }""",
)
_NOT_EFFECT = Rule(
    "finding {finding} is an association finding, not an effect finding",
    """SELECT ?x ?finding WHERE {
        ?x ibmkg:hasFinding ?finding . ?finding a ibmkg:AssociationFinding }""",
)

#: The defined study classes of the ontology, keyed by local name.
DEFINITIONS: dict[str, Definition] = {
    "ControlledStudy": Definition(rules=(_COMPARATOR_ARM,)),
    "UncontrolledStudy": Definition(rules=_attribute("isControlled", "false")),
    "PlaceboControlledStudy": Definition(rules=(_PLACEBO_ARM,)),
    "RandomisedStudy": Definition(rules=_attribute("isRandomised", "true")),
    "BlindedStudy": Definition(rules=_attribute("isBlinded", "true")),
    "RetrospectiveStudy": Definition(rules=_attribute("isRetrospective", "true")),
    "RandomisedControlledTrial": Definition(
        all_of=("InterventionalStudy", "ControlledStudy", "RandomisedStudy")),
    "CEBMLevel2Study": Definition(all_of=("RandomisedControlledTrial",)),
    "CEBMLevel3Study": Definition(all_of=("InterventionalStudy", "ControlledStudy"),
                                  rules=_attribute("isRandomised", "false")),
    "CEBMLevel4Study": Definition(any_of=("ObservationalStudy", "UncontrolledStudy")),
    "StudyWithConcomitantImmunotherapy": Definition(
        rules=(_CO_INTERVENTION, _CONCOMITANT_WEAKNESS)),
    "StudyReportingImprovement": Definition(rules=(_IMPROVEMENT,)),
    "StudyReportingOnlySubjectiveImprovement": Definition(
        all_of=("StudyReportingImprovement",), unless=_OTHER_IMPROVEMENT,
        explain=(_NOT_IMPROVEMENT, _NOT_EFFECT)),
}


def render_template(template: str, row: Mapping[str, str | None]) -> str:
    """Fill a rule's ``{variable}`` slots; an unbound variable shows as ``?``.

    :param template: the sentence with slots.
    :param row: rendered values by variable name.
    :returns: the sentence.

    >>> render_template("{a} and {b}", {"a": "x"})
    'x and ?'
    """
    return re.sub(r"\{(\w+)\}", lambda m: row.get(m[1]) or "?", template)


@dataclass(frozen=True)
class Clash:
    """One contradiction between an axiom and the asserted facts.

    :param individual: the IRI of the individual involved.
    :param axiom: the axiom, in compact Turtle-like notation.
    :param facts: the asserted facts that put the individual on both sides.
    :param source: the file the individual is described in, when known.
    """

    individual: str
    axiom: str
    facts: tuple[str, ...]
    source: str | None = None

    def describe(self) -> str:
        """One line: the individual, the axiom, the facts.

        :returns: the line.

        >>> Clash("https://w3id.org/ibmkg/study/x", "A owl:disjointWith B", ("f1",)).describe()
        'study:x violates A owl:disjointWith B: f1'
        """
        where = f" ({self.source})" if self.source else ""
        return f"{_short(self.individual)}{where} violates {self.axiom}: {'; '.join(self.facts)}"


def _short(iri: str) -> str:
    curie = curie_for(iri)
    return curie if curie is not None else f"<{iri}>"


@dataclass
class Explainer:
    """Runs the definitions' SPARQL over one asserted graph and caches the answers.

    :param store: a store holding the ontology and the asserted data (named graphs are
        read as their union).
    :param sources: where each individual is described (IRI -> file), for messages.

    >>> store = pyoxigraph.Store()
    >>> store.load(input=b"@prefix ibmkg: <https://w3id.org/ibmkg/ontology/> . "
    ...     b"@prefix owl: <http://www.w3.org/2002/07/owl#> . "
    ...     b"ibmkg:isControlled a owl:FunctionalProperty . "
    ...     b"<https://w3id.org/ibmkg/study/x> ibmkg:isBlinded true ; "
    ...     b"ibmkg:isControlled true, false .", format=pyoxigraph.RdfFormat.TURTLE)
    >>> explainer = Explainer(store)
    >>> explainer.justify(_IBMKG + "BlindedStudy", "https://w3id.org/ibmkg/study/x")
    ['isBlinded true (asserted)']
    >>> [clash.axiom for clash in explainer.find_clashes()]
    ['ibmkg:isControlled a owl:FunctionalProperty']
    """

    store: pyoxigraph.Store
    sources: Mapping[str, str] = field(default_factory=dict)
    _rule_rows: dict[Rule, dict[str, list[str]]] = field(default_factory=dict, repr=False)
    _members: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)
    _asserted: dict[str, dict[str, list[str]]] = field(default_factory=dict, repr=False)

    # --- running SPARQL ---------------------------------------------------------------

    def select(self, sparql: str, *, bindings: Mapping[str, str] | None = None) -> list[dict[
            str, pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | None]]:
        """Run a SELECT over the union of the graphs.

        :param sparql: the query (ibmkg prefixes need not be declared).
        :param bindings: IRIs to substitute for variables (never pasted into the text).
        :returns: one dict per row, unbound variables as ``None``.
        """
        substitutions: dict[pyoxigraph.Variable, pyoxigraph.NamedNode | pyoxigraph.BlankNode
                            | pyoxigraph.Literal | pyoxigraph.Triple] = {
            pyoxigraph.Variable(k): pyoxigraph.NamedNode(v) for k, v in (bindings or {}).items()}
        result = self.store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=True,
                                  substitutions=substitutions)
        assert isinstance(result, pyoxigraph.QuerySolutions)
        names = [v.value for v in result.variables]
        rows = []
        for solution in result:
            row: dict[str, pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal
                      | None] = {}
            for name in names:
                value = solution[name]
                row[name] = value if not isinstance(value, pyoxigraph.Triple) else None
            rows.append(row)
        return rows

    @cached_property
    def labels(self) -> dict[str, str]:
        """IRI -> label (``rdfs:label``, else ``skos:prefLabel``; English or untagged)."""
        found: dict[str, str] = {}
        for prop in (_SKOS_PREF, _LABEL):
            for quad in self.store.quads_for_pattern(None, pyoxigraph.NamedNode(prop), None):
                obj = quad.object
                if isinstance(quad.subject, pyoxigraph.NamedNode) and isinstance(
                        obj, pyoxigraph.Literal) and obj.language in (None, "en"):
                    found[quad.subject.value] = obj.value
        return found

    def render(self, term: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal
               | None) -> str | None:
        """Show a term to a reader: a label in quotes for data, a bare label for vocabulary.

        :param term: the term.
        :returns: the text, or ``None`` when unbound.
        """
        if term is None:
            return None
        if isinstance(term, pyoxigraph.Literal):
            return term.value if term.datatype.value.endswith("#boolean") else f"“{term.value}”"
        if isinstance(term, pyoxigraph.BlankNode):
            return f"_:{term.value}"
        label = self.labels.get(term.value)
        if label is None:
            return _short(term.value)
        return label if term.value.startswith(_IBMKG) else f"“{label}”"

    def rule_rows(self, rule: Rule) -> dict[str, list[str]]:
        """Individual IRI -> the rule's sentences for it (sorted, without duplicates).

        :param rule: the rule.
        :returns: the sentences per individual.
        """
        if rule not in self._rule_rows:
            found: dict[str, set[str]] = defaultdict(set)
            for row in self.select(rule.sparql):
                subject = row.get("x")
                if not isinstance(subject, pyoxigraph.NamedNode):
                    continue
                rendered = {k: self.render(v) for k, v in row.items() if k != "x"}
                found[subject.value].add(render_template(rule.template, rendered))
            self._rule_rows[rule] = {k: sorted(v) for k, v in found.items()}
        return self._rule_rows[rule]

    # --- membership -------------------------------------------------------------------

    def asserted_members(self, class_iri: str) -> dict[str, list[str]]:
        """Individuals asserted in the class or in a told subclass of it, with that class.

        :param class_iri: the class.
        :returns: individual IRI -> the asserted classes that place it there.
        """
        if class_iri in self._asserted:
            return self._asserted[class_iri]
        rows = self.select("""SELECT ?x ?asserted ?class WHERE {
            ?x a ?asserted . ?asserted (rdfs:subClassOf|owl:equivalentClass)* ?class }""",
                           bindings={"class": class_iri})
        found: dict[str, list[str]] = defaultdict(list)
        for row in rows:
            x, asserted = row["x"], row["asserted"]
            if isinstance(x, pyoxigraph.NamedNode) and isinstance(asserted, pyoxigraph.NamedNode):
                found[x.value].append(asserted.value)
        self._asserted[class_iri] = dict(found)
        return self._asserted[class_iri]

    def members(self, class_iri: str) -> frozenset[str]:
        """Individuals that the asserted facts place in the class (for clash finding).

        :param class_iri: the class.
        :returns: the IRIs.
        """
        if class_iri in self._members:
            return self._members[class_iri]
        self._members[class_iri] = frozenset()  # guards against cycles
        found = set(self.asserted_members(class_iri))
        for name in self._defined_below(class_iri):
            found |= self._defined_members(name)
        self._members[class_iri] = frozenset(found)
        return self._members[class_iri]

    def _defined_below(self, class_iri: str) -> list[str]:
        rows = self.select("""SELECT DISTINCT ?sub ?class WHERE {
            ?sub (rdfs:subClassOf|owl:equivalentClass|^owl:equivalentClass)* ?class }""",
                           bindings={"class": class_iri})
        below = {r["sub"].value for r in rows if isinstance(r["sub"], pyoxigraph.NamedNode)}
        below.add(class_iri)
        return sorted(iri[len(_IBMKG):] for iri in below
                      if iri.startswith(_IBMKG) and iri[len(_IBMKG):] in DEFINITIONS)

    def _defined_members(self, name: str) -> frozenset[str]:
        definition = DEFINITIONS[name]
        candidates: set[str] | None = None
        for part in definition.all_of:
            part_members = set(self.members(_IBMKG + part))
            candidates = part_members if candidates is None else candidates & part_members
        if definition.any_of:
            united: set[str] = set()
            for part in definition.any_of:
                united |= self.members(_IBMKG + part)
            candidates = united if candidates is None else candidates & united
        if definition.rules:
            matched: set[str] = set()
            for rule in definition.rules:
                matched |= set(self.rule_rows(rule))
            candidates = matched if candidates is None else candidates & matched
        if candidates is None:
            return frozenset()
        if definition.unless is not None:
            excluded = {r["x"].value for r in self.select(definition.unless)
                        if isinstance(r["x"], pyoxigraph.NamedNode)}
            candidates -= excluded
        return frozenset(candidates)

    # --- justification ----------------------------------------------------------------

    def justify(self, class_iri: str, individual: str, *, depth: int = 0) -> list[str]:
        """The asserted facts that support the individual's membership of the class.

        :param class_iri: the (inferred) class.
        :param individual: the individual's IRI.
        :param depth: recursion depth (parts of intersections are prefixed by their label).
        :returns: sentences; empty when no rule of the class matches.
        """
        name = class_iri[len(_IBMKG):] if class_iri.startswith(_IBMKG) else None
        definition = DEFINITIONS.get(name) if name is not None else None
        if definition is None:
            asserted = self.asserted_members(class_iri).get(individual, [])
            return [f"asserted type {self._class_label(a)}"
                    + ("" if a == class_iri else f", a subclass of {self._class_label(class_iri)}")
                    for a in sorted(set(asserted))]
        lines: list[str] = []
        for part in definition.all_of + definition.any_of:
            part_iri = _IBMKG + part
            if individual not in self.members(part_iri):
                continue
            prefix = f"{self._class_label(part_iri)}: "
            lines += [prefix + line for line in self.justify(part_iri, individual, depth=depth + 1)]
        for rule in definition.rules + definition.explain:
            lines += self.rule_rows(rule).get(individual, [])
        return lines

    def _class_label(self, class_iri: str) -> str:
        return self.labels.get(class_iri) or _short(class_iri)

    # --- clashes ----------------------------------------------------------------------

    def find_clashes(self) -> list[Clash]:
        """Check the disjointness, ``owl:hasValue`` and functional-property axioms.

        :returns: the clashes found in the asserted facts, sorted.
        """
        clashes = self._disjointness_clashes() + self._has_value_clashes()
        clashes += self._functional_clashes()
        unique = {(c.individual, c.axiom): c for c in clashes}
        return [unique[key] for key in sorted(unique)]

    def _clash(self, individual: str, axiom: str, facts: Iterable[str]) -> Clash:
        return Clash(individual, axiom, tuple(facts), self.sources.get(individual))

    def _disjointness_clashes(self) -> list[Clash]:
        rows = self.select("""SELECT DISTINCT ?a ?b WHERE {
            { ?a owl:disjointWith ?b }
            UNION { ?all a owl:AllDisjointClasses ; owl:members ?list .
                    ?list rdf:rest*/rdf:first ?a . ?list rdf:rest*/rdf:first ?b .
                    FILTER (?a != ?b) }
            FILTER (isIRI(?a) && isIRI(?b)) }""")
        clashes = []
        for row in rows:
            a, b = row["a"], row["b"]
            assert isinstance(a, pyoxigraph.NamedNode) and isinstance(b, pyoxigraph.NamedNode)
            axiom = f"{_short(a.value)} owl:disjointWith {_short(b.value)}"
            for individual in sorted(self.members(a.value) & self.members(b.value)):
                facts = [f"{self._class_label(cls.value)} because "
                         + (", ".join(self.justify(cls.value, individual)) or "asserted")
                         for cls in (a, b)]
                clashes.append(self._clash(individual, axiom, facts))
        return clashes

    def _has_value_clashes(self) -> list[Clash]:
        rows = self.select("""SELECT ?c ?lp ?lv ?p ?v WHERE {
            ?c rdfs:subClassOf ?r . ?r owl:onProperty ?p ; owl:hasValue ?v .
            ?p a owl:FunctionalProperty .
            OPTIONAL { ?c owl:onProperty ?lp ; owl:hasValue ?lv } }""")
        clashes = []
        for row in rows:
            c, p, v = row["c"], row["p"], row["v"]
            assert isinstance(p, pyoxigraph.NamedNode) and v is not None
            if isinstance(c, pyoxigraph.NamedNode):
                left = _short(c.value)
                members = {m: self.justify(c.value, m) for m in self.members(c.value)}
            elif isinstance(row["lp"], pyoxigraph.NamedNode) and row["lv"] is not None:
                lp, lv = row["lp"], row["lv"]
                left = f"({_short(lp.value)} value {self._value(lv)})"
                members = {r["x"].value: [f"{_short(lp.value)} {self._value(lv)}"]
                           for r in self.select_values(lp, lv)
                           if isinstance(r["x"], pyoxigraph.NamedNode)}
            else:
                continue
            axiom = f"{left} rdfs:subClassOf ({_short(p.value)} value {self._value(v)})"
            for individual, why in sorted(members.items()):
                for other in self._values(individual, p):
                    if self._distinct(other, v):
                        facts = [*why, f"but {_short(p.value)} {self._value(other)} is asserted"]
                        clashes.append(self._clash(individual, axiom, facts))
        return clashes

    def select_values(self, prop: pyoxigraph.NamedNode,
                      value: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal,
                      ) -> list[dict[str, pyoxigraph.NamedNode | pyoxigraph.BlankNode
                                     | pyoxigraph.Literal | None]]:
        """Individuals with an asserted value.

        :param prop: the property.
        :param value: the value.
        :returns: rows with ``x``.
        """
        return [{"x": q.subject} for q in self.store.quads_for_pattern(None, prop, value)
                if not isinstance(q.subject, pyoxigraph.Triple)]

    def _values(self, individual: str, prop: pyoxigraph.NamedNode) -> list[
            pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal]:
        objects = {q.object for q in self.store.quads_for_pattern(
            pyoxigraph.NamedNode(individual), prop, None)}
        return sorted((o for o in objects if not isinstance(o, pyoxigraph.Triple)), key=str)

    def _functional_clashes(self) -> list[Clash]:
        rows = self.select("""SELECT ?p WHERE { ?p a owl:FunctionalProperty . FILTER isIRI(?p) }""")
        clashes = []
        for row in rows:
            p = row["p"]
            assert isinstance(p, pyoxigraph.NamedNode)
            by_subject: dict[str, list[pyoxigraph.NamedNode | pyoxigraph.BlankNode
                                      | pyoxigraph.Literal]] = defaultdict(list)
            for quad in self.store.quads_for_pattern(None, p, None):
                if isinstance(quad.subject, pyoxigraph.NamedNode) and not isinstance(
                        quad.object, pyoxigraph.Triple):
                    by_subject[quad.subject.value].append(quad.object)
            for individual, values in sorted(by_subject.items()):
                unique = sorted(set(values), key=str)
                pairs = [(a, b) for i, a in enumerate(unique) for b in unique[i + 1:]
                         if self._distinct(a, b)]
                if pairs:
                    shown = ", ".join(self._value(v) for v in unique)
                    clashes.append(self._clash(individual, f"{_short(p.value)} a "
                                               "owl:FunctionalProperty",
                                               [f"{_short(p.value)} has values {shown}"]))
        return clashes

    def _value(self, term: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal,
               ) -> str:
        if isinstance(term, pyoxigraph.Literal):
            return term.value
        return _short(term.value) if isinstance(term, pyoxigraph.NamedNode) else str(term)

    @cached_property
    def _all_different(self) -> set[frozenset[str]]:
        rows = self.select("""SELECT ?group ?member WHERE {
            ?group a owl:AllDifferent ; (owl:distinctMembers|owl:members) ?list .
            ?list rdf:rest*/rdf:first ?member }""")
        groups: dict[str, set[str]] = defaultdict(set)
        for row in rows:
            if row["group"] is not None and isinstance(row["member"], pyoxigraph.NamedNode):
                groups[str(row["group"])].add(row["member"].value)
        return {frozenset(g) for g in groups.values()}

    def _distinct(self, a: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal,
                  b: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal) -> bool:
        """Whether two values are certainly different (literals by value, IRIs if declared)."""
        if isinstance(a, pyoxigraph.Literal) and isinstance(b, pyoxigraph.Literal):
            if a == b:
                return False
            answer = self.store.query("SELECT ?a ?b WHERE { FILTER (?a != ?b) }",
                                      substitutions={pyoxigraph.Variable("a"): a,
                                                     pyoxigraph.Variable("b"): b})
            assert isinstance(answer, pyoxigraph.QuerySolutions)
            return any(True for _ in answer)
        if isinstance(a, pyoxigraph.NamedNode) and isinstance(b, pyoxigraph.NamedNode):
            return a != b and any({a.value, b.value} <= g for g in self._all_different)
        return False
