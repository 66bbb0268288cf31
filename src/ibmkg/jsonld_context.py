"""The JSON-LD context ``ontology/context.jsonld``, generated from the prefix map and ontology.

The context has one entry per prefix of :data:`ibmkg.namespaces.PREFIXES` (OBO namespaces
such as ``http://purl.obolibrary.org/obo/HP_`` do not end in a gen-delim character, so they
are written ``{"@id": ..., "@prefix": true}`` as JSON-LD 1.1 requires for ``HP:0002015`` to
expand), a few short keys (``id``, ``type``, ``label``, the SKOS labels and mapping
properties) and one short key per ibmkg object or datatype property: object properties get
``"@type": "@id"``; datatype properties whose range is not ``xsd:string`` get that
datatype (``patientCount`` -> ``xsd:integer``). ``make context`` writes it; a test fails
when it is out of step with the prefix map or the ontology.

Specification: https://www.w3.org/TR/json-ld11/#the-context

>>> ctx = build_context([])["@context"]
>>> ctx["HP"]
{'@id': 'http://purl.obolibrary.org/obo/HP_', '@prefix': True}
>>> ctx["ibmkg"], ctx["exactMatch"]
('https://w3id.org/ibmkg/ontology/', {'@id': 'skos:exactMatch', '@type': '@id'})
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pyoxigraph

from ibmkg.namespaces import PREFIXES
from ibmkg.paths import Layout

__all__ = ["FIXED_TERMS", "build_context", "context_text", "property_terms", "write_context"]

_GEN_DELIMS = (":", "/", "?", "#", "[", "]", "@")
_RDF_TYPE = PREFIXES["rdf"] + "type"
_RANGE = PREFIXES["rdfs"] + "range"
_OWL = PREFIXES["owl"]
_XSD = PREFIXES["xsd"]
_IBMKG = PREFIXES["ibmkg"]

#: Short keys that are not ibmkg properties.
FIXED_TERMS: dict[str, Any] = {
    "id": "@id",
    "type": "@type",
    "label": {"@id": "rdfs:label"},
    "comment": {"@id": "rdfs:comment"},
    "prefLabel": {"@id": "skos:prefLabel"},
    "altLabel": {"@id": "skos:altLabel"},
    "definition": {"@id": "IAO:0000115"},
    "broader": {"@id": "skos:broader", "@type": "@id"},
    "inScheme": {"@id": "skos:inScheme", "@type": "@id"},
    "exactMatch": {"@id": "skos:exactMatch", "@type": "@id"},
    "closeMatch": {"@id": "skos:closeMatch", "@type": "@id"},
    "broadMatch": {"@id": "skos:broadMatch", "@type": "@id"},
    "narrowMatch": {"@id": "skos:narrowMatch", "@type": "@id"},
    "relatedMatch": {"@id": "skos:relatedMatch", "@type": "@id"},
    "title": {"@id": "dcterms:title"},
    "quotedText": {"@id": "ibmkg:quotedText"},
}


def property_terms(ontology: Iterable[pyoxigraph.Triple]) -> dict[str, Any]:
    """Build one short key per ibmkg object or datatype property.

    :param ontology: the triples of ``ontology/ibmkg.ttl``.
    :returns: local name -> term definition, sorted by key.

    >>> from ibmkg.graph_io import parse_turtle
    >>> property_terms(parse_turtle('''@prefix ibmkg: <https://w3id.org/ibmkg/ontology/> .
    ... @prefix owl: <http://www.w3.org/2002/07/owl#> .
    ... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    ... @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    ... ibmkg:hasArm a owl:ObjectProperty .
    ... ibmkg:patientCount a owl:DatatypeProperty ; rdfs:range xsd:integer .'''))["patientCount"]
    {'@id': 'ibmkg:patientCount', '@type': 'xsd:integer'}
    """
    kinds: dict[str, set[str]] = {}
    ranges: dict[str, str] = {}
    for t in ontology:
        subject = t.subject
        if not isinstance(subject, pyoxigraph.NamedNode) or not subject.value.startswith(_IBMKG):
            continue
        if t.predicate.value == _RDF_TYPE and isinstance(t.object, pyoxigraph.NamedNode):
            kinds.setdefault(subject.value, set()).add(t.object.value)
        elif t.predicate.value == _RANGE and isinstance(t.object, pyoxigraph.NamedNode):
            ranges[subject.value] = t.object.value
    terms: dict[str, Any] = {}
    for iri, types in kinds.items():
        local = iri[len(_IBMKG):]
        if not local:
            continue
        if _OWL + "ObjectProperty" in types:
            terms[local] = {"@id": f"ibmkg:{local}", "@type": "@id"}
        elif _OWL + "DatatypeProperty" in types:
            datatype = ranges.get(iri, "")
            term: dict[str, str] = {"@id": f"ibmkg:{local}"}
            if datatype.startswith(_XSD) and datatype != _XSD + "string":
                term["@type"] = "xsd:" + datatype[len(_XSD):]
            terms[local] = term
    return dict(sorted(terms.items()))


def build_context(ontology: Iterable[pyoxigraph.Triple]) -> dict[str, Any]:
    """Build the whole context document.

    :param ontology: the ontology's triples (for the property keys).
    :returns: ``{"@context": {...}}``.
    :raises ValueError: when a property's short key collides with a prefix or a fixed key.
    """
    context: dict[str, Any] = {"@version": 1.1}
    for prefix in sorted(PREFIXES, key=lambda p: (p.lower(), p)):
        namespace = PREFIXES[prefix]
        context[prefix] = (namespace if namespace.endswith(_GEN_DELIMS)
                           else {"@id": namespace, "@prefix": True})
    for key, value in FIXED_TERMS.items():
        context[key] = value
    for key, value in property_terms(ontology).items():
        if key in context and context[key] != value:
            raise ValueError(f"the ibmkg property {key!r} collides with the context key {key!r}")
        context[key] = value
    return {"@context": context}


def context_text(ontology: Iterable[pyoxigraph.Triple]) -> str:
    """Serialize the context deterministically (2-space indent, trailing newline).

    :param ontology: the ontology's triples.
    :returns: the JSON text.

    >>> context_text([]).splitlines()[:3]
    ['{', '  "@context": {', '    "@version": 1.1,']
    """
    return json.dumps(build_context(ontology), indent=2, ensure_ascii=False) + "\n"


def write_context(layout: Layout, *, check: bool = False) -> bool:
    """Regenerate ``ontology/context.jsonld``.

    :param layout: the project layout.
    :param check: only compare; write nothing.
    :returns: whether the file was (or, with ``check``, would be) changed.
    """
    from ibmkg.graph_io import atomic_write, load_turtle

    text = context_text(load_turtle(layout.ontology,
                                    display=layout.relative(layout.ontology).as_posix()))
    current = layout.context.read_text(encoding="utf-8") if layout.context.is_file() else None
    if current == text:
        return False
    if not check:
        atomic_write(layout.context, text)
    return True
