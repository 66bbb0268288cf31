"""Dataset metadata: VoID and DCAT for catalogues, schema.org ``Dataset`` for search engines.

The description is computed from the graph (title, description, licence and creator from the
ontology header; the letter cited from the review; counts, class and property partitions and
vocabularies from the triples) and from the files actually written (byte sizes).

Specs: https://www.w3.org/TR/void/ and https://www.w3.org/TR/vocab-dcat-3/;
https://schema.org/Dataset.

>>> facts = DatasetFacts.from_triples(parse_turtle(
...     '<https://w3id.org/ibmkg/study/a> a <https://w3id.org/ibmkg/ontology/Study> .'))
>>> facts.triples, facts.classes
(1, {'https://w3id.org/ibmkg/ontology/Study': 1})
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Final

import pyoxigraph

from ibmkg.canonical import canonical_turtle
from ibmkg.graph_io import parse_turtle
from ibmkg.namespaces import BASE, PREFIXES

__all__ = ["DATASET_IRI", "DatasetFacts", "Download", "dataset_shape", "schema_org",
           "void_triples", "void_turtle"]

#: The IRI of the dataset description (VoID's well-known location + fragment).
DATASET_IRI: Final = f"{BASE}.well-known/void#dataset"
_IANA: Final = "https://www.iana.org/assignments/media-types/"
_ONTOLOGY: Final = PREFIXES["ibmkg"]
_REVIEW: Final = f"{PREFIXES['review']}fontanelli-2024"
_RDF, _XSD = PREFIXES["rdf"], PREFIXES["xsd"]
_DCT, _DCAT, _VOID = PREFIXES["dcterms"], PREFIXES["dcat"], PREFIXES["void"]
_FOAF, _RDFS, _OWL = PREFIXES["foaf"], PREFIXES["rdfs"], PREFIXES["owl"]


@dataclass(frozen=True)
class Download:
    """One file of the downloads.

    :param path: path relative to the site root (``downloads/kg.ttl``).
    :param title: what it is.
    :param media_type: its IANA media type.
    :param size: bytes.
    """

    path: str
    title: str
    media_type: str
    size: int

    @property
    def url(self) -> str:
        """The file's IRI under the base."""
        return BASE + self.path


