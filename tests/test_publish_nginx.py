"""The generated nginx rules, run by a real nginx, answer exactly as ``site_app`` does.

Debian's nginx is started on a free loopback port with the snippet ``ibmkg site`` writes
(inside a minimal ``nginx.conf``), and stopped by its PID. Every request of a table is sent
to it and to ``ibmkg site --serve``; status, ``Location`` and media type must agree. Without
nginx the test is skipped, and with ``CI=true`` it fails.
"""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

from ibmkg.publish.conneg import nginx_conf
from site_fixtures import BuiltSite, Served, free_port, missing

NGINX = os.environ.get("IBMKG_NGINX", "/usr/sbin/nginx")

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
    if not (Path(NGINX).is_file() or shutil.which(NGINX)):
        missing(f"{NGINX} is not installed (apt-get install nginx)")
    prefix = tmp_path_factory.mktemp("nginx")
    port = free_port()
    snippet = nginx_conf(root=str(built_site.out), listen=f"127.0.0.1:{port}")
    temp = "\n".join(f"  {name}_temp_path {prefix}/{name};"
                     for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (prefix / "nginx.conf").write_text(
        f"daemon off;\nmaster_process off;\nworker_processes 1;\npid {prefix}/nginx.pid;\n"
        f"error_log {prefix}/error.log;\nevents {{ worker_connections 64; }}\n"
        f"http {{\n  access_log off;\n{temp}\n  default_type application/octet-stream;\n"
        f"{snippet}}}\n", encoding="utf-8")
    process = subprocess.Popen([NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            if process.poll() is not None:
                err = process.stderr.read().decode() if process.stderr else ""
                pytest.fail(f"nginx exited: {err}")
            try:
                _ask(base, "/style.css", None)
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail("nginx did not answer within 20 s")
                time.sleep(0.2)
        yield base
    finally:
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            process.wait(timeout=10)


@pytest.mark.parametrize(("path", "accept"), REQUESTS)
def test_nginx_and_the_python_app_give_the_same_answer(nginx: str, site_server: Served,
                                                       path: str, accept: str | None) -> None:
    expected = _ask(site_server.base, path, accept)
    assert expected[0] in (200, 303, 404)
    assert _ask(nginx, path, accept) == expected


def test_every_request_case_is_collected() -> None:
    assert len(REQUESTS) == 17
