"""``ibmkg site``: write (and optionally serve) the linked-data site."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from ibmkg.cli._common import Context

_pass = click.make_pass_decorator(Context)


@click.command()
@click.argument("outdir", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--sparql-endpoint", metavar="URL",
              help="A public SPARQL endpoint to name in the VoID/DCAT description.")
@click.option("--site-url", metavar="URL",
              help="Where the site will be hosted: also write downloads/w3id.htaccess, the "
              "w3id.org redirect rules pointing there.")
@click.option("--no-ontology-docs", is_flag=True, help="Skip the pyLODE documentation.")
@click.option("--serve", "serve_it", is_flag=True,
              help="Then serve the site on 127.0.0.1 with content negotiation.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port for --serve.")
@click.option("--no-build", is_flag=True, help="With --serve: serve OUTDIR as it is.")
@click.option("--jobs", type=click.IntRange(1, 64), default=None,
              help="Processes writing the pages [default: one per CPU from 2,000 pages on].")
@_pass
def site(ctx: Context, outdir: Path | None, sparql_endpoint: str | None,
         site_url: str | None, no_ontology_docs: bool, serve_it: bool, port: int,
         no_build: bool, jobs: int | None) -> None:
    """Write the static site (default: build/site): a page and four RDF files per resource.

    The new site replaces the old one only when complete. With --serve, it is then served
    on http://127.0.0.1:PORT/ until interrupted.
    """
    if outdir is None or not no_build:
        layout = ctx.layout()
        out = outdir or layout.build / "site"
    else:
        out = outdir
    if not no_build:
        from ibmkg.publish.site import build_site

        logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s",
                            stream=sys.stderr)
        result = build_site(layout, out, sparql_endpoint=sparql_endpoint,
                            ontology_docs=not no_ontology_docs, site_url=site_url, jobs=jobs)
        click.echo(result.summary())
        click.echo(f"written   {layout.relative(out).as_posix()}/")
    if serve_it:
        from ibmkg.publish.app import serve

        click.echo(f"serving   http://127.0.0.1:{port}/ (Ctrl-C stops)", err=True)
        serve(out, port=port)
