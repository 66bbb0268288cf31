"""A deterministic, readable, lossless Turtle writer: the one format of committed RDF.

rdflib's serializer cuts ``xsd:double`` to 7 digits and its output order is not stable, so
ibmkg writes Turtle itself. The same graph always gives the same text:

- a prefix block with only the prefixes used, from :data:`ibmkg.namespaces.PREFIXES`, sorted;
- subjects sorted by IRI (then blank nodes), one blank line between them;
- ``rdf:type`` first as ``a``, then the other predicates and every object list sorted;
- literals exactly as parsed (lexical form, language tag, datatype), ``\"\"\"`` only for
  multi-line text; numbers and booleans bare when their lexical form allows it;
- IRIs as CURIEs when the local part is a valid ``PN_LOCAL``, else ``<...>``;
- blank nodes referenced once inlined as ``[ ... ]``, well-formed lists as ``( ... )``, any
  other blank node labelled after RDF canonicalization (RDFC-1.0), so labels are stable.

Specification: https://www.w3.org/TR/turtle/

>>> from ibmkg.graph_io import parse_turtle
>>> text = canonical_turtle(parse_turtle(
...     '<https://w3id.org/ibmkg/study/b> <http://www.w3.org/2000/01/rdf-schema#label> "B" ; '
...     'a <https://w3id.org/ibmkg/ontology/Study> .'))
>>> print(text, end="")
@prefix ibmkg: <https://w3id.org/ibmkg/ontology/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix study: <https://w3id.org/ibmkg/study/> .
<BLANKLINE>
study:b a ibmkg:Study ;
    rdfs:label "B" .
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from ibmkg.errors import InputError
from ibmkg.namespaces import PREFIXES, curie_for

__all__ = [
    "CanonResult",
    "canon_files",
    "canonical_trig",
    "canonical_turtle",
    "leading_comments",
]

Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal
Subject = pyoxigraph.NamedNode | pyoxigraph.BlankNode

_XSD = "http://www.w3.org/2001/XMLSchema#"
_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_TYPE = _RDF + "type"
_FIRST, _REST, _NIL = _RDF + "first", _RDF + "rest", _RDF + "nil"
_LANG_STRING = _RDF + "langString"
_WIDTH = 100
_INDENT = "    "

_BARE = {
    _XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    _XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    _XSD + "double": re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+"),
    _XSD + "boolean": re.compile(r"true|false"),
}
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b",
            "\f": "\\f"}


def canonical_turtle(
    triples: Iterable[pyoxigraph.Triple | pyoxigraph.Quad],
    *,
    header: str | None = None,
    prefixes: Mapping[str, str] = PREFIXES,
) -> str:
    """Write triples as canonical Turtle.

    :param triples: the graph (quads are read as triples: graph names are dropped).
    :param header: text to put first as ``#`` comment lines (lines already starting with ``#``
        are kept as they are).
    :param prefixes: the prefix map used for CURIEs.
    :returns: the Turtle text, ending with a newline.
    :raises InputError: for RDF-star triple terms, which Turtle 1.1 cannot write.

    >>> from ibmkg.graph_io import parse_turtle
    >>> g = parse_turtle('<http://ex/s> <http://ex/p> ( 1 2 ), [ <http://ex/q> "a\\\\nb" ] .')
    >>> print(canonical_turtle(g), end="")
    <http://ex/s> <http://ex/p> ( 1 2 ), [
            <http://ex/q> \"\"\"a
    b\"\"\"
        ] .
    """
    writer = _Writer(_prepare(triples), prefixes)
    return _document(header, writer.used_prefixes, writer.body(), prefixes)


def _document(header: str | None, used: set[str], body: list[str],
              prefixes: Mapping[str, str]) -> str:
    lines: list[str] = []
    if header:
        lines += [ln if ln.startswith("#") else f"# {ln}".rstrip() for ln in header.splitlines()]
        lines.append("")
    ordered = sorted(used, key=lambda p: (p.lower(), p))
    lines += [f"@prefix {p}: <{prefixes[p]}> ." for p in ordered]
    if ordered and body:
        lines.append("")
    text = "\n".join(lines + body)
    return text + "\n" if text else ""


def canonical_trig(
    graphs: Mapping[str, Iterable[pyoxigraph.Triple | pyoxigraph.Quad]],
    *,
    header: str | None = None,
    prefixes: Mapping[str, str] = PREFIXES,
) -> str:
    """Write named graphs as canonical TriG: one ``<name> { ... }`` block per graph, sorted.

    Blank node labels get a per-graph prefix, so graphs never share a blank node.

    :param graphs: graph IRI -> its triples.
    :param header: comment text to put first.
    :param prefixes: the prefix map used for CURIEs.
    :returns: the TriG text.

    >>> from ibmkg.graph_io import parse_turtle
    >>> print(canonical_trig({"https://w3id.org/ibmkg/study/a":
    ...     parse_turtle('<https://w3id.org/ibmkg/study/a> <http://ex/p> 1 .')}), end="")
    @prefix study: <https://w3id.org/ibmkg/study/> .
    <BLANKLINE>
    study:a {
    study:a <http://ex/p> 1 .
    }
    """
    used: set[str] = set()
    body: list[str] = []
    for i, name in enumerate(sorted(graphs)):
        writer = _Writer(_prepare(graphs[name]), prefixes, bnode_prefix=f"g{i}")
        lines = writer.body()
        label = writer.iri(name)
        used |= writer.used_prefixes
        if body:
            body.append("")
        body.append(f"{label} {{")
        body += lines  # not indented: a long string's lines must stay as they are
        body.append("}")
    return _document(header, used, body, prefixes)


def _prepare(triples: Iterable[pyoxigraph.Triple | pyoxigraph.Quad]) -> list[pyoxigraph.Triple]:
    unique: set[pyoxigraph.Triple] = set()
    has_bnode = False
    for t in triples:
        for term in (t.subject, t.object):
            if isinstance(term, pyoxigraph.Triple):
                raise InputError(f"cannot write the RDF-star triple term {term} as Turtle 1.1")
            has_bnode = has_bnode or isinstance(term, pyoxigraph.BlankNode)
        unique.add(pyoxigraph.Triple(t.subject, t.predicate, t.object))
    if not has_bnode:
        return list(unique)
    dataset = pyoxigraph.Dataset(
        pyoxigraph.Quad(t.subject, t.predicate, t.object, pyoxigraph.DefaultGraph())
        for t in unique
    )
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
    return [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in dataset]


@dataclass
class _Writer:
    triples: list[pyoxigraph.Triple]
    prefixes: Mapping[str, str]
    bnode_prefix: str = ""
    used_prefixes: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.props: dict[Subject, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        refs: Counter[pyoxigraph.BlankNode] = Counter()
        for t in self.triples:
            if isinstance(t.object, pyoxigraph.Triple):
                raise InputError(f"cannot write the RDF-star triple term {t.object} as Turtle")
            self.props[t.subject][t.predicate.value].append(t.object)  # type: ignore[index]
            if isinstance(t.object, pyoxigraph.BlankNode):
                refs[t.object] += 1
        self.refs = refs
        self.inline: set[pyoxigraph.BlankNode] = self._inlined()

    # -- which blank nodes are written inline ---------------------------------------------

    def _inlined(self) -> set[pyoxigraph.BlankNode]:
        candidates = {b for b, n in self.refs.items() if n == 1}
        roots = [s for s in self.props if not (isinstance(s, pyoxigraph.BlankNode)
                                               and s in candidates)]
        reached: set[pyoxigraph.BlankNode] = set()
        stack = list(roots)
        while stack:
            node = stack.pop()
            for objects in self.props.get(node, {}).values():
                for obj in objects:
                    if isinstance(obj, pyoxigraph.BlankNode) and obj in candidates \
                            and obj not in reached:
                        reached.add(obj)
                        stack.append(obj)
        # Candidates on a cycle of blank nodes are never reached: they keep labels.
        return reached

    def _list_items(self, node: pyoxigraph.BlankNode) -> list[Term] | None:
        items: list[Term] = []
        seen: set[pyoxigraph.BlankNode] = set()
        current: Term = node
        while not (isinstance(current, pyoxigraph.NamedNode) and current.value == _NIL):
            if not isinstance(current, pyoxigraph.BlankNode) or current not in self.inline \
                    or current in seen:
                return None
            props = self.props.get(current, {})
            if set(props) != {_FIRST, _REST} or len(props[_FIRST]) != 1 \
                    or len(props[_REST]) != 1:
                return None
            seen.add(current)
            items.append(props[_FIRST][0])
            current = props[_REST][0]
        return items

    # -- rendering ------------------------------------------------------------------------

    def body(self) -> list[str]:
        named = sorted((s for s in self.props if isinstance(s, pyoxigraph.NamedNode)),
                       key=lambda s: s.value)
        labelled = sorted((s for s in self.props if isinstance(s, pyoxigraph.BlankNode)
                           and s not in self.inline and self.refs[s] > 0), key=lambda s: s.value)
        anonymous = [s for s in self.props if isinstance(s, pyoxigraph.BlankNode)
                     and s not in self.inline and self.refs[s] == 0]
        blocks = [self._statement(self.iri(s.value), s) for s in named]
        blocks += [self._statement(self.label(s), s) for s in labelled]
        blocks += sorted(self._anonymous_statement(s) for s in anonymous)
        out: list[str] = []
        for block in blocks:
            if out:
                out.append("")
            out.extend(block.split("\n"))
        return out

    def _statement(self, subject: str, node: Subject) -> str:
        entries = self._entries(node, 1)
        if len(entries) == 1 and "\n" not in entries[0] \
                and len(subject) + len(entries[0]) - len(_INDENT) + 3 <= _WIDTH:
            return f"{subject} {entries[0].strip()} ."
        return f"{subject} {entries[0].lstrip()}" + "".join(f" ;\n{e}" for e in entries[1:]) + " ."

    def _anonymous_statement(self, node: pyoxigraph.BlankNode) -> str:
        return self._bnode(node, 0) + " ."

    def _entries(self, node: Subject, level: int) -> list[str]:
        """One string per predicate with its objects, indented at ``level``."""
        entries = []
        for predicate, objects in self.props.get(node, {}).items():
            name = "a" if predicate == _TYPE else self.iri(predicate)
            entries.append((predicate != _TYPE, name, objects))
        entries.sort(key=lambda e: (e[0], e[1]))
        pad = _INDENT * level
        out = []
        for _, name, objects in entries:
            texts = sorted((self.object(o, level) for o in objects),
                           key=lambda t: (t.startswith(("[", "(")), t))
            out.append(pad + name + " " + self._join_objects(texts, len(pad + name) + 1, level))
        return out

    def _join_objects(self, texts: Sequence[str], used: int, level: int) -> str:
        one_line = ", ".join(texts)
        if "\n" not in one_line and used + len(one_line) + 2 <= _WIDTH:
            return one_line
        out = texts[0]
        for text in texts[1:]:
            if text.startswith(("[\n", "(\n")):
                out += ", " + text
            else:
                out += ",\n" + _INDENT * (level + 1) + text
        return out

    def object(self, term: Term, level: int) -> str:
        """Render an object of a predicate written at indentation ``level``."""
        if isinstance(term, pyoxigraph.Literal):
            return self.literal(term)
        if isinstance(term, pyoxigraph.NamedNode):
            return "()" if term.value == _NIL else self.iri(term.value)
        if term in self.inline:
            items = self._list_items(term)
            if items is not None:
                return self._collection(items, level)
            return self._bnode(term, level)
        return self.label(term)

    def label(self, node: pyoxigraph.BlankNode) -> str:
        return f"_:{self.bnode_prefix}{node.value}"

    def _collection(self, items: list[Term], level: int) -> str:
        texts = [self.object(i, level + 1) for i in items]
        one_line = "( " + " ".join(texts) + " )"
        if "\n" not in one_line and len(_INDENT * level) + len(one_line) <= _WIDTH - 20:
            return one_line
        pad = _INDENT * (level + 1)
        return "(\n" + "\n".join(pad + t for t in texts) + "\n" + _INDENT * level + ")"

    def _bnode(self, node: pyoxigraph.BlankNode, level: int) -> str:
        if not self.props.get(node):
            return "[]"
        entries = self._entries(node, level + 1)
        if len(entries) == 1 and "\n" not in entries[0] and len(entries[0]) <= _WIDTH - 30:
            return "[ " + entries[0].strip() + " ]"
        return "[\n" + " ;\n".join(entries) + "\n" + _INDENT * level + "]"

    def iri(self, value: str) -> str:
        curie = curie_for(value, self.prefixes)
        if curie is None:
            return f"<{value}>"
        self.used_prefixes.add(curie.split(":", 1)[0])
        return curie

    def literal(self, term: pyoxigraph.Literal) -> str:
        lexical = term.value
        datatype = term.datatype.value
        if term.language:
            return _quote(lexical) + "@" + term.language
        bare = _BARE.get(datatype)
        if bare is not None and bare.fullmatch(lexical):
            return lexical
        if datatype == _XSD + "string":
            return _quote(lexical)
        return _quote(lexical) + "^^" + self.iri(datatype)


#: What must be escaped in a short string, and in a long (triple-quoted) one; one regex
#: pass instead of a loop per character (a 10 MB literal took 18 s).
_SHORT_ESCAPES = re.compile(r'[\\"\x00-\x1f\x7f]')
_LONG_ESCAPES = re.compile(r'\\|"(?="|\Z)|[\x00-\x08\x0b-\x1f\x7f]')


def _quote(text: str) -> str:
    def escape(match: re.Match[str]) -> str:
        return _escape(match.group())

    if "\n" in text:
        return '"""' + _LONG_ESCAPES.sub(escape, text) + '"""'
    return '"' + _SHORT_ESCAPES.sub(escape, text) + '"'


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    if ord(char) < 0x20 or ord(char) == 0x7F:
        return f"\\u{ord(char):04X}"
    return char


# --- files ---------------------------------------------------------------------------------


def leading_comments(text: str) -> str:
    """Return the comment block at the top of a Turtle file (comment lines, no blank tail).

    :param text: the file text.
    :returns: the ``#`` lines before the first statement, joined by newlines.

    >>> leading_comments("# Study X\\n# curated by Y\\n\\n@prefix a: <http://a/> .\\n")
    '# Study X\\n# curated by Y'
    """
    lines = []
    for line in text.splitlines():
        if line.startswith("#"):
            lines.append(line.rstrip())
        elif line.strip():
            break
        elif lines:
            lines.append("")
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


@dataclass(frozen=True)
class CanonResult:
    """The outcome of canonicalizing one file.

    :param path: the file.
    :param changed: whether its text differs from the canonical form.
    """

    path: Path
    changed: bool


def canon_files(paths: Iterable[Path], *, write: bool) -> list[CanonResult]:
    """Check (and optionally rewrite) Turtle files in canonical form.

    The leading comment block of each file is kept.

    :param paths: the Turtle files.
    :param write: rewrite files that are not canonical (atomically) when true.
    :returns: one result per file, in the given order.
    :raises RdfSyntaxError: when a file does not parse; nothing is rewritten after it.
    """
    from ibmkg.graph_io import atomic_write, parse_turtle, read_text
    from ibmkg.paths import display_path

    results = []
    for path in paths:
        text = read_text(path)
        canonical = canonical_turtle(parse_turtle(text, source=display_path(path)),
                                     header=leading_comments(text) or None)
        changed = canonical != text
        if changed and write:
            atomic_write(path, canonical)
        results.append(CanonResult(path, changed))
    return results
