"""The query gate: decide from the *parsed* query whether ibmkg may run it.

Text matching is not enough (``SeRvIcE``, ``\\u0053ERVICE``, a comment that ends at a
carriage return, SERVICE hidden in ``FILTER EXISTS``, ``MINUS``, ``OPTIONAL`` or a
sub-select). The gate therefore:

1. refuses nesting deeper than :data:`MAX_DEPTH` brackets before any parser sees the text
   (pyoxigraph overflows its stack on 10,000 nested groups and dies without a message);
2. runs the token-level check of :func:`ibmkg.sparql.check_safe` (``\\u`` escapes outside
   strings, update keywords, the word ``SERVICE``), so a parser that decodes escapes and one
   that does not can never disagree about what the text says;
3. parses the text with rdflib's SPARQL grammar and walks the algebra: ``SERVICE`` (any
   spelling, ``SILENT``, a variable IRI, at any depth), dataset clauses (``FROM``,
   ``FROM NAMED``), updates (``LOAD``, ``INSERT`` ...), and calls of extension functions
   (any function IRI outside the XSD casts, which could dereference an IRI) are refused.

The parse also gives the query form and its columns, so nothing needs to run a query to
learn them. Security note: the gate is the only thing between a user's text and an engine
with a built-in HTTP client (pyoxigraph runs ``SERVICE`` and ``LOAD``); keep both layers.

Specification: https://www.w3.org/TR/sparql11-query/#grammar

>>> inspect_query("SELECT ?s (COUNT(?o) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s").columns
('s', 'n')
>>> inspect_query("SELECT * { FILTER EXISTS { SERVICE SILENT ?x { ?s ?p ?o } } }")
Traceback (most recent call last):
...
ibmkg.errors.UnsafeQueryError: the query calls SERVICE, which ibmkg does not run ...
"""

from __future__ import annotations

import functools
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph

from ibmkg.errors import QuerySyntaxError, UnsafeQueryError
from ibmkg.namespaces import PREFIXES
from ibmkg.sparql import add_missing_prefixes, check_safe, syntax_error, tokens

if TYPE_CHECKING:
    from ibmkg.sandbox.verdicts import VerdictCache

__all__ = ["MAX_DEPTH", "QueryInfo", "check_bound", "inspect_query", "keep_verdicts",
           "nesting_depth"]

#: The deepest nesting of ``{ ( [`` brackets the gate accepts.
MAX_DEPTH = 64

_XSD = "http://www.w3.org/2001/XMLSchema#"
_SERVICE_MESSAGE = ("the query calls SERVICE, which ibmkg does not run on its own graph (it "
                    "would reach another server); only a stored query marked "
                    "`#+ federated: true` may, against an endpoint you name with --endpoint")
_PARSE_LOCK = threading.Lock()
_STACK = 256 * 1024 * 1024
_RECURSION = 30_000


@dataclass(frozen=True)
class QueryInfo:
    """What the gate learnt from the parsed query.

    :param form: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE``.
    :param columns: the projected variables of a SELECT query, in order (empty otherwise).
    :param has_service: whether the query calls ``SERVICE`` (only when allowed).
    :param star: whether a SELECT query projects ``*`` (its columns are then the in-scope
        variables, in the order they first appear).
    """

    form: str
    columns: tuple[str, ...]
    has_service: bool
    star: bool = False


def nesting_depth(text: str) -> int:
    """Return the deepest nesting of brackets outside strings, IRIs and comments.

    :param text: the query.
    :returns: the depth.

    >>> nesting_depth("SELECT * { { ?s ?p '{{{' } FILTER((1)) }")
    3
    """
    depth = deepest = 0
    for token in tokens(text):
        if token.kind != "other":
            continue
        if token.text in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif token.text in "})]":
            depth -= 1
    return deepest


