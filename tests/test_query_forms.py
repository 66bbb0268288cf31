"""``ibmkg query``: the four query forms, the W3C formats, file errors, and local limits."""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
import uvicorn
from click.testing import CliRunner, Result
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

import serve_server
from ibmkg.cli import cli
from ibmkg.graph_io import LoadedData
from ibmkg.paths import Layout
from ibmkg.sandbox.store import SandboxedStore
from ibmkg.serve import create_app


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--root", str(root), *args])


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_ask(fixture_layout: Layout, tmp_path: Path) -> None:
    path = write(tmp_path, "ask.rq", "ASK { ?s ibmkg:sampleSize ?n }")
    assert run(fixture_layout.root, "query", str(path)).output.strip() == "true"
    answer = json.loads(run(fixture_layout.root, "query", str(path), "--format", "json").output)
    assert answer == {"head": {}, "boolean": True}
    xml = run(fixture_layout.root, "query", str(path), "--format", "xml").output
    parsed = pyoxigraph.parse_query_results(xml.encode(), format=pyoxigraph.QueryResultsFormat.XML)
    assert isinstance(parsed, pyoxigraph.QueryBoolean) and bool(parsed)


@pytest.mark.parametrize(("fmt", "rdf"), [
    ("ttl", pyoxigraph.RdfFormat.TURTLE), ("nt", pyoxigraph.RdfFormat.N_TRIPLES),
    ("jsonld", pyoxigraph.RdfFormat.JSON_LD), ("xml", pyoxigraph.RdfFormat.RDF_XML),
])
def test_construct_and_describe(fixture_layout: Layout, tmp_path: Path, fmt: str,
                                rdf: pyoxigraph.RdfFormat) -> None:
    construct = write(tmp_path, "c.rq", "CONSTRUCT { ?s rdfs:label ?l } WHERE "
                      "{ ?s ibmkg:sampleSize ?n ; rdfs:label ?l }")
    result = run(fixture_layout.root, "query", str(construct), "--format", fmt)
    assert result.exit_code == 0, result.output
    assert len(list(pyoxigraph.parse(result.output.encode(), format=rdf))) == 2
    describe = write(tmp_path, "d.rq",
                     "DESCRIBE <https://w3id.org/ibmkg/study/fixture-alpha-2001>")
    result = run(fixture_layout.root, "query", str(describe), "--format", fmt)
    assert result.exit_code == 0 and len(list(pyoxigraph.parse(result.output.encode(),
                                                               format=rdf))) > 5


def test_select_w3c_formats_keep_lexical_forms(fixture_layout: Layout, tmp_path: Path) -> None:
    path = write(tmp_path, "v.rq", 'SELECT ?x WHERE { VALUES ?x { "3.0"^^xsd:decimal } }')
    tsv = run(fixture_layout.root, "query", str(path), "--format", "tsv").output
    assert tsv == '?x\n"3.0"^^<http://www.w3.org/2001/XMLSchema#decimal>\n'.replace(
        '"3.0"', '"3"')  # a value computed by the engine: pyoxigraph's own canonical form
    fixture = write(tmp_path, "size.rq", "SELECT ?n WHERE { ?s ibmkg:sampleSize ?n } ORDER BY ?n")
    assert run(fixture_layout.root, "query", str(fixture), "--format", "tsv").output.startswith(
        "?n\n")


def test_wrong_format_for_the_form(fixture_layout: Layout, tmp_path: Path) -> None:
    path = write(tmp_path, "s.rq", "SELECT ?s WHERE { ?s a ibmkg:Study }")
    result = run(fixture_layout.root, "query", str(path), "--format", "ttl")
    assert result.exit_code == 2 and "CONSTRUCT and DESCRIBE" in result.output


def test_missing_file_says_file_not_found(fixture_layout: Layout) -> None:
    result = run(fixture_layout.root, "query", "no/such/question.rq")
    assert result.exit_code == 2
    assert "no/such/question.rq: file not found" in result.output
    assert "no stored query" not in result.output


def test_syntax_error_names_the_file_line(fixture_layout: Layout, tmp_path: Path) -> None:
    path = write(tmp_path, "bad.rq", "# a comment\n\nSELECT ?s WHERE {\n  ?s ?p\n  OPTIONAL }\n")
    result = run(fixture_layout.root, "query", str(path))
    assert result.exit_code == 2
    assert f"{path}:5:" in result.output and "\n" not in result.output.strip()
    headed = write(tmp_path, "headed.rq", "#+ summary: s\n#+ description: d\n#+ keywords: k\n"
                   "#+ columns: s\nSELECT ?s WHERE {\n  ?s ?p ?o\n  OPTIONAL }\n")
    result = run(fixture_layout.root, "query", str(headed))
    assert result.exit_code == 2 and f"{headed}:7:" in result.output


def test_local_timeout_and_row_cap(fixture_layout: Layout, tmp_path: Path) -> None:
    bomb = write(tmp_path, "bomb.rq", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . "
                 "?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }")
    started = time.monotonic()
    result = run(fixture_layout.root, "query", str(bomb), "--timeout", "1")
    assert result.exit_code == 2 and "longer than 1 s" in result.output
    assert time.monotonic() - started < 30
    every = write(tmp_path, "all.rq", "SELECT * WHERE { ?s ?p ?o }")
    result = CliRunner().invoke(cli, ["--root", str(fixture_layout.root), "query", str(every),
                                      "--max-rows", "3", "--format", "csv"])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 4 and "cut at 3 rows" in result.stderr


@pytest.fixture()
def site_server(fixture_data: LoadedData) -> Iterator[str]:
    async def hello(request: object) -> PlainTextResponse:
        return PlainTextResponse("site page")

    site = Starlette(routes=[Route("/study/{slug}", hello)])
    store = SandboxedStore.from_data(fixture_data, timeout=5)
    port = serve_server.free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(store, site=site), host="127.0.0.1",
                                           port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        store.close()


def test_site_is_mounted_after_the_endpoint(site_server: str) -> None:
    with urllib.request.urlopen(f"{site_server}/study/fixture-alpha-2001", timeout=10) as page:
        assert page.read() == b"site page"
    with urllib.request.urlopen(f"{site_server}/sparql?query=ASK%7B%7D", timeout=10) as answer:
        assert json.loads(answer.read()) == {"head": {}, "boolean": True}


def test_serve_with_site_serves_both(fixture_layout: Layout, tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "study").mkdir(parents=True)
    (site / "index.html").write_text("<!DOCTYPE html><title>site</title>", encoding="utf-8")
    (site / "study" / "fixture-alpha-2001.ttl").write_text("# turtle\n", encoding="utf-8")
    server = serve_server.start(fixture_layout.root, "--site", str(site))
    try:
        with urllib.request.urlopen(f"{server.base}/index.html", timeout=10) as page:
            assert b"<title>site</title>" in page.read()
        request = urllib.request.Request(f"{server.base}/study/fixture-alpha-2001",
                                         headers={"Accept": "text/turtle"})
        with urllib.request.urlopen(request, timeout=10) as answer:  # 303 to the .ttl file
            assert answer.url.endswith("/study/fixture-alpha-2001.ttl")
        with urllib.request.urlopen(f"{server.url}?query=ASK%7B%7D", timeout=10) as answer:
            assert json.loads(answer.read()) == {"head": {}, "boolean": True}
    finally:
        server.stop()
    result = run(fixture_layout.root, "serve", "--site", str(tmp_path / "nothing"))
    assert result.exit_code == 2 and "no site there" in result.output
