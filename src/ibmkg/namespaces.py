"""The one prefix map of ibmkg.

Every prefix used by the code, the Turtle files, the stored queries and the JSON-LD context
comes from :data:`PREFIXES`. External ontology prefixes follow the Bioregistry's preferred
prefixes (``MONDO``, ``HP``, ``OBI`` ...), expanding to OBO PURLs.

>>> PREFIXES["study"]
'https://w3id.org/ibmkg/study/'
>>> from ibmkg.namespaces import IBMKG  # built on first use
>>> str(IBMKG.Study)
'https://w3id.org/ibmkg/ontology/Study'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from rdflib import Namespace

BASE: Final = "https://w3id.org/ibmkg/"

#: ibmkg's own namespaces, then W3C and community vocabularies, then OBO ontologies.
PREFIXES: Final[dict[str, str]] = {
    # ibmkg
    "ibmkg": f"{BASE}ontology/",
    "study": f"{BASE}study/",
    "pub": f"{BASE}publication/",
    "review": f"{BASE}review/",
    "measure": f"{BASE}vocab/measure/",
    "outcome": f"{BASE}vocab/outcome/",
    "weakness": f"{BASE}vocab/weakness/",
    "shape": f"{BASE}shapes/",
    # W3C and community vocabularies
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "bibo": "http://purl.org/ontology/bibo/",
    "fabio": "http://purl.org/spar/fabio/",
    "schema": "https://schema.org/",
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vann": "http://purl.org/vocab/vann/",
    "semapv": "https://w3id.org/semapv/vocab/",
    # SSSOM and Wikidata: "sssom" and "wikidata" as in the Bioregistry's context export;
    # "wdt" (direct claims) is the Wikidata Query Service's own prefix.
    "sssom": "https://w3id.org/sssom/",
    "wikidata": "http://www.wikidata.org/entity/",
    "wdt": "http://www.wikidata.org/prop/direct/",
    # OBO and other biomedical ontologies (Bioregistry preferred prefixes)
    "MONDO": "http://purl.obolibrary.org/obo/MONDO_",
    "HP": "http://purl.obolibrary.org/obo/HP_",
    "NCIT": "http://purl.obolibrary.org/obo/NCIT_",
    "OBI": "http://purl.obolibrary.org/obo/OBI_",
    "MAXO": "http://purl.obolibrary.org/obo/MAXO_",
    "CHEBI": "http://purl.obolibrary.org/obo/CHEBI_",
    "UO": "http://purl.obolibrary.org/obo/UO_",
    "IAO": "http://purl.obolibrary.org/obo/IAO_",
    "ECO": "http://purl.obolibrary.org/obo/ECO_",
    "SEPIO": "http://purl.obolibrary.org/obo/SEPIO_",
    "OGMS": "http://purl.obolibrary.org/obo/OGMS_",
    "STATO": "http://purl.obolibrary.org/obo/STATO_",
    "PATO": "http://purl.obolibrary.org/obo/PATO_",
    "DOID": "http://purl.obolibrary.org/obo/DOID_",
    "GO": "http://purl.obolibrary.org/obo/GO_",
    "CL": "http://purl.obolibrary.org/obo/CL_",
    "UBERON": "http://purl.obolibrary.org/obo/UBERON_",
    "MESH": "http://id.nlm.nih.gov/mesh/",
    "Orphanet": "http://www.orpha.net/ORDO/Orphanet_",
}

#: rdflib namespaces, built on first use so that importing this module does not import rdflib
#: (the compiled validator and ``ibmkg --help`` never need it).
_NAMESPACES: Final = {"IBMKG": "ibmkg", "STUDY": "study", "PUB": "pub", "REVIEW": "review",
                      "MEASURE": "measure", "OUTCOME": "outcome", "WEAKNESS": "weakness",
                      "PROV": "prov", "BIBO": "bibo", "SCHEMA": "schema", "IAO": "IAO"}

if TYPE_CHECKING:
    IBMKG: Namespace
    STUDY: Namespace
    PUB: Namespace
    REVIEW: Namespace
    MEASURE: Namespace
    OUTCOME: Namespace
    WEAKNESS: Namespace
    PROV: Namespace
    BIBO: Namespace
    SCHEMA: Namespace
    IAO: Namespace


def __getattr__(name: str) -> Namespace:
    """Build ``IBMKG``, ``STUDY`` ... (rdflib namespaces) on first use."""
    if name not in _NAMESPACES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from rdflib import Namespace

    namespace = Namespace(PREFIXES[_NAMESPACES[name]])
    globals()[name] = namespace
    return namespace

# --- compacting and expanding (helpers; the map above is the single source) ----------------

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = "%[0-9A-Fa-f]{2}"
#: The Turtle and SPARQL ``PN_LOCAL`` production, without backslash escapes.
PN_LOCAL: Final = re.compile(
    f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
)

_BY_LENGTH: Final = sorted(PREFIXES.items(), key=lambda item: (-len(item[1]), item[0]))


def curie_for(iri: str, prefixes: Mapping[str, str] = PREFIXES) -> str | None:
    """Compact an IRI with the longest matching namespace, if the result is a valid CURIE.

    The local part must be a Turtle ``PN_LOCAL`` written without backslash escapes, so the
    CURIE can be pasted into Turtle or SPARQL as it is.

    :param iri: a full IRI.
    :param prefixes: the prefix map; :data:`PREFIXES` by default.
    :returns: ``prefix:local``, or ``None`` when no namespace fits.

    >>> curie_for("http://purl.obolibrary.org/obo/MONDO_0007827")
    'MONDO:0007827'
    >>> curie_for("https://w3id.org/ibmkg/ontology/")
    'ibmkg:'
    >>> curie_for("https://w3id.org/ibmkg/study/a/b") is None
    True
    """
    if prefixes is PREFIXES:
        return _curie_for_default(iri)
    return _compact(iri, sorted(prefixes.items(), key=lambda item: (-len(item[1]), item[0])))


@lru_cache(maxsize=65536)
def _curie_for_default(iri: str) -> str | None:
    """:func:`curie_for` with :data:`PREFIXES`, remembered (reports repeat the same IRIs)."""
    return _compact(iri, _BY_LENGTH)


def _compact(iri: str, items: Iterable[tuple[str, str]]) -> str | None:
    for prefix, namespace in items:
        if iri.startswith(namespace):
            local = iri[len(namespace) :]
            if not local or PN_LOCAL.fullmatch(local):
                return f"{prefix}:{local}"
    return None


def expand_curie(curie: str, prefixes: Mapping[str, str] = PREFIXES) -> str | None:
    """Expand ``prefix:local`` with the prefix map.

    :param curie: a compact IRI.
    :param prefixes: the prefix map; :data:`PREFIXES` by default.
    :returns: the full IRI, or ``None`` when the prefix is unknown.

    >>> expand_curie("HP:0003701")
    'http://purl.obolibrary.org/obo/HP_0003701'
    >>> expand_curie("nope:x") is None
    True
    """
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in prefixes:
        return None
    return prefixes[prefix] + local
