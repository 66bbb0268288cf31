"""The SSSOM mapping set: ibmkg's concepts aligned to external ontology terms.

``ontology/mappings.sssom.tsv`` is the one hand-edited source. It is read here without the
``sssom`` package (the :mod:`csv` module and the YAML header), checked against the project's
rules, and turned into RDF: each row gives the SKOS mapping triple ``subject predicate
object`` plus an ``owl:Axiom`` annotating it with the justification, confidence, author and
comment, all hanging off the mapping set (``sssom:mappings``). ``make mappings`` writes that
graph to ``ontology/mappings.ttl`` (canonical Turtle); :func:`mapping_triples` is also what
:func:`ibmkg.graph_io.load_project` calls to load the mappings into the store.

Rules checked when reading (each failure names the file, line and row):

- the metadata has ``curie_map``, ``mapping_set_id`` (:data:`MAPPING_SET_ID`),
  ``mapping_set_version``, ``license`` and ``creator_id``; every ``curie_map`` entry equals
  :data:`ibmkg.namespaces.PREFIXES` and every prefix used in a row is in the ``curie_map``;
- ``predicate_id`` is one of the SKOS mapping properties, ``mapping_justification`` is
  ``semapv:ManualMappingCuration``, ``confidence`` is a number between 0 and 1;
- the subject is an ibmkg concept, the object an external term;
- the comment starts with the verification status of the object (``VERIFIED``,
  ``VERIFIED-map`` or ``SECONDARY``); a ``SECONDARY`` object is at most a ``closeMatch``
  (``closeMatch`` or ``relatedMatch``) with a confidence of at most 0.6;
- no mapping is listed twice, and a subject-object pair has one predicate.

Specification: https://mapping-commons.github.io/sssom/

>>> ms = parse_mapping_set(EXAMPLE)
>>> [(m.subject_curie, m.predicate_curie, m.object_curie) for m in ms.mappings]
[('outcome:dysphagia', 'skos:exactMatch', 'HP:0002015')]
"""

from __future__ import annotations

import math
from collections import abc
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pyoxigraph

from ibmkg.canonical import canonical_turtle
from ibmkg.curie import compress, expand, normalize_curie
from ibmkg.errors import CurieError
from ibmkg.namespaces import PREFIXES
from ibmkg.tabular import Row, Table, TableError, parse_table, read_table

__all__ = [
    "ALLOWED_PREDICATES",
    "COLUMNS",
    "EXAMPLE",
    "MAPPINGS_HEADER",
    "MAPPING_SET_ID",
    "SUBJECT_PREFIXES",
    "Mapping",
    "MappingSet",
    "check_against",
    "mapping_triples",
    "mappings_turtle",
    "parse_mapping_set",
    "read_mapping_set",
    "write_mappings",
]

#: The mapping set's IRI (``mapping_set_id``).
MAPPING_SET_ID: Final = "https://w3id.org/ibmkg/mappings.sssom.tsv"
#: The first line of the generated ``mappings.ttl``.
MAPPINGS_HEADER: Final = "Generated from mappings.sssom.tsv by make mappings; do not edit"
#: The columns the table must have, in this order.
COLUMNS: Final = ("subject_id", "subject_label", "predicate_id", "object_id", "object_label",
                  "mapping_justification", "author_id", "confidence", "comment")
#: SKOS mapping properties, from the strongest to the weakest claim.
ALLOWED_PREDICATES: Final = ("skos:exactMatch", "skos:closeMatch", "skos:broadMatch",
                             "skos:narrowMatch", "skos:relatedMatch")
#: Prefixes of ibmkg's own concepts (the subject side).
SUBJECT_PREFIXES: Final = ("ibmkg", "measure", "outcome", "weakness")
_JUSTIFICATION: Final = "semapv:ManualMappingCuration"
_STATUSES: Final = ("VERIFIED", "VERIFIED-map", "SECONDARY")
_SECONDARY_PREDICATES: Final = ("skos:closeMatch", "skos:relatedMatch")
_SECONDARY_MAX_CONFIDENCE: Final = 0.6
_REQUIRED_METADATA: Final = ("curie_map", "mapping_set_id", "mapping_set_version", "license",
                             "creator_id")