def inspect_query(text: str, *, allow_service: bool = False, source: str = "<query>",
                  line_offset: int = 0, max_depth: int = MAX_DEPTH) -> QueryInfo:
    """Parse a query and refuse anything that could reach the network or the disk.

    :param text: the query (undeclared prefixes of ``ibmkg.namespaces`` are allowed).
    :param allow_service: accept ``SERVICE`` (federated stored queries against an endpoint
        the user named); dataset clauses, updates and extension functions stay refused.
    :param source: the file name for error messages.
    :param line_offset: lines before ``text`` in its file, so errors name the file's line.
    :param max_depth: the deepest bracket nesting accepted.
    :returns: the query's form and columns (cached by text: the same text is parsed once,
        whatever ``source`` names it).
    :raises UnsafeQueryError: for SERVICE, LOAD, FROM, updates or extension functions.
    :raises QuerySyntaxError: when the text does not parse or nests too deeply.

    >>> inspect_query("ASK { ?s ?p ?o }").form
    'ASK'
    >>> inspect_query("SELECT * FROM <file:///etc/passwd> { ?s ?p ?o }")
    Traceback (most recent call last):
    ...
    ibmkg.errors.UnsafeQueryError: the query names a dataset (FROM or FROM NAMED), ...
    """
    try:
        return _inspect_text(text, allow_service, max_depth)
    except (UnsafeQueryError, QuerySyntaxError):
        if source == "<query>" and line_offset == 0:
            raise
    # Refused: inspect again to name the file and its line in the message.
    return _inspect(text, allow_service=allow_service, source=source, line_offset=line_offset,
                    max_depth=max_depth)


#: Verdicts kept on disk (see :func:`keep_verdicts`); ``None``: parse every query.
_VERDICTS: VerdictCache | None = None


def keep_verdicts(path: Path | None) -> None:
    """Keep the verdicts on accepted queries in a file, so they are not parsed again.

    The CLI calls it with ``.ibmkg/gate-verdicts.json`` of the project
    (:mod:`ibmkg.sandbox.verdicts`); refused queries are always parsed again.

    :param path: the file, or ``None`` to stop keeping them.

    >>> keep_verdicts(None)
    """
    global _VERDICTS
    from ibmkg.sandbox.verdicts import VerdictCache

    _VERDICTS = VerdictCache(path) if path is not None else None
    _inspect_text.cache_clear()


@functools.lru_cache(maxsize=512)
def _inspect_text(text: str, allow_service: bool, max_depth: int) -> QueryInfo:
    kept = _VERDICTS
    key = ""
    if kept is not None:
        from ibmkg.sandbox.verdicts import verdict_key

        key = verdict_key(text, allow_service, max_depth)
        found = kept.get(key)
        if found is not None:
            return found
    info = _inspect(text, allow_service=allow_service, source="<query>", line_offset=0,
                    max_depth=max_depth)
    if kept is not None:
        kept.put(key, info)
    return info


def _inspect(text: str, *, allow_service: bool, source: str, line_offset: int,
             max_depth: int) -> QueryInfo:
    depth = nesting_depth(text)
    if depth > max_depth:
        raise QuerySyntaxError(source, 0, 0, f"brackets nest {depth} deep, more than the "
                               f"limit of {max_depth}; flatten the query")
    check_safe(text, allow_service=allow_service)
    full = add_missing_prefixes(text)
    added = full.count("\n") - text.count("\n")
    parsed = _parse(full, source, line_offset - added)
    has_service = False
    for name, node in _walk(parsed.algebra):
        if name == "ServiceGraphPattern":
            if not allow_service:
                raise UnsafeQueryError(_SERVICE_MESSAGE)
            has_service = True
        elif name == "DatasetClause" or (name.endswith("Query") and node.get("datasetClause")):
            raise UnsafeQueryError("the query names a dataset (FROM or FROM NAMED), which "
                                   "could read other files or URLs; remove it: the query "
                                   "sees the whole graph already")
        elif name == "Function":
            iri = str(node.get("iri", ""))
            if not iri.startswith(_XSD):
                raise UnsafeQueryError(f"the query calls the extension function <{iri}>, "
                                       "which ibmkg does not run; use SPARQL's built-in "
                                       "functions")
    if not allow_service:
        _check_grammar(full, source, line_offset - added)
    form = parsed.algebra.name.removesuffix("Query").upper()
    columns: tuple[str, ...] = ()
    star = form == "SELECT" and _is_star(full)
    if form == "SELECT":
        columns = _columns(parsed.algebra, full, star)
    return QueryInfo(form, columns, has_service, star)


def _check_grammar(text: str, source: str, line_offset: int) -> None:
    """Refuse what pyoxigraph's grammar refuses, where rdflib's is laxer (W3C syntax tests).

    The query has passed the token check and the walk over rdflib's parse (no SERVICE, LOAD,
    dataset clause or extension function), so preparing it on an empty store can reach
    nothing: an empty store answers at once and the answer is not read.
    """
    try:
        pyoxigraph.Store().query(text)
    except SyntaxError as err:
        raise syntax_error(err, source, line_offset) from None


