"""Run one ``ibmkg`` command under an audit hook that records what it touches.

``python audited_run.py LOG ARGS...`` installs :func:`sys.addaudithook` before ibmkg is
imported, then runs ``ibmkg ARGS...`` in this process and exits with its code. Every file
opened, every socket connected or name looked up, and every program started is appended to
LOG as one JSON object per line. The hook writes with :func:`os.write` on a descriptor opened
beforehand, so it never records (or recurses into) its own writes.
"""

from __future__ import annotations

import json
import os
import socket
import sys


def _install(log: str) -> None:
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)

    def record(kind: str, value: str) -> None:
        os.write(fd, (json.dumps({"pid": os.getpid(), "event": kind, "value": value})
                      + "\n").encode())

    def hook(event: str, args: tuple[object, ...]) -> None:
        if event == "open" and args and isinstance(args[0], str | bytes):
            record("open", os.fsdecode(args[0]))
        elif event == "socket.connect" and len(args) > 1:
            sock = args[0]
            family = sock.family.name if isinstance(sock, socket.socket) else "?"
            record("connect", f"{family} {args[1]!r}")
        elif event == "socket.getaddrinfo" and args:
            record("getaddrinfo", repr(args[0]))
        elif event == "subprocess.Popen" and len(args) > 1:
            command = args[1]
            first = command[0] if isinstance(command, list | tuple) and command else command
            record("popen", os.fsdecode(first) if isinstance(first, str | bytes) else repr(first))

    sys.addaudithook(hook)


def main() -> int:
    """Install the hook, then run the ibmkg command given on the command line."""
    _install(sys.argv[1])
    from ibmkg.cli import main as ibmkg_main

    return ibmkg_main(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