_RDF = PREFIXES["rdf"]
_RDFS = PREFIXES["rdfs"]
_OWL = PREFIXES["owl"]
_XSD = PREFIXES["xsd"]
_DCTERMS = PREFIXES["dcterms"]
_SSSOM = PREFIXES["sssom"]

#: A one-row mapping set, for examples and tests.
EXAMPLE: Final = (
    "#curie_map:\n"
    f"#  HP: {PREFIXES['HP']}\n"
    f"#  ibmkg: {PREFIXES['ibmkg']}\n"
    f"#  outcome: {PREFIXES['outcome']}\n"
    f"#  semapv: {PREFIXES['semapv']}\n"
    f"#  skos: {PREFIXES['skos']}\n"
    f"#mapping_set_id: {MAPPING_SET_ID}\n"
    "#mapping_set_version: '2026-11-25'\n"
    "#license: https://creativecommons.org/licenses/by/4.0/\n"
    "#creator_id:\n"
    "#  - ibmkg:curators\n"
    + "\t".join(COLUMNS) + "\n"
    + "\t".join(("outcome:dysphagia", "dysphagia", "skos:exactMatch", "HP:0002015", "Dysphagia",
                 "semapv:ManualMappingCuration", "ibmkg:curators", "0.9",
                 "VERIFIED; ID table s2")) + "\n"
)


@dataclass(frozen=True)
class Mapping:
    """One row of the mapping set.

    :param row: the 1-based data row.
    :param line: the line in the file.
    :param subject_curie: the ibmkg concept (preferred-prefix CURIE).
    :param subject_label: its label, as the ontology gives it.
    :param predicate_curie: the SKOS mapping property.
    :param object_curie: the external term.
    :param object_label: its label, as its import module gives it.
    :param justification: the SEMAPV justification CURIE.
    :param author: the author CURIE.
    :param confidence: between 0 and 1.
    :param status: ``VERIFIED``, ``VERIFIED-map`` or ``SECONDARY``.
    :param comment: the whole comment.
    """

    row: int
    line: int
    subject_curie: str
    subject_label: str
    predicate_curie: str
    object_curie: str
    object_label: str
    justification: str
    author: str
    confidence: float
    status: str
    comment: str

    @property
    def subject(self) -> str:
        """The subject IRI."""
        return expand(self.subject_curie)

    @property
    def predicate(self) -> str:
        """The predicate IRI."""
        return expand(self.predicate_curie)

    @property
    def object(self) -> str:
        """The object IRI."""
        return expand(self.object_curie)


@dataclass(frozen=True)
class MappingSet:
    """A parsed and checked mapping set.

    :param source: the file, as shown in messages.
    :param metadata: the YAML block.
    :param mappings: the rows, in file order.
    """

    source: str
    metadata: dict[str, Any]
    mappings: tuple[Mapping, ...]

    @property
    def version(self) -> str:
        """The ``mapping_set_version``."""
        return str(self.metadata["mapping_set_version"])

    def error(self, mapping: Mapping, problem: str) -> TableError:
        """Build an error naming a row.

        :param mapping: the row.
        :param problem: what is wrong.
        :returns: the error.
        """
        return TableError(self.source, mapping.line, mapping.row, problem)


def parse_mapping_set(text: str, *, source: str = "mappings.sssom.tsv") -> MappingSet:
    """Parse and check an SSSOM TSV mapping set.

    :param text: the file content.
    :param source: the file name for messages.
    :returns: the mapping set.
    :raises TableError: for the first rule broken (see the module docstring), naming the line
        and row.

    >>> parse_mapping_set(EXAMPLE.replace("0.9", "2"), source="m.tsv")
    Traceback (most recent call last):
    ...
    ibmkg.tabular.TableError: m.tsv:13 (row 1): confidence '2' is not a number between 0 and 1
    """
    return _check(parse_table(text, source=source, required=COLUMNS))


