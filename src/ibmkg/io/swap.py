"""Replace a whole folder atomically, and clean up what an interrupted run left behind.

A new ``build/`` is written into ``build.tmp-<pid>-*`` beside it, then exchanged with the old
one in a single ``renameat2(RENAME_EXCHANGE)`` system call (Linux 3.15+, through ctypes): at
every instant ``build/`` is either the whole old folder or the whole new one, never missing.
Where the call is not available (another OS, a file system without it) two renames are used,
with a gap of one system call. Leftovers of killed runs (``build.tmp-*``, ``build.old-*``)
are removed by the next run, unless the process that made them is still alive.

>>> import tempfile, pathlib
>>> with tempfile.TemporaryDirectory() as d:
...     out = pathlib.Path(d) / "build"
...     for text in ("old", "new"):
...         with swap_in(out) as tmp:
...             _ = (tmp / "a.txt").write_text(text)
...     (out / "a.txt").read_text(), sorted(p.name for p in pathlib.Path(d).iterdir())
('new', ['build'])
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import re
import shutil
import signal
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Final

__all__ = ["clean_stale", "exchange", "swap_in"]

_AT_FDCWD: Final = -100
_RENAME_EXCHANGE: Final = 2
_LEFTOVER = re.compile(r"\.(?:tmp|old)-(?:(?P<pid>\d+)-)?")


def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name, use_errno=True)
    except OSError:
        return None
    return libc if hasattr(libc, "renameat2") else None


def exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic step (``renameat2`` with ``RENAME_EXCHANGE``).

    :param a: one path.
    :param b: the other (same file system).
    :returns: ``True`` when swapped; ``False`` when the system cannot do it atomically.
    :raises OSError: when the call exists but fails (a path is missing, say).

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     x, y = pathlib.Path(d, "x"), pathlib.Path(d, "y")
    ...     _ = x.write_text("1"), y.write_text("2")
    ...     exchange(x, y) and (x.read_text(), y.read_text())
    ('2', '1')
    """
    libc = _libc()
    if libc is None:
        return False
    result = libc.renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b),
                            _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(a))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stop_users(folder: Path) -> None:
    """Kill our own processes still working in a dead run's folder (an orphaned reasoner)."""
    needle = os.fsencode(folder.resolve())
    proc = Path("/proc")
    if not proc.is_dir():
        return
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if entry.stat().st_uid != os.getuid():
                continue
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if needle in cmdline:
            with contextlib.suppress(OSError):
                os.kill(int(entry.name), signal.SIGKILL)


def clean_stale(target: Path) -> list[Path]:
    """Remove the staging and old folders an interrupted run left beside ``target``.

    A leftover whose name carries the id of a live process is kept (another run may be
    writing it). Processes of ours still working inside a dead run's folder (a reasoner
    orphaned by ``kill -9``) are stopped first.

    :param target: the folder, e.g. ``build/``.
    :returns: the paths removed.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     (pathlib.Path(d) / "build.tmp-999999999-x").mkdir()
    ...     [p.name for p in clean_stale(pathlib.Path(d) / "build")]
    ['build.tmp-999999999-x']
    """
    removed: list[Path] = []
    if not target.parent.is_dir():
        return removed
    for path in sorted(target.parent.glob(f"{glob_escape(target.name)}.*-*")):
        match = _LEFTOVER.match(path.name, len(target.name))
        if match is None:
            continue
        pid = match.group("pid")
        if pid is not None and _alive(int(pid)):
            continue
        if path.is_dir() and not path.is_symlink():
            _stop_users(path)
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        removed.append(path)
    return removed


def glob_escape(name: str) -> str:
    """Escape the glob characters of a file name.

    :param name: a file name.
    :returns: a pattern matching exactly that name.

    >>> glob_escape("a[1]")
    'a[[]1]'
    """
    return re.sub(r"([*?\[])", r"[\1]", name)


@contextlib.contextmanager
def swap_in(target: Path) -> Iterator[Path]:
    """Build a folder beside ``target`` and swap it in, whole, only if the block succeeds.

    :param target: the folder to (re)create.
    :returns: a context manager yielding the staging folder to write into.
    :raises OSError: when the folder cannot be created or swapped.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(target)
    staging = Path(tempfile.mkdtemp(prefix=f"{target.name}.tmp-{os.getpid()}-",
                                    dir=target.parent))
    try:
        yield staging
        staging.chmod(0o755)
        _publish(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _publish(staging: Path, target: Path) -> None:
    if target.is_symlink() or not target.exists():
        staging.replace(target)
        return
    if exchange(staging, target):
        # ``staging`` now holds the old content.
        shutil.rmtree(staging, ignore_errors=True)
        return
    old = Path(tempfile.mkdtemp(prefix=f"{target.name}.old-{os.getpid()}-", dir=target.parent))
    old.rmdir()
    target.replace(old)
    staging.replace(target)
    shutil.rmtree(old, ignore_errors=True)
