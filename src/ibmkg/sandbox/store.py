"""A store whose queries pass the gate and run in killable workers with hard limits.

:class:`SandboxedStore` answers like :class:`~ibmkg.store.embedded.EmbeddedStore` (the same
graphs, the same rows) but every query is first inspected on its parsed form
(:func:`~ibmkg.sandbox.gate.inspect_query`) and then runs in a worker process with a
wall-clock limit and a row cap. A capped answer says so (``ResultTable.truncated``,
:attr:`GraphResult.truncated`), never silently.

pyoxigraph's store keeps numbers by value (``"3.0"^^xsd:decimal`` comes back as ``"3"``);
the sandbox gives each literal back the lexical form it had in the loaded files when that
form is the only one for its value, so the W3C result formats print ``3.0`` as written.

>>> from ibmkg.graph_io import parse_turtle
>>> with SandboxedStore(EmbeddedStore(), timeout=10) as store:
...     store.load(parse_turtle('<https://w3id.org/ibmkg/a> <https://w3id.org/ibmkg/p> 3.0 .'),
...                "https://w3id.org/ibmkg/g")
...     table = store.query("SELECT ?o WHERE { ?s ?p ?o }")
>>> table.terms[0][0].value, table.truncated
('3.0', False)
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph

from ibmkg.errors import QueryTimeoutError, QueryWorkerError
from ibmkg.formats import Backend
from ibmkg.graph_io import LoadedData
from ibmkg.sandbox.gate import QueryInfo, check_bound, inspect_query
from ibmkg.sandbox.worker import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, WorkerPool
from ibmkg.sparql import BindableTerm, syntax_error
from ibmkg.store.base import ResultTable, Store, Term, TermRow, gc_paused, to_values
from ibmkg.store.embedded import EmbeddedStore
from ibmkg.store.lexical import lexical_forms, restore_literal, restore_triple

__all__ = ["GraphResult", "SandboxedStore", "lexical_forms"]



@dataclass
class GraphResult:
    """The triples of a CONSTRUCT or DESCRIBE query.

    :param triples: the triples.
    :param truncated: whether the cap cut them.
    """

    triples: list[pyoxigraph.Triple] = field(default_factory=list)
    truncated: bool = False


class SandboxedStore(Store):
    """The embedded store, queried through the gate and worker processes.

    :param inner: the store holding the graphs (loads and counts run on it directly).
    :param timeout: the wall-clock limit of each query, in seconds.
    :param max_rows: the row (and triple) cap of each answer.
    :param workers: how many queries may run at once.
    :param memory_mb: each worker's address-space limit (0: none).
    :param lexical: written forms of literals (see :func:`lexical_forms`).
    :param cache_size: how many answers to keep (0: none). The graph is read-only between
        loads, so the same text gives the same answer; identical queries running at the same
        time run once. A load or replace empties the cache.
    :param copy: give each worker its own copy of the graph in memory, even when ``inner``
        is a store on disk (queries run several times faster in memory than on disk).
    :param store_dir: the directory of the persistent store ``inner`` was opened from
        (:func:`ibmkg.store.cache.store_directory`): the workers open it read-only instead of
        loading a copy of the graph. It is forgotten after a :meth:`load` or
        :meth:`replace_graph` (which the workers then get as a copy).
    """

    backend = Backend.EMBEDDED

    def __init__(self, inner: EmbeddedStore, *, timeout: float = DEFAULT_TIMEOUT,
                 max_rows: int = DEFAULT_MAX_ROWS, workers: int = 1, memory_mb: int = 0,
                 lexical: Mapping[tuple[str, str], str] | None = None,
                 cache_size: int = 0, store_dir: Path | None = None,
                 copy: bool = False) -> None:
        self._cache_size = cache_size
        self._store_dir = store_dir
        self._answers: OrderedDict[tuple[str, int], dict[str, Any]] = OrderedDict()
        self._running: dict[tuple[str, int], threading.Event] = {}
        self._cache_lock = threading.Lock()
        self._inner = inner
        self.timeout = timeout
        self.max_rows = max_rows
        self._workers = workers
        self._memory_mb = memory_mb
        self._lexical = dict(lexical) if lexical is not None else lexical_forms(
            q.object for q in inner.oxigraph if isinstance(q.object, pyoxigraph.Literal))
        self._pool: WorkerPool | None = None
        self._copy = copy  # copy the graph into each worker even from a store on disk

    @classmethod
    def from_data(cls, data: LoadedData, *, timeout: float = DEFAULT_TIMEOUT,
                  max_rows: int = DEFAULT_MAX_ROWS, workers: int = 1, memory_mb: int = 0,
                  cache_size: int = 0) -> SandboxedStore:
        """Create a sandboxed store holding every graph of ``data``.

        :param data: the loaded graphs (their literals' written forms are kept).
        :param timeout: the wall-clock limit of each query, in seconds.
        :param max_rows: the row cap.
        :param workers: how many queries may run at once.
        :param memory_mb: each worker's address-space limit (0: none).
        :param cache_size: how many answers to keep (0: none).
        :returns: the store (workers start on the first query).
        """
        lexical = lexical_forms(t.object for t in data.triples()
                                if isinstance(t.object, pyoxigraph.Literal))
        return cls(EmbeddedStore.from_data(data), timeout=timeout, max_rows=max_rows,
                   workers=workers, memory_mb=memory_mb, lexical=lexical,
                   cache_size=cache_size)

    @property
    def pool(self) -> WorkerPool:
        """The worker processes (started on first use)."""
        if self._pool is None:
            # The persistent store on disk, opened read-only by each worker: named by the
            # caller (a server), or the one ``inner`` was opened from (``ibmkg query``).
            path = self._store_dir
            if path is None and not self._copy:
                path = getattr(self._inner, "path", None)
            if path is not None:
                self._pool = WorkerPool(size=self._workers, memory_mb=self._memory_mb,
                                        store_dir=path)
                return self._pool
            data = self._inner.oxigraph.dump(format=pyoxigraph.RdfFormat.N_QUADS) or b""
            self._pool = WorkerPool(data, size=self._workers, memory_mb=self._memory_mb)
        return self._pool

    def start(self) -> SandboxedStore:
        """Start the workers now (a server does this before taking requests).

        With ``store_dir`` the workers open that persistent store read-only (start-up in
        milliseconds at any size); without it, a store started this way gives each worker its
        own copy in memory. Started lazily, by the first query (``ibmkg query``), workers
        open the cache on disk ``inner`` was opened from, so the first answer does not wait
        for a copy of the whole graph.

        :returns: the store.
        """
        self._copy = True
        _ = self.pool
        return self

    def run(self, sparql: str, *, bindings: Mapping[str, BindableTerm] | None = None,
            allow_forms: tuple[str, ...] = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE"),
            timeout: float | None = None, max_rows: int | None = None, source: str = "<query>",
            line_offset: int = 0) -> ResultTable | bool | GraphResult:
        """Run a query of any form through the gate and a worker.

        :param sparql: the query text.
        :param bindings: values for variables (bound as data, never as text).
        :param allow_forms: the query forms accepted.
        :param timeout: this query's limit in seconds (default: the store's).
        :param max_rows: this query's row cap (default: the store's).
        :param source: the file name for error messages.
        :param line_offset: lines before the query in its file.
        :returns: rows for SELECT, a boolean for ASK, triples for CONSTRUCT and DESCRIBE.
        :raises UnsafeQueryError: for what the gate refuses.
        :raises QuerySyntaxError: when the query does not parse (with file and line).
        :raises QueryTimeoutError: when it runs past the limit.
        """
        info = self.inspect(sparql, source=source, line_offset=line_offset)
        if info.form not in allow_forms:
            from ibmkg.errors import QuerySyntaxError

            raise QuerySyntaxError(source, 0, 0, f"this runs {'/'.join(allow_forms)} queries, "
                                   f"not {info.form}")
        text = self.prepare(sparql, bindings, forms=allow_forms)
        if bindings:
            check_bound(text)
        limit, rows = timeout or self.timeout, max_rows or self.max_rows
        deadline = time.monotonic() + limit
        with gc_paused():  # many small acyclic objects (see ibmkg.store.base.gc_paused)
            if info.form == "SELECT":
                ordered = self._ordered(text, limit, rows)
                if ordered is not None:
                    return ordered
            # An unordered run that gave up has used part of the limit: the query as written
            # gets what is left, so the limit holds for the whole call.
            try:
                answer = self._answer(text, max(deadline - time.monotonic(), 0.001), rows)
            except QueryTimeoutError:
                raise QueryTimeoutError(limit) from None
            return self._decode(answer, info, source, line_offset - _added(sparql, text))

    def _ordered(self, text: str, timeout: float, max_rows: int) -> ResultTable | None:
        """The answer with a top-level ORDER BY sorted here, as :class:`EmbeddedStore` does.

        ``None`` (run the text as it is) when there is no such ORDER BY, when the unordered
        answer fails or reaches the row cap (its first rows are not the ordered ones), or
        when :func:`~ibmkg.store.ordering.sort_solutions` gives up.
        """
        from ibmkg.store.ordering import sort_solutions, split_order

        split = split_order(text)
        if split is None:
            return None
        answer = self._answer(split.text, timeout, max_rows)
        if "rows" not in answer or answer["truncated"]:
            return None
        columns = tuple(answer["select"])
        ordered = [columns.index(c.variable) for c in split.conditions
                   if c.variable in columns]
        rows = answer["rows"]
        if any(row[i] is not None and row[i][0] in "TD" for row in rows for i in ordered):
            return None  # a triple term or a directional string: not sorted here
        terms: list[TermRow] = [tuple(self._term(cell) for cell in row) for row in rows]
        sorted_terms = sort_solutions(terms, columns, split)
        if sorted_terms is None:
            return None
        return ResultTable(columns, to_values(sorted_terms), sorted_terms, False)

    def _answer(self, text: str, timeout: float, max_rows: int) -> dict[str, Any]:
        if not self._cache_size:
            return self.pool.run(text, timeout=timeout, max_rows=max_rows)
        key = (text, max_rows)
        with self._cache_lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]
            running = self._running.get(key)
            if running is None:
                self._running[key] = threading.Event()
        if running is not None:  # the same query is running: wait for its answer
            running.wait(timeout)
            with self._cache_lock:
                if key in self._answers:
                    return self._answers[key]
            return self.pool.run(text, timeout=timeout, max_rows=max_rows)
        try:
            answer = self.pool.run(text, timeout=timeout, max_rows=max_rows)
            if "error" not in answer:
                with self._cache_lock:
                    self._answers[key] = answer
                    while len(self._answers) > self._cache_size:
                        self._answers.popitem(last=False)
            return answer
        finally:
            with self._cache_lock:
                self._running.pop(key).set()

    def inspect(self, sparql: str, *, source: str = "<query>", line_offset: int = 0,
                ) -> QueryInfo:
        """Check a query with the gate without running it.

        :param sparql: the query text.
        :param source: the file name for error messages.
        :param line_offset: lines before the query in its file.
        :returns: its form and columns.
        :raises UnsafeQueryError: for what the gate refuses.
        :raises QuerySyntaxError: when it does not parse.
        """
        return inspect_query(sparql, source=source, line_offset=line_offset)

    def _decode(self, answer: dict[str, Any], info: QueryInfo, source: str,
                line_offset: int) -> ResultTable | bool | GraphResult:
        if "error" in answer:
            if answer["error"] == "syntax":
                raise syntax_error(SyntaxError(answer["message"]), source, line_offset)
            raise QueryWorkerError(f"the query failed in the engine: {answer['message']}")
        if "boolean" in answer:
            return bool(answer["boolean"])
        if "graph" in answer:
            triples = list(pyoxigraph.parse(answer["graph"].encode("utf-8"),
                                            format=pyoxigraph.RdfFormat.N_TRIPLES))
            return GraphResult([self._restore_triple(t) for t in triples],
                               bool(answer["truncated"]))
        columns = tuple(answer["select"])
        terms: list[TermRow] = [tuple(self._term(cell) for cell in row) for row in answer["rows"]]
        return ResultTable(columns, to_values(terms), terms, bool(answer["truncated"]))

    def _restore(self, literal: pyoxigraph.Literal) -> pyoxigraph.Literal:
        return restore_literal(literal, self._lexical)

    def _restore_triple(self, triple: pyoxigraph.Triple) -> pyoxigraph.Triple:
        return restore_triple(triple, self._lexical)

    def _term(self, cell: list[str] | None) -> Term | None:
        if cell is None:
            return None
        if cell[0] == "I":
            return pyoxigraph.NamedNode(cell[1])
        if cell[0] == "B":
            return pyoxigraph.BlankNode(cell[1])
        if cell[3]:
            return pyoxigraph.Literal(cell[1], language=cell[3])
        return self._restore(pyoxigraph.Literal(cell[1],
                                                datatype=pyoxigraph.NamedNode(cell[2])))

    def query(self, sparql: str, *, bindings: Mapping[str, BindableTerm] | None = None,
              ) -> ResultTable:
        """Run a SELECT query in a worker (see :meth:`run`).

        :param sparql: the query text.
        :param bindings: values for variables.
        :returns: the rows (``truncated`` set when the cap cut them).
        """
        result = self.run(sparql, bindings=bindings, allow_forms=("SELECT",))
        assert isinstance(result, ResultTable)
        return result

    def ask(self, sparql: str, *, bindings: Mapping[str, BindableTerm] | None = None) -> bool:
        """Run an ASK query in a worker.

        :param sparql: the query text.
        :param bindings: values for variables.
        :returns: the answer.
        """
        result = self.run(sparql, bindings=bindings, allow_forms=("ASK",))
        assert isinstance(result, bool)
        return result

    def construct(self, sparql: str, *, bindings: Mapping[str, BindableTerm] | None = None,
                  ) -> list[pyoxigraph.Triple]:
        """Run a CONSTRUCT or DESCRIBE query in a worker.

        :param sparql: the query text.
        :param bindings: values for variables.
        :returns: the triples.
        :raises QueryWorkerError: when the triple cap cut the answer (use :meth:`run` to
            accept a truncated graph).
        """
        result = self.run(sparql, bindings=bindings, allow_forms=("CONSTRUCT", "DESCRIBE"))
        assert isinstance(result, GraphResult)
        if result.truncated:
            raise QueryWorkerError(f"the query returned more than {self.max_rows} triples")
        return result.triples

    def load(self, triples: Iterable[pyoxigraph.Triple], graph_name: str) -> None:
        """Add triples (the workers restart with the new graph on the next query).

        :param triples: the triples.
        :param graph_name: the graph IRI.
        """
        content = list(triples)
        self._lexical.update(lexical_forms(t.object for t in content
                                           if isinstance(t.object, pyoxigraph.Literal)))
        self._inner.load(content, graph_name)
        self._store_dir, self._copy = None, True  # the disk store no longer has everything
        self._restart()

    def replace_graph(self, graph_name: str, triples: Iterable[pyoxigraph.Triple]) -> None:
        """Replace a graph (the workers restart with the new content on the next query).

        :param graph_name: the graph IRI.
        :param triples: the new content.
        """
        self._inner.replace_graph(graph_name, triples)
        self._store_dir, self._copy = None, True  # the disk store no longer has everything
        self._restart()

    def _restart(self) -> None:
        with self._cache_lock:
            self._answers.clear()
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def count_triples(self, graph_name: str | None = None) -> int:
        """Count triples (in this process: no user text is involved).

        :param graph_name: a graph IRI, or ``None`` for all.
        :returns: the count.
        """
        return self._inner.count_triples(graph_name)

    def graph_names(self) -> list[str]:
        """Return the names of the graphs, sorted."""
        return self._inner.graph_names()

    def close(self) -> None:
        """Stop the worker processes."""
        self._restart()

    def __enter__(self) -> SandboxedStore:
        return self


def _added(before: str, after: str) -> int:
    """Lines that prefix declarations added in front of the query."""
    return max(after.count("\n") - before.count("\n"), 0)
