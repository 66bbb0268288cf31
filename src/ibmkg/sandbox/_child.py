"""The worker process of the sandbox (``python -I _child.py MEMORY_MB [STORE_DIR]``).

It imports nothing of ibmkg. Given ``STORE_DIR`` (the project's persistent store,
:mod:`ibmkg.store.cache`) it opens that store read-only and ignores the data frame; else it
loads the N-Quads it is sent on standard input into an in-memory pyoxigraph store. Then it
answers query requests one at a time. Frames on both pipes
are an 8-byte big-endian length and a JSON document (the data frame is raw N-Quads). The
parent kills this process when a query runs past its time limit.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import sys
import threading
import time
from typing import Any, BinaryIO

import pyoxigraph as ox


def _read(stream: BinaryIO) -> bytes | None:
    header = stream.read(8)
    if len(header) < 8:
        return None
    size = int.from_bytes(header, "big")
    chunks = []
    while size:
        chunk = stream.read(size)
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _write(stream: BinaryIO, message: dict[str, Any]) -> None:
    data = json.dumps(message, ensure_ascii=False).encode("utf-8")
    stream.write(len(data).to_bytes(8, "big") + data)
    stream.flush()


def _term(term: object) -> list[str] | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return ["I", term.value]
    if isinstance(term, ox.BlankNode):
        return ["B", term.value]
    if isinstance(term, ox.Literal):
        # "D": a directional language string, sent as a language string but marked, so the
        # parent never sorts it as one (ibmkg.store.ordering)
        return ["D" if term.direction else "L", term.value, term.datatype.value,
                term.language or ""]
    # "T": a triple term, sent as its text in a plain literal, marked for the same reason
    return ["T", str(term), "http://www.w3.org/2001/XMLSchema#string", ""]


def _answer(store: ox.Store, request: dict[str, Any]) -> dict[str, Any]:
    # The answer is many small objects in no reference cycle: without the cyclic collector
    # walking the heap at each allocation burst it takes a fifth less time at 100,000 rows.
    gc.disable()
    try:
        return _evaluate(store, request)
    finally:
        gc.enable()


def _evaluate(store: ox.Store, request: dict[str, Any]) -> dict[str, Any]:
    limit = int(request["max_rows"])
    try:
        result = store.query(request["query"])
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            rows: list[list[list[str] | None]] = []
            for solution in result:
                if len(rows) == limit:
                    return {"select": names, "rows": rows, "truncated": True}
                rows.append([_term(solution[name]) for name in names])
            return {"select": names, "rows": rows, "truncated": False}
        if isinstance(result, ox.QueryBoolean):
            return {"boolean": bool(result)}
        triples: list[ox.Triple] = []
        truncated = False
        for triple in result:
            if len(triples) == limit:
                truncated = True
                break
            triples.append(triple)
        text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples else b""
        return {"graph": (text or b"").decode("utf-8"), "truncated": truncated}
    except SyntaxError as err:
        return {"error": "syntax", "message": str(err)}
    except Exception as err:  # the engine's own errors (type errors, limits ...)
        return {"error": "engine", "message": f"{type(err).__name__}: {err}"}


def _audit(log: str) -> None:
    """Record connections and file opens to ``log`` (the sandbox tests set IBMKG_SANDBOX_AUDIT)."""
    def hook(event: str, args: tuple[object, ...]) -> None:
        if event in ("socket.connect", "open") and args and not (
                event == "open" and str(args[0]) == log):
            with open(log, "a", encoding="utf-8") as out:  # noqa: PTH123 - inside an audit hook
                out.write(f"{os.getpid()}\t{event}\t{args[0] if event == 'open' else args[1]}\n")

    sys.addaudithook(hook)
    with open(log, "a", encoding="utf-8") as out:  # noqa: PTH123 - no pathlib in the worker
        out.write(f"{os.getpid()}\taudit\tinstalled\n")


def _watch_parent() -> None:
    """Exit when the parent process is gone, even in the middle of a long query.

    (pyoxigraph releases the GIL while it evaluates, so this thread keeps running.)
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def main() -> None:
    """Serve requests until standard input closes."""
    if os.environ.get("IBMKG_SANDBOX_AUDIT"):
        _audit(os.environ["IBMKG_SANDBOX_AUDIT"])
    _watch_parent()
    memory_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    incoming, outgoing = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but frames on the protocol pipe
    data = _read(incoming)
    if data is None:
        return
    if len(sys.argv) > 2:  # the persistent store: opened, not copied (shared page cache)
        store = ox.Store.read_only(sys.argv[2])
    else:
        store = ox.Store()
        if data:
            store.load(data, format=ox.RdfFormat.N_QUADS)
    _write(outgoing, {"ready": True})
    while True:
        raw = _read(incoming)
        if raw is None:
            return
        _write(outgoing, _answer(store, json.loads(raw)))


if __name__ == "__main__":
    main()
