"""Reading curated RDF strictly, and writing files so that a failure never leaves half a file.

Curated Turtle is parsed by pyoxigraph, which rejects what rdflib silently accepts (IRIs with
spaces, literals as subjects, ``"x"@en^^dt`` ...) and reports line and column. Each file
becomes its own named graph (see :func:`ibmkg.paths.graph_name`), and a
:class:`~ibmkg.source_index.SourceIndex` remembers where each subject is described so
validation messages can say ``file:line``.

>>> triples = parse_turtle('<https://w3id.org/ibmkg/study/x> a <https://w3id.org/ibmkg/x> .')
>>> len(triples)
1
>>> parse_turtle('<http://ex/a b> <http://ex/p> 1 .', source="bad.ttl")
Traceback (most recent call last):
...
ibmkg.errors.RdfSyntaxError: bad.ttl:1:1: ...
"""

from __future__ import annotations

import contextlib
import importlib
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph

from ibmkg.errors import InputError, RdfSyntaxError
from ibmkg.io.gate import parse_rdf
from ibmkg.io.policy import check_study_slugs, confine, refuse_imports
from ibmkg.io.swap import clean_stale, swap_in
from ibmkg.namespaces import PREFIXES
from ibmkg.paths import Layout, display_path, graph_name, import_files, kg_files
from ibmkg.source_index import SourceIndex

if TYPE_CHECKING:
    import rdflib

__all__ = [
    "LoadedData",
    "SourceGraph",
    "atomic_write",
    "from_rdflib_graph",
    "load_dataset",
    "load_project",
    "load_rdf",
    "load_turtle",
    "parse_turtle",
    "staging_dir",
    "to_rdflib_dataset",
    "to_rdflib_graph",
]


def parse_turtle(text: str, *, source: str = "<string>") -> list[pyoxigraph.Triple]:
    """Parse Turtle text strictly, through the input gate (:func:`ibmkg.io.gate.parse_rdf`).

    :param text: the Turtle document.
    :param source: the name used in error messages.
    :returns: its triples, in document order.
    :raises RdfSyntaxError: naming ``source:line:column``, the text found and the fix.
    """
    if text.startswith("\ufeff"):
        raise RdfSyntaxError(source, 1, 1, "the file starts with a byte order mark",
                             "save it as UTF-8 without BOM")
    quads = parse_rdf(text, pyoxigraph.RdfFormat.TURTLE, source=source)
    return [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads]


def load_turtle(path: Path, *, display: str | None = None) -> list[pyoxigraph.Triple]:
    """Read and strictly parse one Turtle file.

    :param path: the file.
    :param display: the name to use in messages (by default the path as given).
    :returns: its triples.
    :raises RdfSyntaxError: on a syntax error, with file, line and column.
    :raises InputError: when the file cannot be read or is not UTF-8.
    """
    name = display or display_path(path)
    return parse_turtle(read_text(path, display=name), source=name)


def load_rdf(path: Path, *, display: str | None = None, base_iri: str | None = None,
             ) -> list[pyoxigraph.Quad]:
    """Read and strictly parse an RDF file of any syntax (chosen by its extension).

    JSON-LD contexts are resolved from the file's own folder only; RDF/XML with a DTD is
    refused; see :func:`ibmkg.io.gate.parse_rdf`.

    :param path: the file (``.ttl``, ``.nt``, ``.nq``, ``.trig``, ``.rdf``/``.owl``/``.xml``,
        ``.jsonld``).
    :param display: the name to use in messages (by default the path as given).
    :param base_iri: the base IRI for relative references.
    :returns: its quads.
    :raises RdfSyntaxError: on a syntax error, with file, line, column and the text found.
    :raises InputError: when the file cannot be read, is not UTF-8 or has an unknown extension.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = pathlib.Path(d) / "a.nq"
    ...     _ = f.write_text("<http://ex/a> <http://ex/p> <http://ex/o> <http://ex/g> .\\n")
    ...     load_rdf(f)[0].graph_name
    <NamedNode value=http://ex/g>
    """
    from ibmkg.io.gate import format_for_path

    name = display or display_path(path)
    fmt = format_for_path(path)
    text = read_text(path, display=name)
    if fmt == pyoxigraph.RdfFormat.TURTLE and text.startswith("\ufeff"):
        text = text[1:]
    return parse_rdf(text, fmt, source=name, base_iri=base_iri, context_dir=path.parent)


