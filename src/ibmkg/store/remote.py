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
import urllib.error
import uuid
from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlparse

import pyoxigraph

from ibmkg.errors import EndpointError, InputError, QuerySyntaxError
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

#: Triples per ``INSERT DATA`` request when loading. Virtuoso 7.2 compiles one request into at
#: most 10,000 lines of SQL, about 7 per triple: 1,429 plain triples of the ontology in one
#: request were refused (SP031), so a chunk stays well below 1,400.
CHUNK = 1000


class RemoteStore(Store):
    """A SPARQL endpoint.

    :param endpoint: the query endpoint URL.
    :param update_endpoint: the update endpoint URL (defaults to ``endpoint``).
    :param user: user name for updates.
    :param password: password for updates.
    :param auth: ``digest`` or ``basic``.
    :param timeout: seconds to wait for any request (never unlimited).
    :param graphs: the named graphs that make up this store's dataset; ``None`` uses the
        server's default dataset (and :meth:`load` adds to the list).
    :param union_graph: a graph this store keeps equal to the merge of ``graphs`` and uses as
        the default graph, so a triple stated in two graphs is seen once (the SPARQL
        dataset's RDF merge; Virtuoso would count it twice if given several default
        graphs). ``None``: the ``graphs`` themselves are sent as default graphs.
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
        union_graph: str | None = None,
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
        self.union_graph = union_graph
        if union_graph is not None and self.graphs is None:
            raise InputError("a union graph needs the list of graphs it merges")

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
        if scoped and self.graphs is not None:
            for graph in [self.union_graph] if self.union_graph else self.graphs:
                wrapper.addDefaultGraph(graph)
            for graph in self.graphs or [_NO_GRAPH]:
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
            raise EndpointError(f"{wrapper.endpoint}: {_first_line(str(err))} "
                                f"({_server_message(str(err))})") from None
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

    def _results(self, text: str, *, scoped: bool = True) -> ResultTable | bool:
        raw, headers = self._request(text, "json", scoped=scoped)
        try:
            document = json.loads(raw)
            if "boolean" in document:
                return bool(document["boolean"])
            columns = tuple(document["head"]["vars"])
            rows = [tuple(_json_value(binding.get(c)) for c in columns)
                    for binding in document["results"]["bindings"]]
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            raise EndpointError(f"{self.endpoint}: unreadable SPARQL JSON results ({err})"
                                ) from None
        _check_truncation(self.endpoint, headers, len(rows))
        return ResultTable(columns, rows)

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