def check_bound(text: str, *, max_depth: int = MAX_DEPTH) -> None:
    """Check a query after its parameters were bound (the template passed the full gate).

    Bound values are RDF terms serialized by pyoxigraph, so they can only be data; the text
    still gets the token check and the nesting limit, which cost microseconds where a
    second parse would cost a third of a second.

    :param text: the query with its values bound.
    :param max_depth: the deepest bracket nesting accepted.
    :raises UnsafeQueryError: for SERVICE, update keywords or ``\\u`` escapes.
    :raises QuerySyntaxError: for nesting deeper than the limit.

    >>> check_bound('SELECT ?s WHERE { VALUES (?o) { ("SERVICE") } ?s ?p "SERVICE" }')
    """
    depth = nesting_depth(text)
    if depth > max_depth:
        raise QuerySyntaxError("<query>", 0, 0, f"brackets nest {depth} deep, more than the "
                               f"limit of {max_depth}; flatten the query")
    check_safe(text)


def _parse(text: str, source: str, line_offset: int) -> Any:
    """Parse with rdflib in a thread with a deep stack (rdflib's grammar recurses a lot)."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["query"] = translateQuery(parseQuery(text), initNs=dict(PREFIXES))
        except ParseException as err:
            try:
                parseUpdate(text)
            except Exception:  # not an update either: report the query error
                outcome["error"] = err
            else:
                outcome["update"] = True
        except RecursionError:
            outcome["deep"] = True
        except Exception as err:  # rdflib raises bare exceptions on bad input
            outcome["other"] = err

    with _PARSE_LOCK:
        previous_stack = threading.stack_size(_STACK)
        previous_limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(previous_limit, _RECURSION))
        try:
            thread = threading.Thread(target=work, name="ibmkg-query-gate")
            thread.start()
            thread.join()
        finally:
            threading.stack_size(previous_stack)
            sys.setrecursionlimit(previous_limit)
    if "update" in outcome:
        raise UnsafeQueryError("the text is a SPARQL update (LOAD, INSERT, DELETE ...); "
                               "only queries are run")
    if "deep" in outcome:
        raise QuerySyntaxError(source, 0, 0, "the query nests too deeply to parse; flatten it")
    if "error" in outcome:
        _oxigraph_syntax(text, source, line_offset)
        err = outcome["error"]
        line = max(int(err.lineno) + line_offset, 1)
        problem = str(err.msg).replace("\n", " ")
        found = err.line[err.column - 1:err.column + 19].strip() if err.line else ""
        detail = f"{problem} (found {found!r})" if found else problem
        raise QuerySyntaxError(source, line, int(err.column), detail[:200])
    if "other" in outcome:
        raise QuerySyntaxError(source, 0, 0, f"the query does not parse: {outcome['other']}")
    return outcome["query"]


def _oxigraph_syntax(text: str, source: str, line_offset: int) -> None:
    """Raise the executor's own syntax error, whose position is more precise than rdflib's.

    Safe only after :func:`check_safe` passed (no SERVICE or update keyword in the text),
    and run on an empty store, so nothing can be fetched or computed.
    """
    import pyoxigraph

    from ibmkg.sparql import syntax_error

    try:
        pyoxigraph.Store().query(text)
    except SyntaxError as err:
        error = syntax_error(err, source, line_offset)
        raise type(error)(error.source, error.line, error.column,
                          " ".join(error.problem.split())) from None
    except Exception:  # anything else: fall back to rdflib's message
        return


def _walk(node: Any) -> Iterator[tuple[str, Any]]:
    """Every algebra or parse node below ``node`` (iteratively: deep trees are fine)."""
    stack = [node]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        name = getattr(item, "name", None)
        if isinstance(name, str) and isinstance(item, dict):
            yield name, item
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set):
            stack.extend(item)
        elif hasattr(item, "asList") and not isinstance(item, str):
            stack.extend(list(item))


def _columns(algebra: Any, text: str, star: bool) -> tuple[str, ...]:
    projected = [str(v) for v in algebra.get("PV", [])]
    if not star:
        return tuple(projected)
    order: dict[str, int] = {}
    for token in tokens(text):
        if token.kind == "var":
            order.setdefault(token.text[1:], len(order))
    return tuple(sorted(projected, key=lambda v: order.get(v, len(order))))


def _is_star(text: str) -> bool:
    significant = [t for t in tokens(text) if t.kind not in ("ws", "comment")]
    for i, token in enumerate(significant):
        if token.kind == "word" and token.text.upper() == "SELECT":
            words = [t.text.upper() for t in significant[i + 1:i + 3]]
            if words and words[0] in ("DISTINCT", "REDUCED"):
                words = words[1:]
            return bool(words) and words[0] == "*"
    return False
