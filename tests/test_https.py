"""HTTPS to an endpoint: a throw-away CA, real TLS servers on 127.0.0.1, verification kept.

A CA and a server certificate for ``127.0.0.1`` are made at test time (``trustme``). Two real
TLS servers use them: ``ibmkg serve --certfile/--keyfile`` (uvicorn's TLS), and Debian's
nginx as a TLS proxy in front of the Virtuoso fixture. ``ibmkg query --endpoint https://...``
with the CA given (``--ca-file``, ``$IBMKG_CA_FILE`` or Python's ``$SSL_CERT_FILE``) gets the
embedded store's rows; without it, one line naming the URL and how to trust the CA, exit 3;
``ibmkg publish`` over HTTPS to Virtuoso behind nginx publishes and is read back.
"""

from __future__ import annotations

import ssl
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import nginx_server
import serve_server
import virtuoso_server
from ibmkg.cli import cli

TESTS = Path(__file__).parent
ROOT = TESTS.parent
FIXTURE_ROOT = TESTS / "data" / "project"
QUERIES = ("randomised", "patient-totals", "evidence-by-design")
TLS_GRAPH = "https://example.org/ibmkg-tls"


@dataclass(frozen=True)
class Pki:
    """A throw-away CA and a certificate for 127.0.0.1 it signed (PEM files)."""

    ca: Path
    cert: Path
    key: Path

    def context(self) -> ssl.SSLContext:
        """A client context trusting only this CA."""
        return ssl.create_default_context(cafile=str(self.ca))


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    trustme = pytest.importorskip("trustme", reason="trustme is not installed (pip install "
                                  "-e '.[dev]')")
    folder = tmp_path_factory.mktemp("pki")
    authority = trustme.CA()
    issued = authority.issue_cert("127.0.0.1")
    pki = Pki(folder / "ca.pem", folder / "server.pem", folder / "server.key")
    authority.cert_pem.write_to_path(str(pki.ca))
    issued.private_key_pem.write_to_path(str(pki.key))
    pki.cert.write_bytes(b"".join(blob.bytes() for blob in issued.cert_chain_pems))
    return pki


@pytest.fixture(scope="module")
def tls_server(pki: Pki) -> Iterator[serve_server.Server]:
    running = serve_server.start(ROOT, "--workers", "1", "--certfile", str(pki.cert),
                                 "--keyfile", str(pki.key), tls=pki.context())
    try:
        yield running
    finally:
        running.stop()


def _query(*args: str, env: dict[str, str] | None = None) -> Result:
    """The command line, in this process (the environment is set for the call only)."""
    return CliRunner().invoke(cli, ["--root", str(ROOT), "query", *args],
                              env={"IBMKG_CA_FILE": "", "SSL_CERT_FILE": None, **(env or {})})


@pytest.mark.parametrize("name", QUERIES)
def test_https_endpoint_with_the_ca_gives_the_embedded_rows(
        tls_server: serve_server.Server, pki: Pki, name: str) -> None:
    local = _query(name, "--format", "csv")
    remote = _query(name, "--format", "csv", "--endpoint", tls_server.url, "--ca-file",
                    str(pki.ca))
    assert local.exit_code == 0, local.output
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout and local.stdout.count("\n") > 1


@pytest.mark.parametrize("variable", ["IBMKG_CA_FILE", "SSL_CERT_FILE"])
def test_the_ca_from_the_environment(tls_server: serve_server.Server, pki: Pki,
                                     variable: str) -> None:
    local = _query("randomised", "--format", "tsv")
    remote = _query("randomised", "--format", "tsv", "--endpoint", tls_server.url,
                    env={variable: str(pki.ca)})
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout and local.stdout.startswith("?")


def test_an_untrusted_certificate_is_one_line_and_exit_3(tls_server: serve_server.Server,
                                                         ) -> None:
    result = _query("randomised", "--endpoint", tls_server.url)
    assert result.exit_code == 3, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert tls_server.url in lines[0]
    assert "not trusted" in lines[0] and "--ca-file" in lines[0]
    assert result.stdout == ""


