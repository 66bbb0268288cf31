"""Commands on the stored queries: query and queries."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ibmkg.cli._common import Context, format_option
from ibmkg.cli.publish import credential_options
from ibmkg.formats import ResultFormat

if TYPE_CHECKING:
    from ibmkg.store.base import Store

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
@format_option(ResultFormat, ResultFormat.TABLE, "How to print the rows.")
@click.option("--endpoint", metavar="URL", help="Run on this SPARQL endpoint instead of the "
              "local graph.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=60.0, show_default=True,
              help="Seconds the endpoint may take for the whole answer (retries included).")
@click.option("--graph", metavar="IRI", help="With --endpoint: query the graphs `ibmkg "
              "publish --graph IRI` published there (default: the server's default graph).")
@credential_options
@click.option("--inferred", is_flag=True, help="Add the reasoner's inferences to the local "
              "graph first (build/inferred.ttl, recomputed when missing or stale).")
@_pass
def query(ctx: Context, name: str, params: tuple[str, ...], fmt: str, endpoint: str | None,
          timeout: float, graph: str | None, user: str | None, password: str | None,
          use_netrc: bool, netrc_file: Path | None, auth: str, max_size: int, retries: int,
          inferred: bool) -> None:
    """Run a stored query by NAME (see `ibmkg queries`) or a .rq FILE.

    A FILE with a `#+` header is checked like a stored query; a plain FILE is run as it is,
    without parameters.
    """
    from ibmkg.export.results import format_results
    from ibmkg.queries import find_query, run_query

    layout = ctx.layout()
    path = Path(name)
    values = _parse_params(params)
    if name.endswith(".rq") and path.is_file() and not _has_header(path):
        stored = None
    else:
        stored = find_query(name, layout.queries)
    if endpoint is not None:
        from ibmkg.cli.publish import credentials_for, remote_store

        credentials = credentials_for(endpoint, user, password, use_netrc, netrc_file)
        store: Store = remote_store(endpoint, credentials=credentials, auth=auth,
                                    timeout=timeout, max_size=max_size, retries=retries,
                                    graph=graph)
    else:
        if graph is not None:
            from ibmkg.errors import InputError

            raise InputError("--graph selects a publication on an endpoint; add --endpoint")
        store = _open_store(ctx, inferred)
    if stored is None:
        from ibmkg.errors import QueryParameterError
        from ibmkg.graph_io import read_text

        if values:
            raise QueryParameterError(next(iter(values)), "a query file without a '#+' header "
                                      "takes no parameters")
        table = store.query(read_text(path))
    else:
        table = run_query(store, stored, values)
    click.echo(format_results(table, ResultFormat(fmt)), nl=ResultFormat(fmt) not in
               (ResultFormat.CSV, ResultFormat.TSV))


def _has_header(path: Path) -> bool:
    from ibmkg.graph_io import read_text

    return read_text(path).startswith("#+")


def _open_store(ctx: Context, inferred: bool) -> Store:
    from ibmkg.graph_io import SourceGraph, load_project
    from ibmkg.queries import INFERRED_GRAPH
    from ibmkg.store.embedded import EmbeddedStore

    data = load_project(ctx.layout())
    if inferred:
        from ibmkg.build import reasoner
        from ibmkg.paths import kg_files

        layout = ctx.layout()
        module = reasoner()
        inferred_triples, result = module.ensure_inferred(
            layout.ontology, kg_files(layout), layout.build / module.INFERRED_FILE)
        for note in result.notes if result is not None else []:
            click.echo(f"note: {note}", err=True)
        data = data.with_graph(SourceGraph(INFERRED_GRAPH, "inferred", tuple(inferred_triples)))
    return EmbeddedStore.from_data(data)


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
