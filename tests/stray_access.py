"""The folders a process of ibmkg may read from: shared by the audit-hook tests.

``tests/test_no_stray_access.py`` (loading and building in this process) and
``tests/test_offline.py`` (a whole ``ibmkg build`` in its own process) both check that
every file opened lies under one of these.
"""

from __future__ import annotations

import sys
import sysconfig
import tempfile
from pathlib import Path

import ibmkg


def allowed_roots(project: Path) -> list[Path]:
    """The project, the Python environment, the temp folder and what the libraries read.

    :param project: the project folder.
    :returns: the folders (resolved).
    """
    return [project.resolve(), Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(),
            Path(sysconfig.get_paths()["stdlib"]).resolve(),
            Path(tempfile.gettempdir()).resolve(), Path("/dev/null"), Path("/proc/self"),
            # the installed package and its distribution metadata (an editable install keeps
            # them side by side, e.g. src/ibmkg and src/ibmkg.egg-info)
            Path(ibmkg.__file__).resolve().parent.parent,
            *(Path(p).resolve() for p in sysconfig.get_paths().values()),
            # Finding: matplotlib (the site's pictures) reads its font cache from the home
            # folder; point MPLCONFIGDIR at a temp folder in the pictures adapter to drop it.
            Path.home().resolve() / ".cache" / "matplotlib"]


def outside(paths: list[str], project: Path) -> list[str]:
    """The absolute paths opened outside :func:`allowed_roots` (relative ones are the project's).

    :param paths: paths as the audit hook saw them opened.
    :param project: the project folder.
    :returns: the offending paths, sorted, each once.
    """
    allowed = allowed_roots(project)
    return sorted({raw for raw in paths if raw.startswith("/")
                   and not any(Path(raw).resolve().is_relative_to(root) for root in allowed)})