@dataclass
class DatasetFacts:
    """What the graph says about itself, gathered in one pass.

    :param triples: distinct triples.
    :param subjects: distinct subjects.
    :param classes: instances per class.
    :param properties: triples per predicate.
    :param literals: the literal values of the ontology header and the review, by predicate.
    """

    triples: int = 0
    subjects: int = 0
    classes: dict[str, int] = field(default_factory=dict)
    properties: dict[str, int] = field(default_factory=dict)
    literals: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    studies: list[str] = field(default_factory=list)
    authors: list[tuple[int, str, str]] = field(default_factory=list)

    @classmethod
    def from_triples(cls, triples: Iterable[pyoxigraph.Triple]) -> DatasetFacts:
        """Count and collect.

        :param triples: the merged graph.
        :returns: the facts.
        """
        facts = cls()
        classes: Counter[str] = Counter()
        properties: Counter[str] = Counter()
        subjects: set[str] = set()
        positions: dict[str, int] = {}
        family: dict[str, str] = {}
        initials: dict[str, str] = {}
        review_authors: set[str] = set()
        for t in set(triples):
            facts.triples += 1
            subjects.add(str(t.subject))
            predicate = t.predicate.value
            properties[predicate] += 1
            if predicate == f"{_RDF}type" and isinstance(t.object, pyoxigraph.NamedNode):
                classes[t.object.value] += 1
                if t.object.value == f"{_ONTOLOGY}Study" and \
                        isinstance(t.subject, pyoxigraph.NamedNode):
                    facts.studies.append(t.subject.value)
            subject = t.subject.value if isinstance(t.subject, pyoxigraph.NamedNode) else ""
            if subject in (_ONTOLOGY, _REVIEW) and not isinstance(t.object, pyoxigraph.Triple):
                facts.literals.setdefault((subject, predicate), []).append(t.object.value)
            if subject.startswith(f"{_REVIEW}/author-"):
                review_authors.add(subject)
                if isinstance(t.object, pyoxigraph.Literal):
                    if predicate == f"{_ONTOLOGY}authorPosition":
                        positions[subject] = int(t.object.value)
                    elif predicate == f"{_ONTOLOGY}familyName":
                        family[subject] = t.object.value
                    elif predicate == f"{_ONTOLOGY}initials":
                        initials[subject] = t.object.value
        facts.subjects = len(subjects)
        facts.classes = dict(sorted(classes.items()))
        facts.properties = dict(sorted(properties.items()))
        facts.studies.sort()
        facts.authors = sorted((positions.get(a, 0), family.get(a, ""), initials.get(a, ""))
                               for a in review_authors)
        return facts

    def first(self, subject: str, predicate: str, default: str = "") -> str:
        """The first value of a property of the ontology header or the review.

        :param subject: the ontology or review IRI.
        :param predicate: the property IRI.
        :param default: when absent.
        :returns: the value (sorted, so stable).
        """
        values = sorted(self.literals.get((subject, predicate), []))
        return values[0] if values else default

    @property
    def title(self) -> str:
        """The dataset title (the ontology's ``dcterms:title``)."""
        return self.first(_ONTOLOGY, f"{_DCT}title", "ibmkg")

    @property
    def description(self) -> str:
        """The dataset description (the ontology's ``dcterms:description``)."""
        return self.first(_ONTOLOGY, f"{_DCT}description")

    @property
    def license(self) -> str:
        """The data licence IRI (the ontology's ``dcterms:license``)."""
        return self.first(_ONTOLOGY, f"{_DCT}license")

    @property
    def creator(self) -> str:
        """The creator's name (the ontology's ``dcterms:creator``)."""
        return self.first(_ONTOLOGY, f"{_DCT}creator", "ibmkg developers")

    @property
    def issued(self) -> str:
        """The date the ontology was created."""
        return self.first(_ONTOLOGY, f"{_DCT}created")

    @property
    def citation(self) -> str:
        """The reviewing letter as a reference, from the review's authorships and title."""
        names = ", ".join(f"{name} {ini}" for _, name, ini in self.authors)
        title = self.first(_REVIEW, f"{_DCT}title")
        journal = self.first(_REVIEW, f"{_ONTOLOGY}journal")
        year = self.first(_REVIEW, f"{_ONTOLOGY}publicationYear")
        return f"{names}. {title} {journal} {year}.".strip()

    def vocabularies(self) -> list[str]:
        """Namespaces of the predicates and classes used (``void:vocabulary``)."""
        found: set[str] = set()
        for iri in (*self.properties, *self.classes):
            namespace = _namespace(iri)
            if namespace:
                found.add(namespace)
        return sorted(found)


def _namespace(iri: str) -> str:
    known = [ns for ns in PREFIXES.values() if iri.startswith(ns)]
    if known:
        return max(known, key=len)
    match = re.match(r"(.*[#/])[^#/]+$", iri)
    return match.group(1) if match else ""


def _iri(value: str) -> pyoxigraph.NamedNode:
    return pyoxigraph.NamedNode(value)


def _lit(value: str | int, datatype: str | None = None, language: str | None = None,
         ) -> pyoxigraph.Literal:
    if isinstance(value, int):
        return pyoxigraph.Literal(str(value), datatype=_iri(datatype or f"{_XSD}integer"))
    if language:
        return pyoxigraph.Literal(value, language=language)
    return pyoxigraph.Literal(value, datatype=_iri(datatype) if datatype else None)