def read_text(path: Path, *, display: str | None = None) -> str:
    """Read a UTF-8 text file, turning OS and decoding errors into :class:`InputError`.

    :param path: the file.
    :param display: the name to use in messages.
    :returns: its text.
    :raises InputError: when it is missing, unreadable or not UTF-8.
    """
    name = display or display_path(path)
    try:
        with path.open(encoding="utf-8", newline="") as handle:  # keep \r as written
            text = handle.read()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except UnicodeDecodeError as err:
        raise InputError(f"{name}: byte {err.start} is not UTF-8; save the file as UTF-8") from None
    except OSError as err:
        raise InputError(f"{name}: cannot read ({err.strerror})") from None
    return text


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def refuse_control_characters(text: str, source: str) -> None:
    """Refuse invisible control characters (NUL and kin) in a hand-edited text file.

    A NUL byte in a literal is legal RDF, but no curator means it, and tools downstream (the
    reasoner among them) fail on it; tab, line feed and carriage return are allowed.

    :param text: the file's text.
    :param source: the name used in messages.
    :raises RdfSyntaxError: naming the line and column of the first such character.

    >>> refuse_control_characters('ex:a ex:p "ab" .', "x.ttl")
    >>> refuse_control_characters('ex:a ex:p "a\\x00b" .', "x.ttl")
    Traceback (most recent call last):
    ...
    ibmkg.errors.RdfSyntaxError: x.ttl:1:13: control character U+0000 ...
    """
    match = _CONTROL.search(text)
    if match is None:
        return
    offset = match.start()
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    raise RdfSyntaxError(source, line, column,
                         f"control character U+{ord(match.group()):04X} in the text",
                         "delete it (write \\u escapes in a literal if it is really meant)",
                         found=_CONTROL.sub(lambda m: f"<U+{ord(m.group()):04X}>",
                                             text[max(offset - 10, 0):offset + 10]))


@dataclass(frozen=True)
class SourceGraph:
    """The triples of one source, destined for one named graph.

    :param name: the graph IRI.
    :param display: the source as shown in messages (a relative path).
    :param triples: the triples.
    """

    name: str
    display: str
    triples: tuple[pyoxigraph.Triple, ...]

    def quads(self) -> Iterator[pyoxigraph.Quad]:
        """Yield the triples as quads in this graph."""
        graph = pyoxigraph.NamedNode(self.name)
        for t in self.triples:
            yield pyoxigraph.Quad(t.subject, t.predicate, t.object, graph)


@dataclass(frozen=True)
class LoadedData:
    """Everything loaded for one run: one :class:`SourceGraph` per file, plus the index.

    :param graphs: the graphs, in load order.
    :param index: where each subject is described.
    """

    graphs: tuple[SourceGraph, ...]
    index: SourceIndex

    def quads(self, *, study_graphs: bool = True) -> Iterator[pyoxigraph.Quad]:
        """Yield every quad of every graph.

        :param study_graphs: include the graphs of the study files (``study:<slug>``); the
            query store keeps a study's triples in the default graph only.
        :returns: the quads.
        """
        study = PREFIXES["study"]
        for graph in self.graphs:
            if study_graphs or not graph.name.startswith(study):
                yield from graph.quads()

    def triples(self) -> Iterator[pyoxigraph.Triple]:
        """Yield the triples of the union of all graphs (duplicates possible)."""
        for graph in self.graphs:
            yield from graph.triples

    def dataset(self) -> pyoxigraph.Dataset:
        """Return the quads as an in-memory :class:`pyoxigraph.Dataset`."""
        return pyoxigraph.Dataset(self.quads())

    def graph(self, name: str) -> SourceGraph:
        """Return the graph with this name.

        :param name: a graph IRI.
        :returns: the graph.
        :raises KeyError: when no such graph was loaded.
        """
        for graph in self.graphs:
            if graph.name == name:
                return graph
        raise KeyError(name)

    def names(self) -> list[str]:
        """Return the graph names, in load order."""
        return [graph.name for graph in self.graphs]

    def with_graph(self, graph: SourceGraph) -> LoadedData:
        """Return a copy with one more graph (replacing one of the same name).

        :param graph: the graph to add.
        :returns: the new data.
        """
        kept = tuple(g for g in self.graphs if g.name != graph.name)
        return LoadedData((*kept, graph), self.index)


