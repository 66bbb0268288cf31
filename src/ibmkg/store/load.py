"""The strict loader, straight into a store: the gate's checks without a Python object per triple.

:func:`ibmkg.graph_io.load_project` parses every file into Python triples (validation and
the reasoner need them) and scans each file for its line index. A store does not: this
module hands each file's bytes to pyoxigraph's own loader, once into the file's named graph
and once into the merged default graph, and keeps the gate by byte scans in C:

- a byte order mark, bytes that are not UTF-8 and control characters are found by
  :meth:`bytes.startswith`, :meth:`bytes.decode` and one regular expression;
- ``owl:imports`` and blank-node nesting are checked on the parsed triples only for a file
  whose bytes could hold them (the word ``imports``; ``[``, ``(`` or ``_:`` outside
  strings, IRIs and comments), which no study file of the letter does; such a file (the
  ontology has blank nodes) is loaded from those triples, so its blank nodes are the same
  nodes in its named graph and in the default graph;
- a study described in another study's file: a byte scan of each study file for study
  IRIs other than its own (:func:`foreign_studies`), and the triples of such a file only;
- the line index (:class:`~ibmkg.source_index.SourceIndex`) only records each file's path:
  it is read and scanned when a location is first asked for.

On any error the file is parsed again by the reference path (:func:`ibmkg.graph_io.
parse_turtle` and the policy checks), so the message is exactly the one
:func:`~ibmkg.graph_io.load_project` gives (``file:line:column``, the text found, the fix).
A failed load leaves the store half-filled: load into a fresh store and drop it on error.

>>> from ibmkg.paths import Layout
>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     root = pathlib.Path(d)
...     (root / "ontology").mkdir()
...     _ = (root / "ontology" / "ibmkg.ttl").write_text("<urn:a> <urn:p> 1 .\\n")
...     store = pyoxigraph.Store()
...     index = load_project_into(store, Layout(root))
...     len(store), index.graph_of("urn:a")
(2, 'https://w3id.org/ibmkg/ontology/')
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, Final

import pyoxigraph

from ibmkg.errors import InputError, RdfSyntaxError
from ibmkg.graph_io import mapping_graph, parse_turtle, refuse_control_characters
from ibmkg.io.gate import check_nesting
from ibmkg.io.policy import check_study_slugs, confine, refuse_imports
from ibmkg.namespaces import PREFIXES
from ibmkg.paths import Layout, graph_name, import_files, kg_files
from ibmkg.source_index import SourceIndex

__all__ = ["foreign_studies", "load_files_into", "load_project_into", "might_nest"]

#: Every byte but the refused control characters (``bytes.translate`` deletes them, in C).
_NOT_CONTROL: Final = bytes(b for b in range(256)
                            if not (b <= 0x08 or b in (0x0B, 0x0C) or 0x0E <= b <= 0x1F
                                    or b == 0x7F))
#: Strings, IRIs, escapes and comments: what may hold ``[``, ``(`` or ``_:`` that are not
#: blank nodes. Valid Turtle is read left to right, so the first construct that starts wins.
_OPAQUE: Final = re.compile(
    rb'"""(?:[^"\\]|\\.|"(?!""))*"""' rb"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    rb'|"(?:[^"\\\n\r]|\\.)*"' rb"|'(?:[^'\\\n\r]|\\.)*'"
    rb"|<[^<>\"{}|^`\\\x00-\x20]*>|\\.|#[^\n\r]*"
)
_STUDY: Final = PREFIXES["study"]


def might_nest(data: bytes) -> bool:
    """Whether a Turtle document could hold blank nodes (outside strings, IRIs and comments).

    :param data: the document.
    :returns: ``True`` when it has ``[``, ``(`` or ``_:`` outside them.

    >>> might_nest(b'<urn:a> <urn:p> "x (1) [2] _:b" . # ( [')
    False
    >>> might_nest(b'<urn:a> <urn:p> [ <urn:q> 1 ] .')
    True
    >>> might_nest(b'# made by x (seed 1)\\n<urn:a> <urn:p> "y" .')
    False
    >>> might_nest(b"<urn:a> <urn:p> '''\\n#''' , [ <urn:q> 1 ] .")
    True
    """
    if b"[" not in data and b"(" not in data and b"_:" not in data:
        return False
    if b"_:" not in data and all(_in_string(data, at) for at in _openers(data)):
        return False
    bare = _OPAQUE.sub(b" ", data)
    return b"[" in bare or b"(" in bare or b"_:" in bare


def _openers(data: bytes) -> Iterator[int]:
    """The offsets of every ``[`` and ``(`` (``bytes.find``: a memory scan, not a regex)."""
    for opener in (b"[", b"("):
        at = data.find(opener)
        while at != -1:
            yield at
            at = data.find(opener, at + 1)


def _in_string(data: bytes, offset: int) -> bool:
    """Whether a bracket is surely opaque: inside a one-line double-quoted string (odd quotes
    before it on its line, and nothing that makes counting quotes unsafe), or on a line that
    starts with ``#`` and has no quote before it (a comment, or the inside of a long string
    that does not close before the bracket: opaque either way)."""
    before = data[data.rfind(b"\n", 0, offset) + 1:offset]
    if b"\\" in before or b"'" in before or b'"""' in before:
        return False
    if b'"' not in before and before.lstrip(b" \t").startswith(b"#"):
        return True
    return before.count(b'"') % 2 == 1


def _reference_checks(data: bytes, display: str) -> list[pyoxigraph.Triple]:
    """The reference path on one file: raises exactly what :func:`load_project` raises."""
    text = data.decode("utf-8")
    refuse_control_characters(text, display)
    triples = parse_turtle(text, source=display)
    refuse_imports(triples, display)
    check_nesting([pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples],
                  display, text=text)
    return triples


def _load_one(store: pyoxigraph.Store, path: Path, display: str, name: str,
              named: bool = True) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{display}: no such file") from None
    except OSError as err:
        raise InputError(f"{display}: cannot read ({err.strerror})") from None
    if data.startswith(b"\xef\xbb\xbf"):
        raise RdfSyntaxError(display, 1, 1, "the file starts with a byte order mark",
                             "save it as UTF-8 without BOM")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"{display}: byte {err.start} is not UTF-8; save the file as UTF-8",
                         ) from None
    if (data.translate(None, _NOT_CONTROL) or b"imports" in data or might_nest(data)):
        # blank nodes: the same parsed nodes in both graphs, as load_project has them
        triples = _reference_checks(data, display)
        graph = pyoxigraph.NamedNode(name)
        store.extend(([pyoxigraph.Quad(t.subject, t.predicate, t.object, graph)
                       for t in triples] if named else [])
                     + [pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples])
        return data
    try:
        if named:
            store.bulk_load(data, format=pyoxigraph.RdfFormat.TURTLE,
                            to_graph=pyoxigraph.NamedNode(name))
        store.bulk_load(data, format=pyoxigraph.RdfFormat.TURTLE)
    except SyntaxError:
        _reference_checks(data, display)  # raises the reference message
        raise
    return data


def load_files_into(store: pyoxigraph.Store, files: Sequence[tuple[Path, str, str]], *,
                    batch: int = 0, sink: BinaryIO | None = None,
                    study_graphs: bool = True) -> SourceIndex:
    """Load Turtle files strictly into a store: each into its named graph and the default graph.

    :param store: the store to fill (fresh: a failure leaves it half-filled).
    :param files: ``(path, display, graph name)`` for each file, already confined.
    :param batch: see :func:`load_project_into`.
    :param sink: see :func:`load_project_into`.
    :param study_graphs: see :func:`load_project_into`.
    :returns: the line index, scanned lazily.
    :raises RdfSyntaxError: on the first file that does not parse, with file:line:column.
    :raises InputError: for bytes that are not UTF-8, ``owl:imports``, two files for one
        graph, or a study described in another study's file.
    """
    index = SourceIndex()
    seen: dict[str, str] = {}
    suspects: list[str] = []
    target = pyoxigraph.Store() if batch else store
    for number, (path, display, name) in enumerate(files, start=1):
        if name in seen:
            raise InputError(
                f"{display} and {seen[name]} would both be the graph <{name}>; rename one")
        seen[name] = display
        data = _load_one(target, path, display, name,
                         named=study_graphs or not name.startswith(_STUDY))
        if batch and (number % batch == 0 or number == len(files)):
            if sink is not None:
                target.dump(output=sink, format=pyoxigraph.RdfFormat.N_QUADS)
            else:
                store.bulk_load(target.dump(format=pyoxigraph.RdfFormat.N_QUADS) or b"",
                                format=pyoxigraph.RdfFormat.N_QUADS)
            target = pyoxigraph.Store()
        if name.startswith(_STUDY) and foreign_studies(data, name[len(_STUDY):]):
            suspects.append(name[len(_STUDY):])
        index.add_file(display, path, graph=name)
    _check_slugs([(name[len(_STUDY):], display, path) for path, display, name in files
                  if name.startswith(_STUDY)], suspects)
    return index


_DECLARED: Final = f"study: <{_STUDY}>".encode()
_NAMESPACE_END: Final = _STUDY.removeprefix("https://w3id.org").encode() + b">"
_STUDY_REFS: Final = (re.compile(rb"study:([^\s/#>;,()\[\]\"'<]*)"),
                      re.compile(rb"/ibmkg/study/([^\s/#>;,()\[\]\"'<]*)"))


def foreign_studies(data: bytes, slug: str) -> bool:
    """Whether a study file could describe a study other than its own (a byte scan).

    It may answer ``True`` for a file that does not (then the triples decide); it never
    answers ``False`` for one that does: another prefix bound to (a part of) the study
    namespace, ``@base`` and ``\\u`` escapes all answer ``True``.

    :param data: the file's bytes.
    :param slug: the study the file is named for.
    :returns: the answer.

    >>> own = b"@prefix study: <https://w3id.org/ibmkg/study/> .\\nstudy:a <urn:p> study:a ."
    >>> foreign_studies(own, "a"), foreign_studies(own.replace(b"study:a <", b"study:b <"), "a")
    (False, True)
    """
    if b"\\" in data or b"base" in data.lower():  # escapes, @base or BASE: read the triples
        return True
    if data.count(_NAMESPACE_END) != data.count(_DECLARED):  # another prefix for the namespace
        return True
    own = slug.encode("utf-8")
    return any(not set(pattern.findall(data)) <= {b"", own} for pattern in _STUDY_REFS)


def _check_slugs(studies: list[tuple[str, str, Path]], suspects: list[str]) -> None:
    """:func:`check_study_slugs`, reading the triples of the suspect files only."""
    if not studies:
        return
    check_study_slugs([(slug, display, ()) for slug, display, _ in studies], _STUDY)
    if not suspects:
        return
    suspect = set(suspects)
    check_study_slugs([(slug, display, parse_turtle(path.read_text(encoding="utf-8"),
                                                    source=display) if slug in suspect else ())
                       for slug, display, path in studies], _STUDY)


def load_project_into(store: pyoxigraph.Store, layout: Layout, *,
                      with_mappings: bool = True, batch: int = 0,
                      sink: BinaryIO | None = None, study_graphs: bool = True) -> SourceIndex:
    """Load a whole project into a store, as :func:`ibmkg.graph_io.load_project` reads it.

    The same graphs and default graph as ``EmbeddedStore.from_data(load_project(layout))``,
    without holding the triples in Python.

    :param store: a fresh store to fill.
    :param layout: the project layout.
    :param with_mappings: whether to include the SSSOM mappings graph.
    :param batch: for a store on disk: load this many files at a time into a store in
        memory and move each batch over in one bulk load of N-Quads (pyoxigraph's bulk
        loader is slow per small call on disk); 0 loads straight into ``store``.
    :param study_graphs: also load each study file into its own named graph; without them
        (the query store of :mod:`ibmkg.store.cache`) a study file's triples are stored once,
        in the default graph, and every other file keeps its named graph.
    :param sink: with ``batch``, write each batch as N-Quads to this binary file instead of
        loading it into ``store`` (then one bulk load of the whole file fills a store on
        disk fastest); ``store`` is left untouched.
    :returns: the line index (files recorded, scanned when first asked).
    :raises RdfSyntaxError: on the first file that does not parse.
    :raises InputError: when the ontology is missing, or a check of the gate fails.
    """
    if not layout.ontology.is_file():
        raise InputError(f"{layout.relative(layout.ontology).as_posix()}: no such file")
    files: list[tuple[Path, str, str]] = []
    others = [layout.ontology, *import_files(layout)]
    review = kg_files(layout)
    studies_dir = layout.studies
    prefix = layout.relative(studies_dir).as_posix()
    for path in others + review:
        if path.parent == studies_dir:  # the listing confined it; the name says the graph
            files.append((path, f"{prefix}/{path.name}", f"{_STUDY}{path.stem}"))
            continue
        display = layout.relative(path).as_posix()
        if layout.contains(path):
            confine(path, layout.root, display)
        files.append((path, display, graph_name(path, layout)))
    index = load_files_into(store, files, batch=batch, sink=sink, study_graphs=study_graphs)
    if with_mappings:
        mappings = mapping_graph(layout)
        if mappings is not None:
            target = pyoxigraph.Store() if sink is not None else store
            graph = pyoxigraph.NamedNode(mappings.name)
            target.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object, graph)
                          for t in mappings.triples)
            target.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object)
                          for t in mappings.triples)
            if sink is not None:
                target.dump(output=sink, format=pyoxigraph.RdfFormat.N_QUADS)
    return index
