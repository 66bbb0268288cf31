"""Rewrite a SHACL-SPARQL ``sh:select`` so that one query checks every focus node at once.

SHACL runs a SPARQL-based constraint once per focus node with ``$this`` pre-bound
(https://www.w3.org/TR/shacl/#pre-binding). A whole-graph engine instead binds ``?this`` by
the shape's target pattern: the pattern is put at the start of the ``WHERE`` clause and of
every inner group (sub-select, ``UNION`` branch, ``OPTIONAL`` body) that mentions ``$this``
without binding it by a triple pattern of its own, so every part of the query sees exactly
the focus nodes, as it would under pre-binding, and the solutions carry ``?this``. Bodies
of ``EXISTS`` need nothing: they are evaluated with the outer solution substituted.

Two more rewrites are for speed. A triple pattern whose predicate is a path with ``/`` or
``|`` (no ``*``, ``+``, ``?`` or ``!``) becomes a sub-select of that one pattern: pyoxigraph
plans a path inside a larger basic graph pattern as a loop over the other patterns'
solutions, which made one of the project's constraints (``shape:Quoted-inCell``) grow
quadratically (15 s at 1,000 studies, where the sub-select takes 0.1 s); the sub-select is
evaluated once and joined, and gives the same solutions (a path is joined with the rest of
its group either way; a sub-select without ``DISTINCT`` keeps duplicates). Then, pyoxigraph
plans an ``EXISTS`` body without the outer bindings, so an ``EXISTS`` that joins two
patterns inside a ``FILTER`` costs a scan per solution (quadratic over a whole graph, where
pySHACL's per-node run is not). An ``EXISTS`` of the outer group's ``FILTER`` becomes
``BOUND(?e)`` with ``OPTIONAL { body BIND (true AS ?e) }`` at the end of the group: the same
solutions (results are sets) when every variable the body shares with the query is bound by
a triple pattern of the outer group.

The rewrite is refused (:class:`NotCompilable`) where it would not mean the same: a
sub-select that uses ``$this`` without projecting it, ``LIMIT``/``OFFSET`` or a top-level
aggregate that would count across focus nodes, ``GRAPH``/``SERVICE``, ``$shapesGraph``. The
caller then leaves the shape to pySHACL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from ibmkg._lexing import SHARED_TOKENS

__all__ = ["NotCompilable", "rewrite_select"]


class NotCompilable(Exception):
    """This construct is left to pySHACL (the reason is the message)."""


_TOKEN = re.compile(SHARED_TOKENS + r"""
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\uffff]+)
  | (?P<open>\{)
  | (?P<close>\})
  | (?P<word>[A-Za-z_][A-Za-z0-9_\-.:]*[A-Za-z0-9_\-:]|[A-Za-z_])
  | (?P<other>.)
