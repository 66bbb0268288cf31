"""A throw-away Virtuoso server for the remote-store tests.

Each server lives in its own temporary directory, listens on 127.0.0.1 only, on free ports,
with a generated ``virtuoso.ini``. The stock ``dba``/``dba`` account is used for updates,
which is acceptable only because nothing but loopback can reach it.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ibmkg.graph_io import LoadedData
from ibmkg.store.remote import RemoteStore

EXECUTABLE = "virtuoso-t"
#: Virtuoso's SQL client (for the bulk loader).
ISQL = "isql-vt"
#: Virtuoso's default cap on result rows (kept, so truncation can be tested).
MAX_ROWS = 10000

_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty_buffers}
CheckpointInterval = 0
DirsAllowed = ., {dir}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 10
ServerThreads = 10

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = {execution_limit}
MaxQueryCostEstimationTime = {estimate_limit}
"""


def available() -> bool:
    """Whether the Virtuoso server executable is installed."""
    return shutil.which(EXECUTABLE) is not None


def require() -> None:
    """In a test: skip when Virtuoso is not installed, and fail instead when ``CI=true``."""
    import os

    import pytest

    if not available():
        reason = "virtuoso-t is not installed (apt-get install virtuoso-opensource)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)


def free_port() -> int:
    """Ask the OS for a free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class VirtuosoServer:
    """A running server.

    :param directory: its database directory.
    :param http_port: the HTTP port (SPARQL endpoints).
    :param process: the server process.
    :param sql_port: the SQL port (``isql-vt``, for the bulk loader).
    """

    directory: Path
    http_port: int
    process: subprocess.Popen[bytes]
    sql_port: int = 0

    @property
    def endpoint(self) -> str:
        """The anonymous, read-only SPARQL endpoint."""
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def update_endpoint(self) -> str:
        """The digest-authenticated endpoint that accepts updates."""
        return f"http://127.0.0.1:{self.http_port}/sparql-auth"

    @property
    def graph_store(self) -> str:
        """The digest-authenticated SPARQL 1.1 Graph Store HTTP Protocol endpoint."""
        return f"http://127.0.0.1:{self.http_port}/sparql-graph-crud-auth"

    def store(self, name: str, *, timeout: float = 30.0) -> RemoteStore:
        """An empty :class:`RemoteStore` on this server, with its own union graph.

        :param name: distinguishes the union graphs of stores sharing the server.
        :param timeout: seconds per request.
        :returns: the store (it grows with each graph loaded).
        """
        return RemoteStore(self.endpoint, update_endpoint=self.update_endpoint, user="dba",
                           password="dba", graphs=[], union_graph=f"urn:ibmkg:union:{name}",
                           timeout=timeout)

    def load(self, data: LoadedData) -> RemoteStore:
        """Publish every graph of ``data`` and return a store scoped to them.

        :param data: the loaded graphs.
        :returns: the store.
        """
        store = self.store("data")
        for graph in data.graphs:
            store.replace_graph(graph.name, graph.triples)
        return store

    def bulk_load(self, path: Path, graph: str) -> None:
        """Load an N-Triples file into ``graph`` with Virtuoso's bulk loader (``isql-vt``).

        :param path: the file; it is moved into the server's directory, which the loader
            may read.
        :param graph: the graph IRI.
        :raises RuntimeError: when the loader reports an error.
        """
        inside = self.directory / path.name
        if path.resolve() != inside.resolve():
            shutil.move(str(path), inside)
        script = (f"ld_dir('{self.directory}', '{inside.name}', '{graph}');\n"
                  "rdf_loader_run();\ncheckpoint;\n"
                  "SELECT ll_file, ll_error FROM DB.DBA.load_list WHERE ll_error IS NOT NULL;\n")
        run = subprocess.run([ISQL, f"127.0.0.1:{self.sql_port}", "dba", "dba"], input=script,
                             capture_output=True, text=True, check=False)
        if run.returncode != 0 or "0 Rows." not in run.stdout:
            raise RuntimeError(f"the bulk load of {path.name} failed:\n{run.stdout[-2000:]}"
                               f"{run.stderr[-2000:]}")

    def stop(self) -> None:
        """Stop the server and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start(directory: Path, *, timeout: float = 90.0, buffers: int = 10000,
          max_rows: int = MAX_ROWS, execution_limit: int = 60,
          estimate_limit: int = 400) -> VirtuosoServer:
    """Start a fresh server in ``directory`` and wait until its SPARQL endpoint answers.

    :param directory: an empty directory for the database.
    :param timeout: seconds to wait for the server.
    :param buffers: 8 KB pages of cache (the benchmarks give it more for large graphs).
    :param max_rows: the cap on result rows.
    :param execution_limit: a query's time limit in seconds (0: none).
    :param estimate_limit: the limit on Virtuoso's estimate of a query's time before it
        runs, in seconds (0: none; its estimates are far too high on large graphs).
    :returns: the running server.
    :raises RuntimeError: when it does not come up (the log's tail is included).
    """
    http_port, sql_port = free_port(), free_port()
    (directory / "virtuoso.lck").unlink(missing_ok=True)  # left by a killed server
    (directory / "virtuoso.ini").write_text(_INI.format(
        dir=directory, sql_port=sql_port, http_port=http_port, max_rows=max_rows,
        buffers=buffers, dirty_buffers=buffers * 3 // 5, execution_limit=execution_limit,
        estimate_limit=estimate_limit))
    log = (directory / "stdout.log").open("wb")
    process = subprocess.Popen(
        [EXECUTABLE, "+foreground", "+configfile", str(directory / "virtuoso.ini")],
        cwd=directory, stdout=log, stderr=subprocess.STDOUT,
    )
    server = VirtuosoServer(directory, http_port, process, sql_port)
    deadline = time.monotonic() + timeout
    probe = f"{server.endpoint}?query=ASK%20%7B%7D"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            with urllib.request.urlopen(probe, timeout=2) as response:
                if response.status == 200:
                    return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.25)
    server.stop()
    tail = (directory / "stdout.log").read_text(errors="replace")[-2000:]
    raise RuntimeError(f"Virtuoso did not start within {timeout:g} s:\n{tail}")
