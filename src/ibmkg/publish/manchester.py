"""Anonymous OWL class expressions in Manchester syntax, for the ontology documentation.

pyLODE 3.4.1 cannot document a class whose ``owl:equivalentClass`` or ``rdfs:subClassOf``
is an intersection or union holding a restriction or another anonymous class: its
``_setclass_html`` collects the members' HTML in a Python ``set``, and a nested member's HTML
is a ``list``, so it fails with ``unhashable type: 'list'`` (and, for members it can render,
the set scrambles their order). Rewriting the axioms into a shape pyLODE can draw would
change their meaning (a defined class is not the same as its superclasses), so ibmkg
renders these axioms itself, in the OWL 2 Manchester syntax, with labels for names and a
link for each named term.

Spec: https://www.w3.org/TR/owl2-manchester-syntax/ (class expressions, section 2.4).

>>> from ibmkg.graph_io import parse_turtle
>>> axioms = ClassAxioms.from_triples(parse_turtle('''
... @prefix owl: <http://www.w3.org/2002/07/owl#> .
... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
... @prefix ex: <http://ex/> .
... ex:Rct rdfs:label "randomised controlled trial" ; owl:equivalentClass [
...     owl:intersectionOf ( ex:Study [ a owl:Restriction ; owl:onProperty ex:randomised ;
...                                     owl:hasValue true ] ) ] .
... ex:Study rdfs:label "study" . ex:randomised rdfs:label "is randomised" .'''))
>>> [(kind, axioms.text(node)) for kind, node in axioms.of("http://ex/Rct")]
[('Equivalent to', 'study and (is randomised value true)')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Final

import pyoxigraph
from markupsafe import escape

from ibmkg.namespaces import PREFIXES
from ibmkg.publish.resources import curie

__all__ = ["AXIOM_KINDS", "ClassAxioms"]

_OWL, _RDF, _RDFS = PREFIXES["owl"], PREFIXES["rdf"], PREFIXES["rdfs"]
_XSD = PREFIXES["xsd"]
#: The axioms documented, with the heading each gets.
AXIOM_KINDS: Final = {f"{_OWL}equivalentClass": "Equivalent to",
                      f"{_RDFS}subClassOf": "Subclass of"}
_SETS: Final = {f"{_OWL}intersectionOf": "and", f"{_OWL}unionOf": "or"}
_QUANTIFIERS: Final = {f"{_OWL}someValuesFrom": "some", f"{_OWL}allValuesFrom": "only"}
_CARDINALITIES: Final = {
    f"{_OWL}minCardinality": "min", f"{_OWL}maxCardinality": "max",
    f"{_OWL}cardinality": "exactly", f"{_OWL}minQualifiedCardinality": "min",
    f"{_OWL}maxQualifiedCardinality": "max", f"{_OWL}qualifiedCardinality": "exactly"}
_BARE_DATATYPES: Final = {f"{_XSD}integer", f"{_XSD}decimal", f"{_XSD}boolean"}

Node = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal
Link = Callable[[str, str], str]


def _plain(iri: str, text: str) -> str:
    return text


@dataclass
class ClassAxioms:
    """The anonymous class axioms of an ontology, and their Manchester-syntax rendering.

    :param blank: the triples of each blank node, by predicate.
    :param axioms: for each named class, its anonymous axioms (heading, blank node).
    :param labels: the English (or untagged) ``rdfs:label`` of each IRI.
    """

    blank: dict[str, dict[str, list[Node]]] = field(default_factory=dict)
    axioms: dict[str, list[tuple[str, pyoxigraph.BlankNode]]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_triples(cls, triples: Iterable[pyoxigraph.Triple]) -> ClassAxioms:
        """Gather the axioms in one pass.

        :param triples: the ontology.
        :returns: the axioms.
        """
        blank: defaultdict[str, defaultdict[str, list[Node]]] = defaultdict(
            lambda: defaultdict(list))
        axioms: defaultdict[str, list[tuple[str, pyoxigraph.BlankNode]]] = defaultdict(list)
        labels: dict[str, tuple[int, str]] = {}
        for t in triples:
            subject, predicate, obj = t.subject, t.predicate.value, t.object
            if isinstance(subject, pyoxigraph.BlankNode):
                blank[subject.value][predicate].append(obj)  # type: ignore[arg-type]
            elif isinstance(subject, pyoxigraph.NamedNode):
                if predicate in AXIOM_KINDS and isinstance(obj, pyoxigraph.BlankNode):
                    axioms[subject.value].append((AXIOM_KINDS[predicate], obj))
                elif predicate == f"{_RDFS}label" and isinstance(obj, pyoxigraph.Literal):
                    rank = 0 if (obj.language or "").startswith("en") else \
                        1 if obj.language is None else 2
                    best = labels.get(subject.value)
                    if best is None or (rank, obj.value) < best:
                        labels[subject.value] = (rank, obj.value)
        ordered = {iri: sorted(found, key=lambda a: (a[0] != "Equivalent to", a[1].value))
                   for iri, found in sorted(axioms.items())}
        return cls({k: dict(v) for k, v in blank.items()}, ordered,
                   {iri: text for iri, (_, text) in labels.items()})

    def of(self, iri: str) -> list[tuple[str, pyoxigraph.BlankNode]]:
        """The anonymous axioms of one class.

        :param iri: the class.
        :returns: (heading, blank node) pairs, equivalences first.
        """
        return self.axioms.get(iri, [])

    def text(self, node: Node) -> str:
        """A class expression as plain Manchester syntax.

        :param node: the class expression (a blank node, or a named class).
        :returns: the text.
        """
        return self._render(node, _plain, escape_text=False, depth=0)

    def html(self, node: Node, link: Link) -> str:
        """A class expression as HTML, each named term passed through ``link``.

        :param node: the class expression.
        :param link: ``(iri, escaped label) -> HTML`` for each named term.
        :returns: HTML.
        """
        return self._render(node, link, escape_text=True, depth=0)

    def _name(self, iri: str, link: Link, escape_text: bool) -> str:
        text = self.labels.get(iri) or curie(iri)
        return link(iri, str(escape(text))) if escape_text else text

    def _render(self, node: Node, link: Link, *, escape_text: bool, depth: int) -> str:
        if isinstance(node, pyoxigraph.NamedNode):
            return self._name(node.value, link, escape_text)
        if isinstance(node, pyoxigraph.Literal):
            return self._literal(node, escape_text)
        props = self.blank.get(node.value, {})
        if depth > 32:
            return "..."

        def sub(item: Node) -> str:
            text = self._render(item, link, escape_text=escape_text, depth=depth + 1)
            return f"({text})" if isinstance(item, pyoxigraph.BlankNode) \
                and self._compound(item) else text

        for predicate, word in _SETS.items():
            if predicate in props:
                return f" {word} ".join(sub(item) for item in self._list(props[predicate][0]))
        if f"{_OWL}complementOf" in props:
            return "not " + sub(props[f"{_OWL}complementOf"][0])
        if f"{_OWL}oneOf" in props:
            return "{" + ", ".join(self._render(i, link, escape_text=escape_text,
                                                depth=depth + 1)
                                   for i in self._list(props[f"{_OWL}oneOf"][0])) + "}"
        if f"{_OWL}onProperty" in props:
            prop = props[f"{_OWL}onProperty"][0]
            subject = self._property(prop, link, escape_text)
            for predicate, word in _QUANTIFIERS.items():
                if predicate in props:
                    return f"{subject} {word} {sub(props[predicate][0])}"
            if f"{_OWL}hasValue" in props:
                return f"{subject} value " + self._render(
                    props[f"{_OWL}hasValue"][0], link, escape_text=escape_text, depth=depth + 1)
            if f"{_OWL}hasSelf" in props:
                return f"{subject} Self"
            for predicate, word in _CARDINALITIES.items():
                if predicate in props:
                    number = props[predicate][0]
                    filler = props.get(f"{_OWL}onClass") or props.get(f"{_OWL}onDataRange")
                    tail = f" {sub(filler[0])}" if filler else ""
                    return f"{subject} {word} {number.value}{tail}"
        return "[an anonymous class ibmkg cannot render]"

    def _compound(self, node: pyoxigraph.BlankNode) -> bool:
        props = self.blank.get(node.value, {})
        return any(p in props for p in (*_SETS, f"{_OWL}onProperty", f"{_OWL}complementOf"))

    def _property(self, prop: Node, link: Link, escape_text: bool) -> str:
        if isinstance(prop, pyoxigraph.BlankNode):
            inverse = self.blank.get(prop.value, {}).get(f"{_OWL}inverseOf")
            if inverse and isinstance(inverse[0], pyoxigraph.NamedNode):
                return "inverse " + self._name(inverse[0].value, link, escape_text)
        if isinstance(prop, pyoxigraph.NamedNode):
            return self._name(prop.value, link, escape_text)
        return "[property]"

    def _list(self, head: Node) -> list[Node]:
        items: list[Node] = []
        seen: set[str] = set()
        while isinstance(head, pyoxigraph.BlankNode) and head.value not in seen:
            seen.add(head.value)
            props = self.blank.get(head.value, {})
            items += props.get(f"{_RDF}first", [])[:1]
            rest = props.get(f"{_RDF}rest")
            if not rest:
                break
            head = rest[0]
        return items

    @staticmethod
    def _literal(node: pyoxigraph.Literal, escape_text: bool) -> str:
        if node.datatype.value in _BARE_DATATYPES:
            text = node.value
        else:
            text = '"' + node.value.replace('"', '\\"') + '"'
            if node.language:
                text += f"@{node.language}"
            elif node.datatype.value != f"{_XSD}string":
                text += f"^^{curie(node.datatype.value)}"
        return str(escape(text)) if escape_text else text
