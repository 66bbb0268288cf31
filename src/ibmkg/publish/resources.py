"""One pass over the graph: each resource's description, incoming links, labels and site path.

The site shows, for every IRI under the base that is a subject of the graph, its outgoing
triples (with the blank nodes they reach, a concise bounded description), the triples that
point at it, and readable labels. Everything a page needs is gathered here in a single pass,
so a page is rendered without querying the graph again.

Bad input never breaks a page: a resource without a label is shown by its CURIE, a literal
with an unknown language tag is shown without its tag, an IRI outside the base links to the
IRI itself; each such node is logged once as a warning.

>>> index = ResourceIndex.from_triples(parse_turtle(
...     '<https://w3id.org/ibmkg/study/a> <http://www.w3.org/2000/01/rdf-schema#label> "A" ; '
...     '<https://w3id.org/ibmkg/ontology/hasArm> <https://w3id.org/ibmkg/study/a/arm> .'))
>>> index.resources
['https://w3id.org/ibmkg/study/a']
>>> index.label("https://w3id.org/ibmkg/study/a")
'A'
>>> index.label("https://w3id.org/ibmkg/study/a/arm")
'study:a/arm'
>>> page_path("https://w3id.org/ibmkg/ontology/")
'ontology/index'
"""

from __future__ import annotations

import functools
import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

import pyoxigraph

from ibmkg.curie import compress
from ibmkg.graph_io import parse_turtle
from ibmkg.namespaces import BASE, PREFIXES

__all__ = ["LABEL_PREDICATES", "ResourceIndex", "curie", "language_ok", "page_path"]

log = logging.getLogger(__name__)

_RDFS = PREFIXES["rdfs"]
_SKOS = PREFIXES["skos"]
#: Predicates whose literal values name a resource, most preferred first.
LABEL_PREDICATES: Final = (f"{_SKOS}prefLabel", f"{_RDFS}label", f"{PREFIXES['dcterms']}title",
                           f"{PREFIXES['ibmkg']}printedName")
_SAFE_PATH = re.compile(r"[A-Za-z0-9._~/-]*")
_LANGUAGE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{1,8})*", re.IGNORECASE)

# ISO 639-1 codes and any three-letter primary subtag are accepted; anything else is "unknown".
_ISO639_1: Final = frozenset((
    "aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be",
    "bg", "bh", "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs",
    "cu", "cv", "cy", "da", "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu",
    "fa", "ff", "fi", "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha",
    "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik",
    "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn",
    "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo", "lt",
    "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb",
    "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os",
    "pa", "pi", "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd",
    "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv",
    "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw",
    "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi", "yo", "za",
    "zh", "zu",
))


def page_path(iri: str) -> str | None:
    """The site path (without extension) of the page of an IRI under the base.

    :param iri: any IRI.
    :returns: e.g. ``study/cherin-2002``; ``index`` forms for IRIs ending in ``/``; ``None``
        for IRIs outside the base or that cannot be a file name (``#``, ``?``, ``..``).

    >>> page_path("https://w3id.org/ibmkg/study/cherin-2002/finding-1")
    'study/cherin-2002/finding-1'
    >>> page_path("http://purl.obolibrary.org/obo/HP_0002015") is None
    True
    """
    return _page_path(iri)


@functools.lru_cache(maxsize=1 << 16)
def _page_path(iri: str) -> str | None:
    if not iri.startswith(BASE):
        return None
    rest = iri[len(BASE):]
    if not _SAFE_PATH.fullmatch(rest) or any(p in ("..", ".") for p in rest.split("/")) \
            or "//" in rest or rest.startswith(("/", ".well-known")):
        return None
    return f"{rest}index" if rest == "" or rest.endswith("/") else rest


def curie(iri: str) -> str:
    """A W3C CURIE for display (the local part may hold ``/``), else the IRI in ``<>``.

    :param iri: an IRI.
    :returns: e.g. ``study:cherin-2002/weakness-1``.

    >>> curie("https://w3id.org/ibmkg/study/cherin-2002/weakness-1")
    'study:cherin-2002/weakness-1'
    >>> curie("http://example.org/x")
    '<http://example.org/x>'
    """
    return _curie(iri)


@functools.lru_cache(maxsize=1 << 16)
def _curie(iri: str) -> str:
    short = compress(iri)
    if not short.startswith("<"):
        return short
    matches = [(len(ns), prefix) for prefix, ns in PREFIXES.items()
               if iri.startswith(ns) and len(iri) > len(ns)]
    if not matches:
        return short
    _, prefix = max(matches)
    return f"{prefix}:{iri[len(PREFIXES[prefix]):]}"


def language_ok(tag: str) -> bool:
    """Whether a language tag is well formed with a known ISO 639-1 primary language.

    :param tag: a BCP 47 tag such as ``en`` or ``en-GB``.
    :returns: the verdict.

    >>> language_ok("en-GB"), language_ok("xx"), language_ok("e n")
    (True, False, False)
    """
    if not _LANGUAGE.fullmatch(tag):
        return False
    primary = tag.split("-", 1)[0].lower()
    return primary in _ISO639_1 or (len(primary) == 3 and primary != "und")


