"""Lexical operations on SPARQL text: safe parameter binding, prefixes, and a safety gate.

The text is never built by string formatting of user values. A bound value is first made an
RDF term by pyoxigraph (which escapes it), then substituted for its variable inside the
``WHERE`` group and declared in a ``VALUES`` block at the start of that group, so every
backend runs exactly the same text and a value can only ever be data. The lexer skips
strings, comments and IRIs, so braces and ``#`` inside them are not mistaken for structure.

Specifications: https://www.w3.org/TR/sparql11-query/#inline-data ;
https://github.com/w3c/sparql-dev/blob/main/SEP/SEP-0007/sep-0007.md

>>> import pyoxigraph
>>> print(bind_values("SELECT ?s WHERE { ?s ?p ?name }",
...                   {"name": pyoxigraph.Literal("IVIG")}))
SELECT ?s WHERE { VALUES (?name) { ("IVIG") }
 ?s ?p "IVIG" }
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import pyoxigraph

from ibmkg._lexing import SHARED_TOKENS
from ibmkg.errors import QuerySyntaxError, UnsafeQueryError
from ibmkg.namespaces import PREFIXES

__all__ = [
    "BindableTerm",
    "Token",
    "add_missing_prefixes",
    "bind_values",
    "check_safe",
    "declared_prefixes",
    "names_graphs",
    "query_form",
    "syntax_error",
    "tokens",
    "variables",
]

BindableTerm = pyoxigraph.NamedNode | pyoxigraph.Literal

_LEXER = re.compile(
    SHARED_TOKENS + r"""
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\U000effff]+)
  | (?P<pname>(?:[A-Za-z\u00c0-\U000effff][\w\-.\u00b7\u0300-\u036f\u203f-\u2040]*)?:
               (?:[^\s;,.()\[\]{}"'\#<>\\=!|&*+/^?$]|\\.|\.(?=[^\s;,.()\[\]{}\#]))*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    """A lexical token of a SPARQL query.

    :param kind: ``ws``, ``comment``, ``string``, ``iri``, ``var``, ``pname``, ``word`` or
        ``other`` (punctuation and operators, one character each).
    :param text: its text.
    :param start: its offset in the query.
    """

    kind: str
    text: str
    start: int


def syntax_error(err: SyntaxError, source: str = "<query>", line_offset: int = 0,
                 ) -> QuerySyntaxError:
    """Turn pyoxigraph's query ``SyntaxError`` into a :class:`QuerySyntaxError` with a position.

    :param err: the parser's error (``error at LINE:COL: ...``).
    :param source: the file name or ``<query>``.
    :param line_offset: lines before the query text in its file.
    :returns: the error to raise.

    >>> str(syntax_error(SyntaxError("error at 3:1: expected OPTIONAL"), "q.rq", 4))
    'q.rq:7:1: expected OPTIONAL; fix the SPARQL there'
    """
    text = str(err.msg if err.msg else err)
    match = re.match(r"error at (\d+):(\d+): (.*)", text, re.DOTALL)
    line, column, problem = (int(match[1]), int(match[2]), match[3]) if match else (0, 0, text)
    if len(problem) > 160:  # the grammar's list of expected tokens can run to pages
        problem = problem[:157].rsplit(",", 1)[0] + ", ..."
    return QuerySyntaxError(source, line + line_offset if line else 0, column, problem)


def tokens(text: str) -> Iterator[Token]:
    """Split a query into tokens, including whitespace and comments.

    :param text: the query.
    :returns: an iterator over its tokens.

    >>> [t.text for t in tokens('SELECT ?x { ?x <http://a#b> "}" }') if t.kind != "ws"]
    ['SELECT', '?x', '{', '?x', '<http://a#b>', '"}"', '}']
    """
    for match in _LEXER.finditer(text):
        yield Token(match.lastgroup or "other", match.group(), match.start())


def _significant(text: str) -> list[Token]:
    return [t for t in tokens(text) if t.kind not in ("ws", "comment")]


def names_graphs(text: str) -> bool:
    """Whether a query names graphs (a ``GRAPH`` pattern), outside strings, IRIs and comments.

    Such a query needs a store that keeps every source file in its own named graph
    (:data:`ibmkg.store.cache.VARIANTS`); any other query reads the default graph only.

    :param text: the query.
    :returns: the answer (``True`` as well for a word ``graph`` used as a keyword in any case).

    >>> names_graphs("SELECT ?g { GRAPH ?g { ?s ?p ?o } }")
    True
    >>> names_graphs('SELECT * { ?s <http://x/GRAPH> "GRAPH" } # GRAPH')
    False
    """
    return any(t.kind == "word" and t.text.upper() == "GRAPH" for t in tokens(text))


def query_form(text: str) -> str:
    """Return the query form: ``SELECT``, ``CONSTRUCT``, ``ASK`` or ``DESCRIBE``.

    :param text: the query.
    :returns: the form, upper case.
    :raises QuerySyntaxError: when the text has no query form (an update, say).

    >>> query_form("PREFIX a: <http://a/> ask { ?s ?p ?o }")
    'ASK'
    """
    for token in _significant(text):
        if token.kind == "word" and token.text.upper() in _FORMS:
            return token.text.upper()
    raise QuerySyntaxError("<query>", 0, 0, "no SELECT, CONSTRUCT, ASK or DESCRIBE found")


_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")


def variables(text: str) -> set[str]:
    """Return the names of the variables the query mentions (without ``?``/``$``).

    :param text: the query.
    :returns: the names.

    >>> sorted(variables("SELECT ?a WHERE { ?a ?b $c FILTER(?a != '?d') }"))
    ['a', 'b', 'c']
    """
    return {t.text[1:] for t in tokens(text) if t.kind == "var"}


def declared_prefixes(text: str) -> dict[str, str]:
    """Return the ``PREFIX`` declarations of the query's prologue.

    :param text: the query.
    :returns: prefix -> namespace IRI.

    >>> declared_prefixes("PREFIX ex: <http://ex/>\\nSELECT * {}")
    {'ex': 'http://ex/'}
    """
    found: dict[str, str] = {}
    sig = _significant(text)
    for i, token in enumerate(sig[:-2]):
        if token.kind == "word" and token.text.upper() == "PREFIX" \
                and sig[i + 1].kind == "pname" and sig[i + 2].kind == "iri":
            found[sig[i + 1].text.rstrip(":")] = sig[i + 2].text[1:-1]
    return found


def add_missing_prefixes(text: str, prefixes: Mapping[str, str] = PREFIXES) -> str:
    """Declare the prefixes the query uses but does not declare, from the prefix map.

    Both backends then parse exactly the same text, whatever their built-in prefixes.

    :param text: the query.
    :param prefixes: where to look the prefixes up.
    :returns: the query, with ``PREFIX`` lines prepended when needed.

    >>> print(add_missing_prefixes("SELECT ?s { ?s a ibmkg:Study }"))
    PREFIX ibmkg: <https://w3id.org/ibmkg/ontology/>
    SELECT ?s { ?s a ibmkg:Study }
    """
    declared = declared_prefixes(text)
    used = {t.text.split(":", 1)[0] for t in tokens(text) if t.kind == "pname"}
    missing = sorted(p for p in used - declared.keys() if p in prefixes)
    lines = [f"PREFIX {p}: <{prefixes[p]}>" for p in missing]
    return "\n".join([*lines, text]) if lines else text


def check_safe(text: str, *, allow_service: bool = False) -> None:
    """Refuse queries that could reach the network or the disk from the local machine.

    ``SERVICE`` is refused unless ``allow_service`` (federated stored queries); ``\\u``
    escapes outside strings are refused because engines disagree on decoding them (rdflib
    runs ``\\u0053ERVICE``); ``LOAD`` and other updates are not queries and are refused.

    :param text: the query.
    :param allow_service: accept ``SERVICE`` clauses.
    :raises UnsafeQueryError: naming what was found.

    >>> check_safe("SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }")
    Traceback (most recent call last):
    ...
    ibmkg.errors.UnsafeQueryError: the query calls SERVICE, which ibmkg does not run ...
    """
    significant = [t for t in tokens(text) if t.kind not in ("string", "comment")]
    if re.search(r"\\[uU]", "".join(t.text for t in significant)):
        raise UnsafeQueryError(
            "the query uses a \\u escape outside a string; write the character itself"
        )
    for token in significant:
        if token.kind != "word":
            continue
        word = token.text.upper()
        if word == "SERVICE" and not allow_service:
            raise UnsafeQueryError(
                "the query calls SERVICE, which ibmkg does not run on the local store; "
                "mark it `#+ federated: true` and run it against an endpoint"
            )
        if word in ("LOAD", "INSERT", "DELETE", "DROP", "CLEAR", "CREATE", "COPY", "MOVE", "ADD"):
            raise UnsafeQueryError(f"{word} is an update operation; only queries are run")


def bind_values(text: str, bindings: Mapping[str, BindableTerm]) -> str:
    """Bind variables to RDF terms, the same way for every backend.

    The semantics are those of substitution (SPARQL-dev SEP-0007): inside the ``WHERE``
    group each occurrence of a bound variable is replaced by its term (serialized by
    pyoxigraph, so a value can only ever be data), including in nested groups, ``FILTER``,
    ``OPTIONAL`` and ``EXISTS``; a ``VALUES`` block at the start of the group keeps the
    variable bound for the projection, ``GROUP BY`` and ``ORDER BY``.

    :param text: the query.
    :param bindings: variable name (without ``?``) -> RDF term.
    :returns: the query with the bindings applied.
    :raises QuerySyntaxError: when the query has no ``WHERE`` group, or assigns a bound
        variable itself (``BIND(... AS ?x)``, ``VALUES ?x``).
    :raises TypeError: when a value is not a pyoxigraph ``NamedNode`` or ``Literal``.

    >>> import pyoxigraph
    >>> print(bind_values("SELECT ?s ?o WHERE { ?s ?p ?o { ?o ?q ?r } }",
    ...                   {"o": pyoxigraph.Literal('x" } ; DROP ALL ; #')}))
    SELECT ?s ?o WHERE { VALUES (?o) { ("x\\" } ; DROP ALL ; #") }
     ?s ?p "x\\" } ; DROP ALL ; #" { "x\\" } ; DROP ALL ; #" ?q ?r } }
    """
    if not bindings:
        return text
    for name, term in bindings.items():
        if not isinstance(term, pyoxigraph.NamedNode | pyoxigraph.Literal):
            raise TypeError(f"binding for ?{name} must be a NamedNode or Literal, not {term!r}")
    names = sorted(bindings)
    block = (
        "VALUES (" + " ".join(f"?{n}" for n in names) + ") { ("
        + " ".join(str(bindings[n]) for n in names) + ") }\n"
    )
    start = _where_group_start(text)
    end = _group_end(text, start)
    body = _substitute(text[start:end], {n: str(t) for n, t in bindings.items()})
    return text[:start] + " " + block + body + text[end:]


_CLAUSE_END = {"HAVING", "ORDER", "LIMIT", "OFFSET", "VALUES", "GROUP"}


def _substitute(body: str, terms: Mapping[str, str]) -> str:
    """Replace bound variables in a group's text, leaving those the grammar needs as variables.

    Kept as variables: a subquery's projection and its ``GROUP BY``/``ORDER BY`` keys.
    Refused: ``AS ?x`` and ``VALUES ?x`` for a bound ``?x`` (it is already bound).
    """
    out: list[str] = []
    state = ""  # "", "select" (subquery projection), "keys" (GROUP BY/ORDER BY), "values"
    depth = 0  # parentheses, for expressions inside a projection or key list
    previous = ""
    for token in tokens(body):
        text = token.text
        upper = text.upper() if token.kind == "word" else text
        if token.kind == "word":
            if upper == "SELECT":
                state, depth = "select", 0
            elif upper == "VALUES":
                state = "values"
            elif upper == "BY" and previous in ("GROUP", "ORDER"):
                state, depth = "keys", 0
            elif (upper == "WHERE" and state == "select") or \
                    (upper in _CLAUSE_END and state == "keys"):
                state = ""
        elif (text == "{" and state in ("select", "values")) or (text == "}" and state == "keys"):
            state = ""
        elif text == "(":
            depth += 1
        elif text == ")":
            depth -= 1
        if token.kind == "var" and text[1:] in terms:
            name = text[1:]
            if previous == "AS" or state == "values":
                raise QuerySyntaxError("<query>", 0, 0, f"the query assigns ?{name} itself, so "
                                       "it cannot also be bound as a parameter; rename one")
            if state in ("select", "keys") and depth == 0:
                out.append(text)
            else:
                out.append(terms[name])
        else:
            out.append(text)
        if token.kind not in ("ws", "comment"):
            previous = upper
    return "".join(out)


def _group_end(text: str, start: int) -> int:
    """Offset of the ``}`` closing the group whose ``{`` ends just before ``start``."""
    depth = 1
    for token in tokens(text[start:]):
        if token.text == "{":
            depth += 1
        elif token.text == "}":
            depth -= 1
            if depth == 0:
                return start + token.start
    raise QuerySyntaxError("<query>", 0, 0, "the WHERE group is not closed: a '}' is missing")


def _where_group_start(text: str) -> int:
    """Offset just after the ``{`` that opens the query's WHERE group."""
    sig = _significant(text)
    form_index = next(
        (i for i, t in enumerate(sig) if t.kind == "word" and t.text.upper() in _FORMS), None
    )
    if form_index is None:
        raise QuerySyntaxError("<query>", 0, 0, "no SELECT, CONSTRUCT, ASK or DESCRIBE found")
    i = form_index + 1
    depth = 0
    if sig[form_index].text.upper() == "CONSTRUCT" and i < len(sig) and sig[i].text == "{":
        # Skip the construct template.
        for j in range(i, len(sig)):
            if sig[j].text == "{":
                depth += 1
            elif sig[j].text == "}":
                depth -= 1
                if depth == 0:
                    i = j + 1
                    break
    paren = 0
    for token in sig[i:]:
        if token.text == "(":
            paren += 1
        elif token.text == ")":
            paren -= 1
        elif token.text == "{" and paren == 0:
            return token.start + 1
    raise QuerySyntaxError("<query>", 0, 0, "the query has no WHERE { ... } group to bind into")
