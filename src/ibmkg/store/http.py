"""The HTTP transport of the remote store: one deadline, a size limit, retries, clear errors.

SPARQLWrapper builds each request (query or update, GET or POST, headers); this module sends
it, because a per-socket timeout does not bound a whole answer (a server that sends one byte
per second never trips it) and urllib reads any body into memory. Here:

* one deadline covers connecting, retries, headers and the whole body: a timer shuts the
  socket down when it passes;
* the body is read in pieces and refused beyond ``max_bytes``;
* ``429`` and ``503`` are retried with exponential backoff, honouring ``Retry-After`` (in
  seconds or as an HTTP date) while it fits in the deadline;
* redirects are followed only to ``http`` and ``https``; credentials are offered only after
  the endpoint's own challenge (urllib's auth handlers), never added to a redirected request;
* every failure is one :class:`~ibmkg.errors.EndpointError` line naming the URL (without
  its query string or any user name) and what to check;
* ``https`` certificates are always verified, against the system's CAs, ``$SSL_CERT_FILE``
  (Python's own setting) or the CA file given (``--ca-file``, ``$IBMKG_CA_FILE``); an
  untrusted certificate is an error that says how to trust its CA, never a silent fallback.

Security: only the URL the user names is contacted (and the redirects it answers with).

>>> display_url("https://user:secret@example.org:8890/sparql?query=ASK%7B%7D")
'https://example.org:8890/sparql'
>>> retry_after("7")
7.0
"""

from __future__ import annotations

import contextlib
import email.utils
import html
import http.client
import os
import re
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from ibmkg.errors import EndpointError, EndpointHTTPError, InputError

__all__ = ["DEFAULT_MAX_BYTES", "USER_AGENT", "Response", "Transport", "display_url",
           "retry_after", "server_words", "tls_context"]

#: Largest answer read by default (64 MiB); ``--max-size`` changes it.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024
#: The User-Agent every request carries.
USER_AGENT = "ibmkg/0.1 (+https://w3id.org/ibmkg; SPARQLWrapper)"
#: Statuses retried (with backoff, honouring Retry-After).
RETRY_STATUSES = (429, 503)
_ERROR_BODY_BYTES = 8192


def display_url(url: str) -> str:
    """The URL as shown in messages: no user name or password, no query string.

    :param url: any URL.
    :returns: scheme, host, port and path.
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait according to a ``Retry-After`` header (RFC 9110 §10.2.3).

    :param value: the header (delta-seconds or an HTTP date), or ``None``.
    :param now: the current time (for tests), default :func:`time.time`.
    :returns: the seconds (0 or more), or ``None`` when absent or unreadable.

    >>> retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0)
    10.0
    >>> retry_after("soon") is None
    True
    """
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@dataclass
class Response:
    """A complete answer.

    :param url: the URL that answered (after redirects).
    :param status: the HTTP status.
    :param headers: the headers, names in lower case.
    :param body: the whole body.
    """

    url: str
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def media_type(self) -> str:
        """The media type of the body, lower case, without parameters."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass
class _Deadline:
    """A point in time after which every socket of one exchange is shut down."""

    at: float
    timers: list[threading.Timer] = field(default_factory=list)

    def remaining(self) -> float:
        return self.at - time.monotonic()

    def expired(self) -> bool:
        return self.remaining() <= 0

    def watch(self, sock: socket.socket) -> None:
        timer = threading.Timer(max(0.0, self.remaining()), _shutdown, (sock,))
        timer.daemon = True
        timer.start()
        self.timers.append(timer)

    def cancel(self) -> None:
        for timer in self.timers:
            timer.cancel()


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class _HTTPConnection(http.client.HTTPConnection):
    """A connection whose connect, and every read after it, fits in the request's deadline."""

    def __init__(self, *args: Any, deadline: _Deadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._deadline = deadline

    def connect(self) -> None:
        self.timeout = max(0.01, self._deadline.remaining())
        super().connect()
        self._deadline.watch(self.sock)


class _HTTPSConnection(_HTTPConnection, http.client.HTTPSConnection):
    """The same over TLS (``HTTPSConnection.connect`` wraps the socket ``_HTTPConnection``
    opens, under the same deadline)."""


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPConnection, req,  # type: ignore[arg-type]
                            deadline=self._deadline)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline, context: ssl.SSLContext) -> None:
        super().__init__(context=context)
        self._deadline = deadline
        self._tls = context

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPSConnection, req,  # type: ignore[arg-type]
                            context=self._tls, deadline=self._deadline)