def void_triples(facts: DatasetFacts, downloads: Sequence[Download], *, version: str,
                 modified: str, sparql_endpoint: str | None = None,
                 examples: int = 3) -> list[pyoxigraph.Triple]:
    """The VoID and DCAT 3 description of the dataset.

    :param facts: from :meth:`DatasetFacts.from_triples`.
    :param downloads: the files offered (one ``dcat:Distribution`` and ``void:dataDump`` each
        for the RDF ones).
    :param version: the release (``owl:versionInfo`` and ``dcat:version``).
    :param modified: ISO date of this build.
    :param sparql_endpoint: the public SPARQL endpoint, when one is configured.
    :param examples: how many studies to name as ``void:exampleResource``.
    :returns: the triples.

    >>> facts = DatasetFacts.from_triples(parse_turtle(
    ...     '<https://w3id.org/ibmkg/study/a> a <https://w3id.org/ibmkg/ontology/Study> .'))
    >>> triples = void_triples(facts, [Download("downloads/kg.ttl", "kg", "text/turtle", 10)],
    ...                        version="1.0", modified="2026-11-30")
    >>> "void:triples 1" in void_turtle(triples)
    True
    """
    d = _iri(DATASET_IRI)
    out: list[pyoxigraph.Triple] = []

    def add(s: pyoxigraph.NamedNode | pyoxigraph.BlankNode, p: str,
            o: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal) -> None:
        out.append(pyoxigraph.Triple(s, _iri(p), o))

    add(d, f"{_RDF}type", _iri(f"{_VOID}Dataset"))
    add(d, f"{_RDF}type", _iri(f"{_DCAT}Dataset"))
    add(d, f"{_DCT}title", _lit(facts.title, language="en"))
    if facts.description:
        add(d, f"{_DCT}description", _lit(facts.description, language="en"))
    if facts.license:
        add(d, f"{_DCT}license", _iri(facts.license))
    publisher = _iri(f"{_ONTOLOGY}curators")
    add(d, f"{_DCT}publisher", publisher)
    add(d, f"{_DCT}creator", publisher)
    add(publisher, f"{_RDF}type", _iri(f"{_FOAF}Agent"))
    add(publisher, f"{_FOAF}name", _lit(facts.creator))
    add(d, f"{_DCT}source", _iri(_REVIEW))
    add(d, f"{_DCT}bibliographicCitation", _lit(facts.citation))
    if facts.issued:
        add(d, f"{_DCT}issued", _lit(facts.issued, f"{_XSD}date"))
    add(d, f"{_DCT}modified", _lit(modified, f"{_XSD}date"))
    add(d, f"{_DCAT}version", _lit(version))
    add(d, f"{_OWL}versionInfo", _lit(version))
    add(d, f"{_DCAT}landingPage", _iri(BASE))
    add(d, f"{_FOAF}homepage", _iri(BASE))
    for keyword in ("inclusion body myositis", "intravenous immunoglobulin", "clinical evidence",
                    "knowledge graph"):
        add(d, f"{_DCAT}keyword", _lit(keyword, language="en"))
    add(d, f"{_VOID}uriSpace", _lit(BASE))
    add(d, f"{_VOID}triples", _lit(facts.triples))
    add(d, f"{_VOID}distinctSubjects", _lit(facts.subjects))
    add(d, f"{_VOID}entities", _lit(facts.subjects))
    add(d, f"{_VOID}classes", _lit(len(facts.classes)))
    add(d, f"{_VOID}properties", _lit(len(facts.properties)))
    for study in facts.studies[:examples]:
        add(d, f"{_VOID}exampleResource", _iri(study))
    for vocabulary in facts.vocabularies():
        add(d, f"{_VOID}vocabulary", _iri(vocabulary))
    for n, (cls, count) in enumerate(facts.classes.items()):
        part = _iri(f"{DATASET_IRI}-class-{n + 1}")
        add(d, f"{_VOID}classPartition", part)
        add(part, f"{_VOID}class", _iri(cls))
        add(part, f"{_VOID}entities", _lit(count))
    for n, (prop, count) in enumerate(facts.properties.items()):
        part = _iri(f"{DATASET_IRI}-property-{n + 1}")
        add(d, f"{_VOID}propertyPartition", part)
        add(part, f"{_VOID}property", _iri(prop))
        add(part, f"{_VOID}triples", _lit(count))
    for n, download in enumerate(downloads):
        dist = _iri(f"{DATASET_IRI}-distribution-{n + 1}")
        add(d, f"{_DCAT}distribution", dist)
        add(dist, f"{_RDF}type", _iri(f"{_DCAT}Distribution"))
        add(dist, f"{_DCT}title", _lit(download.title, language="en"))
        add(dist, f"{_DCAT}downloadURL", _iri(download.url))
        add(dist, f"{_DCAT}accessURL", _iri(download.url))
        add(dist, f"{_DCAT}mediaType", _iri(_IANA + download.media_type))
        add(dist, f"{_DCAT}byteSize", _lit(str(download.size), f"{_XSD}nonNegativeInteger"))
        if facts.license:
            add(dist, f"{_DCT}license", _iri(facts.license))
        if download.path.startswith("downloads/kg."):
            add(d, f"{_VOID}dataDump", _iri(download.url))
    if sparql_endpoint:
        service = _iri(f"{DATASET_IRI}-sparql")
        add(d, f"{_VOID}sparqlEndpoint", _iri(sparql_endpoint))
        add(service, f"{_RDF}type", _iri(f"{_DCAT}DataService"))
        add(service, f"{_DCAT}endpointURL", _iri(sparql_endpoint))
        add(service, f"{_DCAT}servesDataset", d)
        add(service, f"{_DCT}title", _lit("SPARQL endpoint", language="en"))
    return out


