"""Allowed values of the curation form, read from the ontology, its schemes and the mappings.

A value may be given by its short name (``Improved``, ``dysphagia``), a CURIE
(``outcome:dysphagia``, or a mapped external one such as ``HP:0002015``), a full IRI, its label
or one of its synonyms; case and spacing do not matter. An unknown value gets "did you mean"
suggestions.

>>> from ibmkg.paths import default_layout
>>> vocab = Vocabulary.from_layout(default_layout())
>>> vocab.resolve("outcome", "HP:0002015").short
'dysphagia'
>>> vocab.resolve("outcome", "swallowing function").short
'dysphagia'
>>> vocab.suggest("outcome", "dysfagia")
['dysphagia']
"""

from __future__ import annotations

import csv
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import pyoxigraph

from ibmkg.graph_io import load_turtle
from ibmkg.namespaces import PREFIXES

_IBMKG: Final = PREFIXES["ibmkg"]
_RDF_TYPE: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RDFS_LABEL: Final = "http://www.w3.org/2000/01/rdf-schema#label"
_SUBCLASS: Final = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
_SKOS: Final = "http://www.w3.org/2004/02/skos/core#"
_DEFINITION: Final = "http://purl.obolibrary.org/obo/IAO_0000115"

#: The kinds of value the form takes from the ontology: kind -> (what, class or scheme IRI).
KINDS: Final[dict[str, tuple[str, str]]] = {
    "design": ("class", ""),
    "condition": ("individual", _IBMKG + "Condition"),
    "blinding": ("individual", _IBMKG + "Blinding"),
    "measure-reporting": ("individual", _IBMKG + "MeasureReporting"),
    "weakness-reporting": ("individual", _IBMKG + "WeaknessReporting"),
    "agent": ("individual", _IBMKG + "Agent"),
    "role": ("individual", _IBMKG + "InterventionRole"),
    "dose-specification": ("individual", _IBMKG + "DoseSpecification"),
    "dose-unit": ("individual", _IBMKG + "Unit"),
    "dose-basis": ("individual", _IBMKG + "DoseBasis"),
    "interval": ("individual", _IBMKG + "Interval"),
    "direction": ("individual", _IBMKG + "Direction"),
    "basis": ("individual", _IBMKG + "Basis"),
    "scope": ("individual", _IBMKG + "Scope"),
    "durability": ("individual", _IBMKG + "Durability"),
    "magnitude": ("individual", _IBMKG + "Magnitude"),
    "extent": ("individual", _IBMKG + "FindingExtent"),
    "source-part": ("individual", _IBMKG + "SourcePart"),
    "attribute": ("individual", _IBMKG + "DesignAttribute"),
    "measure": ("scheme", PREFIXES["measure"]),
    "outcome": ("scheme", PREFIXES["outcome"]),
    "weakness": ("scheme", PREFIXES["weakness"]),
}

#: Design classes besides those marked ``ibmkg:designGroup true`` (an extra type).
_EXTRA_DESIGNS: Final = (_IBMKG + "Audit",)


@dataclass(frozen=True)
class Term:
    """One allowed value.

    :param iri: its IRI.
    :param short: the short name the form writes (``Improved``, ``dysphagia``).
    :param label: its label.
    :param definition: its definition, when the ontology gives one.
    :param synonyms: other names it may be given by (alternative labels, mapped CURIEs).
    """

    iri: str
    short: str
    label: str
    definition: str = ""
    synonyms: tuple[str, ...] = ()


def _key(text: str) -> str:
    return re.sub(r"[\s_]+", " ", text.strip().lower())


def _curie(iri: str) -> str:
    matches = [(len(ns), prefix, ns) for prefix, ns in PREFIXES.items() if iri.startswith(ns)]
    if not matches:
        return iri
    _, prefix, ns = max(matches)
    return f"{prefix}:{iri[len(ns):]}"