def load_dataset(
    ontology: Path | None,
    kg: Sequence[Path],
    *,
    layout: Layout,
    imports: Sequence[Path] = (),
) -> LoadedData:
    """Parse the ontology, its imports and the curated files, each into its own named graph.

    :param ontology: the ontology file, or ``None`` to leave it out.
    :param kg: the curated data files (review, studies).
    :param layout: the project layout, used to name graphs and shorten paths in messages.
    :param imports: external term modules.
    :returns: the loaded graphs and the source index.
    :raises RdfSyntaxError: on the first file that does not parse.
    :raises InputError: when a file is missing, a link out of the project, or two files
        describe the same study or map to the same graph.
    """
    files = ([ontology] if ontology is not None else []) + list(imports) + list(kg)
    index = SourceIndex()
    graphs: list[SourceGraph] = []
    seen: dict[str, str] = {}
    for path in files:
        display = layout.relative(path).as_posix()
        name = graph_name(path, layout)
        if name in seen:
            raise InputError(
                f"{display} and {seen[name]} would both be the graph <{name}>; rename one"
            )
        seen[name] = display
        if layout.contains(path):
            confine(path, layout.root, display)
        text = read_text(path, display=display)
        refuse_control_characters(text, display)
        triples = parse_turtle(text, source=display)
        refuse_imports(triples, display)
        index.scan(display, text, graph=name)
        graphs.append(SourceGraph(name, display, tuple(triples)))
    check_study_slugs([(g.name[len(PREFIXES["study"]):], g.display, g.triples)
                       for g in graphs if g.name.startswith(PREFIXES["study"])],
                      PREFIXES["study"])
    return LoadedData(tuple(graphs), index)


def load_project(layout: Layout, *, with_mappings: bool = True) -> LoadedData:
    """Load a whole project: ontology, imports, review, studies and (if any) the mappings.

    The SSSOM mappings are turned into RDF by ``ibmkg.mappings.mapping_triples(path)`` when
    that module exists; otherwise they are left out.

    :param layout: the project layout.
    :param with_mappings: whether to try to include the mappings graph.
    :returns: the loaded graphs.
    :raises RdfSyntaxError: on the first file that does not parse.
    :raises InputError: when the ontology is missing.
    """
    if not layout.ontology.is_file():
        raise InputError(f"{layout.relative(layout.ontology).as_posix()}: no such file")
    data = load_dataset(
        layout.ontology, kg_files(layout), layout=layout, imports=import_files(layout)
    )
    if with_mappings:
        mappings = mapping_graph(layout)
        if mappings is not None:
            data = data.with_graph(mappings)
    return data


def mapping_graph(layout: Layout) -> SourceGraph | None:
    """Return the SSSOM mappings as a graph, through ``ibmkg.mappings.mapping_triples``.

    :param layout: the project layout.
    :returns: the graph, or ``None`` when there is no mapping file or no converter.
    """
    from ibmkg.paths import MAPPINGS_GRAPH

    if not layout.mappings.is_file():
        return None
    try:
        module = importlib.import_module("ibmkg.mappings")
    except ModuleNotFoundError:
        return None
    triples = tuple(module.mapping_triples(layout.mappings))
    return SourceGraph(MAPPINGS_GRAPH, layout.relative(layout.mappings).as_posix(), triples)


# --- rdflib at the edge (pySHACL needs it) -------------------------------------------------


def to_rdflib_graph(triples: Iterable[pyoxigraph.Triple | pyoxigraph.Quad]) -> rdflib.Graph:
    """Copy triples into an :class:`rdflib.Graph`, losslessly (lexical forms kept).

    :param triples: pyoxigraph triples or quads (graph names are dropped).
    :returns: a new rdflib graph.

    >>> xsd = "http://www.w3.org/2001/XMLSchema#"
    >>> g = to_rdflib_graph(parse_turtle(f'<http://ex/a> <http://ex/p> "1.50"^^<{xsd}decimal> .'))
    >>> [str(o) for o in g.objects()]
    ['1.50']
    """
    import rdflib

    graph = rdflib.Graph()
    with _quiet_rdflib():
        convert = _rdflib_converter()
        for t in triples:
            graph.add((convert(t.subject), convert(t.predicate), convert(t.object)))
    return graph


