"""Where one triple was written: ``file:line:column`` of its object (or predicate).

pyoxigraph and rdflib parse without positions, so this module reads the Turtle text again,
as a small tokenizer of its own over the token patterns :mod:`ibmkg.source_index` uses, and
records each ``subject predicate object`` statement with the position of its predicate and
of its object. A result then points at the offending triple: at its value when the result
has one, at the predicate when the property is there but its value is not named, and at the
subject when a value is missing. Files are scanned lazily, only when a result needs them.

>>> from ibmkg.source_index import SourceIndex
>>> index = SourceIndex()
>>> index.scan("x.ttl", '@prefix ex: <http://ex/> .\\nex:a ex:p 1 ;\\n    ex:q "a", "b" .\\n')
>>> locator = Locator(index)
>>> str(locator.locate("http://ex/a", "http://ex/q", '"b"'))
'x.ttl:3:15'
>>> str(locator.locate("http://ex/a", "http://ex/r", None))
'x.ttl:2:1'
>>> str(locator.subject_at("http://ex/a"))
'x.ttl:2:1'
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from urllib.parse import urljoin

from ibmkg.namespaces import PREFIXES
from ibmkg.source_index import _TOKEN, Location, SourceIndex
from ibmkg.validation.report import parse_term

__all__ = ["Locator", "Statement", "scan_statements"]

_RDF_TYPE = PREFIXES["rdf"] + "type"
_XSD = PREFIXES["xsd"]
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'",
            "\\": "\\"}


@dataclass(frozen=True)
class Statement:
    """One triple as written: its terms and where its subject, predicate and object start.

    Positions are kept as character offsets and turned into lines and columns only when
    asked for (a large file has millions of statements and few results).

    :param subject: the subject IRI (``None`` inside blank-node property lists).
    :param predicate: the predicate IRI.
    :param object_key: ``("iri", IRI)`` or ``("literal", lexical form)``, or ``("other", "")``.
    :param datatype: the literal's datatype IRI as written (``None`` for IRIs and plain strings).
    :param file: the file, as shown to users.
    :param offsets: where the subject, the predicate and the object start in the text.
    :param line_starts: the offset at which each line of the text starts.
    """

    subject: str | None
    predicate: str
    object_key: tuple[str, str]
    datatype: str | None
    file: str
    offsets: tuple[int, int, int]
    line_starts: Sequence[int] = field(repr=False, compare=False)

    def _at(self, offset: int) -> Location:
        line = bisect.bisect_right(self.line_starts, offset)
        return Location(self.file, line, offset - self.line_starts[line - 1] + 1)

    @property
    def subject_at(self) -> Location:
        """Where the subject is written (of the enclosing ``[`` in a property list)."""
        return self._at(self.offsets[0])

    @property
    def predicate_at(self) -> Location:
        """Where the predicate is written."""
        return self._at(self.offsets[1])

    @property
    def object_at(self) -> Location:
        """Where the object is written."""
        return self._at(self.offsets[2])


class Locator:
    """Find the statement behind a result, scanning each file at most once.

    :param index: the source index of the loaded data (it keeps each file's text).
    """

    def __init__(self, index: SourceIndex) -> None:
        self._index = index
        self._by_pair: dict[tuple[str, str], list[Statement]] | None = None
        self._by_object: dict[tuple[str, str], list[Statement]] = {}
        self._subjects: dict[tuple[str, str, int], Location] = {}

    def statements(self, subject: str, predicate: str) -> list[Statement]:
        """The statements written with this subject and predicate.

        :param subject: the subject IRI.
        :param predicate: the predicate IRI.
        :returns: them, in file order.
        """
        if self._by_pair is None:
            self._by_pair = {}
            for file, text in self._index.texts.items():
                last: tuple[str | None, int] = (None, -1)
                for st in scan_statements(file, text):
                    if st.subject is not None:
                        if (st.subject, st.offsets[0]) != last:  # once per subject written
                            last = (st.subject, st.offsets[0])
                            where = st.subject_at
                            self._subjects.setdefault((st.subject, where.file, where.line),
                                                      where)
                        self._by_pair.setdefault((st.subject, st.predicate), []).append(st)
                        if st.object_key[0] == "iri":
                            self._by_object.setdefault((st.object_key[1], st.predicate),
                                                       []).append(st)
        return self._by_pair.get((subject, predicate), [])

    def locate(self, focus: str, path: str | None, value: str | None) -> Location | None:
        """Where the offending triple is: its object, else its predicate, else the subject.

        :param focus: the focus node IRI.
        :param path: the result path (an IRI, or ``^IRI``), if any.
        :param value: the value in N-Triples syntax, if any.
        :returns: the location, or the subject's when no such triple is written.
        """
        inverse = path is not None and path.startswith("^")
        predicate = _full_iri(path[1:]) if path and inverse else path
        if predicate and _is_iri(predicate):
            term = parse_term(value) if value else None
            if inverse:
                self.statements(focus, predicate)  # fills the object index
                found = self._by_object.get((focus, predicate), [])
                if term is not None:
                    found = [s for s in found if s.subject == term.value] or found
                if found:
                    return found[0].object_at
            else:
                found = self.statements(focus, predicate)
                if term is not None:
                    key = _key_of(term)
                    matching = [s for s in found if s.object_key == key]
                    if matching:
                        return matching[0].object_at
                if found:
                    return found[0].predicate_at if term is None else found[0].object_at
        return self.subject_at(focus)

    def subject_at(self, iri: str) -> Location | None:
        """Where ``iri`` is described as a subject (with its column), else first mentioned.

        :param iri: the IRI.
        :returns: the location, or ``None`` when the IRI never occurs.
        """
        place = self._index.subjects.get(iri)
        if place is not None:
            self.statements(iri, "")  # builds the subject index
            column = self._subjects.get((iri, place.file, place.line))
            if column is not None:
                return column
        return self._index.locate(iri)

    def locate_term(self, subject: str, predicate: str, obj: str) -> Location | None:
        """Where a triple is written, with the object given as an IRI or lexical form.

        :param subject: the subject IRI.
        :param predicate: the predicate IRI.
        :param obj: the object IRI or the literal's lexical form.
        :returns: the object's location, else the predicate's, else ``None``.
        """
        found = self.statements(subject, predicate)
        for st in found:
            if st.object_key[1] == obj:
                return st.object_at
        return found[0].predicate_at if found else None


def _full_iri(text: str) -> str:
    """``<iri>`` or a CURIE (as inverse paths are shown) to the full IRI."""
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    if "://" in text:
        return text
    from ibmkg.curie import expand

    try:
        return expand(text)
    except ValueError:
        return text


def _is_iri(path: str) -> bool:
    """Whether a result path is one IRI (not a SPARQL path of several)."""
    return (":" in path and not any(c in path for c in " <>()|\"{}")
            and not path.endswith(("*", "+")) and not path.startswith("_:"))


def _key_of(term: object) -> tuple[str, str]:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return ("iri", term.value)
    if isinstance(term, pyoxigraph.Literal):
        return ("literal", term.value)
    return ("other", "")


def scan_statements(file: str, text: str) -> Iterator[Statement]:
    """Read the statements of one Turtle document with their positions.

    Blank-node property lists are followed (their triples have subject ``None``);
    collections are skipped as one object. Run it only on text that parses.

    :param file: the name to show for the file.
    :param text: the Turtle text.
    :returns: the statements, in order.

    >>> [s.object_key for s in scan_statements("x", '<http://a> a <http://C> ; <http://p> 3 .')]
    [('iri', 'http://C'), ('literal', '3')]
    """
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    tokens = [(m.lastgroup or "", m.group(), m.start()) for m in _TOKEN.finditer(text)
              if m.lastgroup not in ("ws", "comment")]
    prefixes: dict[str, str] = {}
    base = ""
    # one frame per open "[": [subject, subject_at, predicate, predicate_at]
    frames: list[list[object]] = []
    subject: str | None = None
    subject_at = 0
    predicate: str | None = None
    predicate_at = 0
    state = "subject"
    i = 0
    while i < len(tokens):
        kind, value, offset = tokens[i]
        if state == "subject" and (kind == "directive" or value.upper() in ("PREFIX", "BASE")):
            keyword = value.lower().lstrip("@")
            if keyword == "prefix" and i + 2 < len(tokens):
                prefixes[tokens[i + 1][1].rstrip(":")] = urljoin(base, tokens[i + 2][1][1:-1])
                i += 3
            elif i + 1 < len(tokens):
                base = urljoin(base, tokens[i + 1][1][1:-1])
                i += 2
            if value.startswith("@") and i < len(tokens) and tokens[i][1] == ".":
                i += 1
            continue
        if value == "[":
            if state == "object" and predicate is not None:
                yield Statement(subject, predicate, ("other", ""), None, file,
                                (subject_at, predicate_at, offset), line_starts)
            frames.append([subject, subject_at, predicate, predicate_at, state])
            subject, subject_at, state = None, offset, "predicate"
            i += 1
            continue
        if value == "]":
            if frames:
                outer = frames.pop()
                subject, subject_at = outer[0], outer[1]  # type: ignore[assignment]
                predicate, predicate_at = outer[2], outer[3]  # type: ignore[assignment]
                state = "after-object" if outer[4] == "object" else "predicate"
            i += 1
            continue
        if value == "(":
            depth, j = 0, i
            while j < len(tokens):
                depth += {"(": 1, ")": -1}.get(tokens[j][1], 0)
                if depth == 0:
                    break
                j += 1
            if state == "object" and predicate is not None:
                yield Statement(subject, predicate, ("other", ""), None, file,
                                (subject_at, predicate_at, offset), line_starts)
            state = "after-object" if state == "object" else "predicate"
            i = j + 1
            continue
        if kind == "punct":
            if value == ";":
                state = "predicate"
            elif value == ",":
                state = "object"
            elif value == "." and not frames:
                state = "subject"
            i += 1
            continue
        if state == "subject":
            subject = _iri(kind, value, prefixes, base)
            subject_at = offset
            state = "predicate"
            i += 1
        elif state == "predicate":
            predicate = _RDF_TYPE if value == "a" else _iri(kind, value, prefixes, base)
            predicate_at = offset
            state = "object"
            i += 1
        elif state == "object":
            key, datatype, i = _object(tokens, i, prefixes, base)
            if predicate is not None:
                yield Statement(subject, predicate, key, datatype, file,
                                (subject_at, predicate_at, offset), line_starts)
            state = "after-object"
        else:
            i += 1


def _object(tokens: list[tuple[str, str, int]], i: int, prefixes: dict[str, str],
            base: str) -> tuple[tuple[str, str], str | None, int]:
    kind, value, _ = tokens[i]
    if kind == "string":
        lexical = _unescape(value[3:-3] if value[:3] in ('"""', "'''") else value[1:-1])
        if i + 2 < len(tokens) and tokens[i + 1][1] == "^^":
            datatype = _iri(tokens[i + 2][0], tokens[i + 2][1], prefixes, base)
            return ("literal", lexical), datatype, i + 3
        if i + 1 < len(tokens) and tokens[i + 1][0] == "lang":
            return ("literal", lexical), PREFIXES["rdf"] + "langString", i + 2
        return ("literal", lexical), None, i + 1
    if kind == "number":
        datatype = "integer" if value.lstrip("+-").isdigit() else \
            "double" if "e" in value.lower() else "decimal"
        return ("literal", value), _XSD + datatype, i + 1
    if value in ("true", "false"):
        return ("literal", value), _XSD + "boolean", i + 1
    iri = _iri(kind, value, prefixes, base)
    return (("iri", iri) if iri else ("other", value)), None, i + 1


def _iri(kind: str, value: str, prefixes: dict[str, str], base: str) -> str | None:
    if kind == "iri":
        return urljoin(base, value[1:-1]) if base else value[1:-1]
    if kind == "pname":
        prefix, _, local = value.partition(":")
        if prefix in prefixes:
            if "\\" not in local:  # the common case: no escape to undo
                return prefixes[prefix] + local
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        escape = match.group(1)
        if escape[0] in "uU":
            return chr(int(escape[1:], 16))
        return _ESCAPES.get(escape, escape)

    return re.sub(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", one, text)
