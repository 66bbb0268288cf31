"""What the reasoner is given: the parsed files, the ontology's told hierarchy, closure axioms.

Pure Python and pyoxigraph (no Java, no owlready2): :mod:`ibmkg.reasoning` runs the
engines on what this module prepares.

**The closed-world step.** ``ibmkg:StudyReportingOnlySubjectiveImprovement`` is defined with
a universal restriction, ``hasFinding only (not ImprovementFinding or
SubjectiveImprovementFinding)``. Under OWL's open-world assumption a study may always have
a finding the graph does not record, so no reasoner can conclude that *every* finding is
subjective. :func:`closure_axioms` closes the list of findings of each study, and only
that: ``study rdf:type (hasFinding only {f1 … fn})``, with the findings the graph records
(``owl:Nothing`` when it records none). This is what owlready2's ``close_world`` does for
one property, written out as RDF so that the engine sees exactly these axioms.

>>> vocab = Vocabulary([Triple(NamedNode("http://ex/A"), NamedNode(RDFS + "subClassOf"),
...                            NamedNode("http://ex/B"))])
>>> sorted(vocab.told_ancestors("http://ex/A"))
['http://ex/A', 'http://ex/B']
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pyoxigraph
from pyoxigraph import BlankNode, NamedNode, Triple

from ibmkg.namespaces import PREFIXES, curie_for

__all__ = [
    "RDFS",
    "Inputs",
    "Vocabulary",
    "asserted_types",
    "closure_axioms",
    "load_inputs",
]

OWL: Final = PREFIXES["owl"]
RDF: Final = PREFIXES["rdf"]
RDFS: Final = PREFIXES["rdfs"]
TYPE: Final = NamedNode(RDF + "type")
HAS_FINDING: Final = NamedNode(PREFIXES["ibmkg"] + "hasFinding")
_BUILTIN_ANNOTATIONS = frozenset(RDFS + p for p in ("label", "comment", "seeAlso", "isDefinedBy"))


@dataclass(frozen=True)
class Inputs:
    """The parsed ontology and data files.

    :param ontology: the ontology's triples.
    :param files: (file as given, its triples) for each data file, in order.
    """

    ontology: tuple[Triple, ...]
    files: tuple[tuple[str, tuple[Triple, ...]], ...]

    @property
    def data(self) -> list[Triple]:
        """The triples of every data file."""
        return [t for _, triples in self.files for t in triples]


def _load(path: Path) -> tuple[Triple, ...]:
    from ibmkg.formats import RdfFormat
    from ibmkg.graph_io import load_rdf, load_turtle

    fmt = RdfFormat.from_path(path)
    if fmt is RdfFormat.TURTLE:
        return tuple(load_turtle(path, display=path.as_posix()))
    return tuple(Triple(q.subject, q.predicate, q.object)
                 for q in load_rdf(path, display=path.as_posix()))


def load_inputs(ontology: Path, data: Sequence[Path]) -> Inputs:
    """Parse the ontology and the data files strictly.

    :param ontology: the ontology file.
    :param data: the data files (Turtle, or any format :class:`ibmkg.formats.RdfFormat` knows).
    :returns: the parsed inputs.
    :raises InputError: when a file is missing or does not parse (with file, line, column).
    """
    return Inputs(_load(ontology), tuple((p.as_posix(), _load(p)) for p in data))


class Vocabulary:
    """What reasoning needs to know of the ontology: told hierarchy, classes, labels.

    :param triples: the ontology's triples.
    """

    def __init__(self, triples: Iterable[Triple]) -> None:
        parents: dict[str, set[str]] = defaultdict(set)
        #: Properties whose assertions carry no logical meaning (dropped before reasoning).
        self.annotation_properties: set[str] = set(_BUILTIN_ANNOTATIONS)
        #: Named classes: declared, or related by subclass or equivalence axioms.
        self.classes: set[str] = set()
        self.labels: dict[str, str] = {}
        for t in triples:
            s, p, o = t.subject, t.predicate.value, t.object
            if not isinstance(s, NamedNode):
                continue
            if p == RDF + "type" and isinstance(o, NamedNode):
                if o.value == OWL + "AnnotationProperty":
                    self.annotation_properties.add(s.value)
                elif o.value == OWL + "Class":
                    self.classes.add(s.value)
            elif p in (RDFS + "subClassOf", OWL + "equivalentClass"):
                self.classes.add(s.value)
                if isinstance(o, NamedNode):
                    parents[s.value].add(o.value)
                    self.classes.add(o.value)
                    if p == OWL + "equivalentClass":
                        parents[o.value].add(s.value)
            elif p == RDFS + "label" and isinstance(o, pyoxigraph.Literal) and (
                    o.language in (None, "en")):
                self.labels[s.value] = o.value
        self._parents = parents
        self._ancestors: dict[str, frozenset[str]] = {}

    def told_ancestors(self, cls: str) -> frozenset[str]:
        """The class and every class above it by asserted subclass or equivalence axioms.

        :param cls: a class IRI.
        :returns: the IRIs, the class included.
        """
        if cls not in self._ancestors:
            seen, todo = {cls}, [cls]
            while todo:
                for parent in self._parents.get(todo.pop(), ()):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            self._ancestors[cls] = frozenset(seen)
        return self._ancestors[cls]

    def label(self, iri: str) -> str:
        """The English label, else a CURIE, else the IRI.

        :param iri: an IRI.
        :returns: the text.
        """
        return self.labels.get(iri) or curie_for(iri) or iri

    def logical(self, triples: Iterable[Triple]) -> list[Triple]:
        """Drop annotation assertions, which cannot change what is entailed.

        :param triples: any triples.
        :returns: the others.
        """
        return [t for t in triples if t.predicate.value not in self.annotation_properties]


def asserted_types(triples: Iterable[Triple]) -> dict[str, set[str]]:
    """The asserted named types of each named individual.

    :param triples: the data.
    :returns: IRI -> class IRIs.
    """
    types: dict[str, set[str]] = defaultdict(set)
    for t in triples:
        if t.predicate == TYPE and isinstance(t.subject, NamedNode) and isinstance(
                t.object, NamedNode):
            types[t.subject.value].add(t.object.value)
    return types


def closure_axioms(triples: Iterable[Triple], studies: Iterable[str]) -> list[Triple]:
    """Close each study's findings: ``study rdf:type (hasFinding only {f1 … fn})``.

    :param triples: the asserted data.
    :param studies: the IRIs of the studies to close.
    :returns: the axiom triples (blank nodes for the restriction and the list).

    >>> s, f = NamedNode("http://ex/s"), NamedNode("http://ex/f")
    >>> axioms = closure_axioms([Triple(s, HAS_FINDING, f)], ["http://ex/s"])
    >>> sorted(t.predicate.value.rsplit("#", 1)[-1] for t in axioms)
    ['allValuesFrom', 'first', 'onProperty', 'oneOf', 'rest', 'type', 'type', 'type']
    """
    findings: dict[str, set[NamedNode]] = defaultdict(set)
    for t in triples:
        if t.predicate == HAS_FINDING and isinstance(t.object, NamedNode) and isinstance(
                t.subject, NamedNode):
            findings[t.subject.value].add(t.object)
    owl = {name: NamedNode(OWL + name) for name in
           ("Restriction", "onProperty", "allValuesFrom", "Class", "oneOf", "Nothing")}
    out: list[Triple] = []
    for study in sorted(set(studies)):
        restriction = BlankNode()
        out += [Triple(NamedNode(study), TYPE, restriction),
                Triple(restriction, TYPE, owl["Restriction"]),
                Triple(restriction, owl["onProperty"], HAS_FINDING)]
        members = sorted(findings.get(study, ()), key=lambda n: n.value)
        if not members:
            out.append(Triple(restriction, owl["allValuesFrom"], owl["Nothing"]))
            continue
        enumeration = BlankNode()
        out += [Triple(restriction, owl["allValuesFrom"], enumeration),
                Triple(enumeration, TYPE, owl["Class"])]
        out += _rdf_list(enumeration, owl["oneOf"], members)
    return out


def _rdf_list(subject: BlankNode, predicate: NamedNode, items: Sequence[NamedNode],
              ) -> list[Triple]:
    first, rest, nil = NamedNode(RDF + "first"), NamedNode(RDF + "rest"), NamedNode(RDF + "nil")
    nodes = [BlankNode() for _ in items]
    out = [Triple(subject, predicate, nodes[0])]
    for i, (node, item) in enumerate(zip(nodes, items, strict=True)):
        tail: NamedNode | BlankNode = nodes[i + 1] if i + 1 < len(nodes) else nil
        out += [Triple(node, first, item), Triple(node, rest, tail)]
    return out
