"""MIREOT import modules: the external terms ibmkg uses, built offline from seed lists.

Each external ontology has a committed seed list ``ontology/imports/<name>_terms.tsv``: a
``#`` YAML block describing the source ontology (``ontology`` IRI, ``title``, ``version``,
``source``) and one row per term with the columns ``id``, ``label``, ``definition``,
``parent``, ``source_note`` and, optionally, ``type`` (``class`` by default,
``annotation-property``, ``object-property``, ``datatype-property`` or ``individual``).
``make imports`` turns each seed list into ``ontology/imports/<name>_import.ttl`` (canonical
Turtle): the term's IRI and type, ``rdfs:label`` exactly as verified, the definition
(``IAO:0000115``) when the list gives one, ``rdfs:subClassOf`` the parent where needed,
``rdfs:isDefinedBy`` the source ontology and the verification note as ``rdfs:comment``; the
module itself is an ``owl:Ontology`` carrying the cited release as ``owl:versionInfo``.
Nothing is downloaded: the seed lists are the source (Minimum Information to Reference an
External Ontology Term, MIREOT).

Specification: https://doi.org/10.3233/AO-2011-0087 (MIREOT)

>>> table = parse_seed_list('''#ontology: http://purl.obolibrary.org/obo/hp.owl
... #title: Human Phenotype Ontology
... #version: "2023-07-21"
... #source: obophenotype/human-phenotype-ontology
... id\\tlabel\\tdefinition\\tparent\\tsource_note
... HP:0002015\\tDysphagia\\t\\t\\tverified
... ''', name="hp")
>>> table.terms[0].iri
'http://purl.obolibrary.org/obo/HP_0002015'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import pyoxigraph

from ibmkg.canonical import canonical_turtle
from ibmkg.curie import expand, normalize_curie
from ibmkg.errors import CurieError
from ibmkg.namespaces import PREFIXES
from ibmkg.paths import IMPORTS_GRAPH_BASE, Layout
from ibmkg.tabular import Table, TableError, parse_table, read_table

__all__ = [
    "EXTERNAL_NAMESPACES",
    "SEED_COLUMNS",
    "SEED_SUFFIX",
    "ImportModule",
    "SeedTerm",
    "TermType",
    "build_import",
    "declared_terms",
    "external_iris",
    "import_turtle",
    "load_modules",
    "module_path",
    "parse_seed_list",
    "read_seed_list",
    "seed_lists",
    "write_imports",
]

#: The file-name ending of a seed list; ``<name>_terms.tsv`` gives ``<name>_import.ttl``.
SEED_SUFFIX = "_terms.tsv"
#: The columns every seed list has (``type`` is optional).
SEED_COLUMNS = ("id", "label", "definition", "parent", "source_note")
_METADATA = ("ontology", "title", "version", "source")

#: Namespaces of external ontologies: any IRI in them that ibmkg uses must be declared, with
#: a label, by an import module (OBO PURLs, MeSH, Orphanet).
EXTERNAL_NAMESPACES = ("http://purl.obolibrary.org/obo/", PREFIXES["MESH"], PREFIXES["Orphanet"])

_DEMO = (  # a one-term seed list for the examples
    "#ontology: http://purl.obolibrary.org/obo/uo.owl\n#title: Units of measurement ontology\n"
    "#version: '2026-01-16'\n#source: bio-ontology-research-group/unit-ontology:uo.obo\n"
    "id\tlabel\tdefinition\tparent\tsource_note\nUO:0000035\tmonth\t\t\tverified\n"
)

_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_OWL = "http://www.w3.org/2002/07/owl#"
_DCTERMS = "http://purl.org/dc/terms/"
_DEFINITION = PREFIXES["IAO"] + "0000115"


class TermType(StrEnum):
    """The OWL entity type of an imported term."""

    CLASS = "class"
    ANNOTATION_PROPERTY = "annotation-property"
    OBJECT_PROPERTY = "object-property"
    DATATYPE_PROPERTY = "datatype-property"
    INDIVIDUAL = "individual"

    @property
    def owl_type(self) -> str:
        """The ``rdf:type`` IRI of this kind of entity."""
        return _OWL + {
            "class": "Class",
            "annotation-property": "AnnotationProperty",
            "object-property": "ObjectProperty",
            "datatype-property": "DatatypeProperty",
            "individual": "NamedIndividual",
        }[self.value]


@dataclass(frozen=True)
class SeedTerm:
    """One external term to import.

    :param curie: its CURIE, with the preferred prefix.
    :param iri: its IRI.
    :param label: its label, exactly as in the verified source.
    :param definition: its definition, or ``""``.
    :param parent: the CURIE of its parent class, or ``""``.
    :param source_note: where it was verified (and how firmly).
    :param type: its OWL entity type.
    :param row: the seed-list row it comes from.
    """

    curie: str
    iri: str
    label: str
    definition: str
    parent: str
    source_note: str
    type: TermType
    row: int


@dataclass(frozen=True)
class ImportModule:
    """A parsed seed list: the source ontology and its terms.

    :param name: the module name (``hp`` for ``hp_terms.tsv``).
    :param source: the seed list, as shown in messages.
    :param ontology: the IRI of the source ontology (``rdfs:isDefinedBy`` of each term).
    :param title: the source ontology's title.
    :param version: the release the verification cites.
    :param provenance: the repository and files the terms were read from.
    :param terms: the terms, in seed-list order.
    """

    name: str
    source: str
    ontology: str
    title: str
    version: str
    provenance: str
    terms: tuple[SeedTerm, ...]

    @property
    def iri(self) -> str:
        """The module's own ontology IRI (also its named graph)."""
        return f"{IMPORTS_GRAPH_BASE}{self.name}_import"


