"""One nanopublication per finding, with trusty URIs: the only module that imports ``nanopub``.

Each nanopublication holds, in its four graphs:

* **assertion**: the finding's own triples and the ``ibmkg:hasFinding`` link from its study;
* **provenance**: the assertion was derived from the review letter and from the study's
  original publication, quoted from the letter, with the letter's words and the Table I
  column they come from;
* **publication info**: licence (the data's, from the ontology header), creator, creation
  time and a label.

The trusty URI (``http://purl.org/np/RA…``) is computed with the nanopub library's own hasher
and checked with its own verifier (:func:`verify`). Signing is optional: with a private RSA
key (and the signer's ORCID) the library signs each nanopublication before the URI is fixed.
Nothing is published: this module never reaches the network.

Spec: https://nanopub.net/guidelines/working_draft/ and https://arxiv.org/abs/1401.5775
(trusty URIs).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pyoxigraph

from ibmkg.errors import IbmkgError, InputError
from ibmkg.graph_io import to_rdflib_graph
from ibmkg.namespaces import PREFIXES

__all__ = ["NanopubError", "NanopubRecord", "finding_nanopubs", "nanopub_trig", "verify"]

_IBMKG, _PROV, _DCT = PREFIXES["ibmkg"], PREFIXES["prov"], PREFIXES["dcterms"]
_RDF, _RDFS, _XSD = PREFIXES["rdf"], PREFIXES["rdfs"], PREFIXES["xsd"]
_REVIEW: Final = f"{PREFIXES['review']}fontanelli-2024"
_NP: Final = "http://www.nanopub.org/nschema#"


class NanopubError(IbmkgError):
    """A nanopublication failed the nanopub library's checks (malformed, bad trusty URI)."""


@dataclass(frozen=True)
class NanopubRecord:
    """One nanopublication.

    :param finding: the finding it publishes.
    :param uri: its trusty URI.
    :param trig: the nanopublication as TriG.
    """

    finding: str
    uri: str
    trig: str


def _objects(triples: list[pyoxigraph.Triple], subject: str, predicate: str) -> list[Any]:
    return [t.object for t in triples
            if isinstance(t.subject, pyoxigraph.NamedNode) and t.subject.value == subject
            and t.predicate.value == predicate]


def _rdflib(term: Any) -> Any:
    graph = to_rdflib_graph([pyoxigraph.Triple(pyoxigraph.NamedNode("urn:x:s"),
                                               pyoxigraph.NamedNode("urn:x:p"), term)])
    return next(iter(graph.objects()))


