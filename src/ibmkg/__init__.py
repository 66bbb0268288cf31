"""ibmkg: a linked-data toolkit for the evidence on IVIG in sporadic inclusion body myositis.

The public API, in one place. Typical use::

    from ibmkg import EmbeddedStore, find_query, run_query, default_layout

    layout = default_layout()                     # the project found from the cwd
    store = EmbeddedStore.from_project(layout)    # ontology + kg, one named graph per file
    rows = run_query(store, find_query("randomised", layout.queries), {})

>>> from ibmkg import EmbeddedStore, parse_turtle
>>> store = EmbeddedStore()
>>> study = "https://w3id.org/ibmkg/study/a"
>>> store.load(parse_turtle(f"<{study}> a <https://w3id.org/ibmkg/ontology/Study> ."), study)
>>> len(store.query("SELECT ?s WHERE { ?s a ibmkg:Study }"))
1
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from ibmkg.build import BuildResult, build
from ibmkg.canonical import canon_files, canonical_trig, canonical_turtle
from ibmkg.curie import compress, expand
from ibmkg.errors import (
    CurieError,
    EndpointError,
    IbmkgError,
    InconsistentGraphError,
    InputError,
    QueryHeaderError,
    QueryNotFoundError,
    QueryParameterError,
    QuerySyntaxError,
    RdfSyntaxError,
    ReasoningError,
    UnsafeQueryError,
    ValidationFailed,
)
from ibmkg.export.results import format_results
from ibmkg.federation import LocalEndpoint, rewrite_service, run_federated
from ibmkg.formats import (
    Backend,
    ExportFormat,
    RdfFormat,
    ReasonFormat,
    ReportFormat,
    ResultFormat,
    TableFormat,
)
from ibmkg.graph_io import (
    LoadedData,
    SourceGraph,
    atomic_write,
    load_dataset,
    load_project,
    load_turtle,
    parse_turtle,
    staging_dir,
    to_rdflib_dataset,
    to_rdflib_graph,
)
from ibmkg.mappings import MappingSet, mapping_triples, read_mapping_set
from ibmkg.paths import Layout, default_layout, find_root
from ibmkg.queries import (
    Catalogue,
    StoredQuery,
    expand_term,
    find_query,
    load_catalogue,
    run_query,
)
from ibmkg.reasoning import (
    Engine,
    InferredType,
    ReasoningResult,
    ensure_inferred,
    reason,
    write_inferred,
)
from ibmkg.store import (
    IRI,
    EmbeddedStore,
    LangString,
    RemoteStore,
    ResultTable,
    Store,
    TypedLiteral,
)
from ibmkg.table import TABLE_COLUMNS, render_table, structured_rows, verbatim_rows
from ibmkg.tabular import TableError
from ibmkg.validation import (
    Severity,
    ValidationReport,
    ValidationResult,
    format_report,
    validate,
    validate_project,
    validate_shapes,
)

if TYPE_CHECKING:
    from ibmkg.publish import SiteResult, build_site, table_document
    from ibmkg.publish.app import site_app
    from ibmkg.publish.nanopubs import finding_nanopubs

#: Publication (Jinja2, PyLD, Starlette, nanopub) is imported on first use, so that
#: ``import ibmkg`` and ``ibmkg --help`` stay fast.
_LAZY = {"SiteResult": "ibmkg.publish", "build_site": "ibmkg.publish",
         "table_document": "ibmkg.publish", "site_app": "ibmkg.publish.app",
         "finding_nanopubs": "ibmkg.publish.nanopubs"}


def __getattr__(name: str) -> Any:
    """Import the publication API on first use (PEP 562)."""
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'ibmkg' has no attribute {name!r}")


try:
    __version__ = version("ibmkg")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "IRI",
    "TABLE_COLUMNS",
    "Backend",
    "BuildResult",
    "Catalogue",
    "CurieError",
    "EmbeddedStore",
    "EndpointError",
    "Engine",
    "ExportFormat",
    "IbmkgError",
    "InconsistentGraphError",
    "InferredType",
    "InputError",
    "LangString",
    "Layout",
    "LoadedData",
    "LocalEndpoint",
    "MappingSet",
    "QueryHeaderError",
    "QueryNotFoundError",
    "QueryParameterError",
    "QuerySyntaxError",
    "RdfFormat",
    "RdfSyntaxError",
    "ReasonFormat",
    "ReasoningError",
    "ReasoningResult",
    "RemoteStore",
    "ReportFormat",
    "ResultFormat",
    "ResultTable",
    "Severity",
    "SiteResult",
    "SourceGraph",
    "Store",
    "StoredQuery",
    "TableError",
    "TableFormat",
    "TypedLiteral",
    "UnsafeQueryError",
    "ValidationFailed",
    "ValidationReport",
    "ValidationResult",
    "__version__",
    "atomic_write",
    "build",
    "build_site",
    "canon_files",
    "canonical_trig",
    "canonical_turtle",
    "compress",
    "default_layout",
    "ensure_inferred",
    "expand",
    "expand_term",
    "find_query",
    "find_root",
    "finding_nanopubs",
    "format_report",
    "format_results",
    "load_catalogue",
    "load_dataset",
    "load_project",
    "load_turtle",
    "mapping_triples",
    "parse_turtle",
    "read_mapping_set",
    "reason",
    "render_table",
    "rewrite_service",
    "run_federated",
    "run_query",
    "site_app",
    "staging_dir",
    "structured_rows",
    "table_document",
    "to_rdflib_dataset",
    "to_rdflib_graph",
    "validate",
    "validate_project",
    "validate_shapes",
    "verbatim_rows",
    "write_inferred",
]
