"""Keep the reasoner's Java off the network.

HermiT (through the OWL API) fetches every ``owl:imports`` it is given, and any IRI it is
asked to dereference, over HTTP. ibmkg never hands it such an IRI (the input gate refuses
``owl:imports``), but a reasoner is a second program with its own network stack, out of
reach of Python's audit hooks. So every Java process ibmkg starts runs with its HTTP, HTTPS
and SOCKS proxies pointed at a loopback address where nothing listens: whatever it tries
fails at once, on this machine, and never reaches the network.

The address can be changed with ``$IBMKG_JAVA_PROXY`` (``host:port``): the tests point it at
a listener that counts connections, to prove that the reasoner makes none.

>>> options = java_options("127.0.0.1:9")
>>> "-Dhttp.proxyHost=127.0.0.1" in options and "-DsocksProxyPort=9" in options
True
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from ibmkg.errors import InputError

__all__ = ["DEFAULT_JAVA_PROXY", "JAVA_PROXY_ENV", "java_offline", "java_options"]

#: Environment variable naming the ``host:port`` the reasoner's Java must use as its proxy.
JAVA_PROXY_ENV: Final = "IBMKG_JAVA_PROXY"
#: Port 9 (discard) on the loopback interface: nothing listens there on a normal machine,
#: so a connection is refused at once.
DEFAULT_JAVA_PROXY: Final = "127.0.0.1:9"
#: The variable every JVM reads its extra options from.
_TOOL_OPTIONS: Final = "JAVA_TOOL_OPTIONS"
#: HermiT batches run in parallel threads, each inside :func:`java_offline`; the process has
#: one environment, so the variable is set by the first to enter and restored by the last
#: to leave (each restoring its own saved value let the options outlive every reasoner).
_LOCK = threading.Lock()
_ACTIVE: list[str | None] = []  # one entry per body running; [0] is the value saved


def java_options(proxy: str) -> str:
    """The JVM options that send every HTTP, HTTPS, FTP and SOCKS connection to ``proxy``.

    :param proxy: ``host:port``.
    :returns: the options, space-separated, for ``JAVA_TOOL_OPTIONS``.
    :raises InputError: when ``proxy`` is not ``host:port`` with a numeric port.

    >>> java_options("localhost:8080").split()[:2]
    ['-Dhttp.proxyHost=localhost', '-Dhttp.proxyPort=8080']
    >>> java_options("nowhere")
    Traceback (most recent call last):
    ...
    ibmkg.errors.InputError: $IBMKG_JAVA_PROXY: expected host:port, found 'nowhere'; \
unset it to use 127.0.0.1:9
    """
    host, _, port = proxy.rpartition(":")
    if not host or not port.isdigit() or any(c.isspace() for c in host):
        raise InputError(f"${JAVA_PROXY_ENV}: expected host:port, found {proxy!r}; "
                         f"unset it to use {DEFAULT_JAVA_PROXY}")
    properties = [(f"{scheme}.{key}", value) for scheme in ("http", "https", "ftp")
                  for key, value in (("proxyHost", host), ("proxyPort", port))]
    properties += [("socksProxyHost", host), ("socksProxyPort", port),
                   # by default Java bypasses the proxy for localhost; bypass nothing
                   ("http.nonProxyHosts", ""), ("ftp.nonProxyHosts", ""),
                   ("java.net.useSystemProxies", "false")]
    return " ".join(f"-D{key}={value}" for key, value in properties)


@contextmanager
def java_offline() -> Iterator[None]:
    """Run the body with ``JAVA_TOOL_OPTIONS`` sending Java's connections to the dead proxy.

    The user's own ``JAVA_TOOL_OPTIONS`` are kept; ibmkg's proxy options come after them,
    so they win. The variable is restored when the last body running in any thread ends.

    :raises InputError: when ``$IBMKG_JAVA_PROXY`` is malformed.

    >>> before = os.environ.get("JAVA_TOOL_OPTIONS")
    >>> with java_offline():
    ...     "-DsocksProxyHost=" in os.environ["JAVA_TOOL_OPTIONS"]
    True
    >>> os.environ.get("JAVA_TOOL_OPTIONS") == before
    True
    """
    options = java_options(os.environ.get(JAVA_PROXY_ENV) or DEFAULT_JAVA_PROXY)
    with _LOCK:
        saved = _ACTIVE[0] if _ACTIVE else os.environ.get(_TOOL_OPTIONS)
        if not _ACTIVE:
            os.environ[_TOOL_OPTIONS] = f"{saved} {options}" if saved else options
        _ACTIVE.append(saved)
    try:
        yield
    finally:
        with _LOCK:
            _ACTIVE.pop()
            if not _ACTIVE and saved is None:
                os.environ.pop(_TOOL_OPTIONS, None)
            elif not _ACTIVE and saved is not None:
                os.environ[_TOOL_OPTIONS] = saved
