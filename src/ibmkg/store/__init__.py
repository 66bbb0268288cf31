"""SPARQL stores behind one interface: :class:`Store`, with an embedded and a remote backend.

>>> from ibmkg.store import EmbeddedStore, Store
>>> isinstance(EmbeddedStore(), Store)
True
"""

from ibmkg.store.base import (
    IRI,
    BlankNodeId,
    LangString,
    ResultTable,
    Row,
    Store,
    TypedLiteral,
    Value,
    to_value,
    to_values,
)
from ibmkg.store.embedded import EmbeddedStore
from ibmkg.store.remote import RemoteStore

__all__ = [
    "IRI",
    "BlankNodeId",
    "EmbeddedStore",
    "LangString",
    "RemoteStore",
    "ResultTable",
    "Row",
    "Store",
    "TypedLiteral",
    "Value",
    "to_value",
    "to_values",
]