def finding_nanopubs(triples: Iterable[pyoxigraph.Triple], *, created: str,
                     creator: str = f"{_IBMKG}curators", sign_key: Path | None = None,
                     orcid: str | None = None, name: str | None = None) -> list[NanopubRecord]:
    """Make one nanopublication per ``ibmkg:hasFinding`` object of the graph.

    :param triples: the merged graph.
    :param created: the creation time (``xsd:dateTime`` lexical form).
    :param creator: the IRI named as ``dcterms:creator`` of each nanopublication.
    :param sign_key: a private RSA key file (as the nanopub library writes them) to sign with.
    :param orcid: the signer's ORCID IRI (required with ``sign_key``).
    :param name: the signer's name (required with ``sign_key``).
    :returns: the nanopublications, ordered by finding IRI.
    :raises InputError: when a key is given without ORCID and name, or cannot be read.
    :raises NanopubError: when a nanopublication fails the library's checks.
    """
    from nanopub.nanopub import Nanopub
    from nanopub.nanopub_conf import NanopubConf
    from nanopub.profile import Profile
    from nanopub.sign_utils import replace_trusty_in_graph
    from nanopub.trustyuri.rdf import RdfHasher, RdfUtils
    from rdflib import Literal, URIRef
    from rdflib.namespace import XSD

    profile = None
    if sign_key is not None:
        if not orcid or not name:
            raise InputError("signing needs --orcid and --name with --sign-key")
        try:
            profile = Profile(orcid_id=orcid, name=name, private_key=sign_key)
        except Exception as err:  # the library raises bare exceptions for unreadable keys
            raise InputError(f"{sign_key}: cannot read the private key ({err})") from None
    graph = sorted(set(triples), key=str)
    licence = [o for o in _objects(graph, _IBMKG, f"{_DCT}license")]
    findings = sorted({(t.subject.value, t.object.value) for t in graph
                       if t.predicate.value == f"{_IBMKG}hasFinding"
                       and isinstance(t.subject, pyoxigraph.NamedNode)
                       and isinstance(t.object, pyoxigraph.NamedNode)}, key=lambda x: x[1])
    records = []
    for study, finding in findings:
        assertion = [t for t in graph if isinstance(t.subject, pyoxigraph.NamedNode)
                     and t.subject.value == finding]
        assertion.append(pyoxigraph.Triple(pyoxigraph.NamedNode(study),
                                           pyoxigraph.NamedNode(f"{_IBMKG}hasFinding"),
                                           pyoxigraph.NamedNode(finding)))
        conf = NanopubConf(profile=profile)
        nanopub = Nanopub(assertion=to_rdflib_graph(assertion), conf=conf)
        meta = nanopub.metadata
        a, this = meta.assertion, meta.np_uri
        prov = nanopub.provenance
        prov.add((a, URIRef(f"{_PROV}wasDerivedFrom"), URIRef(_REVIEW)))
        prov.add((a, URIRef(f"{_PROV}wasQuotedFrom"), URIRef(_REVIEW)))
        for publication in _objects(graph, study, f"{_IBMKG}reportedIn"):
            prov.add((a, URIRef(f"{_PROV}wasDerivedFrom"), _rdflib(publication)))
        for quote in _objects(graph, finding, f"{_IBMKG}quotedText"):
            prov.add((a, URIRef(f"{_IBMKG}quotedText"), _rdflib(quote)))
        for part in _objects(graph, finding, f"{_IBMKG}sourcePart"):
            prov.add((a, URIRef(f"{_IBMKG}sourcePart"), _rdflib(part)))
        info = nanopub.pubinfo
        for term in licence:
            info.add((this, URIRef(f"{_DCT}license"), _rdflib(term)))
        info.add((this, URIRef(f"{_DCT}creator"), URIRef(creator)))
        info.add((this, URIRef(f"{_DCT}created"), Literal(created, datatype=XSD.dateTime)))
        for label in _objects(graph, finding, f"{_RDFS}label"):
            info.add((this, URIRef(f"{_RDFS}label"), _rdflib(label)))
        try:
            if profile is not None:
                nanopub.sign()
            else:
                namespace = str(meta.namespace)
                quads = RdfUtils.get_quads(nanopub.rdf)  # type: ignore[no-untyped-call]
                artefact = RdfHasher.make_hash(quads,
                                               baseuri=namespace, hashstr=" ")
                nanopub.update_from_signed(replace_trusty_in_graph(artefact, namespace,
                                                                   nanopub.rdf))
            if not (nanopub.is_valid and nanopub.has_valid_trusty):
                raise NanopubError(f"{finding}: the nanopub library rejects its nanopublication")
        except NanopubError:
            raise
        except Exception as err:  # the library raises MalformedNanopubError and bare errors
            raise NanopubError(f"{finding}: {err}") from err
        for prefix in ("ibmkg", "study", "pub", "review", "measure", "outcome", "weakness"):
            nanopub.rdf.bind(prefix, PREFIXES[prefix], replace=True)
        records.append(NanopubRecord(finding, str(nanopub.source_uri),
                                     nanopub.rdf.serialize(format="trig")))
    return records


def nanopub_trig(records: Iterable[NanopubRecord], *, command: str) -> str:
    """The nanopublications as one TriG document (prefixes may be redeclared in TriG).

    :param records: from :func:`finding_nanopubs`.
    :param command: the command named in the header.
    :returns: TriG.

    >>> nanopub_trig([], command="ibmkg export --format nanopub").startswith("# Generated")
    True
    """
    parts = [f"# Generated by `{command}`: one nanopublication per finding; do not edit.\n"]
    parts += [f"# {r.finding}\n{r.trig}" for r in records]
    return "\n".join(parts)


def verify(trig: str) -> list[str]:
    """Check every nanopublication of a TriG document with the nanopub library.

    :param trig: TriG holding one or more nanopublications.
    :returns: their URIs, in document order of their head graphs.
    :raises NanopubError: when one is malformed, its trusty URI does not match its content,
        or its signature (when signed) does not verify.

    >>> verify("")
    []
    """
    from nanopub.nanopub import Nanopub
    from rdflib import ConjunctiveGraph, Dataset, URIRef

    dataset = Dataset()
    dataset.parse(data=trig, format="trig")
    heads = sorted({(str(s), str(g)) for s, _, _, g in dataset.quads(
        (None, URIRef(f"{_RDF}type"), URIRef(f"{_NP}Nanopublication"), None))})
    uris = []
    for uri, head in heads:
        parts = [URIRef(head)] + [URIRef(str(o)) for o in dataset.graph(URIRef(head)).objects(
            URIRef(uri), None) if str(o) != f"{_NP}Nanopublication"]
        single = ConjunctiveGraph()
        for name in parts:
            for s, p, o in dataset.graph(name):
                single.add((s, p, o, single.get_context(name)))
        try:
            nanopub = Nanopub(rdf=single)
            if not (nanopub.is_valid and nanopub.has_valid_trusty):
                raise NanopubError(f"{uri}: rejected by the nanopub library")
            if nanopub.metadata.signature is not None and not nanopub.has_valid_signature:
                raise NanopubError(f"{uri}: the signature does not verify")
        except NanopubError:
            raise
        except Exception as err:  # MalformedNanopubError and others
            raise NanopubError(f"{uri}: {err}") from err
        uris.append(uri)
    return uris
