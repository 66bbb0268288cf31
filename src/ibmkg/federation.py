"""Federated stored queries: redirect their SERVICE endpoints and run them on the local graph.

A federated stored query (``#+ federated: true``) joins ibmkg's graph with a public SPARQL
endpoint through ``SERVICE <https://query.wikidata.org/sparql> { ... }``. Three pieces let it
run, and be tested, without the internet:

- :func:`rewrite_service` replaces the endpoint IRIs of the query's ``SERVICE`` clauses (found
  by the SPARQL lexer of :mod:`ibmkg.sparql`, so IRIs in strings, comments or other positions
  are never touched) with the URLs given, and refuses a ``SERVICE`` it has no URL for;
- :class:`LocalEndpoint` serves a :class:`pyoxigraph.Store` over the SPARQL 1.1 protocol on
  ``127.0.0.1`` from a background thread (the test fixture stands in for Wikidata);
- :func:`run_federated` binds the parameters, rewrites the endpoints and runs the query on
  the embedded store, whose engine calls the ``SERVICE`` endpoints over HTTP.

Security: :func:`run_federated` sends requests only to the URLs in ``endpoints`` (a
``SERVICE`` to any other IRI is refused before anything is sent); :class:`LocalEndpoint`
listens on the loopback interface only, answers queries (never updates) and refuses queries
that themselves call ``SERVICE``. Oxigraph evaluates a ``SERVICE`` pattern on its own,
without sending the local bindings, so a stored federated query restricts its remote pattern
itself (``VALUES`` inside the ``SERVICE`` group).

Specification: https://www.w3.org/TR/sparql11-federated-query/ ,
https://www.w3.org/TR/sparql11-protocol/

>>> print(rewrite_service("SELECT * { SERVICE <https://query.wikidata.org/sparql> { ?s ?p ?o } }",
...                       {"https://query.wikidata.org/sparql": "http://127.0.0.1:8000/sparql"}))
SELECT * { SERVICE <http://127.0.0.1:8000/sparql> { ?s ?p ?o } }
"""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import ClassVar

import pyoxigraph

from ibmkg.errors import EndpointError, QuerySyntaxError, UnsafeQueryError
from ibmkg.sparql import check_safe, declared_prefixes, query_form, tokens
from ibmkg.store.base import ResultTable, to_value
from ibmkg.store.embedded import EmbeddedStore

__all__ = ["WIKIDATA_SPARQL", "LocalEndpoint", "rewrite_service", "run_federated",
           "service_iris"]

#: The Wikidata Query Service endpoint the stored federated queries call.
WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"

_MAX_BODY = 1 << 20


def _service_positions(query: str) -> list[tuple[int, int, str]]:
    """Return (start, end, IRI) of the endpoint token of every ``SERVICE`` clause."""
    from ibmkg.namespaces import PREFIXES

    prefixes = {**PREFIXES, **declared_prefixes(query)}
    significant = [t for t in tokens(query) if t.kind not in ("ws", "comment")]
    found = []
    for i, token in enumerate(significant):
        if token.kind != "word" or token.text.upper() != "SERVICE":
            continue
        j = i + 1
        if j < len(significant) and significant[j].kind == "word" \
                and significant[j].text.upper() == "SILENT":
            j += 1
        if j >= len(significant):
            raise QuerySyntaxError("<query>", 0, 0, "SERVICE without an endpoint")
        target = significant[j]
        if target.kind == "iri":
            iri = target.text[1:-1]
        elif target.kind == "pname":
            prefix, _, local = target.text.partition(":")
            if prefix not in prefixes:
                raise QuerySyntaxError("<query>", 0, 0, f"undeclared prefix in SERVICE "
                                       f"{target.text}")
            iri = prefixes[prefix] + local
        else:
            raise UnsafeQueryError(f"SERVICE {target.text}: only a fixed endpoint IRI can be "
                                   "redirected, not a variable")
        found.append((target.start, target.start + len(target.text), iri))
    return found


def service_iris(query: str) -> list[str]:
    """List the endpoint IRIs a query's ``SERVICE`` clauses call, in order.

    :param query: the SPARQL text.
    :returns: the IRIs (prefixed names expanded).

    >>> service_iris("SELECT * { SERVICE SILENT <http://a/sparql> { ?s ?p ?o } }")
    ['http://a/sparql']
    """
    return [iri for _, _, iri in _service_positions(query)]


def rewrite_service(query: str, endpoints: Mapping[str, str], *, strict: bool = True) -> str:
    """Point the query's ``SERVICE`` clauses at other endpoints.

    Only the endpoint token of each ``SERVICE`` clause is replaced, located by the SPARQL
    lexer: the same IRI elsewhere (a string, a comment, a triple) is left alone.

    :param query: the SPARQL text.
    :param endpoints: public endpoint IRI -> the URL to call instead.
    :param strict: refuse a ``SERVICE`` whose endpoint is not in ``endpoints`` (so nothing
        unexpected is called); with ``False`` such clauses are left as they are.
    :returns: the rewritten query.
    :raises UnsafeQueryError: with ``strict``, naming an endpoint that has no replacement.

    >>> rewrite_service("SELECT * { SERVICE <http://b/> { ?s ?p ?o } }", {})
    Traceback (most recent call last):
    ...
    ibmkg.errors.UnsafeQueryError: the query calls SERVICE <http://b/>, which has no ...
    """
    out = []
    last = 0
    for start, end, iri in _service_positions(query):
        replacement = endpoints.get(iri)
        if replacement is None:
            if strict:
                raise UnsafeQueryError(f"the query calls SERVICE <{iri}>, which has no "
                                       f"replacement endpoint (known: "
                                       f"{', '.join(sorted(endpoints)) or 'none'})")
            continue
        out.append(query[last:start])
        out.append(str(pyoxigraph.NamedNode(replacement)))
        last = end
    out.append(query[last:])
    return "".join(out)