""", re.VERBOSE | re.DOTALL)

_CORRELATED = {"EXISTS"}
#: Not allowed with pre-binding (MINUS, VALUES, SERVICE: SHACL 5.2.1), or not per focus node.
_REFUSED_WORDS = {"GRAPH", "SERVICE", "LIMIT", "OFFSET", "MINUS", "VALUES"}
_AGGREGATES = {"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"}


@dataclass
class _Token:
    kind: str
    text: str


@dataclass
class _Group:
    """An open ``{``: where it is in the token list, and what it is."""

    index: int
    kind: str  # "where", "plain", "wrapper" (the braces around a sub-select), "exists"
    select: int | None  # for "where": index of its SELECT token
    parens: int = 0  # parenthesis depth at its opening brace
    mentions: bool = False
    binds: bool = False  # a triple pattern directly in the group binds ?this


def _tokens(text: str) -> list[_Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in ("ws", "comment"):
            tokens.append(_Token("ws", " " if kind == "ws" else "\n"))
            continue
        tokens.append(_Token(kind, match.group(0)))
    return tokens


def rewrite_select(select: str, focus: str, *, path: str | None = None,
                   current_shape: str | None = None) -> str:
    """Rewrite a ``sh:select`` query (without its prefixes) to run over all focus nodes.

    :param select: the query text, ``$this`` pre-bound in SHACL's sense.
    :param focus: a SPARQL group pattern that binds ``?this`` to the focus nodes.
    :param path: the SPARQL path that replaces ``$PATH`` (property shapes).
    :param current_shape: the IRI that replaces ``$currentShape``.
    :returns: a query whose solutions carry ``?this``.
    :raises NotCompilable: when the rewrite would not mean what pre-binding means.

    >>> print(rewrite_select("SELECT $this WHERE { FILTER NOT EXISTS { $this a <urn:C> } }",
    ...                      "?this a <urn:D> ."))  # doctest: +NORMALIZE_WHITESPACE
    SELECT ?this WHERE { ?this a <urn:D> . FILTER (!BOUND(?_exists0))
    OPTIONAL { ?this a <urn:C> BIND (true AS ?_exists0) } }
    """
    tokens = _tokens(select)
    for token in tokens:
        if token.kind == "var":
            name = token.text[1:]
            if name == "this":
                token.text = "?this"
            elif name == "PATH":
                if path is None:
                    raise NotCompilable("$PATH outside a property shape")
                token.text = path
            elif name == "currentShape":
                if current_shape is None:
                    raise NotCompilable("$currentShape of a blank shape")
                token.text = f"<{current_shape}>"
            elif name == "shapesGraph":
                raise NotCompilable("$shapesGraph")
        elif token.kind == "word" and token.text.upper() in _REFUSED_WORDS:
            raise NotCompilable(f"{token.text.upper()} in a SPARQL constraint")
        elif token.kind == "word" and token.text.upper() in ("ASK", "CONSTRUCT", "DESCRIBE"):
            raise NotCompilable("not a SELECT query")
    tokens = _isolate_paths(tokens)
    tokens = _decorrelate_exists(tokens)
    significant = [i for i, t in enumerate(tokens) if t.kind != "ws"]
    for first, second in pairwise(significant):
        if tokens[first].text.upper() == "AS" and tokens[second].text == "?this":
            raise NotCompilable("AS ?this (SHACL 5.2.1)")
    inserts: list[tuple[int, str]] = []  # (after this token, text)
    stack: list[_Group] = []
    selects: list[int] = []  # SELECT tokens whose WHERE group has not opened yet
    parens = 0
    for position, i in enumerate(significant):
        token = tokens[i]
        upper = token.text.upper() if token.kind == "word" else ""
        if token.text == "(":
            parens += 1
        elif token.text == ")":
            parens -= 1
        elif upper == "SELECT":
            selects.append(i)
        elif token.kind == "open":
            before = tokens[significant[position - 1]].text.upper() if position else ""
            after = tokens[significant[position + 1]].text.upper() \
                if position + 1 < len(significant) else ""
            if selects:  # a select clause holds no braces: this is its WHERE group
                stack.append(_Group(i, "where", selects.pop(), parens))
            elif after == "SELECT":
                stack.append(_Group(i, "wrapper", None, parens))
            elif before in _CORRELATED:
                stack.append(_Group(i, "exists", None, parens))
            else:
                stack.append(_Group(i, "plain", None, parens))
        elif token.kind == "close":
            if not stack:
                raise NotCompilable("unbalanced braces")
            group = stack.pop()
            # An inner group whose own triple pattern binds ?this needs no focus pattern: its
            # solutions are joined on ?this with the outer group's, which has it.
            if group.mentions and group.kind in ("where", "plain") and \
                    not (group.binds and stack):
                inserts.append((group.index, f" {focus} "))
            if group.kind == "where" and group.select is not None:
                inserts += _check_select(tokens, group.select, group.index, i, group.mentions,
                                         outer=not stack)
            if stack and group.mentions:
                stack[-1].mentions = True
        elif token.kind == "var" and token.text == "?this" and stack:
            stack[-1].mentions = True
            if parens == stack[-1].parens:
                stack[-1].binds = True
    if stack:
        raise NotCompilable("unbalanced braces")
    where = next((i for i, t in enumerate(tokens) if t.kind == "open"), None)
    if where is None:
        raise NotCompilable("no WHERE clause")
    if all(index != where for index, _ in inserts):
        inserts.append((where, f" {focus} "))
    for index, text in sorted(inserts, key=lambda x: x[0], reverse=True):
        tokens.insert(index + 1, _Token("focus", text))
    return "".join(t.text for t in tokens)


def _check_select(tokens: list[_Token], select: int, where: int, end: int, mentions: bool,
                  *, outer: bool) -> list[tuple[int, str]]:
    """Refuse a (sub-)select whose meaning depends on evaluating it once per focus node."""
    head = [t for t in tokens[select + 1:where] if t.kind != "ws"]
    tail: list[_Token] = []
    depth = 0
    for t in tokens[end + 1:]:
        if t.kind == "open":
            depth += 1
        elif t.kind == "close":
            if depth == 0:
                break
            depth -= 1
        if depth == 0 and t.kind != "ws":
            tail.append(t)
    projects_this = any(t.text == "?this" for t in head) or any(t.text == "*" for t in head)
    aggregated = any(t.text.upper() in _AGGREGATES for t in head) or \
        any(t.text.upper() == "GROUP" for t in tail)
    grouped_by_this = any(t.text == "?this" for t in tail)
    if outer:
        if not any(t.text == "?this" for t in head) and not any(t.text == "*" for t in head):
            if aggregated:
                raise NotCompilable("an aggregate over all focus nodes")
            index = select
            for j in range(select + 1, where):
                if tokens[j].text.upper() in ("DISTINCT", "REDUCED"):
                    index = j
            return [(index, " ?this ")]
        if aggregated and not grouped_by_this:
            raise NotCompilable("an aggregate over all focus nodes")
        return []
    if not projects_this or (mentions and aggregated and not grouped_by_this):
        raise NotCompilable("a sub-select that does not project $this (SHACL 5.2.1)")
    return []


def _matching(tokens: list[_Token], start: int, opening: str, closing: str) -> int:
    """The index of the token closing the bracket opened at ``start``."""
    depth = 0
    for i in range(start, len(tokens)):
        if tokens[i].text == opening:
            depth += 1
        elif tokens[i].text == closing:
            depth -= 1
            if depth == 0:
                return i
    raise NotCompilable("unbalanced brackets")


def _decorrelate_exists(tokens: list[_Token]) -> list[_Token]:
    """Turn ``EXISTS`` in the outer group's FILTERs into ``OPTIONAL`` + ``BOUND`` (see above)."""
    opens = [i for i, t in enumerate(tokens) if t.kind == "open"]
    if not opens:
        return tokens
    start = opens[0]
    end = _matching(tokens, start, "{", "}")
    words = {t.text.upper() for t in tokens[:start] + tokens[end:] if t.kind == "word"}
    if words & (_AGGREGATES | {"GROUP"}):
        return tokens  # duplicates from OPTIONAL would change a count
    bound_outside: set[str] = set()  # variables of triple patterns directly in the outer group
    depth = parens = 0
    for t in tokens[start + 1:end]:
        depth += (t.kind == "open") - (t.kind == "close")
        parens += (t.text == "(") - (t.text == ")")
        if depth == 0 and parens == 0 and t.kind == "var":
            bound_outside.add(t.text[1:])
    replaced: list[tuple[int, int, str, str]] = []  # (from, to, replacement, optional group)
    depth = 0
    i = start + 1
    while i < end:
        t = tokens[i]
        depth += (t.kind == "open") - (t.kind == "close")
        if depth == 0 and t.kind == "word" and t.text.upper() == "FILTER":
            j = i + 1
            while tokens[j].kind == "ws":
                j += 1
            stop = _matching(tokens, j, "(", ")") if tokens[j].text == "(" else None
            if stop is None:  # FILTER [NOT] EXISTS { ... }
                k = next(x for x in range(j, end) if tokens[x].kind == "open")
                stop = _matching(tokens, k, "{", "}")
            replaced += _exists_in(tokens, j, stop, bound_outside, len(replaced))
            i = stop
        i += 1
    if not replaced:
        return tokens
    out = list(tokens)
    out.insert(end, _Token("focus", " " + " ".join(group for *_, group in replaced) + " "))
    for first, last, text, _ in sorted(replaced, reverse=True):
        out[first:last + 1] = [_Token("focus", text)]
    return out


def _exists_in(tokens: list[_Token], start: int, stop: int, bound_outside: set[str],
               counter: int) -> list[tuple[int, int, str, str]]:
    found: list[tuple[int, int, str, str]] = []
    i = start
    while i <= stop:
        t = tokens[i]
        if t.kind == "word" and t.text.upper() == "EXISTS":
            first = i
            back = i - 1
            while back >= start and tokens[back].kind == "ws":
                back -= 1
            negated = tokens[back].kind == "word" and tokens[back].text.upper() == "NOT"
            if negated:
                first = back
            k = next(x for x in range(i, stop + 1) if tokens[x].kind == "open")
            close = _matching(tokens, k, "{", "}")
            body = tokens[k + 1:close]
            inner = [x for x in body if x.kind in ("open", "close")]
            body_vars = {x.text[1:] for x in body if x.kind == "var"}
            elsewhere = {x.text[1:] for x in tokens[:k] + tokens[close + 1:] if x.kind == "var"}
            shared = (body_vars & elsewhere) - {"this"}
            if not inner and shared <= bound_outside:
                flag = f"_exists{counter + len(found)}"
                renamed = "".join(f"?{flag}_{x.text[1:]}" if x.kind == "var" and
                                  x.text[1:] in body_vars - elsewhere else x.text for x in body)
                found.append((first, close, f"({'!' if negated else ''}BOUND(?{flag}))",
                              f"OPTIONAL {{ {renamed} BIND (true AS ?{flag}) }}"))
            i = close
        i += 1
    return found


_PATH_SIGNS = frozenset("()/|^")


def _is_term(token: _Token) -> bool:
    """A variable, an IRI or a prefixed name (not a blank node, a literal or a keyword)."""
    if token.kind in ("var", "iri"):
        return True
    return token.kind == "word" and ":" in token.text and not token.text.startswith("_:")


def _path_end(tokens: list[_Token], sig: list[int], pos: int) -> tuple[int, bool] | None:
    """Where the path starting at ``sig[pos]`` ends (exclusive), and whether it has ``/``|``|``.

    None for what is left alone: ``*``, ``+``, ``?``, ``!`` or anything not a plain path.
    """
    complex_path = False
    while True:
        if pos < len(sig) and tokens[sig[pos]].text == "^":
            pos += 1
        if pos >= len(sig):
            return None
        token = tokens[sig[pos]]
        if token.text == "(":
            depth = 0
            start = pos
            while pos < len(sig):
                inner = tokens[sig[pos]]
                depth += (inner.text == "(") - (inner.text == ")")
                if not (_is_term(inner) or inner.text == "a" or inner.text in _PATH_SIGNS):
                    return None
                complex_path |= inner.text in ("/", "|")
                pos += 1
                if depth == 0:
                    break
            if depth != 0 or pos == start:
                return None
        elif (_is_term(token) and token.kind != "var") or token.text == "a":
            pos += 1
        else:
            return None
        if pos < len(sig) and tokens[sig[pos]].text in ("*", "+", "?", "!"):
            return None
        if pos < len(sig) and tokens[sig[pos]].text in ("/", "|"):
            complex_path = True
            pos += 1
            continue
        return pos, complex_path


def _isolate_paths(tokens: list[_Token]) -> list[_Token]:
    """Put each ``S path O`` triple pattern (path with ``/`` or ``|``) in a sub-select.

    Only a pattern that starts a triples block (after ``{``, ``.`` or ``}``), outside
    ``EXISTS`` bodies, with a variable, IRI or prefixed name at each end; the rest of its
    block keeps the subject (see the module's text).
    """
    sig = [i for i, t in enumerate(tokens) if t.kind != "ws"]
    edits: list[tuple[int, int, str]] = []  # (first token, last token, replacement)
    groups: list[bool] = []  # for each open brace: inside an EXISTS body
    parens = 0
    for pos, i in enumerate(sig):
        token = tokens[i]
        if token.text == "(":
            parens += 1
        elif token.text == ")":
            parens -= 1
        elif token.kind == "open":
            before = tokens[sig[pos - 1]].text.upper() if pos else ""
            groups.append(before in _CORRELATED or (bool(groups) and groups[-1]))
        elif token.kind == "close" and groups:
            groups.pop()
        if parens or not groups or groups[-1] or pos == 0 or not _is_term(token) or \
                tokens[sig[pos - 1]].text not in (".", "{", "}"):
            continue
        end = _path_end(tokens, sig, pos + 1)
        if end is None or not end[1] or end[0] + 1 >= len(sig):
            continue
        obj, sep = tokens[sig[end[0]]], tokens[sig[end[0] + 1]]
        if not _is_term(obj) or sep.text not in (";", ".", "}"):
            continue
        pattern = "".join(t.text for t in tokens[i:sig[end[0]] + 1])
        wrapped = f"{{ SELECT * WHERE {{ {pattern} }} }}"
        if sep.text == ";":
            edits.append((i, sig[end[0] + 1], f"{wrapped} {token.text} "))
        else:
            edits.append((i, sig[end[0]], wrapped))
    if not edits:
        return tokens
    out = list(tokens)
    for first, last, text in sorted(edits, reverse=True):
        out[first:last + 1] = _tokens(text)
    return out
