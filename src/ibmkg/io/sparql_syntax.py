"""Check SPARQL Update syntax without running anything.

pyoxigraph has no parse-only entry point for updates, and running an update, even on an
empty store, executes its ``LOAD <url>`` (a network fetch). :func:`check_update` puts an
operation that always fails, ``DROP GRAPH`` of a graph that does not exist, in front of the
request's first operation (after its ``BASE``/``PREFIX`` prologue): pyoxigraph parses the
whole request first (so a syntax error anywhere is reported), then stops at that first
operation, before any of the user's operations runs.

Queries are checked by :func:`ibmkg.queries.projection_of` (the stored-query entry point).

>>> check_update("INSERT DATA { <http://ex/a> <http://ex/p> 1 }")
>>> check_update("INSERT DATA { <http://ex/a> <http://ex/p> ?x }", source="u.ru")
Traceback (most recent call last):
...
ibmkg.errors.QuerySyntaxError: u.ru:1:... fix the SPARQL there
"""

from __future__ import annotations

from typing import Final

import pyoxigraph

from ibmkg.errors import IbmkgError, QuerySyntaxError
from ibmkg.sparql import syntax_error, tokens

__all__ = ["check_update"]

_ABSENT: Final = "urn:ibmkg:parse-only:absent"
_GUARD: Final = f"DROP GRAPH <{_ABSENT}> ; "


def check_update(text: str, *, source: str = "<update>", base_iri: str | None = None) -> None:
    """Parse a SPARQL 1.1 Update request; run none of it.

    :param text: the update request.
    :param source: the name used in error messages.
    :param base_iri: the base IRI for relative IRIs.
    :raises QuerySyntaxError: at the line and column of the first syntax error.
    :raises IbmkgError: if the guard operation did not stop the request (never expected).
    """
    store = pyoxigraph.Store()
    at = _after_prologue(text)
    try:
        store.update(text[:at] + _GUARD + text[at:], base_iri=base_iri)
    except SyntaxError as err:
        error = syntax_error(err, source)
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        if error.line == line and error.column >= column + len(_GUARD):
            error = QuerySyntaxError(source, error.line, error.column - len(_GUARD),
                                     error.problem)
        raise error from None
    except (RuntimeError, OSError) as err:
        if _ABSENT in str(err):
            return
        raise IbmkgError(f"{source}: the parse-only guard did not stop the update: {err}",
                         ) from None
    raise IbmkgError(f"{source}: the parse-only guard did not stop the update")


def _after_prologue(text: str) -> int:
    """Offset of the first token after the ``BASE``/``PREFIX`` declarations."""
    significant = [t for t in tokens(text) if t.kind not in ("ws", "comment")]
    i = 0
    while i < len(significant):
        word = significant[i].text.upper() if significant[i].kind == "word" else ""
        if word == "BASE":
            i += 2
        elif word == "PREFIX":
            i += 3
        else:
            return significant[i].start
    return len(text)