@dataclass
class ResourceIndex:
    """What the site needs to know about every node, gathered in one pass over the triples.

    :param outgoing: triples by named subject.
    :param blank: triples by blank-node subject.
    :param incoming: ``(subject, predicate)`` pairs pointing at each IRI.
    :param labels: the best label of each IRI that has one.
    :param types: the ``rdf:type`` values of each subject.
    """

    outgoing: dict[str, list[pyoxigraph.Triple]] = field(default_factory=dict)
    blank: dict[str, list[pyoxigraph.Triple]] = field(default_factory=dict)
    incoming: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    types: dict[str, list[str]] = field(default_factory=dict)
    problems: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def from_triples(cls, triples: Iterable[pyoxigraph.Triple]) -> ResourceIndex:
        """Index the triples (duplicates are dropped).

        :param triples: the merged graph.
        :returns: the index.
        """
        index = cls()
        outgoing: defaultdict[str, list[pyoxigraph.Triple]] = defaultdict(list)
        blank: defaultdict[str, list[pyoxigraph.Triple]] = defaultdict(list)
        incoming: defaultdict[str, list[tuple[str, str]]] = defaultdict(list)
        types: defaultdict[str, list[str]] = defaultdict(list)
        ranked: dict[str, tuple[int, str]] = {}
        rdf_type = f"{PREFIXES['rdf']}type"
        rank = {p: i for i, p in enumerate(LABEL_PREDICATES)}
        for triple in dict.fromkeys(triples):
            subject, predicate, obj = triple.subject, triple.predicate.value, triple.object
            if isinstance(subject, pyoxigraph.BlankNode):
                blank[subject.value].append(triple)
                continue
            if not isinstance(subject, pyoxigraph.NamedNode):
                continue
            outgoing[subject.value].append(triple)
            if isinstance(obj, pyoxigraph.NamedNode):
                incoming[obj.value].append((subject.value, predicate))
                if predicate == rdf_type:
                    types[subject.value].append(obj.value)
            elif isinstance(obj, pyoxigraph.Literal) and predicate in rank:
                score = rank[predicate] * 3 + _language_rank(obj.language)
                best = ranked.get(subject.value)
                if best is None or (score, obj.value) < best:
                    ranked[subject.value] = (score, obj.value)
        index.outgoing, index.blank, index.incoming = dict(outgoing), dict(blank), dict(incoming)
        index.types = dict(types)
        index.labels = {iri: text for iri, (_, text) in ranked.items()}
        return index

    @classmethod
    def from_turtle(cls, text: str) -> ResourceIndex:
        """Index a Turtle document (for examples and tests).

        :param text: Turtle.
        :returns: the index.
        """
        return cls.from_triples(parse_turtle(text))

    @property
    def resources(self) -> list[str]:
        """The IRIs that get a page: subjects under the base with a usable path, sorted."""
        return sorted(iri for iri in self.outgoing if page_path(iri) is not None)

    def warn(self, node: str, problem: str) -> None:
        """Record a node that could not be shown as it is (see :meth:`warnings`).

        :param node: the IRI or literal shown.
        :param problem: what is wrong and what is shown instead.
        """
        self.problems.setdefault(problem, set()).add(node)

    def warnings(self) -> list[str]:
        """One line per kind of problem, with a count and examples, for the log.

        :returns: the lines, sorted.

        >>> index = ResourceIndex.from_turtle("<https://w3id.org/ibmkg/study/x> a <http://e/C> .")
        >>> index.label("https://w3id.org/ibmkg/study/x")
        'study:x'
        >>> index.warnings()
        ['1 resource(s) have no label; shown by their CURIE: study:x']
        """
        lines = []
        for problem, nodes in sorted(self.problems.items()):
            examples = ", ".join(sorted(nodes)[:5]) + (" ..." if len(nodes) > 5 else "")
            lines.append(f"{len(nodes)} {problem}: {examples}")
        return lines

    def label(self, iri: str) -> str:
        """A readable name: the label, else the CURIE (with one warning for a page of ours).

        :param iri: an IRI.
        :returns: the text to show.
        """
        text = self.labels.get(iri)
        if text is not None and text.strip():
            return text
        short = curie(iri)
        if page_path(iri) is not None and iri in self.outgoing:
            self.warn(short, "resource(s) have no label; shown by their CURIE")
        elif not iri.startswith(BASE):
            self.warn(short, "IRI(s) outside the base have no label; shown by their CURIE")
        return short

    def description(self, iri: str) -> list[pyoxigraph.Triple]:
        """The resource's outgoing triples and those of the blank nodes they reach.

        :param iri: a subject IRI.
        :returns: the triples (a concise bounded description).
        """
        result = list(self.outgoing.get(iri, ()))
        seen: set[str] = set()
        queue = [t.object for t in result if isinstance(t.object, pyoxigraph.BlankNode)]
        while queue:
            node = queue.pop()
            if node.value in seen:
                continue
            seen.add(node.value)
            for triple in self.blank.get(node.value, ()):
                result.append(triple)
                if isinstance(triple.object, pyoxigraph.BlankNode):
                    queue.append(triple.object)
        return result


def _language_rank(language: str | None) -> int:
    if language is None:
        return 1
    return 0 if language.lower().startswith("en") else 2

