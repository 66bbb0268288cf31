"""Commands on the stored queries: query and queries."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ibmkg.cli._common import Context, format_option
from ibmkg.cli.publish import credential_options
from ibmkg.formats import QueryFormat

if TYPE_CHECKING:
    from ibmkg.sandbox.store import GraphResult
    from ibmkg.store.base import ResultTable, Store

_pass = click.make_pass_decorator(Context)


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    from ibmkg.errors import QueryParameterError

    params: dict[str, str] = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise QueryParameterError(item, "write parameters as --param NAME=VALUE")
        if name in params:
            raise QueryParameterError(name, "given twice")
        params[name] = value
    return params


@click.command()
@click.argument("name")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter (repeatable).")
@format_option(QueryFormat, QueryFormat.TABLE, "How to print the result: table, md, the W3C "
               "formats json, xml, csv, tsv, or json-rows; for CONSTRUCT and DESCRIBE, "
               "ttl (the default), nt, jsonld or xml (RDF/XML).")
@click.option("--endpoint", metavar="URL", help="Run on this SPARQL endpoint instead of the "
              "local graph.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=None,
              help="Seconds the query may run: locally it is stopped then (default 10); "
              "with --endpoint, seconds to wait for the endpoint (default 60).")
@click.option("--max-rows", type=click.IntRange(min=1), default=100_000, show_default=True,
              help="Row cap of a local query; a cut answer says so on standard error.")
@click.option("--graph", metavar="IRI", help="With --endpoint: query the publication `ibmkg "
              "publish --graph IRI` made there: the live role graphs its manifest names, "
              "merged as the default graph (default: the server's default graph).")
@credential_options
@click.option("--inferred", is_flag=True, help="Add the reasoner's inferences to the local "
              "graph first (build/inferred.ttl, recomputed when missing or stale).")
@_pass
def query(ctx: Context, name: str, params: tuple[str, ...], fmt: str, endpoint: str | None,
          timeout: float | None, max_rows: int, graph: str | None, user: str | None,
          password: str | None, use_netrc: bool, netrc_file: Path | None, auth: str,
          max_size: int, retries: int, ca_file: Path | None, inferred: bool) -> None:
    """Run a stored query by NAME (see `ibmkg queries`) or a .rq FILE.

    A FILE with a `#+` header is checked like a stored query; a plain FILE may be any query
    form (SELECT, ASK, CONSTRUCT, DESCRIBE) and takes no parameters. Local queries pass the
    sandbox: SERVICE, LOAD, FROM and updates are refused, and the query runs in a worker
    process stopped after --timeout seconds.
    """
    from ibmkg.graph_io import read_text
    from ibmkg.queries import find_query, run_query
    from ibmkg.sparql import names_graphs

    layout = ctx.layout()
    path = Path(name)
    values = _parse_params(params)
    if name.endswith(".rq") and not path.is_file() and not _is_stored(name, layout.queries):
        from ibmkg.errors import InputError

        raise InputError(f"{name}: file not found; check the path (stored queries are named "
                         "without .rq: see `ibmkg queries`)")
    if name.endswith(".rq") and path.is_file() and not _has_header(path):
        stored = None
    else:
        stored = find_query(name, layout.queries)
    store: Store
    if endpoint is not None:
        from ibmkg.cli.publish import credentials_for, remote_store

        credentials = credentials_for(endpoint, user, password, use_netrc, netrc_file)
        store = remote_store(endpoint, credentials=credentials, auth=auth,
                             timeout=timeout or 60.0, max_size=max_size, retries=retries,
                             graph=graph, ca_file=ca_file)
    else:
        if graph is not None:
            from ibmkg.errors import InputError

            raise InputError("--graph selects a publication on an endpoint; add --endpoint")
        text = stored.sparql if stored is not None else read_text(path)
        store = _open_store(ctx, None, timeout, max_rows, inferred, graphs=names_graphs(text))
    try:
        if stored is None:
            from ibmkg.errors import QueryParameterError

            if values:
                raise QueryParameterError(next(iter(values)), "a query file without a '#+' "
                                          "header takes no parameters")
            result = _run_file(store, path)
        else:
            result = run_query(store, stored, values)
        _print(result, QueryFormat(fmt), max_rows)
    finally:
        store.close()


def _is_stored(name: str, directory: Path) -> bool:
    return (directory / name).is_file()


def _run_file(store: Store, path: Path) -> ResultTable | bool | GraphResult:
    from ibmkg.graph_io import read_text
    from ibmkg.paths import display_path
    from ibmkg.sandbox.store import GraphResult, SandboxedStore
    from ibmkg.sparql import query_form

    text = read_text(path)
    if isinstance(store, SandboxedStore):
        return store.run(text, source=display_path(path))
    form = query_form(text)
    if form == "ASK":
        return store.ask(text)
    if form in ("CONSTRUCT", "DESCRIBE"):
        return GraphResult(store.construct(text))
    return store.query(text)


def _print(result: ResultTable | bool | GraphResult, fmt: QueryFormat, max_rows: int) -> None:
    from ibmkg.export.results import format_boolean, format_graph, format_results
    from ibmkg.formats import RdfFormat, ResultFormat
    from ibmkg.sandbox.store import GraphResult

    if isinstance(result, GraphResult):
        graph_formats = {QueryFormat.NT: RdfFormat.NTRIPLES, QueryFormat.JSONLD: RdfFormat.JSONLD,
                         QueryFormat.XML: RdfFormat.RDFXML}
        text = format_graph(result.triples, graph_formats.get(fmt, RdfFormat.TURTLE))
        click.echo(text, nl=not text.endswith("\n"))
    elif isinstance(result, bool):
        if fmt in (QueryFormat.TTL, QueryFormat.NT, QueryFormat.JSONLD):
            raise _wrong_format(fmt, "ASK")
        click.echo(format_boolean(result, ResultFormat(fmt.value)))
    else:
        if fmt in (QueryFormat.TTL, QueryFormat.NT, QueryFormat.JSONLD):
            raise _wrong_format(fmt, "SELECT")
        text = format_results(result, ResultFormat(fmt.value))
        click.echo(text, nl=not text.endswith("\n"))
    if not isinstance(result, bool) and result.truncated:
        click.echo(f"warning: the answer was cut at {max_rows} rows (--max-rows); it is "
                   "incomplete", err=True)


def _wrong_format(fmt: QueryFormat, form: str) -> Exception:
    from ibmkg.errors import InputError

    return InputError(f"--format {fmt.value} is for CONSTRUCT and DESCRIBE results; a {form} "
                      "query prints as table, md, json, xml, csv, tsv or json-rows")


def _has_header(path: Path) -> bool:
    from ibmkg.graph_io import read_text

    return read_text(path).startswith("#+")


def _open_store(ctx: Context, endpoint: str | None, timeout: float | None, max_rows: int,
                inferred: bool, *, workers: int = 1, memory_mb: int = 0, cache_size: int = 0,
                graphs: bool = True, in_memory: bool = False) -> Store:
    """The store a local query runs on (``graphs``: one with every file's named graph;
    ``in_memory``: the workers get a copy of it in memory instead of opening it on disk)."""
    if endpoint is not None:
        from ibmkg.store.remote import RemoteStore

        return RemoteStore(endpoint, timeout=timeout or 60.0)
    from ibmkg.graph_io import LoadedData, SourceGraph, load_project
    from ibmkg.queries import INFERRED_GRAPH
    from ibmkg.sandbox.store import SandboxedStore
    from ibmkg.sandbox.worker import DEFAULT_TIMEOUT
    from ibmkg.store.cache import cached_lexical, open_cached, store_directory
    from ibmkg.store.embedded import EmbeddedStore

    layout = ctx.layout()

    def sandboxed(inner: EmbeddedStore, variant: str) -> SandboxedStore:
        return SandboxedStore(inner, lexical=cached_lexical(layout, variant),
                              timeout=timeout or DEFAULT_TIMEOUT, max_rows=max_rows,
                              workers=workers, memory_mb=memory_mb, cache_size=cache_size,
                              store_dir=None if in_memory else store_directory(inner),
                              copy=in_memory)

    if not inferred:
        variant = "graphs" if graphs else "plain"
        inner, _ = open_cached(layout, variant=variant)
        return sandboxed(inner, variant)
    from ibmkg.build import reasoner
    from ibmkg.paths import kg_files

    module = reasoner()
    path = layout.build / module.INFERRED_FILE
    inferred_triples, result = module.ensure_inferred(layout.ontology, kg_files(layout), path)
    for note in result.notes if result is not None else []:
        click.echo(f"note: {note}", err=True)

    def with_inferred() -> LoadedData:
        return load_project(layout).with_graph(
            SourceGraph(INFERRED_GRAPH, "inferred", tuple(inferred_triples)))

    inner, _ = open_cached(layout, extra=[path], variant="inferred", build=with_inferred)
    return sandboxed(inner, "inferred")


@click.command()
@_pass
def queries(ctx: Context) -> None:
    """List the stored queries: name, parameters and the question each answers."""
    from ibmkg.queries import load_catalogue

    catalogue = load_catalogue(ctx.layout().queries)
    width = max((len(n) for n in catalogue), default=0)
    for name, stored in catalogue.items():
        flags = [f"--param {p.name}=<{p.type.value}>" + ("" if p.required else "?")
                 for p in stored.params]
        flags += ["federated"] if stored.federated else []
        flags += ["inferred"] if stored.inferred else []
        extra = f"  [{', '.join(flags)}]" if flags else ""
        click.echo(f"{name.ljust(width)}  {stored.summary}{extra}")
