"""A remote endpoint that is down, refuses, is slow or answers garbage: one clear line.

The peer is ``fault_server.py``, a real HTTP server started on 127.0.0.1 in its own process
and stopped by its PID (it plays the misbehaving server; nothing is mocked).
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import virtuoso_server
from ibmkg.cli import cli
from ibmkg.errors import EndpointError, EndpointHTTPError, InputError
from ibmkg.store.http import USER_AGENT
from ibmkg.store.remote import RemoteStore

SELECT = "SELECT ?s WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def peer() -> Iterator[str]:
    """The base URL of a running fault server."""
    process = subprocess.Popen([sys.executable, str(Path(__file__).with_name("fault_server.py"))],
                               stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    port = int(process.stdout.readline())
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _store(url: str, **options: float) -> RemoteStore:
    return RemoteStore(url, **options)  # type: ignore[arg-type]


def _one_line(err: pytest.ExceptionInfo[BaseException], url: str) -> str:
    text = str(err.value)
    assert "\n" not in text
    assert text.startswith(url)
    return text


class TestFaults:
    def test_answer_is_read(self, peer: str) -> None:
        rows = _store(f"{peer}/ok").query(SELECT).rows
        assert rows == [("GET", USER_AGENT)]

    def test_long_query_is_posted(self, peer: str) -> None:
        padding = "# " + "x" * 3000 + "\n"
        rows = _store(f"{peer}/ok").query(padding + SELECT).rows
        assert rows[0][0] == "POST"

    def test_slow_server_bounded_by_timeout(self, peer: str) -> None:
        """Regression: one byte per second kept --timeout 5 waiting 41 s (IncompleteRead)."""
        started = time.monotonic()
        with pytest.raises(EndpointError) as err:
            _store(f"{peer}/slow", timeout=2).query(SELECT)
        assert time.monotonic() - started < 6
        assert "no complete answer within 2 s" in _one_line(err, f"{peer}/slow")

    def test_stalled_body_bounded_by_timeout(self, peer: str) -> None:
        with pytest.raises(EndpointError, match="no complete answer within 1 s"):
            _store(f"{peer}/stall", timeout=1).query(SELECT)

    def test_html_error_page(self, peer: str) -> None:
        with pytest.raises(EndpointHTTPError) as err:
            _store(f"{peer}/html").query(SELECT)
        text = _one_line(err, f"{peer}/html")
        assert "HTTP 500" in text and "Database offline" in text and "<" not in text

    def test_html_page_with_200(self, peer: str) -> None:
        with pytest.raises(EndpointError, match="HTML page, not SPARQL results") as err:
            _store(f"{peer}/html200").query(SELECT)
        _one_line(err, f"{peer}/html200")

    def test_malformed_json(self, peer: str) -> None:
        with pytest.raises(EndpointError, match="malformed SPARQL JSON results") as err:
            _store(f"{peer}/badjson").query(SELECT)
        _one_line(err, f"{peer}/badjson")

    def test_truncated_body(self, peer: str) -> None:
        with pytest.raises(EndpointError, match="cut off after 20 bytes") as err:
            _store(f"{peer}/truncated").query(SELECT)
        _one_line(err, f"{peer}/truncated")

    def test_redirect_to_file_refused(self, peer: str) -> None:
        with pytest.raises(EndpointError, match="redirects to a file: URL") as err:
            _store(f"{peer}/redirect-file").query(SELECT)
        assert "root:" not in _one_line(err, f"{peer}/redirect-file")

    def test_retry_after_honoured(self, peer: str) -> None:
        started = time.monotonic()
        rows = _store(f"{peer}/busy", timeout=20).query(SELECT).rows
        assert rows[0][0] == "GET"
        assert time.monotonic() - started >= 2  # two waits of Retry-After: 1

    def test_retry_after_beyond_timeout(self, peer: str) -> None:
        with pytest.raises(EndpointHTTPError, match="retry in 3600 s") as err:
            _store(f"{peer}/busy-long", timeout=5).query(SELECT)
        assert err.value.status == 503

    def test_size_limit(self, peer: str) -> None:
        """Regression: a 200 MB answer took 1.56 GB; the body is refused past the limit."""
        with pytest.raises(EndpointError, match="larger than 1048576 bytes") as err:
            _store(f"{peer}/huge", max_bytes=1024 * 1024).query(SELECT)
        _one_line(err, f"{peer}/huge")

    def test_exactly_maxrows_is_complete(self, peer: str) -> None:
        """Regression: exactly 10,000 rows with X-SPARQL-MaxRows was treated as cut."""
        assert len(_store(f"{peer}/maxrows-50-50").query(SELECT)) == 50

    def test_maxrows_cut_is_reported(self, peer: str) -> None:
        with pytest.raises(EndpointError, match="cut the result at 50 of 51 rows"):
            _store(f"{peer}/maxrows-50-51").query(SELECT)

    def test_status_text_not_repeated(self, peer: str) -> None:
        """Regression: an endpoint error repeated itself inside parentheses."""
        with pytest.raises(EndpointHTTPError) as err:
            _store(f"{peer}/repeat").query(SELECT)
        text = _one_line(err, f"{peer}/repeat")
        assert text.count("Bad Gateway") == 1 and "(" not in text

    def test_not_found(self, peer: str) -> None:
        with pytest.raises(EndpointHTTPError, match=r"HTTP 404.*check the endpoint URL"):
            _store(f"{peer}/nothing-here").query(SELECT)

    def test_server_down(self) -> None:
        url = f"http://127.0.0.1:{virtuoso_server.free_port()}/sparql"
        with pytest.raises(EndpointError, match="cannot connect \\(connection refused\\)") as err:
            _store(url, timeout=5).query(SELECT)
        _one_line(err, url)

    def test_credentials_never_in_url(self) -> None:
        with pytest.raises(InputError, match="no user name or password in the URL") as err:
            RemoteStore("http://me:hunter2@127.0.0.1:1/sparql")
        assert "hunter2" not in str(err.value)


class TestCommandLine:
    """`ibmkg query NAME --endpoint URL`: one line on stderr, a non-zero exit, quickly."""

    @pytest.mark.parametrize(("path", "code", "words"), [
        ("/slow", 3, "no complete answer within 2 s"),
        ("/badjson", 3, "malformed SPARQL JSON results"),
        ("/html", 3, "HTTP 500"),
        ("/redirect-file", 3, "redirects to a file: URL"),
    ])
    def test_one_line_error(self, peer: str, path: str, code: int, words: str) -> None:
        result = CliRunner().invoke(cli, ["query", "randomised", "--endpoint", peer + path,
                                          "--timeout", "2"])
        assert result.exit_code == code
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and words in lines[0] and peer + path in lines[0]
        assert result.stdout == ""
