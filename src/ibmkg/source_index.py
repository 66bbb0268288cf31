"""Where each subject is described: a ``subject -> file:line`` index built by scanning Turtle.

No SHACL engine reports the source of a failing node, and pyoxigraph's parser gives no
positions for the triples it returns, so this module scans the Turtle text itself. It is a
pragmatic lexer, not a parser: it finds the first token of every statement (its subject),
resolves prefixed names with the file's own ``@prefix`` lines, and records the line. The
strict parse is done separately by :func:`ibmkg.graph_io.load_turtle`; run the scan only on
text that parsed.

>>> index = SourceIndex()
>>> index.scan("kg/x.ttl", '@prefix ex: <http://ex/> .\\n\\nex:a ex:p "x ." ;\\n  ex:q ex:b .\\n')
>>> str(index.locate("http://ex/a"))
'kg/x.ttl:3'
>>> str(index.locate("http://ex/b"))
'kg/x.ttl:4'
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from ibmkg._lexing import SHARED_TOKENS


@dataclass(frozen=True, order=True)
class Location:
    """A position in a source file.

    :param file: the file, as shown to users (relative to the project root).
    :param line: 1-based line number.
    :param column: 1-based column (0 when only the line is known; then not shown).

    >>> str(Location("kg/a.ttl", 3)), str(Location("kg/a.ttl", 3, 5))
    ('kg/a.ttl:3', 'kg/a.ttl:3:5')
    """

    file: str
    line: int
    column: int = 0

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" + (f":{self.column}" if self.column else "")


_TOKEN = re.compile(
    SHARED_TOKENS + r"""
  | (?P<directive>@prefix|@base)\b
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<bnode>_:[^\s;,()\[\]]*[^\s;,.()\[\]])
  | (?P<number>[+-]?(?:\d*\.\d+(?:[eE][+-]?\d+)?|\d+(?:\.\d*)?[eE][+-]?\d+|\d+))
  | (?P<pname>(?:[A-Za-z\u00c0-\U000effff][\w\-.\u00b7\u0300-\u036f\u203f-\u2040]*)?:
               (?:[^\s;,.()\[\]{}"'\#<>\\]|\\.|\.(?=[^\s;,.()\[\]{}\#]))*)
  | (?P<word>[A-Za-z][A-Za-z0-9_]*)
  | (?P<punct>\^\^|[\[\]();,.{}])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class _LazyTexts(dict[str, str]):
    """File -> text, reading a file registered by path only when its text is asked for."""

    def __init__(self, texts: dict[str, str] | None = None) -> None:
        super().__init__(texts or {})
        self.paths: dict[str, Path] = {}

    def _read_all(self) -> None:
        for file in list(self.paths):
            self[file]

    def __missing__(self, file: str) -> str:
        path = self.paths.pop(file, None)
        if path is None:
            raise KeyError(file)
        text = path.read_text(encoding="utf-8")
        self[file] = text
        return text

    def get(self, file: str, default: str | None = None) -> str | None:  # type: ignore[override]
        try:
            return self[file]
        except KeyError:
            return default

    def __contains__(self, file: object) -> bool:
        return super().__contains__(file) or file in self.paths

    def __len__(self) -> int:
        return super().__len__() + len(self.paths)

    def __iter__(self) -> Iterator[str]:
        self._read_all()
        return super().__iter__()

    def items(self) -> Any:
        self._read_all()
        return super().items()

    def values(self) -> Any:
        self._read_all()
        return super().values()

    def keys(self) -> Any:
        self._read_all()
        return super().keys()


class SourceIndex:
    """Map IRIs to the place they are described (as a subject) or first mentioned.

    Scanning is deferred: :meth:`scan` and :meth:`add_file` record the file, and the index
    is built the first time a location, the subjects or the mentions are asked for, so a
    load that never reports a location never pays for it. Files added by path are read then,
    not before (their text is not held in memory until needed).

    :param subjects: IRI -> where it is described as a subject.
    :param mentions: IRI -> where it is first mentioned.
    :param files: display file -> graph name.
    :param texts: display file -> its Turtle text.

    >>> SourceIndex()
    SourceIndex(subjects={}, mentions={}, files={}, texts={})
    """

    def __init__(self, subjects: dict[str, Location] | None = None,
                 mentions: dict[str, Location] | None = None,
                 files: dict[str, str] | None = None,
                 texts: dict[str, str] | None = None) -> None:
        self._subjects: dict[str, Location] = subjects if subjects is not None else {}
        self._mentions: dict[str, Location] = mentions if mentions is not None else {}
        self.files: dict[str, str] = files if files is not None else {}
        #: display file -> its Turtle text, so that ``ibmkg.validation.locate`` can find the
        #: line and column of one triple when (and only when) a result needs it.
        self.texts: dict[str, str] = _LazyTexts(texts)
        self._pending: list[str] = []

    def __repr__(self) -> str:
        return (f"SourceIndex(subjects={self.subjects!r}, mentions={self.mentions!r}, "
                f"files={self.files!r}, texts={dict(self.texts.items())!r})")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SourceIndex):
            return NotImplemented
        return (self.subjects, self.mentions, self.files, dict(self.texts.items())) == (
            other.subjects, other.mentions, other.files, dict(other.texts.items()))

    __hash__ = None  # type: ignore[assignment]

    @property
    def subjects(self) -> dict[str, Location]:
        """IRI -> where it is described as a subject (scans pending files first)."""
        self._flush()
        return self._subjects

    @property
    def mentions(self) -> dict[str, Location]:
        """IRI -> where it is first mentioned (scans pending files first)."""
        self._flush()
        return self._mentions

    def scan(self, file: str, text: str, *, graph: str | None = None) -> None:
        """Add the subjects and mentions of one Turtle document (scanned when first needed).

        :param file: the name to show for this file in messages.
        :param text: its Turtle text (already known to parse).
        :param graph: the named graph the file is loaded into, if any.
        """
        if graph is not None:
            self.files[file] = graph
        self.texts[file] = text
        self._pending.append(file)

    def add_file(self, file: str, path: Path, *, graph: str | None = None) -> None:
        """Add a Turtle file by path: it is read and scanned only when a location is needed.

        :param file: the name to show for this file in messages.
        :param path: where to read it (it must not change before it is read).
        :param graph: the named graph the file is loaded into, if any.

        >>> import tempfile, pathlib
        >>> with tempfile.TemporaryDirectory() as d:
        ...     f = pathlib.Path(d) / "a.ttl"
        ...     _ = f.write_text("<http://ex/a> <http://ex/p> 1 .")
        ...     index = SourceIndex()
        ...     index.add_file("kg/a.ttl", f)
        ...     str(index.locate("http://ex/a"))
        'kg/a.ttl:1'
        """
        if graph is not None:
            self.files[file] = graph
        texts = self.texts
        assert isinstance(texts, _LazyTexts)
        dict.pop(texts, file, None)
        texts.paths[file] = path
        self._pending.append(file)

    def _flush(self) -> None:
        pending, self._pending = self._pending, []
        for file in pending:
            for iri, line, is_subject in _scan(self.texts[file]):
                location = Location(file, line)
                if is_subject:
                    self._subjects.setdefault(iri, location)
                self._mentions.setdefault(iri, location)

    def locate(self, iri: str) -> Location | None:
        """Return where ``iri`` is described, else where it is first mentioned.

        :param iri: a full IRI.
        :returns: the location, or ``None`` when the IRI never occurs.
        """
        return self.subjects.get(iri) or self.mentions.get(iri)

    def graph_of(self, iri: str) -> str | None:
        """Return the named graph of the file that describes ``iri``.

        :param iri: a full IRI.
        :returns: the graph name, or ``None`` when unknown.
        """
        location = self.locate(iri)
        return None if location is None else self.files.get(location.file)


def _scan(text: str) -> Iterator[tuple[str, int, bool]]:
    """Yield ``(iri, line, is_subject)`` for every IRI or prefixed name in the text."""
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    prefixes: dict[str, str] = {}
    base = ""
    expect_subject = True
    depth = 0
    pending: list[str] = []  # tokens of a directive being read
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        value = match.group()
        if kind in ("ws", "comment"):
            continue
        if pending:
            pending.append(value)
            keyword = pending[0].lower().lstrip("@")
            needed = 3 if keyword == "prefix" else 2
            if len(pending) == needed:
                if keyword == "prefix":
                    prefixes[pending[1].rstrip(":")] = urljoin(base, pending[2][1:-1])
                else:
                    base = urljoin(base, pending[1][1:-1])
                # "@prefix ... ." ends with a dot; "PREFIX ..." does not.
                expect_subject = not pending[0].startswith("@")
                pending = []
            continue
        if expect_subject and (kind == "directive" or value.upper() in ("PREFIX", "BASE")):
            pending = [value]
            continue
        iri = _resolve(kind, value, prefixes, base)
        line = bisect.bisect_right(line_starts, match.start())
        if iri is not None:
            yield iri, line, expect_subject and depth == 0
        if kind == "punct":
            if value in "[(":
                depth += 1
            elif value in "])":
                depth = max(depth - 1, 0)
            elif value == "." and depth == 0:
                expect_subject = True
                continue
        expect_subject = False


def _resolve(kind: str | None, value: str, prefixes: dict[str, str], base: str) -> str | None:
    if kind == "iri":
        return urljoin(base, value[1:-1]) if base else value[1:-1]
    if kind == "pname":
        prefix, _, local = value.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None