def parse_seed_list(text: str, *, name: str, source: str | None = None) -> ImportModule:
    """Parse a seed list.

    :param text: the TSV text.
    :param name: the module name.
    :param source: the file name for messages.
    :returns: the module description.
    :raises TableError: for a missing metadata key or column, an unknown prefix, a
        duplicate id, an empty label or an unknown type (naming the row).
    """
    display = source or f"{name}{SEED_SUFFIX}"
    table = parse_table(text, source=display, required=SEED_COLUMNS)
    return _module(table, name)


def read_seed_list(path: Path, *, display: str | None = None) -> ImportModule:
    """Read and parse a seed list file.

    :param path: ``ontology/imports/<name>_terms.tsv``.
    :param display: the name used in messages.
    :returns: the module description.
    :raises TableError: when the list is malformed.
    """
    name = path.name.removesuffix(SEED_SUFFIX)
    return _module(read_table(path, display=display, required=SEED_COLUMNS), name)


def _module(table: Table, name: str) -> ImportModule:
    meta = table.metadata
    for key in _METADATA:
        if not str(meta.get(key, "")).strip():
            raise table.error(None, f"metadata key {key!r} is missing; add '#{key}: ...'")
    terms: list[SeedTerm] = []
    seen: dict[str, int] = {}
    for row in table:
        try:
            curie = normalize_curie(row.get("id"))
            iri = expand(curie)
            parent = normalize_curie(row.get("parent")) if row.get("parent") else ""
        except CurieError as err:
            raise table.error(row, str(err)) from None
        if curie in seen:
            raise table.error(row, f"{curie} is listed twice (first in row {seen[curie]})")
        seen[curie] = row.number
        label = row.get("label")
        if not label:
            raise table.error(row, f"{curie} has no label; copy it from the verified source")
        if not row.get("source_note"):
            raise table.error(row, f"{curie} has no source_note; say where it was verified")
        try:
            kind = TermType(row.get("type") or "class")
        except ValueError:
            kinds = ", ".join(t.value for t in TermType)
            raise table.error(row, f"unknown type {row.get('type')!r} (use one of {kinds})") \
                from None
        terms.append(SeedTerm(curie, iri, label, row.get("definition"), parent,
                              row.get("source_note"), kind, row.number))
    return ImportModule(name, table.source, str(meta["ontology"]).strip(),
                        str(meta["title"]).strip(), str(meta["version"]).strip(),
                        str(meta["source"]).strip(), tuple(terms))


def build_import(module: ImportModule) -> list[pyoxigraph.Triple]:
    """Build the triples of an import module.

    :param module: the parsed seed list.
    :returns: the module's triples.

    >>> len(build_import(parse_seed_list(_DEMO, name="uo")))
    9
    """
    nn = pyoxigraph.NamedNode
    lit = pyoxigraph.Literal
    triples = []
    head = nn(module.iri)
    triples += [
        pyoxigraph.Triple(head, nn(_RDF + "type"), nn(_OWL + "Ontology")),
        pyoxigraph.Triple(head, nn(_DCTERMS + "title"),
                          lit(f"{module.title}: the terms ibmkg uses (MIREOT module)",
                              language="en")),
        pyoxigraph.Triple(head, nn(_DCTERMS + "source"), nn(module.ontology)),
        pyoxigraph.Triple(head, nn(_OWL + "versionInfo"), lit(module.version)),
        pyoxigraph.Triple(head, nn(_RDFS + "comment"),
                          lit(f"Generated by `make imports` from {module.source}. "
                              f"Terms verified in {module.provenance}.", language="en")),
    ]
    for term in module.terms:
        subject = nn(term.iri)
        triples += [
            pyoxigraph.Triple(subject, nn(_RDF + "type"), nn(term.type.owl_type)),
            pyoxigraph.Triple(subject, nn(_RDFS + "label"), lit(term.label)),
            pyoxigraph.Triple(subject, nn(_RDFS + "isDefinedBy"), nn(module.ontology)),
            pyoxigraph.Triple(subject, nn(_RDFS + "comment"), lit(term.source_note)),
        ]
        if term.definition:
            triples.append(pyoxigraph.Triple(subject, nn(_DEFINITION), lit(term.definition)))
        if term.parent:
            triples.append(pyoxigraph.Triple(subject, nn(_RDFS + "subClassOf"),
                                             nn(expand(term.parent))))
    return triples


