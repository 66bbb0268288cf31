"""Where the tests find the source letter (outside the project), and how they normalise it.

The letter is not part of the project: it is looked up in ``IBMKG_SOURCE`` (a file path) or in
``../shared/source/`` beside the project. Tests that need it skip on a machine without it, and
fail in CI (``CI=true``), where it must be present.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from ibmkg.paths import default_layout

LETTER_NAME = "000_390d33ff82f63da7.txt"


def letter_path() -> Path | None:
    """Return the letter's path, or ``None`` when it is not on this machine."""
    env = os.environ.get("IBMKG_SOURCE")
    candidates = [Path(env)] if env else []
    candidates.append(default_layout().root.parent / "shared" / "source" / LETTER_NAME)
    return next((p for p in candidates if p.is_file()), None)


def require_letter() -> Path:
    """Return the letter's path; skip the test without it, or fail in CI."""
    path = letter_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the source letter is missing in CI: ../shared/source/{LETTER_NAME}")
        pytest.skip("the source letter is not on this machine (set IBMKG_SOURCE to its path)")
    return path


def normalise(text: str) -> str:
    """Undo the letter file's markup: italics, superscripts, TeX beta, line and page breaks.

    >>> normalise("in a small *in vitro*\\n\\nstudy of  $\\\\beta$ -amyloid")
    'in a small in vitro study of β-amyloid'
    """
    text = re.sub(r"\s*\$\\beta\$\s*", " β", text)
    text = re.sub(r"</?(?:i|sup)>|\*", "", text)
    return re.sub(r"\s+", " ", text).strip()
