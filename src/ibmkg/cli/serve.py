"""``ibmkg serve``: the SPARQL endpoint over the project's graph."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ibmkg.cli._common import Context

_pass = click.make_pass_decorator(Context)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind (loopback by default; anything else exposes the graph).")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True,
              help="Port to listen on.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds a query may run before its worker is stopped.")
@click.option("--max-rows", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Row cap of an answer (a cut answer has the header X-Ibmkg-Truncated).")
@click.option("--workers", type=click.IntRange(min=1), default=lambda: os.cpu_count() or 1,
              show_default="the number of CPUs",
              help="Queries that may run at once (each worker opens the project's store "
              "read-only).")
@click.option("--in-memory", is_flag=True, help="Give each worker its own copy of the graph in "
              "memory, loaded at start (several times faster per query than the store on disk "
              "at 10,000 studies and more; costs the graph's memory once per worker and a "
              "longer start).")
@click.option("--memory-mb", type=click.IntRange(min=0), default=0,
              help="Address-space limit of each worker in MiB (0: none).")
@click.option("--cache", type=click.IntRange(min=0), default=256, show_default=True,
              help="Answers kept for repeated queries (the graph is read-only; 0: none).")
@click.option("--cors", "cors", multiple=True, metavar="ORIGIN",
              help="Allow browser pages from ORIGIN to query (repeatable; '*' for any).")
@click.option("--inferred", is_flag=True, help="Serve the reasoner's inferences too "
              "(build/inferred.ttl, recomputed when missing or stale).")
@click.option("--site", "site_dir", type=click.Path(path_type=Path), default=None,
              metavar="DIR", help="Also serve the linked-data site written by `ibmkg site` "
              "(e.g. build/site) at / with content negotiation.")
@click.option("--certfile", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, metavar="PEM", help="Serve https with this certificate (chain) "
              "instead of http; needs --keyfile.")
@click.option("--keyfile", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              default=None, metavar="PEM", help="The private key of --certfile.")
@_pass
def serve(ctx: Context, host: str, port: int, timeout: float, max_rows: int, workers: int,
          in_memory: bool, memory_mb: int, cache: int, cors: tuple[str, ...], inferred: bool,
          site_dir: Path | None, certfile: Path | None, keyfile: Path | None) -> None:
    """Serve the graph over the SPARQL 1.1 Protocol at /sparql (read-only).

    Also: the stored queries at /queries (run one at /queries/NAME?PARAM=VALUE), an offline
    query page at /query, the service description at GET /sparql, and with --site the
    linked-data site at the same origin. Stop with Ctrl-C.
    """
    import uvicorn

    from ibmkg.cli.query import _open_store
    if (certfile is None) != (keyfile is None):
        raise click.UsageError("give --certfile and --keyfile together (the certificate and its "
                         "private key) to serve https")
    from ibmkg.queries import load_catalogue
    from ibmkg.sandbox.store import SandboxedStore
    from ibmkg.serve import create_app

    layout = ctx.layout()
    site = None
    if site_dir is not None:
        from ibmkg.errors import InputError
        from ibmkg.publish.app import site_app

        if not (site_dir / "index.html").is_file():
            raise InputError(f"{site_dir}: no site there (no index.html); write it with "
                             "`ibmkg site` first")
        site = site_app(site_dir)
    catalogue = load_catalogue(layout.queries)
    store = _open_store(ctx, None, timeout, max_rows, inferred, workers=workers,
                        memory_mb=memory_mb, cache_size=cache, in_memory=in_memory)
    assert isinstance(store, SandboxedStore)
    store.start()
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"warning: binding {host}: the graph is reachable from other machines",
                   err=True)
    scheme = "https" if certfile is not None else "http"
    click.echo(f"serving {scheme}://{host}:{port}/sparql ({workers} workers, timeout {timeout:g} s,"
               f" {max_rows} rows at most); Ctrl-C stops", err=True)
    try:
        uvicorn.run(create_app(store, catalogue=catalogue, cors_origins=cors, site=site,
                               cache_size=cache),
                    host=host, port=port, log_level="warning", access_log=False,
                    ssl_certfile=str(certfile) if certfile else None,
                    ssl_keyfile=str(keyfile) if keyfile else None)
    finally:
        store.close()