def import_turtle(module: ImportModule) -> str:
    """Write an import module as canonical Turtle with its "generated" header.

    :param module: the parsed seed list.
    :returns: the Turtle text.

    >>> print(import_turtle(parse_seed_list(_DEMO, name="uo")).splitlines()[0])
    # Generated from uo_terms.tsv by make imports; do not edit.
    """
    header = (f"Generated from {Path(module.source).name} by make imports; do not edit.\n"
              f"{module.title}, release cited: {module.version}.")
    return canonical_turtle(build_import(module), header=header)


def seed_lists(layout: Layout) -> list[Path]:
    """List the seed lists of a project, sorted.

    :param layout: the project layout.
    :returns: ``ontology/imports/*_terms.tsv``.
    """
    if not layout.imports.is_dir():
        return []
    return sorted(layout.imports.glob(f"*{SEED_SUFFIX}"))


def module_path(seed: Path) -> Path:
    """Return the import module generated from a seed list.

    :param seed: ``<dir>/<name>_terms.tsv``.
    :returns: ``<dir>/<name>_import.ttl``.

    >>> module_path(Path("ontology/imports/hp_terms.tsv")).as_posix()
    'ontology/imports/hp_import.ttl'
    """
    return seed.with_name(seed.name.removesuffix(SEED_SUFFIX) + "_import.ttl")


def write_imports(layout: Layout, *, check: bool = False) -> list[Path]:
    """Generate every import module from its seed list.

    :param layout: the project layout.
    :param check: only compare; write nothing.
    :returns: the modules that were (or, with ``check``, would be) changed.
    :raises TableError: when a seed list is malformed.
    """
    from ibmkg.graph_io import atomic_write

    changed = []
    for seed in seed_lists(layout):
        module = read_seed_list(seed, display=layout.relative(seed).as_posix())
        target = module_path(seed)
        text = import_turtle(module)
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current != text:
            changed.append(target)
            if not check:
                atomic_write(target, text)
    return changed


def declared_terms(modules: Iterable[ImportModule]) -> dict[str, SeedTerm]:
    """Index the terms of several modules by IRI.

    :param modules: parsed seed lists.
    :returns: IRI -> term.
    :raises TableError: when two modules declare the same IRI.
    """
    found: dict[str, SeedTerm] = {}
    owner: dict[str, str] = {}
    for module in modules:
        for term in module.terms:
            if term.iri in found:
                raise TableError(module.source, 0, term.row, f"{term.curie} is already "
                                 f"declared by {owner[term.iri]}; keep one seed row")
            found[term.iri] = term
            owner[term.iri] = module.source
    return found


def load_modules(layout: Layout, names: Sequence[str] = ()) -> list[ImportModule]:
    """Parse the seed lists of a project.

    :param layout: the project layout.
    :param names: only these modules (all when empty).
    :returns: the parsed seed lists.
    """
    return [read_seed_list(seed, display=layout.relative(seed).as_posix())
            for seed in seed_lists(layout)
            if not names or seed.name.removesuffix(SEED_SUFFIX) in names]


def external_iris(triples: Iterable[pyoxigraph.Triple]) -> set[str]:
    """Collect the external-ontology IRIs a graph uses, in any position (datatypes included).

    :param triples: the graph.
    :returns: the IRIs in :data:`EXTERNAL_NAMESPACES`.

    >>> from ibmkg.graph_io import parse_turtle
    >>> sorted(external_iris(parse_turtle(
    ...     '<https://w3id.org/ibmkg/vocab/outcome/dysphagia> '
    ...     '<http://www.w3.org/2004/02/skos/core#exactMatch> '
    ...     '<http://purl.obolibrary.org/obo/HP_0002015> .')))
    ['http://purl.obolibrary.org/obo/HP_0002015']
    """
    found: set[str] = set()
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            iri = None
            if isinstance(term, pyoxigraph.NamedNode):
                iri = term.value
            elif isinstance(term, pyoxigraph.Literal):
                iri = term.datatype.value
            if iri is not None and iri.startswith(EXTERNAL_NAMESPACES):
                found.add(iri)
    return found
