"""The remote store: any SPARQL 1.1 Protocol endpoint, through SPARQLWrapper.

Every request has a timeout. A result truncated by the server (Virtuoso answers HTTP 200 with
at most ``ResultSetMaxRows`` rows and only says so in ``X-SPARQL-MaxRows``) raises
:class:`~ibmkg.errors.EndpointError` instead of returning partial rows. Updates go to the
update endpoint with HTTP digest (or basic) authentication.

The store's dataset is explicit: its graphs are sent as ``default-graph-uri`` (their union is
the default graph) and ``named-graph-uri``, so a server's system graphs never leak in.

Security: the endpoint URL is followed as given; only ``http`` and ``https`` URLs are
accepted. Credentials travel with each update; use https anywhere but loopback.

>>> RemoteStore("file:///etc/passwd")
Traceback (most recent call last):
...
ibmkg.errors.InputError: endpoint 'file:///etc/passwd' is not an http(s) URL
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlparse

import pyoxigraph

from ibmkg.errors import EndpointError, EndpointHTTPError, InputError, QuerySyntaxError
from ibmkg.formats import Backend
from ibmkg.sparql import BindableTerm
from ibmkg.store.base import (
    IRI,
    BlankNodeId,
    LangString,
    ResultTable,
    Store,
    Value,
    ntriples,
    to_value,
)
from ibmkg.store.http import (
    DEFAULT_MAX_BYTES,
    USER_AGENT,
    Response,
    Transport,
    display_url,
    server_words,
    tls_context,
)

#: Triples per ``INSERT DATA`` request when loading. Virtuoso 7.2 compiles one request into at
#: most 10,000 lines of SQL, about 7 per triple: 1,429 plain triples of the ontology in one
#: request were refused (SP031), so a chunk stays well below 1,400.
CHUNK = 1000
#: Longest GET URL; longer queries are POSTed.
MAX_GET_URL = 2000


class RemoteStore(Store):
    """A SPARQL endpoint.

    :param endpoint: the query endpoint URL.
    :param update_endpoint: the update endpoint URL (defaults to ``endpoint``).
    :param user: user name for updates.
    :param password: password for updates.
    :param auth: ``digest`` or ``basic``.
    :param timeout: seconds for a whole request, retries and body included (never unlimited).
    :param max_bytes: largest answer accepted.
    :param retries: how many times a ``429``/``503`` answer is retried.
    :param graphs: the named graphs that make up this store's dataset; ``None`` uses the
        server's default dataset (and :meth:`load` adds to the list).
    :param union_graph: a graph this store keeps equal to the merge of ``graphs`` and uses as
        the default graph, so a triple stated in two graphs is seen once (the SPARQL
        dataset's RDF merge; Virtuoso would count it twice if given several default
        graphs). ``None``: the ``graphs`` themselves are sent as default graphs.
    :param inferred_graph: the graph holding the reasoner's inferences, if not the usual one.
    :param ca_file: CA certificates to trust for an ``https`` endpoint (PEM), besides the
        system's; certificates are always verified.
    :raises InputError: for a URL that is not http(s) or holds credentials, bad limits, or an
        unreadable CA file.
    """

    backend = Backend.REMOTE

    def __init__(
        self,
        endpoint: str,
        *,
        update_endpoint: str | None = None,
        user: str | None = None,
        password: str | None = None,
        auth: str = "digest",
        timeout: float = 60.0,
        max_bytes: int = DEFAULT_MAX_BYTES,
        retries: int = 3,
        graphs: Sequence[str] | None = None,
        union_graph: str | None = None,
        inferred_graph: str | None = None,
        ca_file: str | None = None,
    ) -> None:
        for url in (endpoint, update_endpoint):
            if url is not None and urlparse(url).scheme not in ("http", "https"):
                raise InputError(f"endpoint {url!r} is not an http(s) URL")
            if url is not None and (urlparse(url).username or urlparse(url).password):
                raise InputError(f"endpoint {display_url(url)}: put no user name or password "
                                 "in the URL; use --user/--password, the environment or --netrc")
        if auth not in ("digest", "basic"):
            raise InputError(f"auth must be 'digest' or 'basic', not {auth!r}")
        if timeout <= 0:
            raise InputError("timeout must be a positive number of seconds")
        if max_bytes <= 0 or retries < 0:
            raise InputError("max_bytes must be positive and retries 0 or more")
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or endpoint
        self.user = user
        self.password = password
        self.auth = auth
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.retries = retries
        self.ca_file = ca_file
        if ca_file is not None:
            tls_context(ca_file)  # an unreadable CA file is an input error, before any request
        self.graphs: list[str] | None = list(graphs) if graphs is not None else None
        self.union_graph = union_graph
        self.inferred_graph = inferred_graph
        if union_graph is not None and self.graphs is None:
            raise InputError("a union graph needs the list of graphs it merges")

    # -- transport -----------------------------------------------------------------------

    @property
    def transport(self) -> Transport:
        """The HTTP transport (deadline, size limit, retries, authentication)."""
        return Transport(timeout=self.timeout, max_bytes=self.max_bytes, retries=self.retries,
                         user=self.user, password=self.password, auth=self.auth,
                         ca_file=self.ca_file)

    def _wrapper(self, url: str, text: str, accept: str) -> Any:
        from SPARQLWrapper import GET, JSON, TURTLE, SPARQLWrapper

        wrapper = SPARQLWrapper(url, agent=USER_AGENT)
        wrapper.setReturnFormat(JSON if accept == "json" else TURTLE)
        wrapper.setQuery(text)
        wrapper.setMethod(GET)
        return wrapper

    def _request(self, text: str, accept: str, *, scoped: bool = True,
                 ) -> tuple[bytes, dict[str, str]]:
        """Send a query (GET, or POST when long); ``scoped`` sends the store's graphs."""
        from SPARQLWrapper import POST

        wrapper = self._wrapper(self.endpoint, text, accept)
        if scoped and self.graphs is not None:
            for graph in [self.union_graph] if self.union_graph else self.graphs:
                wrapper.addDefaultGraph(graph)
            for graph in self.graphs or [_NO_GRAPH]:
                wrapper.addNamedGraph(graph)
        request = wrapper._createRequest()
        if len(request.full_url) > MAX_GET_URL:
            wrapper.setMethod(POST)
            request = wrapper._createRequest()
        response = self._send(request)
        if response.media_type in ("text/html", "application/xhtml+xml"):
            raise EndpointError(
                f"{display_url(self.endpoint)}: answered an HTML page, not SPARQL results "
                f"({server_words(response.body, 80) or 'empty'}); check that the URL is the "
                "SPARQL endpoint")
        return response.body, response.headers

    def _send(self, request: Any) -> Response:
        try:
            return self.transport.send(request)
        except EndpointHTTPError as err:
            if err.status == 400:
                raise QuerySyntaxError("<query>", 0, 0, "the endpoint "
                                       f"{display_url(self.endpoint)} rejected the query: "
                                       f"{err.detail or 'no detail'}") from None
            raise

    def update(self, text: str) -> None:
        """Send a SPARQL Update to the update endpoint (always POST).

        :param text: the update.
        :raises EndpointError: when the server refuses or fails.
        """
        from SPARQLWrapper import POST

        wrapper = self._wrapper(self.update_endpoint, text, "json")
        if not wrapper.isSparqlUpdateRequest():
            raise InputError("update() needs a SPARQL Update request")
        wrapper.setMethod(POST)
        self._send(wrapper._createRequest())

    # -- queries -------------------------------------------------------------------------

    def _results(self, text: str, *, scoped: bool = True) -> ResultTable | bool:
        raw, headers = self._request(text, "json", scoped=scoped)
        result = parse_json_results(raw, display_url(self.endpoint))
        if isinstance(result, ResultTable):
            self._check_truncation(text, headers, len(result.rows), scoped=scoped)
        return result

    def _check_truncation(self, text: str, headers: Mapping[str, str], rows: int, *,
                          scoped: bool) -> None:
        """Virtuoso's ``X-SPARQL-MaxRows``: exactly that many rows may be complete; count."""
        limit = headers.get("x-sparql-maxrows", "").strip()
        if not limit.isdigit() or rows < int(limit):
            return
        total: int | None = None
        try:
            counted = self._results(count_query(text), scoped=scoped)
            if isinstance(counted, ResultTable) and counted.rows:
                value = counted.rows[0][0]
                total = value if isinstance(value, int) else None
        except (EndpointError, QuerySyntaxError):
            total = None
        if total is None or total > rows:
            of = f" of {total}" if total is not None else ""
            raise EndpointError(
                f"{display_url(self.endpoint)}: the server cut the result at {limit}{of} rows "
                "(X-SPARQL-MaxRows); add LIMIT/OFFSET paging or raise ResultSetMaxRows on "
                "the server")

    def select(self, text: str, *, scoped: bool = True) -> ResultTable:
        """Run a SELECT exactly as written (no gate, no bindings: for ibmkg's own queries).

        :param text: the query.
        :param scoped: send the store's graphs as the dataset (``False``: the server's own).
        :returns: the rows.
        """
        return self._select(text, scoped=scoped)

    def server_software(self) -> str:
        """The server's ``Server`` header (``Virtuoso/07.20.3229 ...``), or ``""``.

        :returns: the header.
        """
        _, headers = self._request("ASK { }", "json", scoped=False)
        return headers.get("server", "")

    def _select(self, text: str, *, scoped: bool = True) -> ResultTable:
        result = self._results(text, scoped=scoped)
        if not isinstance(result, ResultTable):
            raise EndpointError(f"{self.endpoint}: expected result rows, got a boolean")
        return result

    def query(self, sparql: str, *, bindings: Mapping[str, BindableTerm] | None = None,
              ) -> ResultTable:
        """Run a SELECT query (see :meth:`Store.query`).

        :param sparql: the query text.
        :param bindings: values for variables.
        :returns: the rows.
        :raises EndpointError: when the server truncated the result.
        """
        return self._select(self.prepare(sparql, bindings))

    def run_prepared(self, text: str) -> ResultTable:
        """Run a SELECT already passed through :meth:`prepare` (federated stored queries).

        :param text: the prepared query text.
        :returns: the rows.
        """
        return self._select(text)

    def ask(self, sparql: str, *, bindings: Mapping[str, BindableTerm] | None = None) -> bool:
        """Run an ASK query (see :meth:`Store.ask`).

        :param sparql: the query text.
        :param bindings: values for variables.
        :returns: the answer.
        """
        result = self._results(self.prepare(sparql, bindings, forms=("ASK",)))
        if isinstance(result, bool):
            return result
        # Virtuoso answers ASK with one row holding an integer when graphs are given.
        return bool(result.rows and result.rows[0] and result.rows[0][0])

    def construct(self, sparql: str, *, bindings: Mapping[str, BindableTerm] | None = None,
                  ) -> list[pyoxigraph.Triple]:
        """Run a CONSTRUCT or DESCRIBE query (see :meth:`Store.construct`).

        :param sparql: the query text.
        :param bindings: values for variables.
        :returns: the triples.
        """
        raw, _ = self._request(
            self.prepare(sparql, bindings, forms=("CONSTRUCT", "DESCRIBE")), "turtle")
        try:
            quads = pyoxigraph.parse(raw, format=pyoxigraph.RdfFormat.TURTLE)
            return [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads]
        except SyntaxError as err:
            raise EndpointError(f"{self.endpoint}: unreadable Turtle answer ({err.msg})"
                                ) from None

    # -- data ----------------------------------------------------------------------------

    def load(self, triples: Iterable[pyoxigraph.Triple], graph_name: str) -> None:
        """Add triples to a graph (and to the union graph, if any).

        Not atomic across requests: use :meth:`replace_graph` to publish safely.

        :param triples: the triples.
        :param graph_name: the graph IRI.
        """
        content = list(triples)
        self._insert(content, graph_name)
        if self.graphs is not None and graph_name not in self.graphs:
            self.graphs.append(graph_name)
        if self.union_graph is not None:
            self._insert(content, self.union_graph)

    def _insert(self, triples: Iterable[pyoxigraph.Triple], graph_name: str) -> None:
        """``INSERT DATA`` in chunks; triples with blank nodes go in one templated insert.

        Virtuoso refuses blank nodes in ``INSERT DATA``; an ``INSERT { } WHERE { }`` keeps
        them, and sending them all at once keeps each blank node one node.
        """
        graph = str(pyoxigraph.NamedNode(graph_name))
        plain: list[pyoxigraph.Triple] = []
        with_bnodes: list[pyoxigraph.Triple] = []
        for t in triples:
            is_bnode = isinstance(t.subject, pyoxigraph.BlankNode) or \
                isinstance(t.object, pyoxigraph.BlankNode)
            (with_bnodes if is_bnode else plain).append(t)
        for start in range(0, len(plain), CHUNK):
            batch = plain[start:start + CHUNK]
            self.update(f"INSERT DATA {{ GRAPH {graph} {{\n{ntriples(batch)}}} }}")
        if with_bnodes:
            self.update(f"INSERT {{ GRAPH {graph} {{\n{ntriples(with_bnodes)}}} }} WHERE {{ }}")

    def replace_graph(self, graph_name: str, triples: Iterable[pyoxigraph.Triple]) -> None:
        """Publish a graph safely: load a staging graph, verify its size, then move it.

        Virtuoso applies failing updates partially (a failed PUT or a failed multi-operation
        update leaves some changes), so the old graph is only touched once the new content
        is complete on the server. The union graph, if any, is then rebuilt.

        :param graph_name: the graph IRI.
        :param triples: the new content.
        :raises EndpointError: when the staging graph is incomplete (the old graph is kept).
        """
        content = {pyoxigraph.Triple(t.subject, t.predicate, t.object) for t in triples}
        target = pyoxigraph.NamedNode(graph_name)
        staging = pyoxigraph.NamedNode(f"urn:ibmkg:staging:{uuid.uuid4()}")
        try:
            self._insert(content, staging.value)
            found = self.count_triples(staging.value)
            if found != len(content):
                raise EndpointError(
                    f"{self.endpoint}: staging graph holds {found} of {len(content)} triples; "
                    f"{target} was left unchanged"
                )
            self.update(f"MOVE SILENT GRAPH {staging} TO GRAPH {target}")
        finally:
            self.update(f"DROP SILENT GRAPH {staging}")
        if self.graphs is not None and graph_name not in self.graphs:
            self.graphs.append(graph_name)
        self.rebuild_union()

    def rebuild_union(self) -> None:
        """Make the union graph the merge of the store's graphs again (no-op without one)."""
        if self.union_graph is None or self.graphs is None:
            return
        union = pyoxigraph.NamedNode(self.union_graph)
        self.update(f"DROP SILENT GRAPH {union}")
        if self.graphs:
            values = " ".join(str(pyoxigraph.NamedNode(g)) for g in self.graphs)
            self.update(f"INSERT {{ GRAPH {union} {{ ?s ?p ?o }} }} "
                        f"WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}")

    def count_triples(self, graph_name: str | None = None) -> int:
        """Count triples (see :meth:`Store.count_triples`).

        :param graph_name: a graph IRI, or ``None`` for all of this store's graphs.
        :returns: the count.
        """
        names = [graph_name] if graph_name is not None else self.graph_names()
        if not names:
            return 0
        values = " ".join(str(pyoxigraph.NamedNode(n)) for n in names)
        table = self._select(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}",
            scoped=False,
        )
        value = table.rows[0][0] if table.rows else 0
        return int(value) if isinstance(value, int) else 0

    def graph_names(self) -> list[str]:
        """Return the store's graphs (as configured, else those the server lists), sorted."""
        if self.graphs is not None:
            return sorted(self.graphs)
        table = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", scoped=False)
        return sorted(str(v) for v in table.column("g") if v is not None)


