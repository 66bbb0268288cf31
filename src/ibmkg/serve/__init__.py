"""``ibmkg serve``: the graph over the SPARQL 1.1 Protocol, read-only and sandboxed.

>>> from ibmkg.store.embedded import EmbeddedStore
>>> from ibmkg.sandbox.store import SandboxedStore
>>> type(create_app(SandboxedStore(EmbeddedStore()))).__name__
'Starlette'
"""

from __future__ import annotations

from ibmkg.serve.app import MAX_QUERY_LENGTH, create_app, service_description

__all__ = ["MAX_QUERY_LENGTH", "create_app", "service_description"]