def tls_context(ca_file: str | None = None) -> ssl.SSLContext:
    """The TLS settings of every ``https`` request: certificates and host names verified.

    :param ca_file: a PEM file of CA certificates to trust besides the system's (``None``:
        ``$IBMKG_CA_FILE`` when set; Python also reads ``$SSL_CERT_FILE``).
    :returns: the context.
    :raises InputError: when the CA file cannot be read.

    >>> tls_context().verify_mode == ssl.CERT_REQUIRED
    True
    """
    context = ssl.create_default_context()
    ca_file = ca_file or os.environ.get("IBMKG_CA_FILE") or None
    if ca_file is not None:
        try:
            context.load_verify_locations(cafile=ca_file)
        except (OSError, ssl.SSLError) as err:
            raise InputError(f"{ca_file}: cannot read CA certificates "
                             f"({getattr(err, 'strerror', None) or err}); give a PEM file "
                             "with --ca-file") from None
    return context


class _RedirectHandler(urllib.request.HTTPRedirectHandler):
    """Follow redirects to http(s) only, and never carry an Authorization header along."""

    def http_error_302(self, req: urllib.request.Request, fp: Any, code: int, msg: str,
                       headers: Any) -> Any:
        location = headers.get("Location") or headers.get("URI") or ""
        scheme = urlsplit(urljoin(req.full_url, location)).scheme.lower()
        if scheme not in ("http", "https"):
            raise EndpointError(
                f"{display_url(req.full_url)}: HTTP {code} redirects to a {scheme}: URL, which "
                "ibmkg does not follow; check the endpoint URL")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    def redirect_request(self, req: urllib.request.Request, fp: Any, code: int, msg: str,
                         headers: Any, newurl: str) -> urllib.request.Request | None:
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.remove_header("Authorization")
        return new


@dataclass(frozen=True)
class Transport:
    """Sends requests built by SPARQLWrapper under one deadline each.

    :param timeout: seconds for a whole exchange, retries included.
    :param max_bytes: largest body accepted.
    :param retries: how many times a 429 or 503 is retried.
    :param user: user name, offered when the server asks (HTTP auth).
    :param password: its password (never shown in messages).
    :param auth: ``digest`` or ``basic``.
    :param ca_file: CA certificates to trust for ``https`` (see :func:`tls_context`).
    """

    timeout: float = 60.0
    max_bytes: int = DEFAULT_MAX_BYTES
    retries: int = 3
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    auth: str = "digest"
    ca_file: str | None = None

    def send(self, request: urllib.request.Request) -> Response:
        """Send ``request`` and read the whole answer.

        :param request: the request (SPARQLWrapper's ``_createRequest``).
        :returns: the answer, status 2xx.
        :raises EndpointHTTPError: for an error status (its body's first words included).
        :raises EndpointError: when the server cannot be reached, is too slow, answers too
            much, cuts its answer, or redirects away from http(s).
        """
        url = display_url(request.full_url)
        deadline = _Deadline(time.monotonic() + self.timeout)
        try:
            for attempt in range(self.retries + 1):
                try:
                    return self._once(request, deadline, url)
                except EndpointHTTPError as err:
                    if err.status not in RETRY_STATUSES or attempt == self.retries:
                        raise
                    wait = err.retry_after if err.retry_after is not None \
                        else min(8.0, 0.5 * 2 ** attempt)
                    if wait >= deadline.remaining():
                        raise EndpointHTTPError(
                            f"{url}: HTTP {err.status}: the server asks to retry in {wait:g} s, "
                            f"beyond the {self.timeout:g} s timeout; retry later or raise "
                            "--timeout", status=err.status) from None
                    time.sleep(wait)
            raise AssertionError("unreachable")  # pragma: no cover
        finally:
            deadline.cancel()

    def _opener(self, request: urllib.request.Request, deadline: _Deadline,
                ) -> urllib.request.OpenerDirector:
        handlers: list[urllib.request.BaseHandler] = [
            _HTTPHandler(deadline), _HTTPSHandler(deadline, tls_context(self.ca_file)),
            _RedirectHandler()]
        if self.user is not None:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, request.full_url, self.user, self.password or "")
            handlers.append(urllib.request.HTTPDigestAuthHandler(manager)
                            if self.auth == "digest"
                            else urllib.request.HTTPBasicAuthHandler(manager))
        return urllib.request.build_opener(*handlers)

    def _once(self, request: urllib.request.Request, deadline: _Deadline, url: str,
              ) -> Response:
        too_slow = EndpointError(f"{url}: no complete answer within {self.timeout:g} s; check "
                                 "that the server is not overloaded, or raise --timeout")
        if deadline.expired():
            raise too_slow
        try:
            response = self._opener(request, deadline).open(
                request, timeout=max(0.01, deadline.remaining()))
        except urllib.error.HTTPError as err:
            body = _read_some(err, deadline)
            raise _http_error(url, err.code, err.reason, err.headers, body) from None
        except EndpointError:
            raise
        except TimeoutError:
            raise too_slow from None
        except ssl.SSLCertVerificationError as err:
            raise _untrusted(url, err) from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as err:
            if deadline.expired():
                raise too_slow from None
            reason = getattr(err, "reason", None) or err
            if isinstance(reason, ssl.SSLCertVerificationError):
                raise _untrusted(url, reason) from None
            raise EndpointError(f"{url}: cannot connect ({_reason(reason)}); check that the "
                                "server is running and the URL is right") from None
        with response:
            headers = {k.lower(): v for k, v in response.headers.items()}
            body = self._read_body(response, headers, deadline, url, too_slow)
            return Response(response.geturl(), response.status, headers, body)

    def _read_body(self, response: Any, headers: dict[str, str], deadline: _Deadline,
                   url: str, too_slow: EndpointError) -> bytes:
        declared = headers.get("content-length", "").strip()
        expected = int(declared) if declared.isdigit() else None
        too_big = EndpointError(f"{url}: the answer is larger than {self.max_bytes} bytes; add "
                                "a LIMIT to the query, or raise --max-size")
        if expected is not None and expected > self.max_bytes:
            raise too_big
        chunks: list[bytes] = []
        size = 0
        while True:
            try:
                chunk = response.read1(65536)
            except (http.client.IncompleteRead, http.client.HTTPException, OSError,
                    ValueError):
                chunk = b""
                if deadline.expired():
                    raise too_slow from None
                expected = size + 1  # cut off: reported below
            if not chunk:
                break
            size += len(chunk)
            if size > self.max_bytes:
                raise too_big
            chunks.append(chunk)
            if deadline.expired():
                raise too_slow
        if deadline.expired():
            raise too_slow
        if expected is not None and size < expected:
            raise EndpointError(f"{url}: the answer was cut off after {size} bytes; check the "
                                "server's log, then retry")
        return b"".join(chunks)