def test_a_certificate_for_another_name_is_refused(tls_server: serve_server.Server,
                                                   pki: Pki) -> None:
    url = tls_server.url.replace("127.0.0.1", "localhost")  # the certificate names 127.0.0.1
    result = _query("randomised", "--endpoint", url, "--ca-file", str(pki.ca))
    assert result.exit_code == 3, result.output
    assert "not trusted" in result.stderr and url in result.stderr


def test_an_unreadable_ca_file_is_an_input_error(tls_server: serve_server.Server,
                                                 tmp_path: Path) -> None:
    bad = tmp_path / "ca.pem"
    bad.write_text("not a certificate\n", encoding="utf-8")
    result = _query("randomised", "--endpoint", tls_server.url, "--ca-file", str(bad))
    assert result.exit_code == 2, result.output
    assert str(bad) in result.stderr and len(result.stderr.strip().splitlines()) == 1


# -- nginx as a TLS proxy in front of Virtuoso ---------------------------------------------


@pytest.fixture(scope="module")
def tls_proxy(pki: Pki, tmp_path_factory: pytest.TempPathFactory,
              virtuoso_fixture_server: virtuoso_server.VirtuosoServer) -> Iterator[str]:
    """nginx terminating TLS on a free loopback port, passing everything to Virtuoso."""
    port = serve_server.free_port()
    base = f"https://127.0.0.1:{port}"
    body = (f"  client_max_body_size 64m;\n"
            f"  server {{\n    listen 127.0.0.1:{port} ssl;\n"
            f"    ssl_certificate {pki.cert};\n    ssl_certificate_key {pki.key};\n"
            f"    location / {{\n"
            f"      proxy_pass http://127.0.0.1:{virtuoso_fixture_server.http_port};\n"
            f"      proxy_http_version 1.1;\n      proxy_set_header Host $http_host;\n"
            f"      proxy_read_timeout 120s;\n    }}\n  }}\n")

    def probe() -> None:
        with urllib.request.urlopen(base + "/sparql?query=ASK%7B%7D", timeout=5,
                                    context=pki.context()):
            pass

    with nginx_server.running(tmp_path_factory.mktemp("nginx-tls"), body, probe):
        yield base


@pytest.mark.virtuoso
def test_publish_over_https_to_virtuoso_behind_nginx(tls_proxy: str, pki: Pki) -> None:
    runner = CliRunner()
    env = {"IBMKG_ENDPOINT_USER": "dba", "IBMKG_ENDPOINT_PASSWORD": "dba",
           "IBMKG_CA_FILE": str(pki.ca)}
    args = ["--root", str(FIXTURE_ROOT), "publish", "--endpoint", f"{tls_proxy}/sparql",
            "--update-endpoint", f"{tls_proxy}/sparql-auth", "--graph", TLS_GRAPH,
            "--inferred", "never", "--local-test"]
    first = runner.invoke(cli, args, env=env)
    assert first.exit_code == 0, first.output
    lines = first.stdout.splitlines()
    assert lines[0].startswith("data      urn:ibmkg:version:")
    assert lines[1].startswith("ontology  urn:ibmkg:version:")
    assert [line.split()[1] for line in lines if line.startswith("mirror ")] == [
        TLS_GRAPH, TLS_GRAPH + "/ontology"]
    assert all(line.endswith("copied, verified") for line in lines if line.startswith("mirror"))
    again = runner.invoke(cli, args, env=env)
    assert again.exit_code == 0 and again.stdout.splitlines()[-1].startswith("0 changes at ")
    local = runner.invoke(cli, ["--root", str(FIXTURE_ROOT), "query", "studies", "--format",
                                "csv"])
    remote = runner.invoke(cli, ["--root", str(FIXTURE_ROOT), "query", "studies", "--format",
                                 "csv", "--endpoint", f"{tls_proxy}/sparql", "--graph",
                                 TLS_GRAPH], env={"IBMKG_CA_FILE": str(pki.ca)})
    assert remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout and local.stdout.count("\n") == 3
    untrusted = runner.invoke(cli, args, env={**env, "IBMKG_CA_FILE": ""})
    assert untrusted.exit_code == 3 and "not trusted" in untrusted.output
