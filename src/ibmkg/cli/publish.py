"""The publish command, and the endpoint options it shares with ``query --endpoint``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click
from click.decorators import FC

from ibmkg.cli._common import Context, fail, format_option
from ibmkg.formats import SummaryFormat

if TYPE_CHECKING:
    import pyoxigraph

    from ibmkg.endpoint.credentials import Credentials
    from ibmkg.graph_io import LoadedData
    from ibmkg.store.remote import RemoteStore

_pass = click.make_pass_decorator(Context)

#: Seconds a whole request may take, by default.
DEFAULT_TIMEOUT = 60.0


def credential_options(command: FC) -> FC:
    """Add ``--user``, ``--password``, ``--netrc``, ``--netrc-file``, ``--auth``, ``--max-size``,
    ``--retries`` and ``--ca-file``.

    :param command: the command.
    :returns: the command with the options.
    """
    options: list[Callable[[FC], FC]] = [
        click.option("--user", metavar="NAME", help="User name (or $IBMKG_ENDPOINT_USER)."),
        click.option("--password", metavar="SECRET", help="Password (prefer "
                     "$IBMKG_ENDPOINT_PASSWORD or --netrc: options show in `ps`)."),
        click.option("--netrc", "use_netrc", is_flag=True,
                     help="Read the credentials from ~/.netrc (machine = the endpoint's host)."),
        click.option("--netrc-file", type=click.Path(dir_okay=False, path_type=Path),
                     help="Read the credentials from this netrc file."),
        click.option("--auth", type=click.Choice(["digest", "basic"]), default="digest",
                     show_default=True, help="HTTP authentication scheme."),
        click.option("--max-size", type=click.IntRange(min=1), default=64, show_default=True,
                     metavar="MB", help="Refuse answers larger than this many megabytes."),
        click.option("--retries", type=click.IntRange(min=0, max=10), default=3,
                     show_default=True, help="Retries of a 429/503 answer (Retry-After honoured)."),
        click.option("--ca-file", type=click.Path(dir_okay=False, path_type=Path),
                     envvar="IBMKG_CA_FILE", metavar="PEM",
                     help="Trust this CA for an https:// endpoint, besides the system's "
                     "(or $IBMKG_CA_FILE; $SSL_CERT_FILE also works). Certificates are "
                     "always verified."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def credentials_for(url: str, user: str | None, password: str | None, use_netrc: bool,
                    netrc_file: Path | None) -> Credentials | None:
    """Resolve credentials from the options, the environment or netrc.

    :param url: the endpoint.
    :param user: ``--user``.
    :param password: ``--password``.
    :param use_netrc: ``--netrc``.
    :param netrc_file: ``--netrc-file``.
    :returns: the credentials, or ``None``.
    """
    from ibmkg.endpoint.credentials import resolve_credentials

    return resolve_credentials(url, user=user, password=password, use_netrc=use_netrc,
                               netrc_file=netrc_file)


def remote_store(endpoint: str, *, update_endpoint: str | None = None,
                 credentials: Credentials | None = None, auth: str = "digest",
                 timeout: float = DEFAULT_TIMEOUT, max_size: int = 64, retries: int = 3,
                 graph: str | None = None, ca_file: Path | None = None) -> RemoteStore:
    """A remote store; with ``graph``, scoped to that publication's graphs.

    :param endpoint: the query endpoint.
    :param update_endpoint: the update endpoint.
    :param credentials: the credentials, if any.
    :param auth: ``digest`` or ``basic``.
    :param timeout: seconds per request.
    :param max_size: megabytes per answer.
    :param retries: retries of 429/503.
    :param graph: a publication's ``--graph`` IRI.
    :param ca_file: CA certificates to trust for https.
    :returns: the store.
    :raises InputError: when ``graph`` names no publication on the server.
    """
    from ibmkg.store.remote import RemoteStore

    store = RemoteStore(endpoint, update_endpoint=update_endpoint,
                        user=credentials.user if credentials else None,
                        password=credentials.password if credentials else None,
                        auth=auth, timeout=timeout, max_bytes=max_size * 1024 * 1024,
                        retries=retries, ca_file=str(ca_file) if ca_file else None)
    if graph is not None:
        from ibmkg.endpoint.publish import Publisher
        from ibmkg.errors import InputError

        live = Publisher(store).live(graph)
        if live is None:
            raise InputError(f"{endpoint}: no publication <{graph}> there; run `ibmkg publish "
                             f"--endpoint {endpoint} --graph {graph}` first, or leave out "
                             "--graph to query the server's default graph")
        store.graphs = list(live.names)  # the live role graphs: their merge is the default graph
        store.union_graph = None
        inferred = live.role("inferred")
        store.inferred_graph = inferred.graph if inferred is not None and inferred.triples \
            else "urn:ibmkg:no-inferred"
    return store


@click.command()
@click.option("--endpoint", metavar="URL", required=True,
              help="The SPARQL query endpoint (read back to verify).")
@click.option("--update-endpoint", metavar="URL",
              help="Where updates go (default: --endpoint; Virtuoso: .../sparql-auth).")
@click.option("--graph-store", metavar="URL",
              help="Graph Store Protocol URL for the upload (Virtuoso: .../sparql-graph-crud-"
              "auth; Fuseki: .../DATASET/data); default: SPARQL Update INSERT DATA, or "
              "Virtuoso's graph store when the server says it is Virtuoso.")
@click.option("--graph", "graph", metavar="IRI", required=True,
              help="The publication's IRI G. Each role (data, ontology, mappings, inferred) "
              "is its own graph urn:ibmkg:version:ID:ROLE:G, named by its content digest; the "
              "manifest graph urn:ibmkg:publication:G names the live ones (`ibmkg query "
              "--graph G` reads it). Plain SPARQL clients read the mirrors G, G/ontology, "
              "G/mappings and G/inferred, copied after each switch (they may lag if the server "
              "dies mid-way; a rerun repairs them).")
@credential_options
@click.option("--inferred", type=click.Choice(["auto", "always", "never"]), default="auto",
              show_default=True, help="Publish the reasoner's inferences: auto = when "
              "build/inferred.ttl is current; always = reason if needed.")
@click.option("--chunk", type=click.IntRange(min=1), default=1000, show_default=True,
              help="Triples per upload request.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=DEFAULT_TIMEOUT,
              show_default=True, help="Seconds a whole request may take.")
@click.option("--local-test", is_flag=True, help="Allow Virtuoso's stock dba/dba account and "
              "plain http:// to another host: only for a throw-away server of your own.")
@click.option("--rollback", is_flag=True, help="Make the previous version live again "
              "instead of publishing (each of its role graphs checked first), and refresh "
              "the mirrors.")
@format_option(SummaryFormat, SummaryFormat.TEXT, "How to print the summary.")
@_pass
def publish(ctx: Context, endpoint: str, update_endpoint: str | None, graph_store: str | None,
            graph: str, user: str | None, password: str | None, use_netrc: bool,
            netrc_file: Path | None, auth: str, max_size: int, retries: int,
            ca_file: Path | None, inferred: str,
            chunk: int, timeout: float, local_test: bool, rollback: bool, fmt: str) -> None:
    """Publish the graph to a SPARQL server: validated, each changed role graph uploaded and
    verified, then all made live by one small update of the manifest, then mirrored.

    Prints, per role, its live graph, triples, +added -removed and digest, then each mirror
    and the total. Publishing the same data again changes nothing (and repairs a mirror); a
    failure (or a kill) at any point leaves the old or the new version live, and the
    previous version is kept for --rollback. Exit 1 when a mirror does not verify after its
    copy (the new version is live all the same).
    """
    from ibmkg.endpoint.credentials import check_target
    from ibmkg.endpoint.publish import Publisher, plan_graphs

    writer = update_endpoint or endpoint
    credentials = credentials_for(writer, user, password, use_netrc, netrc_file)
    for url in {endpoint, writer, *([graph_store] if graph_store else [])}:
        check_target(url, credentials, local_test=local_test)
    store = remote_store(endpoint, update_endpoint=writer, credentials=credentials, auth=auth,
                         timeout=timeout, max_size=max_size, retries=retries, ca_file=ca_file)

    def progress(line: str) -> None:
        click.echo(line, err=True)

    publisher = Publisher(store, graph_store=graph_store, chunk=chunk, progress=progress)
    if rollback:
        summary = publisher.rollback(graph)
    else:
        data, inferences = _validated(ctx, inferred)
        if graph_store is None and publisher.flavour == "virtuoso":
            publisher.graph_store = _virtuoso_graph_store(writer)
        summary = publisher.publish(graph, plan_graphs(data, graph, inferred=inferences))
    for note in summary.notes:
        click.echo(f"note: {note}", err=True)
    if fmt == SummaryFormat.JSON:
        import json

        click.echo(json.dumps(summary.as_json(), indent=2))
    else:
        click.echo(summary.text())
    if not summary.mirrors_verified:
        click.echo(f"error: a mirror of <{graph}> differs from its live role graph after the "
                   "copy; the new version is live (the manifest says so); rerun `ibmkg "
                   "publish` to repair the mirror", err=True)
        fail(1)


def _virtuoso_graph_store(update_endpoint: str) -> str:
    """Virtuoso's authenticated Graph Store endpoint beside its SPARQL endpoint.

    (Its SPARQL Update loader turns a string literal equal to an IRI of the same request
    into that IRI; its Graph Store loader keeps it: measured on 7.2.5.)
    """
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(update_endpoint)
    path = parts.path.rsplit("/", 1)[0] + "/sparql-graph-crud-auth"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _validated(ctx: Context, inferred: str,
               ) -> tuple[LoadedData, list[pyoxigraph.Triple] | None]:
    """Load and validate the project; stop (exit 1) when it does not conform."""
    from ibmkg.graph_io import load_project, load_turtle
    from ibmkg.paths import kg_files, shape_files
    from ibmkg.queries import load_catalogue
    from ibmkg.validation import validate_project

    layout = ctx.layout()
    data = load_project(layout)
    shapes = [t for p in shape_files(layout)
              for t in load_turtle(p, display=layout.relative(p).as_posix())]
    report = validate_project(data, shapes, load_catalogue(layout.queries).values())
    if not report.passes(strict=False):
        from ibmkg.validation import Severity

        violations = report.count(Severity.VIOLATION)
        click.echo(f"error: the data does not conform ({violations} violation(s)); nothing "
                   "was published; run `ibmkg validate` to see them", err=True)
        fail(1)
    inferences: list[pyoxigraph.Triple] | None = None
    if inferred != "never":
        from ibmkg.build import reasoner

        module = reasoner()
        path = layout.build / module.INFERRED_FILE
        if inferred == "always" or module.inferred_is_current(path, layout.ontology,
                                                              kg_files(layout)):
            triples, _ = module.ensure_inferred(layout.ontology, kg_files(layout), path)
            inferences = list(triples)
        else:
            click.echo("note: no current build/inferred.ttl; publishing without inferences "
                       "(run `ibmkg build` or pass --inferred always)", err=True)
    return data, inferences
