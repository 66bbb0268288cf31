"""The closed vocabulary: every ibmkg term the data uses must be declared, with "did you mean".

The namespaces ibmkg owns (``ibmkg:``, ``measure:``, ``outcome:``, ``weakness:``) are closed:
a class, property, value-set individual or scheme concept of those namespaces exists only if
the ontology (or one of its schemes) describes it. A term used in the data but declared
nowhere is a misspelling or an invention (``ibmkg:patientCont``, ``ibmkg:totallyMadeUp``):
a Violation at the place it is written, with the closest declared terms of the same kind.
Terms of the data's own instance namespaces (``study:``, ``pub:``, ``review:``) are not
vocabulary and are left to the shapes.

>>> from ibmkg.graph_io import parse_turtle
>>> vocab = Vocabulary.from_triples(parse_turtle(
...     "<https://w3id.org/ibmkg/ontology/patientCount> a "
...     "<http://www.w3.org/2002/07/owl#DatatypeProperty> ."))
>>> vocab.suggest("https://w3id.org/ibmkg/ontology/patientCont", Role.PROPERTY)
['ibmkg:patientCount']
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

import pyoxigraph

from ibmkg.namespaces import PREFIXES, curie_for

__all__ = ["CLOSED_NAMESPACES", "Role", "Vocabulary"]

#: The namespaces whose terms must all be declared.
CLOSED_NAMESPACES: Final = tuple(PREFIXES[p] for p in ("ibmkg", "measure", "outcome", "weakness"))

_RDF_TYPE: Final = PREFIXES["rdf"] + "type"
_OWL: Final = PREFIXES["owl"]
_PROPERTY_TYPES: Final = frozenset(
    [_OWL + t for t in ("ObjectProperty", "DatatypeProperty", "AnnotationProperty",
                        "FunctionalProperty", "InverseFunctionalProperty",
                        "TransitiveProperty", "SymmetricProperty")]
    + [PREFIXES["rdf"] + "Property"])
_CLASS_TYPES: Final = frozenset([_OWL + "Class", PREFIXES["rdfs"] + "Class"])


class Role(StrEnum):
    """Where a term is used: as a predicate, as the class of ``rdf:type``, or as a value."""

    PROPERTY = "property"
    CLASS = "class"
    VALUE = "individual or concept"


@dataclass
class Vocabulary:
    """The declared terms of the closed namespaces, by kind.

    :param properties: declared properties.
    :param classes: declared classes.
    :param others: everything else declared (individuals, scheme concepts, the schemes).
    """

    properties: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    others: set[str] = field(default_factory=set)

    @classmethod
    def from_triples(cls, triples: Iterable[pyoxigraph.Triple]) -> Vocabulary:
        """Collect the terms of the closed namespaces that the triples describe.

        A term is declared when it is the subject of a triple (in the ontology, its schemes
        or the imports); its kind comes from its ``rdf:type``.

        :param triples: the ontology and its imports.
        :returns: the vocabulary.
        """
        vocab = cls()
        for t in triples:
            subject = t.subject
            if not isinstance(subject, pyoxigraph.NamedNode) or not closed(subject.value):
                continue
            obj = t.object.value if isinstance(t.object, pyoxigraph.NamedNode) else ""
            if t.predicate.value == _RDF_TYPE and obj in _PROPERTY_TYPES:
                vocab.properties.add(subject.value)
            elif t.predicate.value == _RDF_TYPE and obj in _CLASS_TYPES:
                vocab.classes.add(subject.value)
            else:
                vocab.others.add(subject.value)
        vocab.others -= vocab.properties | vocab.classes
        return vocab

    def known(self, iri: str) -> bool:
        """Whether a term is declared (any kind).

        :param iri: the term.
        :returns: the answer.

        >>> Vocabulary(others={"x"}).known("x")
        True
        """
        return iri in self.properties or iri in self.classes or iri in self.others

    def suggest(self, iri: str, role: Role) -> list[str]:
        """The closest declared terms of the kind the role needs, as CURIEs.

        :param iri: the unknown term.
        :param role: how it is used.
        :returns: up to three suggestions, closest first.
        """
        pool = {Role.PROPERTY: self.properties, Role.CLASS: self.classes,
                Role.VALUE: self.others}[role]
        namespace = next((n for n in CLOSED_NAMESPACES if iri.startswith(n)), "")
        local = {t[len(namespace):]: t for t in pool if t.startswith(namespace)}
        names = difflib.get_close_matches(iri[len(namespace):], list(local), n=3, cutoff=0.6)
        if not names:  # the right term may live in another closed namespace
            every = {curie_for(t) or t: t for t in pool}
            shown = curie_for(iri) or iri
            return difflib.get_close_matches(shown, list(every), n=3, cutoff=0.75)
        return [curie_for(local[n]) or local[n] for n in names]


def closed(iri: str) -> bool:
    """Whether an IRI is a term of one of the closed namespaces.

    IRIs ending in ``/`` or ``#`` (the ontology's version IRI, a namespace) are not terms.

    :param iri: the IRI.
    :returns: the answer.

    >>> closed("https://w3id.org/ibmkg/ontology/Study"), closed("https://w3id.org/ibmkg/study/a")
    (True, False)
    """
    if iri.endswith(("/", "#")):  # an ontology, version or namespace IRI, not a term
        return False
    return any(iri.startswith(n) and len(iri) > len(n) for n in CLOSED_NAMESPACES)


def unknown_terms(triples: Iterable[pyoxigraph.Triple], vocab: Vocabulary,
                  ) -> list[tuple[pyoxigraph.Triple, str, Role]]:
    """Find the uses of undeclared terms of the closed namespaces.

    :param triples: the data (not the ontology).
    :param vocab: the declared terms.
    :returns: ``(triple, term, role)`` for each use.

    >>> from ibmkg.graph_io import parse_turtle
    >>> t = parse_turtle("<http://ex/a> <https://w3id.org/ibmkg/ontology/madeUp> 1 .")
    >>> [(term[-6:], role.value) for _, term, role in unknown_terms(t, Vocabulary())]
    [('madeUp', 'property')]
    """
    found = []
    unknown: dict[str, bool] = {}  # IRI -> undeclared term of a closed namespace

    def bad(iri: str) -> bool:
        answer = unknown.get(iri)
        if answer is None:
            answer = unknown[iri] = closed(iri) and not vocab.known(iri)
        return answer

    for t in triples:
        predicate = t.predicate.value
        if bad(predicate):
            found.append((t, predicate, Role.PROPERTY))
        obj = t.object
        if isinstance(obj, pyoxigraph.NamedNode) and bad(obj.value):
            role = Role.CLASS if predicate == _RDF_TYPE else Role.VALUE
            found.append((t, obj.value, role))
        subject = t.subject
        if isinstance(subject, pyoxigraph.NamedNode) and bad(subject.value):
            found.append((t, subject.value, Role.VALUE))
    return found
