"""A misbehaving SPARQL peer for the fault tests, run as its own process on 127.0.0.1.

``python fault_server.py`` binds a free loopback port, prints it on the first line of
standard output, and serves until killed. Each path plays one fault:

=======================  ==============================================================
``/ok``                  one row of SPARQL JSON results, echoing the method and User-Agent
``/slow``                a valid answer sent one byte per second
``/stall``               headers, then nothing
``/html``                HTTP 500 with an HTML error page
``/html200``             HTTP 200 with an HTML page
``/badjson``             HTTP 200, ``application/sparql-results+json``, malformed
``/truncated``           Content-Length 1000, 20 bytes, then the connection closes
``/redirect-file``       302 to ``file:///etc/passwd``
``/busy``                429 with ``Retry-After: 1`` twice, then ``/ok``'s answer
``/busy-long``           503 with ``Retry-After: 3600``
``/huge``                an endless chunked body
``/maxrows-N-M``         N rows with ``X-SPARQL-MaxRows: N``; a COUNT query answers M
``/repeat``              HTTP 502 whose page repeats the status text
=======================  ==============================================================
"""

from __future__ import annotations

import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

_COUNTS: dict[str, int] = {}
_LOCK = threading.Lock()


def _results(variables: list[str], rows: list[dict[str, str]]) -> bytes:
    bindings = [{k: {"type": "literal", "value": v} for k, v in row.items()} for row in rows]
    return json.dumps({"head": {"vars": variables},
                       "results": {"bindings": bindings}}).encode()


def _count(n: int) -> bytes:
    datatype = "http://www.w3.org/2001/XMLSchema#integer"
    return json.dumps({"head": {"vars": ["n"]}, "results": {"bindings": [
        {"n": {"type": "literal", "datatype": datatype, "value": str(n)}}]}}).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._serve(urlsplit(self.path).query)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        self._serve(self.rfile.read(length).decode("utf-8", "replace"))

    def _send(self, status: int, body: bytes, media: str = "application/sparql-results+json",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _serve(self, form: str) -> None:
        path = urlsplit(self.path).path
        query = parse_qs(form).get("query", [""])[0]
        with _LOCK:
            _COUNTS[path] = _COUNTS.get(path, 0) + 1
            seen = _COUNTS[path]
        ok = _results(["method", "agent"], [{"method": self.command,
                                             "agent": self.headers.get("User-Agent", "")}])
        if path == "/ok":
            self._send(200, ok)
        elif path == "/slow":
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(ok)))
            self.end_headers()
            try:
                for byte in ok:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(1)
            except OSError:  # the client gave up, as it should
                return
        elif path == "/stall":
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", "100")
            self.end_headers()
            self.wfile.flush()
            time.sleep(120)
        elif path == "/html":
            self._send(500, b"<html><head><title>500 Internal Server Error</title></head>"
                       b"<body><h1>Internal Server Error</h1><p>Database offline</p></body>"
                       b"</html>", "text/html")
        elif path == "/html200":
            self._send(200, b"<html><head><title>Welcome</title></head><body>Login</body>"
                       b"</html>", "text/html; charset=utf-8")
        elif path == "/badjson":
            self._send(200, b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": ')
        elif path == "/truncated":
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b'{"head": {"vars": []')
            self.wfile.flush()
            self.close_connection = True
        elif path == "/redirect-file":
            self._send(302, b"", "text/plain", {"Location": "file:///etc/passwd"})
        elif path == "/busy":
            if seen % 3:
                self._send(429, b"slow down", "text/plain", {"Retry-After": "1"})
            else:
                self._send(200, ok)
        elif path == "/busy-long":
            self._send(503, b"maintenance", "text/plain", {"Retry-After": "3600"})
        elif path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b" " * 65536
            try:
                while True:
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except OSError:
                return
        elif path.startswith("/maxrows-"):
            rows, total = (int(x) for x in path.removeprefix("/maxrows-").split("-"))
            if "COUNT" in query:
                self._send(200, _count(total))
            else:
                body = _results(["i"], [{"i": str(i)} for i in range(rows)])
                self._send(200, body, headers={"X-SPARQL-MaxRows": str(rows)})
        elif path == "/repeat":
            self._send(502, b"Bad Gateway", "text/plain")
        else:
            self._send(404, b"not found", "text/plain")


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    sys.stdout.write(f"{server.server_address[1]}\n")
    sys.stdout.flush()
    server.serve_forever()


if __name__ == "__main__":
    main()
