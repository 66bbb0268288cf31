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

import urllib.error
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlparse

import pyoxigraph

from ibmkg.errors import EndpointError, InputError, QuerySyntaxError
from ibmkg.formats import Backend
from ibmkg.sparql import BindableTerm
from ibmkg.store.base import ResultTable, Store, ntriples, require_form, to_value

#: Triples per ``INSERT DATA`` request when loading.
CHUNK = 2000


class RemoteStore(Store):
    """A SPARQL endpoint.

    :param endpoint: the query endpoint URL.
    :param update_endpoint: the update endpoint URL (defaults to ``endpoint``).
    :param user: user name for updates.
    :param password: password for updates.
    :param auth: ``digest`` or ``basic``.
    :param timeout: seconds to wait for any request (never unlimited).
    :param graphs: the graphs that make up this store's dataset; ``None`` uses the server's
        default dataset (and :meth:`load` adds to the list).
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
        graphs: Sequence[str] | None = None,
    ) -> None:
        for url in (endpoint, update_endpoint):
            if url is not None and urlparse(url).scheme not in ("http", "https"):
                raise InputError(f"endpoint {url!r} is not an http(s) URL")
        if auth not in ("digest", "basic"):
            raise InputError(f"auth must be 'digest' or 'basic', not {auth!r}")
        if timeout <= 0:
            raise InputError("timeout must be a positive number of seconds")
        self.endpoint = endpoint
        self.update_endpoint = update_endpoint or endpoint
        self.user = user
        self.password = password
        self.auth = auth
        self.timeout = timeout
        self.graphs: list[str] | None = list(graphs) if graphs is not None else None

    # -- transport -----------------------------------------------------------------------

    def _wrapper(self, url: str) -> Any:
        from SPARQLWrapper import POST, SPARQLWrapper

        wrapper = SPARQLWrapper(url)
        wrapper.setTimeout(int(max(1, round(self.timeout))))
        wrapper.setMethod(POST)
        return wrapper

    def _request(self, text: str, accept: str, *, scoped: bool = True,
                 ) -> tuple[bytes, dict[str, str]]:
        """POST a query; ``scoped`` sends the store's graphs as the dataset."""
        from SPARQLWrapper import JSON, TURTLE

        wrapper = self._wrapper(self.endpoint)
        wrapper.setReturnFormat(JSON if accept == "json" else TURTLE)
        for graph in (self.graphs or ()) if scoped else ():
            wrapper.addDefaultGraph(graph)
            wrapper.addNamedGraph(graph)
        wrapper.setQuery(text)
        result = self._call(wrapper)
        headers = {k.lower(): v for k, v in result.info().items()}
        return result.response.read(), headers

    def _call(self, wrapper: Any) -> Any:
        from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, SPARQLWrapperException

        try:
            return wrapper.query()
        except QueryBadFormed as err:
            raise QuerySyntaxError("<query>", 0, 0, "the endpoint rejected the query: "
                                   + _server_message(str(err))) from None
        except SPARQLWrapperException as err:
            raise EndpointError(f"{wrapper.endpoint}: {_first_line(str(err))}") from None
        except urllib.error.HTTPError as err:
            hint = "; check --user/--password" if err.code in (401, 403) else ""
            raise EndpointError(f"{wrapper.endpoint}: HTTP {err.code} {err.reason}{hint}"
                                ) from None
        except TimeoutError:
            raise EndpointError(
                f"{wrapper.endpoint}: no answer within {self.timeout:g} s; "
                "raise the timeout or simplify the query"
            ) from None
        except (urllib.error.URLError, OSError) as err:
            reason = getattr(err, "reason", err)
            raise EndpointError(f"{wrapper.endpoint}: cannot connect ({reason})") from None

    def update(self, text: str) -> None:
        """Send a SPARQL Update to the update endpoint.

        :param text: the update.
        :raises EndpointError: when the server refuses or fails.
        """
        from SPARQLWrapper import BASIC, DIGEST, JSON

        wrapper = self._wrapper(self.update_endpoint)
        wrapper.setReturnFormat(JSON)
        if self.user is not None:
            wrapper.setHTTPAuth(DIGEST if self.auth == "digest" else BASIC)
            wrapper.setCredentials(self.user, self.password or "")
        wrapper.setQuery(text)
        if not wrapper.isSparqlUpdateRequest():
            raise InputError("update() needs a SPARQL Update request")
        self._call(wrapper).response.read()

    # -- queries -------------------------------------------------------------------------

    def _solutions(self, sparql: str, bindings: Mapping[str, BindableTerm] | None,
                   ) -> pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean:
        raw, _ = self._request(self.prepare(sparql, bindings), "json")
        return self._parse_results(raw)

    def _parse_results(self, raw: bytes) -> pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean:
        try:
            parsed = pyoxigraph.parse_query_results(raw, format=pyoxigraph.QueryResultsFormat.JSON)
        except SyntaxError as err:
            raise EndpointError(f"{self.endpoint}: unreadable SPARQL results ({err.msg})"
                                ) from None
        assert not isinstance(parsed, pyoxigraph.QueryTriples)
        return parsed

    def _select(self, text: str, *, scoped: bool = True) -> ResultTable:
        raw, headers = self._request(text, "json", scoped=scoped)
        parsed = self._parse_results(raw)
        if not isinstance(parsed, pyoxigraph.QuerySolutions):
            raise EndpointError(f"{self.endpoint}: expected result rows, got a boolean")
        columns = tuple(v.value for v in parsed.variables)
        rows = [tuple(to_value(solution[c]) for c in columns) for solution in parsed]
        _check_truncation(self.endpoint, headers, len(rows))
        return ResultTable(columns, rows)

    def query(self, sparql: str, *, bindings: Mapping[str, BindableTerm] | None = None,
              ) -> ResultTable:
        """Run a SELECT query (see :meth:`Store.query`).

        :param sparql: the query text.
        :param bindings: values for variables.
        :returns: the rows.
        :raises EndpointError: when the server truncated the result.
        """
        require_form(sparql, ("SELECT",), "query")
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
        require_form(sparql, ("ASK",), "ask")
        parsed = self._solutions(sparql, bindings)
        if isinstance(parsed, pyoxigraph.QueryBoolean):
            return bool(parsed)
        # Virtuoso answers ASK with one row holding an integer when graphs are given.
        values = [to_value(solution[0]) for solution in parsed]
        return bool(values and values[0])

    def construct(self, sparql: str, *, bindings: Mapping[str, BindableTerm] | None = None,
                  ) -> list[pyoxigraph.Triple]:
        """Run a CONSTRUCT or DESCRIBE query (see :meth:`Store.construct`).

        :param sparql: the query text.
        :param bindings: values for variables.
        :returns: the triples.
        """
        require_form(sparql, ("CONSTRUCT", "DESCRIBE"), "construct")
        raw, _ = self._request(self.prepare(sparql, bindings), "turtle")
        try:
            quads = pyoxigraph.parse(raw, format=pyoxigraph.RdfFormat.TURTLE)
            return [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in quads]
        except SyntaxError as err:
            raise EndpointError(f"{self.endpoint}: unreadable Turtle answer ({err.msg})"
                                ) from None

    # -- data ----------------------------------------------------------------------------

    def load(self, triples: Iterable[pyoxigraph.Triple], graph_name: str) -> None:
        """Add triples to a graph with ``INSERT DATA`` requests of :data:`CHUNK` triples.

        Not atomic across chunks: use :meth:`replace_graph` to publish safely.

        :param triples: the triples.
        :param graph_name: the graph IRI.
        """
        self._insert(triples, graph_name)
        if self.graphs is not None and graph_name not in self.graphs:
            self.graphs.append(graph_name)

    def _insert(self, triples: Iterable[pyoxigraph.Triple], graph_name: str) -> None:
        graph = str(pyoxigraph.NamedNode(graph_name))
        batch: list[pyoxigraph.Triple] = []
        for triple in triples:
            batch.append(triple)
            if len(batch) == CHUNK:
                self.update(f"INSERT DATA {{ GRAPH {graph} {{\n{ntriples(batch)}}} }}")
                batch = []
        if batch:
            self.update(f"INSERT DATA {{ GRAPH {graph} {{\n{ntriples(batch)}}} }}")

    def replace_graph(self, graph_name: str, triples: Iterable[pyoxigraph.Triple]) -> None:
        """Publish a graph safely: load a staging graph, verify its size, then move it.

        Virtuoso applies failing updates partially (a failed PUT or a failed multi-operation
        update leaves some changes), so the old graph is only touched once the new content
        is complete on the server.

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


def _check_truncation(endpoint: str, headers: Mapping[str, str], rows: int) -> None:
    limit = headers.get("x-sparql-maxrows")
    if limit is not None and limit.strip().isdigit() and rows >= int(limit):
        raise EndpointError(
            f"{endpoint}: the server cut the result at {limit} rows (X-SPARQL-MaxRows); "
            "add LIMIT/OFFSET paging or raise ResultSetMaxRows on the server"
        )


def _server_message(text: str) -> str:
    """The server's own words from a SPARQLWrapper error (after ``Response:``)."""
    _, _, response = text.partition("Response:")
    response = response.strip().removeprefix("b'").removeprefix('b"').rstrip("'\"")
    lines = [ln for ln in response.replace("\\n", "\n").splitlines() if ln.strip()]
    return " ".join(lines[:2])[:300] if lines else _first_line(text)


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "no detail"
