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
    from ibmkg.curation import Study as StudyForm
    from ibmkg.curation import (
        Vocabulary,
        add_studies,
        curated_problems,
        describe_study,
        draft_from_ctgov,
        draft_from_pubmed,
        import_table,
        load_form,
        plan_study,
        study_template,
    )
    from ibmkg.curie import compress, expand
    from ibmkg.endpoint import (
        Credentials,
        GraphPlan,
        LiveVersion,
        Publisher,
        PublishSummary,
        RoleGraph,
        plan_graphs,
        resolve_credentials,
    )
    from ibmkg.errors import (
        CredentialsError,
        CurationError,
        CurieError,
        DuplicateStudyError,
        EndpointError,
        EndpointHTTPError,
        FormProblem,
        IbmkgError,
        InconsistentGraphError,
        InputError,
        PublishError,
        QueryHeaderError,
        QueryNotFoundError,
        QueryParameterError,
        QuerySyntaxError,
        QueryTimeoutError,
        QueryWorkerError,
        RdfSyntaxError,
        ReasoningError,
        ShapesError,
        UnsafePathError,
        UnsafeQueryError,
        ValidationFailed,
    )
    from ibmkg.export.results import format_boolean, format_graph, format_results
    from ibmkg.federation import LocalEndpoint, rewrite_service, run_federated
    from ibmkg.formats import (
        Backend,
        ExportFormat,
        FormFormat,
        QueryFormat,
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
    from ibmkg.publish import SiteResult, build_site, table_document
    from ibmkg.publish.app import site_app
    from ibmkg.publish.nanopubs import finding_nanopubs
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
    from ibmkg.sandbox import QueryInfo, inspect_query
    from ibmkg.sandbox.store import GraphResult, SandboxedStore
    from ibmkg.serve import create_app
    from ibmkg.store import (
        IRI,
        EmbeddedStore,
        LangString,
        RemoteStore,
        ResultTable,
        Store,
        TypedLiteral,
    )
    from ibmkg.store.load import load_project_into
    from ibmkg.store.ordering import OrderSplit, sort_solutions, split_order
    from ibmkg.table import TABLE_COLUMNS, render_table, structured_rows, verbatim_rows
    from ibmkg.tabular import TableError
    from ibmkg.validation import Engine as ValidationEngine
    from ibmkg.validation import (
        Severity,
        ValidationReport,
        ValidationResult,
        check_shapes,
        format_report,
        load_shapes,
        validate,
        validate_project,
        validate_shapes,
    )
    from ibmkg.validation.compiled import validate_compiled, validate_project_compiled

#: Public name -> (module, attribute); imported on first use (PEP 562), so `import ibmkg`
#: and every `ibmkg --help` stay fast. A new export goes here and in the block above.
_EXPORTS: dict[str, tuple[str, str]] = {
    "Backend": ("ibmkg.formats", "Backend"),
    "BuildResult": ("ibmkg.build", "BuildResult"),
    "Catalogue": ("ibmkg.queries", "Catalogue"),
    "Credentials": ("ibmkg.endpoint", "Credentials"),
    "CredentialsError": ("ibmkg.errors", "CredentialsError"),
    "CurationError": ("ibmkg.errors", "CurationError"),
    "CurieError": ("ibmkg.errors", "CurieError"),
    "DuplicateStudyError": ("ibmkg.errors", "DuplicateStudyError"),
    "EmbeddedStore": ("ibmkg.store", "EmbeddedStore"),
    "EndpointError": ("ibmkg.errors", "EndpointError"),
    "EndpointHTTPError": ("ibmkg.errors", "EndpointHTTPError"),
    "Engine": ("ibmkg.reasoning", "Engine"),
    "ExportFormat": ("ibmkg.formats", "ExportFormat"),
    "FormFormat": ("ibmkg.formats", "FormFormat"),
    "FormProblem": ("ibmkg.errors", "FormProblem"),
    "GraphPlan": ("ibmkg.endpoint", "GraphPlan"),
    "GraphResult": ("ibmkg.sandbox.store", "GraphResult"),
    "IRI": ("ibmkg.store", "IRI"),
    "IbmkgError": ("ibmkg.errors", "IbmkgError"),
    "InconsistentGraphError": ("ibmkg.errors", "InconsistentGraphError"),
    "InferredType": ("ibmkg.reasoning", "InferredType"),
    "InputError": ("ibmkg.errors", "InputError"),
    "LangString": ("ibmkg.store", "LangString"),
    "Layout": ("ibmkg.paths", "Layout"),
    "LiveVersion": ("ibmkg.endpoint", "LiveVersion"),
    "LoadedData": ("ibmkg.graph_io", "LoadedData"),
    "LocalEndpoint": ("ibmkg.federation", "LocalEndpoint"),
    "MappingSet": ("ibmkg.mappings", "MappingSet"),
    "OrderSplit": ("ibmkg.store.ordering", "OrderSplit"),
    "PublishError": ("ibmkg.errors", "PublishError"),
    "PublishSummary": ("ibmkg.endpoint", "PublishSummary"),
    "Publisher": ("ibmkg.endpoint", "Publisher"),
    "QueryFormat": ("ibmkg.formats", "QueryFormat"),
    "QueryHeaderError": ("ibmkg.errors", "QueryHeaderError"),
    "QueryInfo": ("ibmkg.sandbox", "QueryInfo"),
    "QueryNotFoundError": ("ibmkg.errors", "QueryNotFoundError"),
    "QueryParameterError": ("ibmkg.errors", "QueryParameterError"),
    "QuerySyntaxError": ("ibmkg.errors", "QuerySyntaxError"),
    "QueryTimeoutError": ("ibmkg.errors", "QueryTimeoutError"),
    "QueryWorkerError": ("ibmkg.errors", "QueryWorkerError"),
    "RdfFormat": ("ibmkg.formats", "RdfFormat"),
    "RdfSyntaxError": ("ibmkg.errors", "RdfSyntaxError"),
    "ReasonFormat": ("ibmkg.formats", "ReasonFormat"),
    "ReasoningError": ("ibmkg.errors", "ReasoningError"),
    "ReasoningResult": ("ibmkg.reasoning", "ReasoningResult"),
    "RemoteStore": ("ibmkg.store", "RemoteStore"),
    "ReportFormat": ("ibmkg.formats", "ReportFormat"),
    "ResultFormat": ("ibmkg.formats", "ResultFormat"),
    "ResultTable": ("ibmkg.store", "ResultTable"),
    "RoleGraph": ("ibmkg.endpoint", "RoleGraph"),
    "SandboxedStore": ("ibmkg.sandbox.store", "SandboxedStore"),
    "Severity": ("ibmkg.validation", "Severity"),
    "ShapesError": ("ibmkg.errors", "ShapesError"),
    "SiteResult": ("ibmkg.publish", "SiteResult"),
    "SourceGraph": ("ibmkg.graph_io", "SourceGraph"),
    "Store": ("ibmkg.store", "Store"),
    "StoredQuery": ("ibmkg.queries", "StoredQuery"),
    "StudyForm": ("ibmkg.curation", "Study"),
    "TABLE_COLUMNS": ("ibmkg.table", "TABLE_COLUMNS"),
    "TableError": ("ibmkg.tabular", "TableError"),
    "TableFormat": ("ibmkg.formats", "TableFormat"),
    "TypedLiteral": ("ibmkg.store", "TypedLiteral"),
    "UnsafePathError": ("ibmkg.errors", "UnsafePathError"),
    "UnsafeQueryError": ("ibmkg.errors", "UnsafeQueryError"),
    "ValidationEngine": ("ibmkg.validation", "Engine"),
    "ValidationFailed": ("ibmkg.errors", "ValidationFailed"),
    "ValidationReport": ("ibmkg.validation", "ValidationReport"),
    "ValidationResult": ("ibmkg.validation", "ValidationResult"),
    "Vocabulary": ("ibmkg.curation", "Vocabulary"),
    "add_studies": ("ibmkg.curation", "add_studies"),
    "atomic_write": ("ibmkg.graph_io", "atomic_write"),
    "build": ("ibmkg.build", "build"),
    "build_site": ("ibmkg.publish", "build_site"),
    "canon_files": ("ibmkg.canonical", "canon_files"),
    "canonical_trig": ("ibmkg.canonical", "canonical_trig"),
    "canonical_turtle": ("ibmkg.canonical", "canonical_turtle"),
    "check_shapes": ("ibmkg.validation", "check_shapes"),
    "compress": ("ibmkg.curie", "compress"),
    "create_app": ("ibmkg.serve", "create_app"),
    "curated_problems": ("ibmkg.curation", "curated_problems"),
    "default_layout": ("ibmkg.paths", "default_layout"),
    "describe_study": ("ibmkg.curation", "describe_study"),
    "draft_from_ctgov": ("ibmkg.curation", "draft_from_ctgov"),
    "draft_from_pubmed": ("ibmkg.curation", "draft_from_pubmed"),
    "ensure_inferred": ("ibmkg.reasoning", "ensure_inferred"),
    "expand": ("ibmkg.curie", "expand"),
    "expand_term": ("ibmkg.queries", "expand_term"),
    "find_query": ("ibmkg.queries", "find_query"),
    "find_root": ("ibmkg.paths", "find_root"),
    "finding_nanopubs": ("ibmkg.publish.nanopubs", "finding_nanopubs"),
    "format_boolean": ("ibmkg.export.results", "format_boolean"),
    "format_graph": ("ibmkg.export.results", "format_graph"),
    "format_report": ("ibmkg.validation", "format_report"),
    "format_results": ("ibmkg.export.results", "format_results"),
    "import_table": ("ibmkg.curation", "import_table"),
    "inspect_query": ("ibmkg.sandbox", "inspect_query"),
    "load_catalogue": ("ibmkg.queries", "load_catalogue"),
    "load_dataset": ("ibmkg.graph_io", "load_dataset"),
    "load_form": ("ibmkg.curation", "load_form"),
    "load_project": ("ibmkg.graph_io", "load_project"),
    "load_project_into": ("ibmkg.store.load", "load_project_into"),
    "load_rdf": ("ibmkg.graph_io", "load_rdf"),
    "load_shapes": ("ibmkg.validation", "load_shapes"),
    "load_turtle": ("ibmkg.graph_io", "load_turtle"),
    "mapping_triples": ("ibmkg.mappings", "mapping_triples"),
    "parse_rdf": ("ibmkg.io", "parse_rdf"),
    "parse_turtle": ("ibmkg.graph_io", "parse_turtle"),
    "plan_graphs": ("ibmkg.endpoint", "plan_graphs"),
    "plan_study": ("ibmkg.curation", "plan_study"),
    "read_mapping_set": ("ibmkg.mappings", "read_mapping_set"),
    "reason": ("ibmkg.reasoning", "reason"),
    "render_table": ("ibmkg.table", "render_table"),
    "resolve_credentials": ("ibmkg.endpoint", "resolve_credentials"),
    "rewrite_service": ("ibmkg.federation", "rewrite_service"),
    "run_federated": ("ibmkg.federation", "run_federated"),
    "run_query": ("ibmkg.queries", "run_query"),
    "site_app": ("ibmkg.publish.app", "site_app"),
    "sort_solutions": ("ibmkg.store.ordering", "sort_solutions"),
    "split_order": ("ibmkg.store.ordering", "split_order"),
    "staging_dir": ("ibmkg.graph_io", "staging_dir"),
    "structured_rows": ("ibmkg.table", "structured_rows"),
    "study_template": ("ibmkg.curation", "study_template"),
    "table_document": ("ibmkg.publish", "table_document"),
    "to_rdflib_dataset": ("ibmkg.graph_io", "to_rdflib_dataset"),
    "to_rdflib_graph": ("ibmkg.graph_io", "to_rdflib_graph"),
    "validate": ("ibmkg.validation", "validate"),
    "validate_compiled": ("ibmkg.validation.compiled", "validate_compiled"),
    "validate_project": ("ibmkg.validation", "validate_project"),
    "validate_project_compiled": ("ibmkg.validation.compiled", "validate_project_compiled"),
    "validate_shapes": ("ibmkg.validation", "validate_shapes"),
    "verbatim_rows": ("ibmkg.table", "verbatim_rows"),
    "write_inferred": ("ibmkg.reasoning", "write_inferred"),
}


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use.

    :param name: the attribute.
    :returns: its value.
    :raises AttributeError: for a name ibmkg does not export.

    >>> import ibmkg
    >>> ibmkg.compress("https://w3id.org/ibmkg/ontology/Study")
    'ibmkg:Study'
    """
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            value: Any = version("ibmkg")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            value = "0+unknown"
    elif name in _EXPORTS:
        module, attribute = _EXPORTS[name]
        value = getattr(importlib.import_module(module), attribute)
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
    "Credentials",
    "CredentialsError",
    "CurationError",
    "CurieError",
    "DuplicateStudyError",
    "EmbeddedStore",
    "EndpointError",
    "EndpointHTTPError",
    "Engine",
    "ExportFormat",
    "FormFormat",
    "FormProblem",
    "GraphPlan",
    "GraphResult",
    "IbmkgError",
    "InconsistentGraphError",
    "InferredType",
    "InputError",
    "LangString",
    "Layout",
    "LiveVersion",
    "LoadedData",
    "LocalEndpoint",
    "MappingSet",
    "OrderSplit",
    "PublishError",
    "PublishSummary",
    "Publisher",
    "QueryFormat",
    "QueryHeaderError",
    "QueryInfo",
    "QueryNotFoundError",
    "QueryParameterError",
    "QuerySyntaxError",
    "QueryTimeoutError",
    "QueryWorkerError",
    "RdfFormat",
    "RdfSyntaxError",
    "ReasonFormat",
    "ReasoningError",
    "ReasoningResult",
    "RemoteStore",
    "ReportFormat",
    "ResultFormat",
    "ResultTable",
    "RoleGraph",
    "SandboxedStore",
    "Severity",
    "ShapesError",
    "SiteResult",
    "SourceGraph",
    "Store",
    "StoredQuery",
    "StudyForm",
    "TableError",
    "TableFormat",
    "TypedLiteral",
    "UnsafePathError",
    "UnsafeQueryError",
    "ValidationEngine",
    "ValidationFailed",
    "ValidationReport",
    "ValidationResult",
    "Vocabulary",
    "add_studies",
    "atomic_write",
    "build",
    "build_site",
    "canon_files",
    "canonical_trig",
    "canonical_turtle",
    "check_shapes",
    "compress",
    "create_app",
    "curated_problems",
    "default_layout",
    "describe_study",
    "draft_from_ctgov",
    "draft_from_pubmed",
    "ensure_inferred",
    "expand",
    "expand_term",
    "find_query",
    "find_root",
    "finding_nanopubs",
    "format_boolean",
    "format_graph",
    "format_report",
    "format_results",
    "import_table",
    "inspect_query",
    "load_catalogue",
    "load_dataset",
    "load_form",
    "load_project",
    "load_project_into",
    "load_rdf",
    "load_shapes",
    "load_turtle",
    "mapping_triples",
    "parse_rdf",
    "parse_turtle",
    "plan_graphs",
    "plan_study",
    "read_mapping_set",
    "reason",
    "render_table",
    "resolve_credentials",
    "rewrite_service",
    "run_federated",
    "run_query",
    "site_app",
    "sort_solutions",
    "split_order",
    "staging_dir",
    "structured_rows",
    "study_template",
    "table_document",
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