def _rdflib_converter() -> Callable[[object], rdflib.term.Node]:
    """Term by term, no parser: rdflib's N-Triples reader is quadratic in a line's length (a
    1 MB literal took 31 s, a 10 MB one over 400 s, in validation)."""
    import rdflib

    string = pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#string")

    def convert(term: object) -> rdflib.term.Node:
        if isinstance(term, pyoxigraph.NamedNode):
            return rdflib.URIRef(term.value)
        if isinstance(term, pyoxigraph.BlankNode):
            return rdflib.BNode(term.value)
        if isinstance(term, pyoxigraph.Literal):
            if term.language:
                return rdflib.Literal(term.value, lang=term.language)
            if term.datatype == string:
                return rdflib.Literal(term.value)
            return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))
        raise InputError(f"cannot hand the RDF-star term {term} to rdflib")

    return convert


@contextlib.contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """Keep lexical forms as written and silence rdflib's traceback per ill-typed literal.

    rdflib rewrites ``"1.25e0"^^xsd:double`` as ``1.25E0`` unless literal normalization is
    off; SHACL reports ill-typed literals properly, so their log noise is dropped.
    """
    import logging

    import rdflib

    logger = logging.getLogger("rdflib.term")
    level = logger.level
    normalize = rdflib.NORMALIZE_LITERALS
    logger.setLevel(logging.CRITICAL)
    rdflib.NORMALIZE_LITERALS = False
    try:
        yield
    finally:
        rdflib.NORMALIZE_LITERALS = normalize
        logger.setLevel(level)


def from_rdflib_graph(graph: rdflib.Graph) -> list[pyoxigraph.Triple]:
    """Copy an :class:`rdflib.Graph` back into pyoxigraph triples (through N-Triples).

    :param graph: the rdflib graph.
    :returns: its triples.

    >>> g = to_rdflib_graph(parse_turtle('<http://ex/a> <http://ex/p> "x"@en .'))
    >>> from_rdflib_graph(g)[0].object
    <Literal value=x language=en>
    """
    data = graph.serialize(format="nt", encoding="utf-8")
    return [pyoxigraph.Triple(q.subject, q.predicate, q.object)
            for q in pyoxigraph.parse(input=data, format=pyoxigraph.RdfFormat.N_TRIPLES)]


def to_rdflib_dataset(data: LoadedData) -> rdflib.Dataset:
    """Copy every named graph into an :class:`rdflib.Dataset`.

    :param data: the loaded graphs.
    :returns: a new rdflib dataset.
    """
    import rdflib

    dataset = rdflib.Dataset()
    with _quiet_rdflib():
        convert = _rdflib_converter()
        for graph in data.graphs:
            context = dataset.graph(rdflib.URIRef(graph.name))
            for t in graph.triples:
                context.add((convert(t.subject), convert(t.predicate), convert(t.object)))
    return dataset


# --- writing -------------------------------------------------------------------------------


def atomic_write(path: Path, content: str | bytes) -> None:
    """Write a file so that readers see either the old or the whole new content.

    The data goes to a temporary file in the same directory, is flushed to disk, then
    renamed over ``path``; on any error the temporary file is removed and ``path`` is left
    as it was. Temporary files of killed runs (``.<name>.tmp-<pid>-*``) are removed first.

    :param path: the target file (its directory must exist).
    :param content: text (written as UTF-8) or bytes.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     target = pathlib.Path(d) / "x.ttl"
    ...     atomic_write(target, "<http://ex/a> <http://ex/p> 1 .\\n")
    ...     target.read_text()
    '<http://ex/a> <http://ex/p> 1 .\\n'
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    clean_stale(path.parent / f".{path.name}")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.tmp-{os.getpid()}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
        Path(tmp).chmod(mode)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def staging_dir(target: Path) -> Iterator[Path]:
    """Build a directory beside ``target`` and swap it in only if the block succeeds.

    On success the old ``target`` is replaced as a whole, in one atomic exchange (see
    :func:`ibmkg.io.swap.swap_in`); on any exception the staging directory is deleted and
    ``target`` keeps its old content. Leftovers of killed runs are cleaned first.

    :param target: the directory to (re)create, e.g. ``build/``.
    :returns: a context manager yielding the staging directory to write into.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     out = pathlib.Path(d) / "build"
    ...     with staging_dir(out) as tmp:
    ...         _ = (tmp / "a.txt").write_text("new")
    ...     sorted(p.name for p in out.iterdir())
    ['a.txt']
    """
    with swap_in(target) as staging:
        yield staging