def read_mapping_set(path: Path, *, display: str | None = None) -> MappingSet:
    """Read, parse and check a mapping set file.

    :param path: usually ``ontology/mappings.sssom.tsv``.
    :param display: the name used in messages.
    :returns: the mapping set.
    :raises TableError: for the first rule broken.
    """
    return _check(read_table(path, display=display, required=COLUMNS))


def _check(table: Table) -> MappingSet:
    meta = table.metadata
    for key in _REQUIRED_METADATA:
        if meta.get(key) in (None, "", [], {}):
            raise table.error(None, f"metadata key {key!r} is missing; add '#{key}: ...'")
    if meta["mapping_set_id"] != MAPPING_SET_ID:
        raise table.error(None, f"mapping_set_id must be {MAPPING_SET_ID}")
    curie_map = meta["curie_map"]
    if not isinstance(curie_map, dict):
        raise table.error(None, "curie_map must be a YAML mapping of prefix: IRI")
    for prefix, iri in curie_map.items():
        if PREFIXES.get(prefix) != iri:
            expected = PREFIXES.get(prefix)
            hint = (f"it must be {expected}" if expected else
                    "add the prefix to ibmkg.namespaces.PREFIXES first")
            raise table.error(None, f"curie_map: {prefix}: {iri} disagrees with the project "
                              f"prefix map ({hint})")
    creators = meta["creator_id"]
    for creator in creators if isinstance(creators, list) else [creators]:
        _check_prefix(table, None, str(creator), curie_map)
    mappings: list[Mapping] = []
    seen: dict[tuple[str, str, str], int] = {}
    pairs: dict[tuple[str, str], tuple[str, int]] = {}
    for row in table:
        mapping = _mapping(table, row, curie_map)
        triple = (mapping.subject_curie, mapping.predicate_curie, mapping.object_curie)
        if triple in seen:
            raise table.error(row, f"the mapping {' '.join(triple)} is already in row "
                              f"{seen[triple]}")
        seen[triple] = row.number
        pair = (mapping.subject_curie, mapping.object_curie)
        if pair in pairs:
            other, number = pairs[pair]
            raise table.error(row, f"{pair[0]} and {pair[1]} are already mapped by {other} in "
                              f"row {number}; keep one predicate per pair")
        pairs[pair] = (mapping.predicate_curie, row.number)
        mappings.append(mapping)
    return MappingSet(table.source, dict(meta), tuple(mappings))


def _check_prefix(table: Table, row: Row | None, curie: str,
                  curie_map: abc.Mapping[str, str]) -> str:
    try:
        normalized = normalize_curie(curie)
    except CurieError as err:
        raise table.error(row, str(err)) from None
    if normalized != curie:
        raise table.error(row, f"write {curie!r} with the preferred prefix: {normalized!r}")
    prefix = curie.partition(":")[0]
    if prefix not in curie_map:
        raise table.error(row, f"prefix {prefix!r} of {curie} is not in the curie_map; add "
                          f"'#  {prefix}: {PREFIXES[prefix]}' to the metadata block")
    return normalized


