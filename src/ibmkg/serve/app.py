"""The SPARQL 1.1 Protocol endpoint: a Starlette app over a :class:`SandboxedStore`.

Routes (read-only; every query passes the sandbox's gate and runs in a killable worker):

=====================  ==============================================================
``/sparql``            GET (``?query=``) and POST (form or ``application/sparql-query``
                       body); without a query, the SPARQL service description
``/queries``           the stored queries (JSON, or HTML for browsers)
``/queries/{name}``    run one stored query; parameters as ``?NAME=VALUE`` (grlc style)
``/query``             an HTML query page that works offline (no CDN)
=====================  ==============================================================

Results by content negotiation (``Accept``, or ``?format=json|xml|csv|tsv|ttl|nt|jsonld|rdfxml``):
the W3C result formats for SELECT and ASK, Turtle, JSON-LD, N-Triples or RDF/XML for
CONSTRUCT and DESCRIBE. ``SERVICE``, ``LOAD``, ``FROM``, the protocol's
``default-graph-uri``/``named-graph-uri`` and updates are refused. A capped answer carries
the header ``X-Ibmkg-Truncated: true``.

Specifications: https://www.w3.org/TR/sparql11-protocol/ ;
https://www.w3.org/TR/sparql11-service-description/

>>> from ibmkg.store.embedded import EmbeddedStore
>>> app = create_app(SandboxedStore(EmbeddedStore()))
>>> sorted(r.path for r in app.routes)
['/queries', '/queries/{name:path}', '/query', '/sparql']
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import pyoxigraph
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route
from starlette.types import ASGIApp

from ibmkg.errors import (
    IbmkgError,
    InputError,
    QueryNotFoundError,
    QueryTimeoutError,
    QueryWorkerError,
)
from ibmkg.queries import Catalogue, run_query
from ibmkg.sandbox.store import GraphResult, SandboxedStore
from ibmkg.serve.negotiation import (
    GRAPH_TYPES,
    RESULT_TYPES,
    NotAcceptable,
    choose,
    render_boolean,
    render_graph,
    render_table,
)
from ibmkg.serve.page import queries_page, query_page
from ibmkg.store.base import ResultTable

__all__ = ["MAX_QUERY_LENGTH", "create_app", "service_description"]

#: The longest query text accepted, in characters.
MAX_QUERY_LENGTH = 100_000
#: The largest rendered answer kept for repeated requests.
_CACHED_BODY_BYTES = 8 * 1024 * 1024

_SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS = "http://www.w3.org/ns/formats/"
_RDF_TYPE = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def _text(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


def service_description(endpoint: str, graph_names: Sequence[str]) -> list[pyoxigraph.Triple]:
    """Describe the endpoint in the SPARQL 1.1 Service Description vocabulary.

    :param endpoint: the endpoint's absolute URL.
    :param graph_names: the named graphs the default graph merges.
    :returns: the triples.

    >>> len(service_description("http://127.0.0.1:7878/sparql", [])) > 10
    True
    """
    def sd(name: str) -> pyoxigraph.NamedNode:
        return pyoxigraph.NamedNode(_SD + name)

    service = pyoxigraph.BlankNode("service")
    dataset = pyoxigraph.BlankNode("dataset")
    default = pyoxigraph.BlankNode("default")
    triples = [
        pyoxigraph.Triple(service, _RDF_TYPE, sd("Service")),
        pyoxigraph.Triple(service, sd("endpoint"), pyoxigraph.NamedNode(endpoint)),
        pyoxigraph.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        pyoxigraph.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        pyoxigraph.Triple(service, sd("defaultDataset"), dataset),
        pyoxigraph.Triple(dataset, _RDF_TYPE, sd("Dataset")),
        pyoxigraph.Triple(dataset, sd("defaultGraph"), default),
        pyoxigraph.Triple(default, _RDF_TYPE, sd("Graph")),
    ]
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                 "SPARQL_Results_TSV", "Turtle", "JSON-LD", "N-Triples", "RDF_XML"):
        triples.append(pyoxigraph.Triple(service, sd("resultFormat"),
                                         pyoxigraph.NamedNode(_FORMATS + name)))
    for i, graph in enumerate(graph_names):
        node = pyoxigraph.BlankNode(f"graph{i}")
        triples += [
            pyoxigraph.Triple(dataset, sd("namedGraph"), node),
            pyoxigraph.Triple(node, _RDF_TYPE, sd("NamedGraph")),
            pyoxigraph.Triple(node, sd("name"), pyoxigraph.NamedNode(graph)),
        ]
    return triples


def _render(request: Request, result: ResultTable | bool | GraphResult) -> tuple[str, bytes]:
    """The answer in the format the request negotiates: (media type, body)."""
    if isinstance(result, GraphResult):
        media, fmt = choose(request, GRAPH_TYPES, "text/turtle")
        body: str | bytes = render_graph(result.triples, fmt)
    else:
        media, fmt = choose(request, RESULT_TYPES, "application/sparql-results+json")
        body = render_boolean(result, fmt) if isinstance(result, bool) else \
            render_table(result, fmt)
    return media, body.encode("utf-8") if isinstance(body, str) else body


class _Endpoint:
    """The request handlers, sharing one store and catalogue."""

    def __init__(self, store: SandboxedStore, catalogue: Catalogue, cache_size: int) -> None:
        self.store = store
        self.catalogue = catalogue
        self.cache_size = cache_size
        # rendered answers: (request key, Accept, ?format) -> (media type, body, headers);
        # touched only on the event loop's thread
        self._rendered: OrderedDict[tuple[object, ...],
                                    tuple[str, bytes, tuple[tuple[str, str], ...]]] = OrderedDict()

    async def sparql(self, request: Request) -> Response:
        params: dict[str, list[str]] = {}
        for key, value in request.query_params.multi_items():
            params.setdefault(key, []).append(value)
        if request.method == "POST":
            kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind == "application/x-www-form-urlencoded":
                form = await request.form()
                for key, field in form.multi_items():
                    params.setdefault(key, []).append(str(field))
            elif kind == "application/sparql-query":
                body = await request.body()
                if len(body) > MAX_QUERY_LENGTH * 4:
                    return _text(413, "the query is too long")
                params.setdefault("query", []).append(body.decode("utf-8", "replace"))
            elif kind == "application/sparql-update":
                return _text(403, "this endpoint is read-only: updates are refused")
            else:
                return _text(415, f"unsupported Content-Type {kind!r}; send the query as "
                             "application/sparql-query or a form field 'query'")
        if "update" in params:
            return _text(403, "this endpoint is read-only: updates are refused")
        if "default-graph-uri" in params or "named-graph-uri" in params:
            return _text(400, "default-graph-uri and named-graph-uri are refused: the "
                         "query sees the whole graph")
        queries = params.get("query", [])
        if not queries:
            accept = request.headers.get("accept", "")
            if "text/html" in accept and request.method == "GET":
                return HTMLResponse(query_page(str(request.url_for("sparql"))))
            return self._description(request)
        if len(queries) > 1:
            return _text(400, "give exactly one 'query' parameter")
        text = queries[0]
        if len(text) > MAX_QUERY_LENGTH:
            return _text(413, f"the query is longer than {MAX_QUERY_LENGTH} characters")
        return await self._answer(request, lambda: self.store.run(text), ("sparql", text))

    def _description(self, request: Request) -> Response:
        triples = service_description(str(request.url_for("sparql")), self.store.graph_names())
        try:
            media, fmt = choose(request, GRAPH_TYPES, "text/turtle")
        except NotAcceptable as err:
            return _text(406, str(err))
        return Response(render_graph(triples, fmt), media_type=media)

    async def _answer(self, request: Request, work: Any,
                      key: tuple[object, ...] | None = None) -> Response:
        cache_key = None
        if key is not None and self.cache_size:
            cache_key = (*key, request.headers.get("accept", ""),
                         request.query_params.get("format", ""))
            hit = self._rendered.get(cache_key)
            if hit is not None:
                self._rendered.move_to_end(cache_key)
                return Response(hit[1], media_type=hit[0], headers=dict(hit[2]))
        try:
            result = await run_in_threadpool(work)
        except QueryTimeoutError as err:
            return _text(503, str(err))
        except QueryNotFoundError as err:
            return _text(404, str(err))
        except InputError as err:
            return _text(400, str(err))
        except (QueryWorkerError, IbmkgError) as err:
            return _text(500, str(err))
        headers = {}
        if not isinstance(result, bool) and result.truncated:
            headers["X-Ibmkg-Truncated"] = "true"
        try:  # rendering a large answer takes a while: off the event loop
            media, body = await run_in_threadpool(_render, request, result)
        except (NotAcceptable, ValueError) as err:
            return _text(406, str(err))
        if cache_key is not None and len(body) <= _CACHED_BODY_BYTES:
            self._rendered[cache_key] = (media, body, tuple(headers.items()))
            while len(self._rendered) > self.cache_size:
                self._rendered.popitem(last=False)
        return Response(body, media_type=media, headers=headers)

    async def queries(self, request: Request) -> Response:
        base = str(request.url_for("queries"))
        listing = [{
            "name": name,
            "summary": stored.summary,
            "description": stored.description,
            "keywords": list(stored.keywords),
            "columns": list(stored.columns),
            "params": [{"name": p.name, "type": p.type.value, "default": p.default,
                        "required": p.required, "description": p.description}
                       for p in stored.params],
            "federated": stored.federated,
            "inferred": stored.inferred,
            "url": f"{base}/{name}",
            "sparql": stored.sparql,
        } for name, stored in self.catalogue.items() if not stored.is_check]
        if "text/html" in request.headers.get("accept", ""):
            return HTMLResponse(queries_page(listing))
        return JSONResponse(listing)

    async def run_stored(self, request: Request) -> Response:
        name = request.path_params["name"]
        try:
            stored = self.catalogue[name]
        except QueryNotFoundError as err:
            return _text(404, str(err))
        values = {k: v for k, v in request.query_params.items() if k != "format"}

        def work() -> ResultTable:
            return run_query(self.store, stored, values)

        return await self._answer(request, work, ("stored", name, tuple(sorted(values.items()))))


def create_app(store: SandboxedStore, *, catalogue: Catalogue | None = None,
               cors_origins: Sequence[str] = (), site: ASGIApp | None = None,
               cache_size: int = 0) -> Starlette:
    """Build the endpoint's ASGI app.

    :param store: the sandboxed store (its timeout and row cap apply to every request).
    :param catalogue: the stored queries offered under ``/queries``.
    :param cors_origins: origins allowed by CORS (``*`` for any); none by default.
    :param site: an ASGI app mounted at ``/`` after the endpoint's own routes (the
        linked-data site).
    :param cache_size: rendered answers kept for repeated requests (0: none); give it only
        while the store's graph does not change (``ibmkg serve`` serves a read-only graph).
    :returns: the app.
    """
    endpoint = _Endpoint(store, catalogue if catalogue is not None else Catalogue({}),
                         cache_size)

    async def page(request: Request) -> Response:
        return HTMLResponse(query_page(str(request.url_for("sparql"))))

    routes: list[Route | Mount] = [
        Route("/sparql", endpoint.sparql, methods=["GET", "POST"], name="sparql"),
        Route("/queries", endpoint.queries, methods=["GET"], name="queries"),
        Route("/queries/{name:path}", endpoint.run_stored, methods=["GET"], name="run_stored"),
        Route("/query", page, methods=["GET"], name="query_page"),
    ]
    if site is not None:
        routes.append(Mount("/", app=site))
    middleware = []
    if cors_origins:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(cors_origins),
                                     allow_methods=["GET", "POST"],
                                     allow_headers=["Accept", "Content-Type"],
                                     expose_headers=["X-Ibmkg-Truncated"]))
    return Starlette(routes=routes, middleware=middleware)

