"""The ``ibmkg`` command line: a thin layer over the library.

Commands import what they need when they run, so ``ibmkg --help`` and ``ibmkg query`` start
fast and never load pySHACL or owlready2. Results go to standard output; diagnostics, progress
and errors go to standard error, one readable line each (add ``--debug`` for a traceback).
"""

from __future__ import annotations

import os
import sys
import traceback
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import click

from ibmkg.cli._common import EXIT_CODES, Context
from ibmkg.cli.curation import COMMANDS as CURATION_COMMANDS
from ibmkg.cli.data import build, canon, export, reason, stats, table, validate
from ibmkg.cli.publish import publish
from ibmkg.cli.query import queries, query
from ibmkg.cli.serve import serve
from ibmkg.cli.site import site
from ibmkg.errors import IbmkgError, InconsistentGraphError, InputError

__all__ = ["cli", "main"]


def _version() -> str:
    try:
        return version("ibmkg")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


class _Group(click.Group):
    """Maps exceptions to the documented exit codes and one line on standard error."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.commands)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except BrokenPipeError:
            # The reader stopped early (`ibmkg query x | head`): not an error of ours.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise click.exceptions.Exit(0) from None
        except Exception as err:
            debug = bool(ctx.params.get("debug"))
            if debug:
                traceback.print_exc()
            if isinstance(err, InconsistentGraphError):
                click.echo(f"inconsistent: {err}", err=True)
                raise click.exceptions.Exit(1) from None
            if isinstance(err, InputError):
                click.echo(f"error: {err}", err=True)
                raise click.exceptions.Exit(2) from None
            if isinstance(err, IbmkgError):
                click.echo(f"error: {err}", err=True)
            else:
                hint = "" if debug else "; rerun with --debug for the traceback"
                click.echo(f"internal error: {type(err).__name__}: {err}{hint}", err=True)
            raise click.exceptions.Exit(3) from None


@click.group(cls=_Group, epilog=EXIT_CODES,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(_version(), "--version", prog_name="ibmkg")
@click.option("--debug", is_flag=True, help="Show tracebacks of errors.")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), envvar="IBMKG_ROOT",
              help="Project directory (default: found upwards from the current one).")
@click.pass_context
def cli(ctx: click.Context, debug: bool, root: Path | None) -> None:
    """Build, validate and query the ibmkg knowledge graph of IVIG in sporadic IBM."""
    ctx.obj = Context(root=root, debug=debug)


for _command in (build, canon, export, publish, queries, query, reason, serve, site, stats,
                 table, validate):
    cli.add_command(_command)
for _command in CURATION_COMMANDS:
    cli.add_command(_command)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code (the console script's entry point).

    :param argv: arguments (default: ``sys.argv[1:]``).
    :returns: the exit code.
    """
    _exit_cleanly_on_signals()
    try:
        code = cli.main(args=argv, prog_name="ibmkg", standalone_mode=False)
    except click.ClickException as err:
        err.show()
        return err.exit_code
    except click.Abort:
        click.echo("aborted", err=True)
        return 2
    except click.exceptions.Exit as err:
        return err.exit_code
    return code if isinstance(code, int) else 0


def _exit_cleanly_on_signals() -> None:
    """Turn SIGTERM and SIGHUP into :class:`SystemExit`, so ``finally`` blocks run.

    A killed ``ibmkg build`` then removes its staging folder and temporary files, and the
    reasoner's Java child is killed by :mod:`subprocess` on the way out.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        return

    def handler(signum: int, frame: object) -> None:
        signal.signal(signum, signal.SIG_DFL)
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, handler)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