def _mapping(table: Table, row: Row, curie_map: abc.Mapping[str, str]) -> Mapping:
    cells = {c: row.get(c) for c in COLUMNS}
    for column in ("subject_id", "predicate_id", "object_id", "mapping_justification",
                   "author_id", "confidence", "comment", "subject_label", "object_label"):
        if not cells[column]:
            raise table.error(row, f"{column} is empty")
    subject = _check_prefix(table, row, cells["subject_id"], curie_map)
    predicate = _check_prefix(table, row, cells["predicate_id"], curie_map)
    obj = _check_prefix(table, row, cells["object_id"], curie_map)
    justification = _check_prefix(table, row, cells["mapping_justification"], curie_map)
    author = _check_prefix(table, row, cells["author_id"], curie_map)
    if subject.partition(":")[0] not in SUBJECT_PREFIXES:
        raise table.error(row, f"subject {subject} is not an ibmkg concept (its prefix must be "
                          f"one of {', '.join(SUBJECT_PREFIXES)})")
    if obj.partition(":")[0] in SUBJECT_PREFIXES:
        raise table.error(row, f"object {obj} is an ibmkg concept; map to external terms only")
    if predicate not in ALLOWED_PREDICATES:
        raise table.error(row, f"predicate {predicate} is not a SKOS mapping property (use one "
                          f"of {', '.join(ALLOWED_PREDICATES)})")
    if justification != _JUSTIFICATION:
        raise table.error(row, f"mapping_justification must be {_JUSTIFICATION}")
    try:
        confidence = float(cells["confidence"])
    except ValueError:
        confidence = math.nan
    if not 0.0 <= confidence <= 1.0:
        raise table.error(row, f"confidence {cells['confidence']!r} is not a number between "
                          "0 and 1")
    status = cells["comment"].split(";", 1)[0].strip()
    if status not in _STATUSES:
        raise table.error(row, f"the comment must start with the object's verification status "
                          f"({', '.join(_STATUSES)}) followed by ';'")
    if status == "SECONDARY" and (predicate not in _SECONDARY_PREDICATES
                                  or confidence > _SECONDARY_MAX_CONFIDENCE):
        raise table.error(row, f"{obj} is SECONDARY: use skos:closeMatch or skos:relatedMatch "
                          f"with a confidence of at most {_SECONDARY_MAX_CONFIDENCE}")
    return Mapping(row.number, row.line, subject, cells["subject_label"], predicate, obj,
                   cells["object_label"], justification, author, confidence, status,
                   cells["comment"])


def check_against(mapping_set: MappingSet, subject_labels: abc.Mapping[str, abc.Iterable[str]],
                  object_labels: abc.Mapping[str, str]) -> list[TableError]:
    """Check that each row's terms are declared, with the labels the row gives.

    :param mapping_set: the mapping set.
    :param subject_labels: ibmkg concept IRI -> its labels (``rdfs:label``,
        ``skos:prefLabel``), from the ontology.
    :param object_labels: external term IRI -> its label, from the import modules.
    :returns: one error per problem, naming the row (empty when all is well).

    >>> ms = parse_mapping_set(EXAMPLE, source="m.tsv")
    >>> problems = check_against(ms, {expand("outcome:dysphagia"): ["dysphagia"]}, {})
    >>> str(problems[0]).split(";")[0]
    'm.tsv:13 (row 1): object HP:0002015 is not declared in any import module'
    """
    problems = []
    for m in mapping_set.mappings:
        labels = set(subject_labels.get(m.subject, ()))
        if not labels:
            problems.append(mapping_set.error(m, f"subject {m.subject_curie} is not declared "
                                              "with a label in the ontology"))
        elif m.subject_label not in labels:
            problems.append(mapping_set.error(m, f"subject_label {m.subject_label!r} is not a "
                                              f"label of {m.subject_curie} "
                                              f"({', '.join(sorted(labels))})"))
        if m.object not in object_labels:
            problems.append(mapping_set.error(m, f"object {m.object_curie} is not declared in "
                                              "any import module; add it to the seed list "
                                              "ontology/imports/<name>_terms.tsv and run "
                                              "make imports"))
        elif object_labels[m.object] != m.object_label:
            problems.append(mapping_set.error(m, f"object_label {m.object_label!r} differs "
                                              f"from the import module's label "
                                              f"{object_labels[m.object]!r}"))
    return problems


