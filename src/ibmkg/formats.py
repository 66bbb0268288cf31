"""Every output format ibmkg knows, as enums; the CLI's ``--format`` choices come from here.

>>> RdfFormat.TURTLE.extension, RdfFormat.TURTLE.media_type
('.ttl', 'text/turtle')
>>> RdfFormat.from_path(Path("kg/review.ttl"))
<RdfFormat.TURTLE: 'ttl'>
>>> [f.value for f in ResultFormat]
['table', 'csv', 'tsv', 'json', 'xml', 'md', 'json-rows']
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import pyoxigraph

from ibmkg.errors import InputError


class RdfFormat(StrEnum):
    """RDF serializations ibmkg reads and writes."""

    TURTLE = "ttl"
    NTRIPLES = "nt"
    JSONLD = "jsonld"
    TRIG = "trig"
    RDFXML = "xml"

    @property
    def extension(self) -> str:
        """The file extension, with its dot."""
        return f".{self.value}"

    @property
    def media_type(self) -> str:
        """The IANA media type."""
        return _MEDIA_TYPES[self]

    @property
    def is_dataset(self) -> bool:
        """Whether the format keeps named graphs."""
        return self in (RdfFormat.TRIG,)

    @property
    def oxigraph(self) -> pyoxigraph.RdfFormat:
        """The matching :class:`pyoxigraph.RdfFormat`."""
        return _OXIGRAPH[self]

    @classmethod
    def from_path(cls, path: Path) -> RdfFormat:
        """Guess the format from a file extension.

        :param path: a file name.
        :returns: the format.
        :raises InputError: for an unknown extension.
        """
        suffix = path.suffix.lower().lstrip(".")
        aliases = {"turtle": "ttl", "ntriples": "nt", "json": "jsonld", "rdf": "xml", "owl": "xml"}
        try:
            return cls(aliases.get(suffix, suffix))
        except ValueError:
            known = ", ".join(f.extension for f in cls)
            raise InputError(f"{path}: unknown RDF file extension; use one of {known}") from None


_MEDIA_TYPES = {
    RdfFormat.TURTLE: "text/turtle",
    RdfFormat.NTRIPLES: "application/n-triples",
    RdfFormat.JSONLD: "application/ld+json",
    RdfFormat.TRIG: "application/trig",
    RdfFormat.RDFXML: "application/rdf+xml",
}

_OXIGRAPH = {
    RdfFormat.TURTLE: pyoxigraph.RdfFormat.TURTLE,
    RdfFormat.NTRIPLES: pyoxigraph.RdfFormat.N_TRIPLES,
    RdfFormat.JSONLD: pyoxigraph.RdfFormat.JSON_LD,
    RdfFormat.TRIG: pyoxigraph.RdfFormat.TRIG,
    RdfFormat.RDFXML: pyoxigraph.RdfFormat.RDF_XML,
}


class ExportFormat(StrEnum):
    """What ``ibmkg export`` writes: an RDF serialization, or nanopublications (TriG).

    >>> ExportFormat.from_path(Path("kg.jsonld"))
    <ExportFormat.JSONLD: 'jsonld'>
    """

    TURTLE = "ttl"
    NTRIPLES = "nt"
    JSONLD = "jsonld"
    TRIG = "trig"
    RDFXML = "xml"
    NANOPUB = "nanopub"

    @property
    def rdf(self) -> RdfFormat | None:
        """The RDF serialization, or ``None`` for nanopublications."""
        return None if self is ExportFormat.NANOPUB else RdfFormat(self.value)

    @classmethod
    def from_path(cls, path: Path) -> ExportFormat:
        """Pick the format from a file extension (``.ttl``, ``.jsonld``, ``.rdf`` ...).

        :param path: the output file.
        :returns: the format.
        :raises InputError: for an unknown extension.
        """
        return cls(RdfFormat.from_path(path).value)


class ResultFormat(StrEnum):
    """How the rows of a SELECT query are printed.

    ``json``, ``xml``, ``csv`` and ``tsv`` are the W3C SPARQL 1.1 result formats;
    ``table`` and ``md`` are for people; ``json-rows`` is a plain list of JSON objects.
    """

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    XML = "xml"
    MD = "md"
    JSON_ROWS = "json-rows"


class QueryFormat(StrEnum):
    """``ibmkg query --format``: result formats, and RDF formats for CONSTRUCT/DESCRIBE.

    ``xml`` is SPARQL results XML for SELECT and ASK, RDF/XML for CONSTRUCT and DESCRIBE.
    """

    TABLE = "table"
    CSV = "csv"
    TSV = "tsv"
    JSON = "json"
    XML = "xml"
    MD = "md"
    JSON_ROWS = "json-rows"
    TTL = "ttl"
    NT = "nt"
    JSONLD = "jsonld"


class TableFormat(StrEnum):
    """How the review's Table 1 is rendered."""

    MD = "md"
    TSV = "tsv"
    CSV = "csv"
    HTML = "html"


class ReportFormat(StrEnum):
    """How a validation or reasoning report is printed."""

    TEXT = "text"
    JSON = "json"
    TURTLE = "turtle"


class ReasonFormat(StrEnum):
    """How the inferences of ``ibmkg reason`` are printed."""

    TABLE = "table"
    JSON = "json"
    TURTLE = "turtle"


class ReasonerEngine(StrEnum):
    """Reasoners of ``ibmkg reason --engine`` (the values of :class:`ibmkg.reasoning.Engine`)."""

    AUTO = "auto"
    FAST = "fast"
    HERMIT = "hermit"
    OWLRL = "owlrl"


class ValidationEngine(StrEnum):
    """SHACL engines of ``ibmkg validate --engine`` (:class:`ibmkg.validation.Engine`).

    ``compiled`` (the default) runs each shape once over the whole graph as SPARQL on
    pyoxigraph (:mod:`ibmkg.validation.compiled`) and hands any shape it cannot compile to
    pySHACL; ``pyshacl`` runs everything through pySHACL, the reference. Both give the same
    results.

    >>> ValidationEngine("pyshacl") is ValidationEngine.PYSHACL
    True
    """

    COMPILED = "compiled"
    PYSHACL = "pyshacl"


class Backend(StrEnum):
    """The SPARQL stores behind :class:`ibmkg.store.Store`."""

    EMBEDDED = "embedded"
    REMOTE = "remote"


class FormFormat(StrEnum):
    """What ``ibmkg describe`` prints: the curation form or the study's Turtle."""

    YAML = "yaml"
    TURTLE = "ttl"


class SummaryFormat(StrEnum):
    """How ``ibmkg publish`` prints what it changed (one line per role, or a JSON object)."""

    TEXT = "text"
    JSON = "json"