def _untrusted(url: str, err: ssl.SSLCertVerificationError) -> EndpointError:
    reason = err.verify_message or err.reason or "certificate verify failed"
    return EndpointError(f"{url}: the server's TLS certificate is not trusted ({reason}); "
                         "if you trust it, give its CA certificate with --ca-file FILE (or "
                         "$IBMKG_CA_FILE / $SSL_CERT_FILE); verification is never turned off")


def _read_some(err: urllib.error.HTTPError, deadline: _Deadline) -> bytes:
    if deadline.expired():
        return b""
    try:
        data: bytes = err.read(_ERROR_BODY_BYTES)
        return data
    except (OSError, http.client.HTTPException, ValueError):
        return b""


def _reason(reason: object) -> str:
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "unknown host"
    text = str(reason).strip()
    return re.sub(r"^\[Errno -?\d+\] ", "", text) or type(reason).__name__


_HINTS = {
    400: "the server rejected the request",
    401: "check --user and --password (or --netrc)",
    403: "check that this user may do this (--user, --password or --netrc)",
    404: "check the endpoint URL",
    405: "check that the URL is a SPARQL endpoint",
    413: "the request is too large for the server",
    414: "the request URL is too long for the server",
    429: "the server is busy; retry later",
    503: "the server is busy or down; retry later",
}


def _http_error(url: str, status: int, reason: str, headers: Any, body: bytes,
                ) -> EndpointHTTPError:
    detail = server_words(body)
    reason = (reason or "").strip()
    text = f"{url}: HTTP {status}"
    if reason:
        text += f" {reason}"
    if detail and detail.lower() != reason.lower():
        text += f": {detail}"
    hint = _HINTS.get(status, "check the server's log" if status >= 500 else "check the URL")
    wait = retry_after(headers.get("Retry-After") if headers is not None else None)
    return EndpointHTTPError(f"{text}; {hint}", status=status, detail=detail, retry_after=wait)


def server_words(body: bytes, limit: int = 200) -> str:
    """The first words of an error body, on one line (HTML tags and entities removed).

    :param body: the body.
    :param limit: the most characters kept.
    :returns: the words, or an empty string.

    >>> server_words(b"<html><title>Oops</title><body><h1>Bad\\n  gateway</h1></body></html>")
    'Oops Bad gateway'
    """
    text = body.decode("utf-8", "replace")
    text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
    text = html.unescape(re.sub(r"<[^>]*>", " ", text))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3].rsplit(" ", 1)[0] + "..."
