"""The query sandbox: a gate on the parsed query, and a worker process that can be killed.

User SPARQL (``ibmkg query FILE.rq``, query text through the API, ``ibmkg serve``) is first
inspected by :func:`inspect_query` (SERVICE, LOAD, dataset clauses, updates and extension
functions refused), then run by a :class:`SandboxedStore` in a separate process with a hard
wall-clock limit and a row cap: pyoxigraph cannot be interrupted in-process, so a query that
runs too long is stopped by killing its worker.

>>> inspect_query("SELECT ?s WHERE { ?s ?p ?o }").columns
('s',)
"""

from __future__ import annotations

from ibmkg.sandbox.gate import MAX_DEPTH, QueryInfo, inspect_query, nesting_depth

__all__ = ["MAX_DEPTH", "QueryInfo", "inspect_query", "nesting_depth"]
