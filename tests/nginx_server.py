"""A throw-away nginx (Debian's) on a loopback port, for the tests that need a real web server.

:func:`wait_for` waits for any server process to answer (the Apache test uses it too);
:func:`running` writes an ``nginx.conf`` into a scratch prefix, starts nginx in the
foreground, waits until a probe request succeeds, and stops it by its PID afterwards.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

import serve_server

#: The nginx executable (Debian's, installed by ``.ci/run``).
NGINX = os.environ.get("IBMKG_NGINX", "/usr/sbin/nginx")


def wait_for(process: subprocess.Popen[bytes], probe: Callable[[], object], name: str) -> None:
    """Wait until ``probe`` stops raising :class:`OSError` (at most 20 s).

    :param process: the server process (its standard error is shown if it exits).
    :param probe: a request to the server.
    :param name: the server's name, for the failure message.
    :raises pytest.fail.Exception: when the server exits or does not answer in time.
    """
    deadline = time.monotonic() + 20
    while True:
        if process.poll() is not None:
            err = process.stderr.read().decode() if process.stderr else ""
            pytest.fail(f"{name} exited: {err}")
        try:
            probe()
            return
        except OSError:
            if time.monotonic() > deadline:
                pytest.fail(f"{name} did not answer within 20 s")
            time.sleep(0.2)


@contextmanager
def running(prefix: Path, http_body: str, probe: Callable[[], object]) -> Iterator[None]:
    """Run nginx with ``http_body`` inside its ``http`` block until the ``with`` ends.

    :param prefix: a scratch folder for the configuration, pid and temporary files.
    :param http_body: directives (the ``server`` blocks) inside ``http { }``.
    :param probe: a request that raises :class:`OSError` until nginx answers.
    :raises pytest.fail.Exception: when nginx exits or does not answer within 20 s (a
        missing nginx skips, or fails with ``CI=true``).
    """
    if not (Path(NGINX).is_file() or shutil.which(NGINX)):
        serve_server.missing(f"{NGINX} is not installed (apt-get install nginx)")
    temp = "\n".join(f"  {name}_temp_path {prefix}/{name};"
                     for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (prefix / "nginx.conf").write_text(
        f"daemon off;\nmaster_process off;\nworker_processes 1;\npid {prefix}/nginx.pid;\n"
        f"error_log {prefix}/error.log;\nevents {{ worker_connections 64; }}\n"
        f"http {{\n  access_log off;\n{temp}\n{http_body}}}\n", encoding="utf-8")
    process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for(process, probe, "nginx")
        yield
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
