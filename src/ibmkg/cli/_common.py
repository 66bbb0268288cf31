"""What the commands share: the context object, exit codes and option helpers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click
from click.decorators import FC

if TYPE_CHECKING:
    from ibmkg.paths import Layout

EXIT_CODES = """\b
Exit codes:
  0  success
  1  the data does not conform, a check failed, or the graph is inconsistent
  2  usage or input error (bad option, file, query or parameter)
  3  internal error, or a missing component (reasoner, Table 1 module)
"""

E = TypeVar("E", bound=StrEnum)


@dataclass
class Context:
    """State shared by the commands of one invocation.

    :param root: the project directory given with ``--root``, if any.
    :param debug: whether to show tracebacks.
    """

    root: Path | None
    debug: bool

    def layout(self) -> Layout:
        """The project layout (``--root``, ``$IBMKG_ROOT``, or found upwards)."""
        from ibmkg.paths import CACHE_DIR, Layout, default_layout
        from ibmkg.sandbox.gate import keep_verdicts

        layout = Layout(self.root) if self.root is not None else default_layout()
        if (layout.root / "pyproject.toml").is_file() or (layout.root / CACHE_DIR).is_dir():
            keep_verdicts(layout.root / CACHE_DIR / "gate-verdicts.json")
        return layout


def format_option(enum: type[E], default: E, help_text: str) -> Callable[[FC], FC]:
    """A ``--format`` option whose choices come from an enum.

    :param enum: the enum of formats.
    :param default: the default member.
    :param help_text: the help text.
    :returns: the decorator.
    """
    return click.option(
        "--format", "fmt", type=click.Choice([m.value for m in enum]), default=default.value,
        show_default=True, help=help_text,
    )


def fail(code: int) -> None:
    """Exit with ``code`` after the command printed its output.

    :param code: the exit code.
    """
    raise click.exceptions.Exit(code)