def mapping_triples(source: Path | MappingSet) -> list[pyoxigraph.Triple]:
    """Turn the mapping set into RDF (the hook :func:`ibmkg.graph_io.load_project` calls).

    :param source: the TSV file or a parsed mapping set.
    :returns: the triples: one SKOS triple per row, and the mapping set with one annotated
        ``owl:Axiom`` per row.
    :raises TableError: when the file breaks a rule.

    >>> first = mapping_triples(parse_mapping_set(EXAMPLE))[0]
    >>> compress(first.subject.value), compress(first.predicate.value), compress(first.object.value)
    ('outcome:dysphagia', 'skos:exactMatch', 'HP:0002015')
    """
    ms = source if isinstance(source, MappingSet) else read_mapping_set(source)
    nn = pyoxigraph.NamedNode
    lit = pyoxigraph.Literal
    t = pyoxigraph.Triple
    head = nn(MAPPING_SET_ID)
    triples = [t(nn(m.subject), nn(m.predicate), nn(m.object)) for m in ms.mappings]
    meta = ms.metadata
    triples += [
        t(head, nn(_RDF + "type"), nn(_SSSOM + "MappingSet")),
        t(head, nn(_DCTERMS + "license"), nn(str(meta["license"]))),
        t(head, nn(_OWL + "versionInfo"), lit(ms.version)),
    ]
    for key, prop in (("mapping_set_title", "title"), ("mapping_set_description", "description")):
        if meta.get(key):
            triples.append(t(head, nn(_DCTERMS + prop), lit(str(meta[key]), language="en")))
    creators = meta["creator_id"]
    for creator in creators if isinstance(creators, list) else [creators]:
        triples.append(t(head, nn(_SSSOM + "creator_id"), nn(expand(str(creator)))))
    for m in ms.mappings:
        axiom = pyoxigraph.BlankNode()
        triples += [
            t(head, nn(_SSSOM + "mappings"), axiom),
            t(axiom, nn(_RDF + "type"), nn(_OWL + "Axiom")),
            t(axiom, nn(_OWL + "annotatedSource"), nn(m.subject)),
            t(axiom, nn(_OWL + "annotatedProperty"), nn(m.predicate)),
            t(axiom, nn(_OWL + "annotatedTarget"), nn(m.object)),
            t(axiom, nn(_SSSOM + "mapping_justification"), nn(expand(m.justification))),
            t(axiom, nn(_SSSOM + "author_id"), nn(expand(m.author))),
            t(axiom, nn(_SSSOM + "confidence"), lit(repr(m.confidence),
                                                    datatype=nn(_XSD + "double"))),
            t(axiom, nn(_RDFS + "comment"), lit(m.comment)),
        ]
    return triples


def mappings_turtle(source: Path | MappingSet) -> str:
    """Write the mapping graph as canonical Turtle with the "generated" header.

    :param source: the TSV file or a parsed mapping set.
    :returns: the Turtle text of ``ontology/mappings.ttl``.

    >>> mappings_turtle(parse_mapping_set(EXAMPLE)).splitlines()[0]
    '# Generated from mappings.sssom.tsv by make mappings; do not edit'
    """
    return canonical_turtle(mapping_triples(source), header=MAPPINGS_HEADER)


def write_mappings(tsv: Path, target: Path, *, check: bool = False) -> bool:
    """Regenerate ``mappings.ttl`` from the TSV.

    :param tsv: the SSSOM file.
    :param target: the Turtle file to write.
    :param check: only compare; write nothing.
    :returns: whether the file was (or, with ``check``, would be) changed.
    """
    from ibmkg.graph_io import atomic_write

    text = mappings_turtle(tsv)
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if current == text:
        return False
    if not check:
        atomic_write(target, text)
    return True


def describe(mapping: Mapping) -> str:
    """Render a mapping as one line, for reports.

    :param mapping: the row.
    :returns: ``subject predicate object (confidence)``.

    >>> describe(parse_mapping_set(EXAMPLE).mappings[0])
    'outcome:dysphagia skos:exactMatch HP:0002015 (0.9)'
    """
    return (f"{compress(mapping.subject)} {mapping.predicate_curie} "
            f"{compress(mapping.object)} ({mapping.confidence})")