_NO_GRAPH = "urn:ibmkg:no-graph"
_XSD = "http://www.w3.org/2001/XMLSchema#"


def _json_value(term: Any) -> Value:
    """Convert one binding of SPARQL JSON results (1.1, or 1.0's ``typed-literal``)."""
    if term is None:
        return None
    kind, value = term["type"], term["value"]
    if kind == "uri":
        return IRI(value)
    if kind == "bnode":
        return BlankNodeId(value)
    if "xml:lang" in term:
        return LangString(value, term["xml:lang"])
    datatype = term.get("datatype", _XSD + "string")
    return to_value(pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(datatype)))


def parse_json_results(raw: bytes, url: str) -> ResultTable | bool:
    """Read SPARQL 1.1 Query Results JSON (https://www.w3.org/TR/sparql11-results-json/).

    :param raw: the body.
    :param url: the endpoint, for messages.
    :returns: the rows, or the boolean of an ASK.
    :raises EndpointError: for anything that is not well-formed results.

    >>> parse_json_results(b'{"head": {}, "boolean": true}', "http://x/sparql")
    True
    >>> parse_json_results(b'{"head": {"vars": ["s"]', "http://x/sparql")
    Traceback (most recent call last):
    ...
    ibmkg.errors.EndpointError: http://x/sparql: malformed SPARQL JSON results (line 1 ...)...
    """
    try:
        document = json.loads(raw)
        if not isinstance(document, dict):
            raise TypeError("not a JSON object")
        if "boolean" in document:
            return bool(document["boolean"])
        columns = tuple(document["head"]["vars"])
        rows = [tuple(_json_value(binding.get(c)) for c in columns)
                for binding in document["results"]["bindings"]]
    except json.JSONDecodeError as err:
        problem = f"line {err.lineno} column {err.colno}: {err.msg}"
        raise EndpointError(f"{url}: malformed SPARQL JSON results ({problem}); check that the "
                            "URL is a SPARQL endpoint and the server's log") from None
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        what = f"missing {err}" if isinstance(err, KeyError) else str(err)
        raise EndpointError(f"{url}: not SPARQL JSON results ({what}); check that the URL is "
                            "a SPARQL endpoint") from None
    return ResultTable(columns, rows)


def count_query(text: str) -> str:
    r"""Wrap a SELECT query to count its rows (its prologue kept in front).

    :param text: the query.
    :returns: ``SELECT (COUNT(*) AS ?n) WHERE { { <the query> } }``.

    >>> count_query("PREFIX a: <http://a/>\nSELECT ?s { ?s a:p 1 }")
    'PREFIX a: <http://a/>\nSELECT (COUNT(*) AS ?ibmkg_count) WHERE { { SELECT ?s { ?s a:p 1 } } }'
    """
    from ibmkg.sparql import tokens

    start = 0
    for token in tokens(text):
        if token.kind == "word" and token.text.upper() == "SELECT":
            start = token.start
            break
    prologue, body = text[:start], text[start:]
    return f"{prologue}SELECT (COUNT(*) AS ?ibmkg_count) WHERE {{ {{ {body.strip()} }} }}"