def run_federated(store: EmbeddedStore, query: object, params: Mapping[str, str] | None = None,
                  *, endpoints: Mapping[str, str]) -> ResultTable:
    """Run a federated stored query on the embedded store, calling the given endpoints.

    Security note: this sends HTTP requests, but only to the URLs in ``endpoints``; every
    ``SERVICE`` of the query must have one.

    :param store: the local graph.
    :param query: a :class:`ibmkg.queries.StoredQuery` marked ``federated: true``.
    :param params: parameter name -> raw value (defaults fill the rest).
    :param endpoints: public endpoint IRI -> the URL to call instead (may be the same URL).
    :returns: the joined rows, with the header's columns.
    :raises UnsafeQueryError: when the query is not federated or calls an endpoint not in
        ``endpoints``.
    :raises EndpointError: when an endpoint fails.
    """
    from ibmkg.queries import StoredQuery, bindings_for

    if not isinstance(query, StoredQuery) or not query.federated:
        raise UnsafeQueryError("run_federated runs stored queries marked '#+ federated: true'")
    bindings = bindings_for(query, params or {})
    text = store.prepare(rewrite_service(query.sparql, endpoints), bindings, allow_service=True)
    try:
        result = store.oxigraph.query(text)
        assert isinstance(result, pyoxigraph.QuerySolutions)
        columns = tuple(v.value for v in result.variables)
        rows = [tuple(to_value(solution[c]) for c in columns) for solution in result]
    except SyntaxError as err:
        raise QuerySyntaxError(query.name, err.lineno or 0, err.offset or 0,
                               str(err.msg)) from None
    except OSError as err:
        raise EndpointError(f"{query.name}: a SERVICE endpoint failed ({err})") from None
    if columns != query.columns:
        raise QuerySyntaxError(query.name, 0, 0, f"returned columns {columns}, header says "
                               f"{query.columns}")
    return ResultTable(columns, rows)


class _Handler(BaseHTTPRequestHandler):
    """SPARQL 1.1 protocol: GET ?query=, POST form-encoded or application/sparql-query."""

    store: ClassVar[pyoxigraph.Store]
    server_version = "ibmkg-local-sparql/1"

    _FORMATS: ClassVar[dict[str, pyoxigraph.QueryResultsFormat]] = {
        "application/sparql-results+json": pyoxigraph.QueryResultsFormat.JSON,
        "application/sparql-results+xml": pyoxigraph.QueryResultsFormat.XML,
        "text/csv": pyoxigraph.QueryResultsFormat.CSV,
        "text/tab-separated-values": pyoxigraph.QueryResultsFormat.TSV,
    }

    def do_GET(self) -> None:
        params = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        self._answer(params.get("query", [""])[0])

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > _MAX_BODY:
            self._fail(413, "query too large")
            return
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        kind = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        if kind == "application/sparql-query":
            self._answer(body)
        elif kind == "application/x-www-form-urlencoded":
            self._answer(urllib.parse.parse_qs(body).get("query", [""])[0])
        else:
            self._fail(415, "send application/sparql-query or a form with 'query'")

    def _answer(self, sparql: str) -> None:
        try:
            check_safe(sparql)
            form = query_form(sparql)
            result = self.store.query(sparql)
        except (UnsafeQueryError, QuerySyntaxError, SyntaxError) as err:
            self._fail(400, str(err))
            return
        if form in ("SELECT", "ASK"):
            media, fmt = self._negotiate()
            assert isinstance(result, pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean)
            payload = result.serialize(format=fmt) or b""
        else:
            media = "application/n-triples"
            assert isinstance(result, pyoxigraph.QueryTriples)
            payload = result.serialize(format=pyoxigraph.RdfFormat.N_TRIPLES) or b""
        self.send_response(200)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _negotiate(self) -> tuple[str, pyoxigraph.QueryResultsFormat]:
        accept = self.headers.get("Accept") or ""
        for part in accept.split(","):
            media = part.split(";")[0].strip()
            if media in self._FORMATS:
                return media, self._FORMATS[media]
        return "application/sparql-results+json", pyoxigraph.QueryResultsFormat.JSON

    def _fail(self, status: int, message: str) -> None:
        payload = message.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: the library never prints."""


class LocalEndpoint:
    """A read-only SPARQL endpoint on ``127.0.0.1`` serving one store, for offline tests.

    Use it as a context manager; :attr:`url` is the endpoint URL while it runs.

    :param store: the data to serve (its default graph answers the queries).

    >>> store = pyoxigraph.Store()
    >>> store.add(pyoxigraph.Quad(pyoxigraph.NamedNode("http://ex/a"),
    ...           pyoxigraph.NamedNode("http://ex/p"), pyoxigraph.Literal("1")))
    >>> with LocalEndpoint(store) as endpoint:
    ...     rows = list(pyoxigraph.Store().query(
    ...         f"SELECT ?o {{ SERVICE <{endpoint.url}> {{ ?s ?p ?o }} }}"))
    >>> rows[0]["o"].value
    '1'
    """

    def __init__(self, store: pyoxigraph.Store) -> None:
        handler = type("_BoundHandler", (_Handler,), {"store": store})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The endpoint URL, ``http://127.0.0.1:<port>/sparql``."""
        return f"http://127.0.0.1:{self._server.server_port}/sparql"

    def start(self) -> LocalEndpoint:
        """Start serving in a daemon thread.

        :returns: the endpoint itself.
        """
        if self._thread is None:
            self._thread = threading.Thread(target=self._server.serve_forever,
                                            name="ibmkg-local-sparql", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> LocalEndpoint:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
