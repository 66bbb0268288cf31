"""The strict input gate: the one parser every RDF document ibmkg reads goes through.

pyoxigraph parses strictly (it passes every W3C RDF 1.1 syntax suite); this module adds what
a parser does not refuse but ibmkg must:

- an error names ``file:line:column`` and the offending text, with the fix;
- RDF/XML with a ``<!DOCTYPE`` or ``<!ENTITY`` is refused *before* parsing (a 686-byte
  file with nested entities expands to 1 GB);
- JSON-LD ``@context`` references are resolved from local files only, never fetched;
- blank nodes nested deeper than :data:`MAX_NESTING` are refused (10,000 nested blank nodes
  made canonicalization run for hours and the reasoner crash).

Security note: nothing here opens a network connection or a file other than the local
JSON-LD contexts it is asked to resolve, below ``context_dir``.

>>> quads = parse_rdf('<http://ex/a> <http://ex/p> "x"@en .', pyoxigraph.RdfFormat.N_TRIPLES)
>>> quads[0].object
<Literal value=x language=en>
>>> parse_rdf('<http://ex/a> <http://ex/p> ex:b .', pyoxigraph.RdfFormat.TURTLE, source="a.ttl")
Traceback (most recent call last):
...
ibmkg.errors.RdfSyntaxError: a.ttl:1:29: The prefix ex: has not been declared at 'ex:b'; ...
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Final

import pyoxigraph

from ibmkg._lexing import SHARED_TOKENS
from ibmkg.errors import InputError, RdfSyntaxError

__all__ = ["MAX_NESTING", "check_nesting", "format_for_path", "parse_rdf"]

#: The deepest chain of blank nodes accepted (RDFC-1.0 canonicalization grows steeply with it:
#: 64 levels take 0.2 s, 300 levels 20 s).
MAX_NESTING: Final = 64

_SUFFIXES: Final = {
    "ttl": pyoxigraph.RdfFormat.TURTLE, "turtle": pyoxigraph.RdfFormat.TURTLE,
    "nt": pyoxigraph.RdfFormat.N_TRIPLES, "ntriples": pyoxigraph.RdfFormat.N_TRIPLES,
    "nq": pyoxigraph.RdfFormat.N_QUADS, "nquads": pyoxigraph.RdfFormat.N_QUADS,
    "trig": pyoxigraph.RdfFormat.TRIG,
    "rdf": pyoxigraph.RdfFormat.RDF_XML, "xml": pyoxigraph.RdfFormat.RDF_XML,
    "owl": pyoxigraph.RdfFormat.RDF_XML,
    "jsonld": pyoxigraph.RdfFormat.JSON_LD, "json": pyoxigraph.RdfFormat.JSON_LD,
}
_DTD = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_BRACKETS = re.compile(SHARED_TOKENS + r"| (?P<open>[\[(]) | (?P<close>[\])]) | (?P<other>.)",
                       re.VERBOSE | re.DOTALL)
_HINTS: Final = (
    ("has not been declared", "declare the prefix with @prefix at the top of the file"),
    ("Invalid IRI code point",
     "IRIs cannot contain spaces, quotes or <>{}|^`; percent-encode them"),
    ("No scheme found", "write an absolute IRI (https://...) or a declared prefixed name"),
    ("Unexpected end of file", "close the string, bracket or statement that is still open"),
    ("not a valid subject", "a statement must start with an IRI or a blank node"),
)


def format_for_path(path: Path) -> pyoxigraph.RdfFormat:
    """Choose the RDF syntax from a file name's extension.

    :param path: the file.
    :returns: the pyoxigraph format.
    :raises InputError: for an extension that is not an RDF syntax.

    >>> format_for_path(Path("kg/review.ttl")).name
    'Turtle'
    """
    suffix = path.suffix.lower().lstrip(".")
    try:
        return _SUFFIXES[suffix]
    except KeyError:
        known = ", ".join(sorted(_SUFFIXES))
        raise InputError(f"{path}: unknown RDF file extension {path.suffix!r}; "
                         f"use one of {known}") from None


def parse_rdf(
    data: str | bytes,
    fmt: pyoxigraph.RdfFormat,
    *,
    source: str = "<string>",
    base_iri: str | None = None,
    context_dir: Path | None = None,
    max_nesting: int = MAX_NESTING,
) -> list[pyoxigraph.Quad]:
    """Parse one RDF document strictly, or explain exactly why not.

    :param data: the document (bytes must be UTF-8).
    :param fmt: its syntax.
    :param source: the name used in error messages (a relative path).
    :param base_iri: the base IRI for relative references.
    :param context_dir: where JSON-LD may find local ``@context`` files (none when ``None``).
    :param max_nesting: the deepest blank-node chain accepted.
    :returns: the quads, in document order (triples are in the default graph).
    :raises RdfSyntaxError: on a syntax error, with file, line, column and the text found.
    :raises InputError: for bytes that are not UTF-8, a DTD, or a remote JSON-LD context.

    >>> xml = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "x">]><r/>'
    >>> parse_rdf(xml, pyoxigraph.RdfFormat.RDF_XML, source="a.rdf")
    Traceback (most recent call last):
    ...
    ibmkg.errors.RdfSyntaxError: a.rdf:1:22: a DTD ... at '<!DOCTYPE'; ...
    """
    text = _decode(data, source)
    if fmt == pyoxigraph.RdfFormat.RDF_XML:
        _refuse_dtd(text, source)
    parsed_text = text
    if fmt == pyoxigraph.RdfFormat.JSON_LD:
        parsed_text = _local_contexts(text, source, context_dir)
    try:
        quads = list(pyoxigraph.parse(input=parsed_text, format=fmt, base_iri=base_iri))
    except SyntaxError as err:
        raise syntax_error(err, parsed_text, source) from None
    check_nesting(quads, source, max_nesting=max_nesting, text=text)
    return quads


def syntax_error(err: SyntaxError, text: str, source: str) -> RdfSyntaxError:
    """Turn pyoxigraph's :class:`SyntaxError` into an :class:`RdfSyntaxError` with the text found.

    :param err: the parser's error.
    :param text: the document that was parsed.
    :param source: the name used in messages.
    :returns: the error to raise.
    """
    message = str(err.msg)
    problem = message.split(": ", 1)[-1] if ": " in message else message
    line, column = err.lineno or 0, err.offset or 0
    end = err.end_offset if err.end_lineno == line else None
    return RdfSyntaxError(source, line, column, problem, _hint(problem),
                          found=excerpt(text, line, column, end))


def excerpt(text: str, line: int, column: int, end: int | None = None) -> str:
    """The text at ``line:column`` (1-based), at most 40 characters, for error messages.

    :param text: the document.
    :param line: 1-based line.
    :param column: 1-based column.
    :param end: 1-based column just after the offending text, when known.
    :returns: the offending text, ``end of file``, or ``""`` when the position is unknown.

    >>> excerpt("a b\\nc dd e", 2, 3, 5)
    'dd'
    """
    if line <= 0:
        return ""
    lines = text.splitlines()
    if line > len(lines):
        return "end of file"
    row = lines[line - 1]
    start = max(column - 1, 0)
    if start >= len(row):
        return "end of line" if line < len(lines) else "end of file"
    stop = end - 1 if end is not None and end - 1 > start else start + 40
    return row[start:min(stop, start + 40)]


def _hint(problem: str) -> str:
    for needle, hint in _HINTS:
        if needle in problem:
            return hint
    return "fix the RDF at that position"


def _decode(data: str | bytes, source: str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"{source}: byte {err.start} is not UTF-8; save the file as UTF-8",
                         ) from None


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _refuse_dtd(text: str, source: str) -> None:
    match = _DTD.search(text)
    if match is not None:
        line, column = _position(text, match.start())
        raise RdfSyntaxError(
            source, line, column,
            "a DTD (<!DOCTYPE or <!ENTITY) is refused before parsing: entities can expand "
            "to gigabytes or read other files",
            "remove the DTD and write the entities' text out",
            found=text[match.start():match.end()],
        )


# --- JSON-LD: local contexts only -------------------------------------------------------


def _local_contexts(text: str, source: str, context_dir: Path | None) -> str:
    """Inline every ``@context`` given by reference from a local file; refuse remote ones."""
    if "@context" not in text:
        return text
    try:
        document = json.loads(text)
    except json.JSONDecodeError as err:
        raise RdfSyntaxError(source, err.lineno, err.colno, f"not JSON ({err.msg})",
                             "fix the JSON at that position",
                             found=excerpt(text, err.lineno, err.colno)) from None
    return json.dumps(_inline(document, source, context_dir, depth=0))


def _inline(node: Any, source: str, context_dir: Path | None, *, depth: int) -> Any:
    if isinstance(node, list):
        return [_inline(item, source, context_dir, depth=depth) for item in node]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key == "@context":
            result[key] = _context_value(value, source, context_dir, depth=depth)
        else:
            result[key] = _inline(value, source, context_dir, depth=depth)
    return result


def _context_value(value: Any, source: str, context_dir: Path | None, *, depth: int) -> Any:
    if isinstance(value, list):
        return [_context_value(v, source, context_dir, depth=depth) for v in value]
    if not isinstance(value, str):
        return value
    if depth > 8:
        raise InputError(f"{source}: @context references nest more than 8 deep; inline them")
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", value) and not value.startswith("file:"):
        raise InputError(
            f"{source}: @context {value!r} is remote and ibmkg never fetches during loading; "
            "save the context beside the file and refer to it by a relative path"
        )
    if context_dir is None:
        raise InputError(f"{source}: @context {value!r} names a file, but no local folder "
                         "was given to resolve it; inline the context")
    base = context_dir.resolve()
    target = (base / value.removeprefix("file:").lstrip("/")).resolve()
    if not target.is_relative_to(base) or not target.is_file():
        raise InputError(f"{source}: @context {value!r} is not a file inside "
                         f"{context_dir.name}/; put the context there")
    try:
        loaded = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise InputError(f"{source}: @context {value!r} cannot be read as JSON ({err})") from None
    inner = loaded.get("@context", {}) if isinstance(loaded, dict) else {}
    return _context_value(inner, source, context_dir, depth=depth + 1)


# --- blank-node nesting --------------------------------------------------------------------


def check_nesting(quads: Sequence[pyoxigraph.Quad] | Iterable[pyoxigraph.Quad], source: str, *,
                  max_nesting: int = MAX_NESTING, text: str | None = None) -> None:
    """Refuse chains of blank nodes deeper than ``max_nesting``.

    :param quads: the parsed document.
    :param source: the name used in messages.
    :param max_nesting: the deepest chain accepted.
    :param text: the Turtle/TriG text, to point at the bracket that goes too deep.
    :raises RdfSyntaxError: naming the depth, and where when the text shows it.

    >>> import pyoxigraph as ox
    >>> deep = '<http://ex/a> <http://ex/p> ' + '[ <http://ex/p> ' * 5 + '1' + ' ]' * 5 + ' .'
    >>> check_nesting(ox.parse(input=deep, format=ox.RdfFormat.TURTLE), "d.ttl", max_nesting=3,
    ...               text=deep)
    Traceback (most recent call last):
    ...
    ibmkg.errors.RdfSyntaxError: d.ttl:1:77: blank nodes nested 5 deep ... at '['; ...
    """
    children: dict[pyoxigraph.BlankNode, list[pyoxigraph.BlankNode]] = {}
    for quad in quads:
        if isinstance(quad.subject, pyoxigraph.BlankNode):
            kids = children.setdefault(quad.subject, [])
            if isinstance(quad.object, pyoxigraph.BlankNode):
                kids.append(quad.object)
    if not children:
        return
    depth = _longest_chain(children)
    if depth <= max_nesting:
        return
    line, column, found = _deep_bracket(text, max_nesting) if text else (0, 0, "")
    raise RdfSyntaxError(
        source, line, column,
        f"blank nodes nested {depth} deep (at most {max_nesting} accepted)",
        "give the inner nodes IRIs, or split the structure",
        found=found,
    )


def _longest_chain(children: dict[pyoxigraph.BlankNode, list[pyoxigraph.BlankNode]]) -> int:
    """Longest path of blank nodes (iterative; a cycle counts once)."""
    depth: dict[pyoxigraph.BlankNode, int] = {}
    for root in children:
        if root in depth:
            continue
        stack: list[tuple[pyoxigraph.BlankNode, int]] = [(root, 0)]
        on_path: set[pyoxigraph.BlankNode] = set()
        while stack:
            node, index = stack.pop()
            kids = children.get(node, [])
            if index == 0:
                on_path.add(node)
            if index < len(kids):
                stack.append((node, index + 1))
                kid = kids[index]
                if kid not in depth and kid not in on_path:
                    stack.append((kid, 0))
                continue
            on_path.discard(node)
            depth[node] = 1 + max((depth.get(k, 0) for k in kids), default=0)
    return max(depth.values(), default=0)


def _deep_bracket(text: str, max_nesting: int) -> tuple[int, int, str]:
    level = 0
    for match in _BRACKETS.finditer(text):
        if match.lastgroup == "open":
            level += 1
            if level > max_nesting:
                line, column = _position(text, match.start())
                return line, column, match.group()
        elif match.lastgroup == "close":
            level = max(level - 1, 0)
    return 0, 0, ""
