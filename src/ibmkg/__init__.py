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

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # for type checkers and readers; at run time see __getattr__ below
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
    from ibmkg.validation.compiled import validate_compiled, validate_project_compiled

#: Public name -> the module it lives in; imported on first use (PEP 562), so `import ibmkg`
#: and every `ibmkg --help` stay fast. A new export goes here and in the block below.
_EXPORTS: dict[str, str] = {
    "Backend": "ibmkg.formats",
    "BuildResult": "ibmkg.build",
    "Catalogue": "ibmkg.queries",
    "CurieError": "ibmkg.errors",
    "EmbeddedStore": "ibmkg.store",
    "EndpointError": "ibmkg.errors",
    "Engine": "ibmkg.reasoning",
    "IRI": "ibmkg.store",
    "IbmkgError": "ibmkg.errors",
    "InconsistentGraphError": "ibmkg.errors",
    "InferredType": "ibmkg.reasoning",
    "InputError": "ibmkg.errors",
    "LangString": "ibmkg.store",
    "Layout": "ibmkg.paths",
    "LoadedData": "ibmkg.graph_io",
    "LocalEndpoint": "ibmkg.federation",
    "MappingSet": "ibmkg.mappings",
    "QueryHeaderError": "ibmkg.errors",
    "QueryNotFoundError": "ibmkg.errors",
    "QueryParameterError": "ibmkg.errors",
    "QuerySyntaxError": "ibmkg.errors",
    "RdfFormat": "ibmkg.formats",
    "RdfSyntaxError": "ibmkg.errors",
    "ReasonFormat": "ibmkg.formats",
    "ReasoningError": "ibmkg.errors",
    "ReasoningResult": "ibmkg.reasoning",
    "RemoteStore": "ibmkg.store",
    "ReportFormat": "ibmkg.formats",
    "ResultFormat": "ibmkg.formats",
    "ResultTable": "ibmkg.store",
    "Severity": "ibmkg.validation",
    "SourceGraph": "ibmkg.graph_io",
    "Store": "ibmkg.store",
    "StoredQuery": "ibmkg.queries",
    "TABLE_COLUMNS": "ibmkg.table",
    "TableError": "ibmkg.tabular",
    "TableFormat": "ibmkg.formats",
    "TypedLiteral": "ibmkg.store",
    "UnsafeQueryError": "ibmkg.errors",
    "ValidationFailed": "ibmkg.errors",
    "ValidationReport": "ibmkg.validation",
    "ValidationResult": "ibmkg.validation",
    "atomic_write": "ibmkg.graph_io",
    "build": "ibmkg.build",
    "canon_files": "ibmkg.canonical",
    "canonical_trig": "ibmkg.canonical",
    "canonical_turtle": "ibmkg.canonical",
    "compress": "ibmkg.curie",
    "default_layout": "ibmkg.paths",
    "ensure_inferred": "ibmkg.reasoning",
    "expand": "ibmkg.curie",
    "expand_term": "ibmkg.queries",
    "find_query": "ibmkg.queries",
    "find_root": "ibmkg.paths",
    "format_report": "ibmkg.validation",
    "format_results": "ibmkg.export.results",
    "load_catalogue": "ibmkg.queries",
    "load_dataset": "ibmkg.graph_io",
    "load_project": "ibmkg.graph_io",
    "load_turtle": "ibmkg.graph_io",
    "mapping_triples": "ibmkg.mappings",
    "parse_turtle": "ibmkg.graph_io",
    "read_mapping_set": "ibmkg.mappings",
    "reason": "ibmkg.reasoning",
    "render_table": "ibmkg.table",
    "rewrite_service": "ibmkg.federation",
    "run_federated": "ibmkg.federation",
    "run_query": "ibmkg.queries",
    "staging_dir": "ibmkg.graph_io",
    "structured_rows": "ibmkg.table",
    "to_rdflib_dataset": "ibmkg.graph_io",
    "to_rdflib_graph": "ibmkg.graph_io",
    "validate": "ibmkg.validation",
    "validate_compiled": "ibmkg.validation.compiled",
    "validate_project": "ibmkg.validation",
    "validate_project_compiled": "ibmkg.validation.compiled",
    "validate_shapes": "ibmkg.validation",
    "verbatim_rows": "ibmkg.table",
    "write_inferred": "ibmkg.reasoning",
}


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use.

    :param name: the attribute.
    :returns: its value.
    :raises AttributeError: for a name ibmkg does not export.
    """
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value: Any = version("ibmkg")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            value = "0+unknown"
    elif name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
    else:
        raise AttributeError(f"module 'ibmkg' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The public names (for completion)."""
    return sorted([*globals(), *__all__])


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
    "load_turtle",
    "mapping_triples",
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
    "validate_compiled",
    "validate_project",
    "validate_project_compiled",
    "validate_shapes",
    "verbatim_rows",
    "write_inferred",
]
