"""Fixtures of the publication tests: the real project's site, built once, and a real server.

Registered from ``conftest.py`` through ``pytest_plugins``. The server is a real process
(``ibmkg site --serve --no-build``) on a free loopback port, stopped by its PID. A missing
component (Chromium, ChromeDriver) skips the test on a user's machine and fails it with
``CI=true``.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from ibmkg.graph_io import LoadedData
from ibmkg.paths import Layout
from ibmkg.publish.site import SiteResult, build_site

#: The Debian browser and driver; override with $IBMKG_CHROMIUM and $IBMKG_CHROMEDRIVER.
CHROMIUM = os.environ.get("IBMKG_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("IBMKG_CHROMEDRIVER", "/usr/bin/chromedriver")


def missing(reason: str) -> None:
    """Skip, or fail when ``CI=true``.

    :param reason: what is missing and how to install it.
    """
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    """A free TCP port on 127.0.0.1.

    :returns: the port.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Served:
    """A running ``ibmkg site --serve`` process.

    :param process: the process.
    :param base: ``http://127.0.0.1:PORT``.
    """

    process: subprocess.Popen[bytes]
    base: str

    def stop(self) -> None:
        """Stop the server by its PID (SIGTERM, then SIGKILL)."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def serve(site: Path) -> Served:
    """Start ``ibmkg site SITE --serve --no-build`` on a free port and wait until it answers.

    :param site: the site folder.
    :returns: the running server.
    """
    port = free_port()
    command = [str(Path(sys.executable).with_name("ibmkg")), "site", str(site), "--serve",
               "--no-build", "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    served = Served(process, f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            err = process.stderr.read().decode() if process.stderr else ""
            raise RuntimeError(f"the site server exited: {err}")
        try:
            with urllib.request.urlopen(f"{served.base}/style.css", timeout=2):
                return served
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    served.stop()
    raise RuntimeError("the site server did not answer within 30 s")


@dataclass(frozen=True)
class BuiltSite:
    """The real project's site, built once per session.

    :param layout: the project.
    :param out: the site folder.
    :param result: what the build returned.
    """

    layout: Layout
    out: Path
    result: SiteResult


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, project_layout: Layout,
               project_data: LoadedData) -> BuiltSite:
    """The site of the real project, with the ontology documentation."""
    out = tmp_path_factory.mktemp("site") / "site"
    result = build_site(project_layout, out, data=project_data, modified="2026-11-30")
    return BuiltSite(project_layout, out, result)


@pytest.fixture(scope="session")
def site_server(built_site: BuiltSite) -> Iterator[Served]:
    """The built site served by a real ``ibmkg site --serve`` process."""
    served = serve(built_site.out)
    try:
        yield served
    finally:
        served.stop()


@pytest.fixture()
def chromium_paths() -> tuple[str, str]:
    """Debian's Chromium and ChromeDriver, or skip (fail in CI) when absent."""
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not (Path(path).is_file() or shutil.which(path)):
            missing(f"{path} is not installed (apt-get install {package})")
    return CHROMIUM, CHROMEDRIVER