@dataclass
class Vocabulary:
    """The allowed values of each kind, with every name they may be given by.

    :param terms: kind -> allowed terms, in a stable order.
    """

    terms: dict[str, list[Term]]
    _names: dict[str, dict[str, Term]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for kind, terms in self.terms.items():
            names: dict[str, Term] = {}
            for term in terms:
                for name in (term.short, term.label, term.iri, _curie(term.iri),
                             *term.synonyms):
                    names.setdefault(_key(name), term)
            self._names[kind] = names

    @classmethod
    def from_files(cls, ontology: Path, mappings: Path | None = None) -> Vocabulary:
        """Read the allowed values from the ontology and (optionally) the SSSOM mappings.

        :param ontology: the ontology Turtle file.
        :param mappings: the SSSOM TSV; its exact matches become synonyms.
        :returns: the vocabulary.
        :raises InputError: when a file is missing or does not parse.
        """
        return cls.from_triples(load_turtle(ontology), _exact_matches(mappings))

    @classmethod
    def from_layout(cls, layout: object) -> Vocabulary:
        """Read the allowed values of a project.

        :param layout: an :class:`ibmkg.paths.Layout`.
        :returns: the vocabulary.
        """
        from ibmkg.paths import Layout

        assert isinstance(layout, Layout)
        mappings = layout.mappings if layout.mappings.is_file() else None
        return cls.from_files(layout.ontology, mappings)

    @classmethod
    def from_triples(cls, triples: Iterable[pyoxigraph.Triple],
                     matches: dict[str, list[str]] | None = None) -> Vocabulary:
        """Build the vocabulary from ontology triples.

        :param triples: the ontology.
        :param matches: IRI -> external CURIEs that are exact matches.
        :returns: the vocabulary.
        """
        matches = matches or {}
        types: dict[str, set[str]] = {}
        labels: dict[str, str] = {}
        alts: dict[str, list[str]] = {}
        defs: dict[str, str] = {}
        schemes: dict[str, str] = {}
        parents: dict[str, set[str]] = {}
        designs: set[str] = set(_EXTRA_DESIGNS)
        for t in triples:
            if not isinstance(t.subject, pyoxigraph.NamedNode):
                continue
            s, p, o = t.subject.value, t.predicate.value, t.object
            if p == _RDF_TYPE and isinstance(o, pyoxigraph.NamedNode):
                types.setdefault(s, set()).add(o.value)
            elif p == _SUBCLASS and isinstance(o, pyoxigraph.NamedNode):
                parents.setdefault(s, set()).add(o.value)
            elif isinstance(o, pyoxigraph.Literal):
                if p in (_RDFS_LABEL, _SKOS + "prefLabel"):
                    labels.setdefault(s, o.value)
                elif p in (_SKOS + "altLabel", _SKOS + "notation"):
                    alts.setdefault(s, []).append(o.value)
                elif p == _DEFINITION:
                    defs.setdefault(s, o.value)
                elif p == _IBMKG + "designGroup" and o.value == "true":
                    designs.add(s)
            elif p == _SKOS + "inScheme" and isinstance(o, pyoxigraph.NamedNode):
                schemes[s] = o.value

        def term(iri: str, ns: str) -> Term:
            return Term(iri, iri[len(ns):], labels.get(iri, iri[len(ns):]), defs.get(iri, ""),
                        tuple(alts.get(iri, [])) + tuple(matches.get(iri, [])))

        result: dict[str, list[Term]] = {}
        for kind, (what, ref) in KINDS.items():
            if what == "class":
                iris = sorted(d for d in designs if d in types)
                result[kind] = [term(i, _IBMKG) for i in iris]
            elif what == "individual":
                iris = sorted(s for s, ts in types.items()
                              if any(ref in _ancestors(t, parents) for t in ts))
                result[kind] = [term(i, _IBMKG) for i in iris]
            else:
                iris = sorted(s for s, scheme in schemes.items() if scheme == ref)
                result[kind] = [term(i, ref) for i in iris]
        return cls(result)

    def resolve(self, kind: str, value: str) -> Term:
        """Find the allowed value ``value`` names.

        :param kind: one of :data:`KINDS`.
        :param value: a short name, CURIE, IRI, label or synonym.
        :returns: the term.
        :raises KeyError: when nothing of this kind has that name.
        """
        term = self._names[kind].get(_key(value))
        if term is None:
            raise KeyError(value)
        return term

    def by_iri(self, kind: str, iri: str) -> Term | None:
        """Return the term of this kind with this IRI, if any.

        :param kind: one of :data:`KINDS`.
        :param iri: the IRI.
        :returns: the term or ``None``.
        """
        return next((t for t in self.terms[kind] if t.iri == iri), None)

    def suggest(self, kind: str, value: str, n: int = 3) -> list[str]:
        """Short names of the allowed values closest to ``value``.

        :param kind: one of :data:`KINDS`.
        :param value: the unknown value.
        :param n: at most this many suggestions.
        :returns: short names, closest first.
        """
        names = self._names[kind]
        close = difflib.get_close_matches(_key(value), list(names), n=n * 3, cutoff=0.6)
        seen: list[str] = []
        for name in close:
            short = names[name].short
            if short not in seen:
                seen.append(short)
        return seen[:n]

    def shorts(self, kind: str) -> Sequence[str]:
        """The short names of every allowed value of a kind.

        :param kind: one of :data:`KINDS`.
        :returns: the names.
        """
        return [t.short for t in self.terms[kind]]


def _ancestors(cls: str, parents: dict[str, set[str]]) -> set[str]:
    seen = {cls}
    stack = [cls]
    while stack:
        for parent in parents.get(stack.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return seen


def _exact_matches(mappings: Path | None) -> dict[str, list[str]]:
    if mappings is None or not mappings.is_file():
        return {}
    rows = [line for line in mappings.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    found: dict[str, list[str]] = {}
    for row in csv.DictReader(rows, delimiter="\t"):
        if row.get("predicate_id") != "skos:exactMatch":
            continue
        prefix, _, local = (row.get("subject_id") or "").partition(":")
        if prefix not in PREFIXES:
            continue
        iri = PREFIXES[prefix] + local
        found.setdefault(iri, []).extend(
            x for x in (row.get("object_id"), row.get("object_label")) if x)
    return found
