"""Worker processes that run queries and can be killed: the sandbox's hard limits.

pyoxigraph cannot interrupt a running query, so each query runs in a separate process
(``_child.py``, started with ``python -I`` and importing nothing but pyoxigraph) holding its
own copy of the graph. The parent waits for the answer at most ``timeout`` seconds; past
that it kills the process, starts a fresh one in the background, and raises
:class:`~ibmkg.errors.QueryTimeoutError`. Rows beyond ``max_rows`` are not sent: the answer
says ``truncated``. Each worker may also get an address-space limit (``memory_mb``).

>>> pool = WorkerPool(b'<https://w3id.org/ibmkg/a> <https://w3id.org/ibmkg/p> "1" .\\n')
>>> pool.run("SELECT ?o WHERE { ?s ?p ?o }", timeout=10, max_rows=10)["rows"]
[[['L', '1', 'http://www.w3.org/2001/XMLSchema#string', '']]]
>>> pool.close()
"""

from __future__ import annotations

import contextlib
import json
import queue
import select
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from ibmkg.errors import QueryTimeoutError, QueryWorkerError

__all__ = ["DEFAULT_MAX_ROWS", "DEFAULT_TIMEOUT", "WorkerPool"]

#: The default wall-clock limit of one query, in seconds.
DEFAULT_TIMEOUT = 10.0
#: The default row cap of one answer.
DEFAULT_MAX_ROWS = 100_000

_CHILD = Path(__file__).with_name("_child.py")
_START_TIMEOUT = 900.0


class _Timeout(Exception):
    pass


class _Worker:
    """One child process and its two pipes."""

    def __init__(self, data: bytes, memory_mb: int, store_path: Path | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-I", str(_CHILD), str(memory_mb),
             *([str(store_path)] if store_path is not None else [])],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, close_fds=True,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        self._in = self.process.stdin
        self._out = self.process.stdout
        try:
            self._send(data)
            reply = self._receive(_START_TIMEOUT)
        except (_Timeout, QueryWorkerError, OSError):
            self.kill()
            raise QueryWorkerError("the query worker did not start; is pyoxigraph "
                                   "installed in this Python environment?") from None
        if not reply.get("ready"):
            self.kill()
            raise QueryWorkerError("the query worker could not load the graph")

    @property
    def pid(self) -> int:
        """The process id."""
        return self.process.pid

    def _send(self, data: bytes) -> None:
        self._in.write(len(data).to_bytes(8, "big") + data)
        self._in.flush()

    def _read_exactly(self, size: int) -> bytes:
        chunks = []
        while size:
            chunk = self._out.read(size)
            if not chunk:
                raise QueryWorkerError("the query worker died (out of memory, or killed); "
                                       "simplify the query or raise the memory limit")
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def _receive(self, timeout: float) -> dict[str, Any]:
        ready, _, _ = select.select([self._out], [], [], timeout)
        if not ready:
            raise _Timeout
        size = int.from_bytes(self._read_exactly(8), "big")
        message: dict[str, Any] = json.loads(self._read_exactly(size))
        return message

    def request(self, payload: dict[str, Any], timeout: float) -> dict[str, Any]:
        """Send one request and wait for its answer.

        :param payload: the request.
        :param timeout: seconds to wait.
        :returns: the answer.
        :raises _Timeout: when no answer came in time.
        """
        self._send(json.dumps(payload).encode("utf-8"))
        return self._receive(timeout)

    def kill(self) -> None:
        """Stop the process by its PID and reap it."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for pipe in (self._in, self._out):
            with contextlib.suppress(OSError):
                pipe.close()


class WorkerPool:
    """A fixed number of worker processes holding the same graph.

    :param data: the graph as N-Quads (the default graph included).
    :param size: how many queries may run at once.
    :param memory_mb: the address-space limit of each worker (0: none).
    :param store_path: a pyoxigraph store on disk that each worker opens read-only instead
        of loading ``data`` (nothing is copied: the first answer comes at once).
    :raises QueryWorkerError: when a worker cannot start.
    """

    def __init__(self, data: bytes, *, size: int = 1, memory_mb: int = 0,
                 store_path: Path | None = None) -> None:
        if size < 1:
            raise ValueError("a worker pool needs at least one worker")
        self._data = data
        self._store_path = store_path
        self._memory_mb = memory_mb
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        for _ in range(size):
            self._add(_Worker(data, memory_mb, store_path))

    def _add(self, worker: _Worker) -> None:
        with self._lock:
            if self._closed:
                worker.kill()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)

        def start() -> None:
            # A failure shows as the next request finding no free worker.
            with contextlib.suppress(QueryWorkerError):
                self._add(_Worker(self._data, self._memory_mb, self._store_path))

        threading.Thread(target=start, name="ibmkg-worker-restart", daemon=True).start()

    @property
    def pids(self) -> list[int]:
        """The process ids of the live workers."""
        with self._lock:
            return sorted(w.pid for w in self._all)

    def run(self, sparql: str, *, timeout: float, max_rows: int) -> dict[str, Any]:
        """Run a query (already through the gate) in a worker.

        :param sparql: the query text.
        :param timeout: the wall-clock limit in seconds, waiting for a free worker included.
        :param max_rows: the row (or triple) cap.
        :returns: the worker's answer: ``select``/``rows``/``truncated``, ``boolean``,
            ``graph``/``truncated`` or ``error``/``message``.
        :raises QueryTimeoutError: when the limit passed (the worker is killed).
        :raises QueryWorkerError: when the worker died.
        """
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise QueryTimeoutError(timeout) from None
        remaining = max(deadline - time.monotonic(), 0.001)
        try:
            answer = worker.request({"query": sparql, "max_rows": max_rows}, remaining)
        except _Timeout:
            self._replace(worker)
            raise QueryTimeoutError(timeout) from None
        except (QueryWorkerError, OSError) as err:
            self._replace(worker)
            if isinstance(err, QueryWorkerError):
                raise
            raise QueryWorkerError(f"the query worker failed: {err}") from None
        self._idle.put(worker)
        return answer

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
