"""Real processes for the endpoint tests: ``ibmkg serve`` on a free loopback port, a loopback
listener that counts connections, and Apache Jena's classpath (from Debian's jars).

Each is started for real and stopped by its PID; nothing listens beyond 127.0.0.1.
"""

from __future__ import annotations

import os
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

JAVA_DIR = Path(os.environ.get("IBMKG_JAVA_DIR", "/usr/share/java"))
JENA_JARS = [
    "jena-arq", "jena-base", "jena-cmds", "jena-core", "jena-dboe-base", "jena-dboe-index",
    "jena-dboe-storage", "jena-dboe-trans-data", "jena-dboe-transaction", "jena-iri",
    "jena-rdfconnection", "jena-shacl", "jena-shex", "jena-tdb", "jena-tdb2", "commons-cli",
    "commons-codec", "commons-compress", "commons-csv", "commons-io", "commons-lang3",
    "dexx.collection", "gson", "guava", "httpclient", "httpcore", "jackson-core",
    "jackson-databind", "jackson-annotations", "jsonld-java", "jakarta.json-api", "protobuf",
    "slf4j-api", "slf4j-simple", "thrift", "titanium-json-ld",
]


def missing(reason: str) -> None:
    """Skip on a user's machine, fail in CI (``CI=true``).

    :param reason: what is missing and how to install it.
    """
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    """A running ``ibmkg serve``."""

    process: subprocess.Popen[bytes]
    port: int
    scheme: str = "http"

    @property
    def url(self) -> str:
        """The endpoint URL."""
        return f"{self.scheme}://127.0.0.1:{self.port}/sparql"

    @property
    def base(self) -> str:
        """The server's root URL."""
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def stop(self) -> None:
        """Stop the server by its PID (its workers exit when their pipes close)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(root: Path, *args: str, wait: float = 120.0,
          tls: ssl.SSLContext | None = None) -> Server:
    """Start ``ibmkg serve`` over a project and wait until it answers.

    :param root: the project.
    :param args: more options (``--timeout 3``, ``--max-rows 50`` ...).
    :param wait: seconds to wait for it.
    :param tls: for a server started with ``--certfile``: a context trusting its CA.
    :returns: the server.
    """
    port = free_port()
    command = [
        sys.executable,
        "-c",
        "import sys; from ibmkg.cli import main; sys.exit(main())",
        "--root",
        str(root),
        "serve",
        "--port",
        str(port),
        *args,
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = Server(process, port, "https" if tls is not None else "http")
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"ibmkg serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(server.url + "?query=ASK%7B%7D", timeout=5,
                                        context=tls) as answer:
                if answer.status == 200:
                    return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    server.stop()
    raise RuntimeError("ibmkg serve did not answer in time")


@dataclass
class Listener:
    """A loopback TCP listener that counts the connections it accepts."""

    sock: socket.socket
    connections: int = 0
    _thread: threading.Thread | None = field(default=None, repr=False)

    @property
    def port(self) -> int:
        """Its port."""
        port: int = self.sock.getsockname()[1]
        return port

    @property
    def url(self) -> str:
        """An http URL pointing at it."""
        return f"http://127.0.0.1:{self.port}/sparql"

    def _loop(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        """Stop listening."""
        self.sock.close()


def listen() -> Listener:
    """Start a counting listener on a free loopback port.

    :returns: the listener.
    """
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    listener = Listener(sock)
    listener._thread = threading.Thread(target=listener._loop, daemon=True)
    listener._thread.start()
    return listener


def jena_classpath(tmp: Path) -> str:
    """Build the classpath for Debian's Jena jars, with its relocated Xerces bundles fixed.

    :param tmp: a scratch folder for the extracted message bundles.
    :returns: the classpath (skips locally, fails in CI, without the jars or Java).
    """
    import shutil

    if shutil.which("java") is None:
        missing("java is not installed (apt-get install default-jre-headless)")
    jars = [JAVA_DIR / f"{name}.jar" for name in JENA_JARS]
    absent = [jar.name for jar in jars if not jar.is_file()]
    if absent:
        missing(
            f"Apache Jena's jars are missing ({', '.join(absent[:3])} ...); "
            "apt-get install libapache-jena-java"
        )
    prefix = "org/apache/jena/ext/xerces/impl/"
    with zipfile.ZipFile(JAVA_DIR / "jena-core.jar") as archive:
        for name in archive.namelist():
            if name.startswith(prefix) and not name.endswith("/") and not name.endswith(".class"):
                target = tmp / "xerces" / "impl" / name[len(prefix) :]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(name))
    return os.pathsep.join([str(tmp), *(str(jar) for jar in jars)])
