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

from importlib.metadata import PackageNotFoundError, version

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
    UnsafePathError,
    UnsafeQueryError,
    ValidationFailed,
)
from ibmkg.export.results import format_results
from ibmkg.federation import LocalEndpoint, rewrite_service, run_federated
from ibmkg.formats import Backend, RdfFormat, ReasonFormat, ReportFormat, ResultFormat, TableFormat
from ibmkg.graph_io import (
    LoadedData,
    SourceGraph,
    atomic_write,
    load_dataset,
    load_project,
    load_rdf,
    load_turtle,
    parse_turtle,
    staging_dir,
    to_rdflib_dataset,
    to_rdflib_graph,
)
from ibmkg.io import parse_rdf
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
    "SourceGraph",
    "Store",
    "StoredQuery",
    "TableError",
    "TableFormat",
    "TypedLiteral",
    "UnsafePathError",
    "UnsafeQueryError",
    "ValidationFailed",
    "ValidationReport",
    "ValidationResult",
    "__version__",
    "atomic_write",
    "build",
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
    "format_report",
    "format_results",
    "load_catalogue",
    "load_dataset",
    "load_project",
    "load_rdf",
    "load_turtle",
    "mapping_triples",
    "parse_rdf",
    "parse_turtle",
    "read_mapping_set",
    "reason",
    "render_table",
    "rewrite_service",
    "run_federated",
    "run_query",
    "staging_dir",
    "structured_rows",
    "to_rdflib_dataset",
    "to_rdflib_graph",
    "validate",
    "validate_project",
    "validate_shapes",
    "verbatim_rows",
    "write_inferred",
]