def void_turtle(triples: Iterable[pyoxigraph.Triple], *, command: str = "ibmkg site") -> str:
    """The description as canonical Turtle.

    :param triples: from :func:`void_triples`.
    :param command: the command named in the header.
    :returns: Turtle.

    >>> void_turtle([]).startswith("# Generated by `ibmkg site`")
    True
    """
    return canonical_turtle(triples, header=f"Generated by `{command}`: VoID and DCAT "
                                            "description of the ibmkg dataset; do not edit.")


def dataset_shape() -> list[pyoxigraph.Triple]:
    """The SHACL shapes for this metadata, written from the DCAT 3 and VoID specifications.

    :returns: the shapes graph (``ibmkg/publish/dataset-shape.ttl``).

    >>> len(dataset_shape()) > 20
    True
    """
    text = resources.files("ibmkg.publish").joinpath("dataset-shape.ttl").read_text("utf-8")
    return parse_turtle(text, source="dataset-shape.ttl")


def schema_org(facts: DatasetFacts, downloads: Sequence[Download], *, version: str,
               modified: str) -> dict[str, Any]:
    """A schema.org ``Dataset`` for the index page (Google Dataset Search reads it).

    :param facts: the graph's facts.
    :param downloads: the files offered.
    :param version: the release.
    :param modified: ISO date of this build.
    :returns: the JSON-LD object.

    >>> schema_org(DatasetFacts(), [], version="1.0", modified="2026-11-30")["@type"]
    'Dataset'
    """
    document: dict[str, Any] = {
        "@context": "https://schema.org/", "@type": "Dataset", "@id": DATASET_IRI,
        "name": facts.title, "description": facts.description, "url": BASE,
        "license": facts.license, "version": version, "dateModified": modified,
        "creator": {"@type": "Organization", "name": facts.creator},
        "keywords": ["inclusion body myositis", "intravenous immunoglobulin",
                     "clinical evidence", "knowledge graph"],
        "isBasedOn": {"@type": "ScholarlyArticle", "@id": _REVIEW,
                      "name": facts.first(_REVIEW, f"{_DCT}title")},
        "citation": facts.citation,
        "distribution": [{"@type": "DataDownload", "name": d.title, "contentUrl": d.url,
                          "encodingFormat": d.media_type, "contentSize": f"{d.size} B"}
                         for d in downloads],
    }
    if facts.issued:
        document["datePublished"] = facts.issued
    return document


def schema_org_script(document: dict[str, Any]) -> str:
    """The JSON of a ``<script type="application/ld+json">`` element, safe inside HTML.

    :param document: a JSON-LD object.
    :returns: the text.

    >>> schema_org_script({"a": "</script>"})
    '{"a": "<\\\\/script>"}'
    """
    return json.dumps(document, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


def write_text(path: Path, text: str) -> int:
    """Write a file (the caller writes into a staging folder) and return its size.

    :param path: the file.
    :param text: its content.
    :returns: bytes written.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_text(pathlib.Path(d) / "a" / "b.txt", "é")
    2
    """
    data = text.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return len(data)
