"""The generated nginx and Apache rules, run by real servers, answer exactly as ``site_app``.

Debian's nginx (with the snippet ``ibmkg site`` writes, inside a minimal ``nginx.conf``) and
Debian's Apache httpd (serving the site folder with its generated ``.htaccess``) are started
on free loopback ports and stopped by their PIDs. Every request of a table is sent to them
and to ``ibmkg site --serve``; status, ``Location`` and media type must agree. Without the
servers the tests are skipped, and with ``CI=true`` they fail.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

import nginx_server
from ibmkg.publish.conneg import nginx_conf
from site_fixtures import BuiltSite, Served, free_port, missing

APACHE = os.environ.get("IBMKG_APACHE", "/usr/sbin/apache2")
APACHE_MODULES = os.environ.get("IBMKG_APACHE_MODULES", "/usr/lib/apache2/modules")

#: (path, Accept) pairs sent to both servers.
REQUESTS = [
    ("/study/cherin-2002", "text/turtle"),
    ("/study/cherin-2002", "application/ld+json"),
    ("/study/cherin-2002", "application/n-triples"),
    ("/study/cherin-2002", "application/rdf+xml"),
    ("/study/cherin-2002", "text/html,application/xhtml+xml,*/*;q=0.8"),
    ("/study/cherin-2002", "*/*"),
    ("/study/cherin-2002?format=ttl", "text/html"),
    ("/study/cherin-2002?format=jsonld", None),
    ("/study/cherin-2002?format=rdf", "text/turtle"),
    ("/study/cherin-2002?format=html", "text/turtle"),
    ("/", "text/turtle"),
    ("/ontology/", None),
    ("/vocab/outcome/dysphagia", "application/n-triples"),
    ("/study/cherin-2002.ttl", None),
    ("/study/cherin-2002.html", None),
    ("/.well-known/void", None),
    ("/study/nobody.ttl", None),
]


def _ask(base: str, path: str, accept: str | None) -> tuple[int, str, str]:
    url = urlparse(base)
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=10)
    connection.request("GET", path, headers={"Accept": accept} if accept else {})
    response = connection.getresponse()
    response.read()
    connection.close()
    location = response.getheader("Location") or ""
    location = urlparse(location).path if location.startswith("http") else location
    media = (response.getheader("Content-Type") or "").split(";")[0] \
        if response.status == 200 else ""
    return response.status, location, media


@pytest.fixture(scope="module")
def nginx(built_site: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    prefix = tmp_path_factory.mktemp("nginx")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    snippet = nginx_conf(root=str(built_site.out), listen=f"127.0.0.1:{port}")
    with nginx_server.running(prefix, f"  default_type application/octet-stream;\n{snippet}",
                              lambda: _ask(base, "/style.css", None)):
        yield base


@pytest.fixture(scope="module")
def apache(built_site: BuiltSite, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not (Path(APACHE).is_file() or shutil.which(APACHE)):
        missing(f"{APACHE} is not installed (apt-get install apache2)")
    prefix = tmp_path_factory.mktemp("apache")
    port = free_port()
    # Apache will not serve as root: as root it drops to nobody, which must read the site.
    public = Path(tempfile.mkdtemp(prefix="ibmkg-apache-site-"))
    public.chmod(0o755)
    site = public / "site"
    shutil.copytree(built_site.out, site)
    user = "User nobody\nGroup nogroup\n" if os.geteuid() == 0 else ""
    modules = "\n".join(f"LoadModule {name}_module {APACHE_MODULES}/mod_{name}.so"
                         for name in ("mpm_prefork", "authz_core", "mime", "dir", "rewrite",
                                      "headers"))
    (prefix / "httpd.conf").write_text(
        f"{modules}\nServerRoot {prefix}\nServerName 127.0.0.1\nListen 127.0.0.1:{port}\n"
        f"PidFile {prefix}/httpd.pid\nErrorLog {prefix}/error.log\nLogLevel warn\n"
        f"{user}DefaultRuntimeDir {prefix}\n"
        f"TypesConfig /dev/null\nDocumentRoot {site}\n"
        f'<Directory "{site}">\n  AllowOverride All\n  Require all granted\n'
        "</Directory>\n", encoding="utf-8")
    env = {**os.environ, "APACHE_RUN_DIR": str(prefix)}
    process = subprocess.Popen([APACHE, "-X", "-f", str(prefix / "httpd.conf")], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        nginx_server.wait_for(process, lambda: _ask(base, "/style.css", None), "apache2")
        yield base
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        shutil.rmtree(public, ignore_errors=True)


@pytest.mark.parametrize(("path", "accept"), REQUESTS)
def test_apache_with_the_htaccess_and_the_python_app_give_the_same_answer(
        apache: str, site_server: Served, path: str, accept: str | None) -> None:
    expected = _ask(site_server.base, path, accept)
    assert _ask(apache, path, accept) == expected


@pytest.mark.parametrize(("path", "accept"), REQUESTS)
def test_nginx_and_the_python_app_give_the_same_answer(nginx: str, site_server: Served,
                                                       path: str, accept: str | None) -> None:
    expected = _ask(site_server.base, path, accept)
    assert expected[0] in (200, 303, 404)
    assert _ask(nginx, path, accept) == expected


def test_every_request_case_is_collected() -> None:
    assert len(REQUESTS) == 17
