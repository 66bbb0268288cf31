"""``ibmkg serve`` tested as a running process, through clients nobody here wrote.

One server (the real project, 3 s timeout, 5,000-row cap, CORS for one origin) is started
for the module on a free 127.0.0.1 port and stopped by its PID. Every local stored query
gives the same rows through SPARQLWrapper, Apache Jena's ``arq.rsparql`` and the embedded
store; every result format is parsed back by pyoxigraph (and the XML checked against the
results schema); hostile queries are refused or stopped while the server keeps answering.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from lxml import etree
from SPARQLWrapper import JSON, POST, SPARQLWrapper

import results_xml
import serve_server
from ibmkg.graph_io import LoadedData
from ibmkg.paths import Layout
from ibmkg.queries import StoredQuery, bindings_for, load_catalogue, run_query
from ibmkg.store.base import ResultTable, Row, to_value
from ibmkg.store.embedded import EmbeddedStore

TESTS = Path(__file__).parent
ORIGIN = "http://app.example.test"
_LAYOUT = Layout(TESTS.parent)
#: Stored queries the server runs locally: all but the federated and the inferred ones.
LOCAL = sorted(name for name, q in load_catalogue(_LAYOUT.queries).items()
               if not q.federated and not q.inferred and not q.is_check)
EXPECTED_LOCAL = 19
BOMB = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
RES = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def server() -> Iterator[serve_server.Server]:
    running = serve_server.start(TESTS.parent, "--timeout", "3", "--max-rows", "5000",
                                 "--workers", "2", "--cors", ORIGIN)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def reference(project_data: LoadedData) -> EmbeddedStore:
    return EmbeddedStore.from_data(project_data)


def get(url: str, accept: str | None = None, data: bytes | None = None,
        content_type: str | None = None, origin: str | None = None,
        ) -> tuple[int, dict[str, str], bytes]:
    headers = {k: v for k, v in (("Accept", accept), ("Content-Type", content_type),
                                 ("Origin", origin)) if v}
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read()
    except urllib.error.HTTPError as err:
        return err.code, {k.lower(): v for k, v in err.headers.items()}, err.read()


def query_url(server: serve_server.Server, text: str, **extra: str) -> str:
    return server.url + "?" + urllib.parse.urlencode({"query": text, **extra})


def _rows(json_body: bytes) -> ResultTable:
    solutions = pyoxigraph.parse_query_results(json_body,
                                               format=pyoxigraph.QueryResultsFormat.JSON)
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    columns = tuple(v.value for v in solutions.variables)
    rows: list[Row] = [tuple(to_value(s[c]) for c in columns) for s in solutions]
    return ResultTable(columns, rows).sorted()


def _text(reference: EmbeddedStore, stored: StoredQuery) -> str:
    return reference.prepare(stored.sparql, bindings_for(stored, {}))


def test_local_stored_queries_are_all_collected() -> None:
    assert len(LOCAL) == EXPECTED_LOCAL


@pytest.mark.parametrize("name", LOCAL)
def test_sparqlwrapper_gets_the_embedded_rows(server: serve_server.Server,
                                              reference: EmbeddedStore, name: str) -> None:
    stored = load_catalogue(_LAYOUT.queries)[name]
    expected = run_query(reference, stored).sorted()
    client = SPARQLWrapper(server.url)
    client.setQuery(_text(reference, stored))
    client.setReturnFormat(JSON)
    if LOCAL.index(name) % 2:
        client.setMethod(POST)  # half the queries by POST, half by GET
    answer = client.query()
    got = _rows(answer.response.read())
    assert got.columns == expected.columns
    assert got.rows == expected.rows
    assert expected.rows, f"{name} returns no rows on the real graph: the check would be empty"


def test_stored_query_route_matches(server: serve_server.Server, reference: EmbeddedStore,
                                    ) -> None:
    catalogue = load_catalogue(_LAYOUT.queries)
    status, _, body = get(f"{server.base}/queries/studies-by-outcome?outcome=fatigue",
                          accept="application/sparql-results+json")
    assert status == 200
    expected = run_query(reference, catalogue["studies-by-outcome"], {"outcome": "fatigue"})
    assert _rows(body).rows == expected.sorted().rows and expected.rows
    status, _, listing = get(f"{server.base}/queries")
    names = [entry["name"] for entry in json.loads(listing)]
    assert status == 200 and "randomised" in names and len(names) == len(catalogue)
    assert get(f"{server.base}/queries/no-such-query")[0] == 404
    status, _, body = get(f"{server.base}/queries/randomised?design=x%20y")
    assert status == 400 and b"design" in body


def test_jena_rsparql_gets_the_embedded_rows(server: serve_server.Server,
                                             reference: EmbeddedStore, tmp_path: Path) -> None:
    classpath = serve_server.jena_classpath(tmp_path / "jena")
    catalogue = load_catalogue(_LAYOUT.queries)
    pairs: list[str] = []
    for name in LOCAL:
        path = tmp_path / f"{name}.rq"
        path.write_text(_text(reference, catalogue[name]), encoding="utf-8")
        pairs += [str(path), str(tmp_path / f"{name}.json")]
    java = ["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
    if shutil.which("javac"):  # one JVM for every query (a JDK is there)
        subprocess.run(["javac", "-cp", classpath, "-d", str(tmp_path),
                        str(TESTS / "jena" / "RunRsparql.java")], check=True, timeout=120)
        done = subprocess.run([*java, "-cp", f"{tmp_path}{os.pathsep}{classpath}",
                               "RunRsparql", server.url, *pairs],
                              capture_output=True, timeout=300, check=False)
        assert done.returncode == 0, done.stderr.decode()[-500:]
    else:  # a JRE only: arq.rsparql itself, one JVM per query
        for query, out in zip(pairs[::2], pairs[1::2], strict=True):
            done = subprocess.run([*java, "-cp", classpath, "arq.rsparql", "--service",
                                   server.url, "--query", query, "--results", "json"],
                                  capture_output=True, timeout=120, check=False)
            assert done.returncode == 0, done.stderr.decode()[-500:]
            Path(out).write_bytes(done.stdout)
    for name in LOCAL:
        expected = run_query(reference, catalogue[name]).sorted()
        got = _rows((tmp_path / f"{name}.json").read_bytes())
        assert (got.columns, got.rows) == (expected.columns, expected.rows), name


def _check_xml(body: bytes) -> etree._Element:
    found = results_xml.problems(body)  # the schema, then the rules XSD 1.0 cannot state
    assert not found, found
    return etree.fromstring(body)


FORMATS = {
    "application/sparql-results+json": pyoxigraph.QueryResultsFormat.JSON,
    "application/sparql-results+xml": pyoxigraph.QueryResultsFormat.XML,
    "text/tab-separated-values": pyoxigraph.QueryResultsFormat.TSV,
    "text/csv": pyoxigraph.QueryResultsFormat.CSV,
}


@pytest.mark.parametrize("media", list(FORMATS))
def test_select_formats_follow_the_w3c(server: serve_server.Server, media: str) -> None:
    text = ("SELECT ?study ?months ?label WHERE { ?study ibmkg:hasArm/ibmkg:receives ?r . "
            "?r ibmkg:courseDurationMonths ?months . OPTIONAL { ?study rdfs:label ?label } } "
            "ORDER BY ?study ?months")
    status, headers, body = get(query_url(server, text), accept=media)
    assert status == 200 and headers["content-type"].startswith(media)
    _, _, reference_body = get(query_url(server, text), accept="application/sparql-results+json")
    reference = json.loads(reference_body)
    rows = reference["results"]["bindings"]
    assert rows and {"type": "literal", "value": "3.0",
                     "datatype": "http://www.w3.org/2001/XMLSchema#decimal"} in \
        [row["months"] for row in rows]  # lexical form kept, not "3"
    if media == "text/csv":
        lines = body.decode().split("\r\n")
        assert lines[0] == "study,months,label" and lines[-1] == ""
        assert len(lines) == len(rows) + 2 and "3.0" in {ln.split(",")[1] for ln in lines[1:-1]}
        return
    if media.endswith("xml"):
        _check_xml(body)
    if media == "text/tab-separated-values":
        assert body.decode().splitlines()[0] == "?study\t?months\t?label"
    parsed = pyoxigraph.parse_query_results(body, format=FORMATS[media])
    assert isinstance(parsed, pyoxigraph.QuerySolutions)
    terms = [[str(s[v]) if s[v] is not None else None for v in ("study", "months", "label")]
             for s in parsed]
    assert len(terms) == len(rows)
    assert '"3.0"^^<http://www.w3.org/2001/XMLSchema#decimal>' in {t[1] for t in terms}


@pytest.mark.parametrize("media", ["application/sparql-results+json",
                                   "application/sparql-results+xml"])
def test_ask_formats(server: serve_server.Server, media: str) -> None:
    status, _, body = get(query_url(server, "ASK { ?s a ibmkg:Study }"), accept=media)
    assert status == 200
    if media.endswith("xml"):
        _check_xml(body)
    parsed = pyoxigraph.parse_query_results(body, format=FORMATS[media])
    assert isinstance(parsed, pyoxigraph.QueryBoolean) and bool(parsed) is True


@pytest.mark.parametrize(("media", "fmt"), [
    ("text/turtle", pyoxigraph.RdfFormat.TURTLE),
    ("application/ld+json", pyoxigraph.RdfFormat.JSON_LD),
    ("application/n-triples", pyoxigraph.RdfFormat.N_TRIPLES),
    ("application/rdf+xml", pyoxigraph.RdfFormat.RDF_XML),
])
def test_construct_and_describe_formats(server: serve_server.Server, reference: EmbeddedStore,
                                        media: str, fmt: pyoxigraph.RdfFormat) -> None:
    text = "DESCRIBE <https://w3id.org/ibmkg/study/amato-1994>"
    expected = {str(t) for t in reference.construct(text)}
    status, headers, body = get(query_url(server, text), accept=media)
    assert status == 200 and headers["content-type"].startswith(media)
    got = {str(pyoxigraph.Triple(q.subject, q.predicate, q.object))
           for q in pyoxigraph.parse(body, format=fmt)}
    assert got == expected and len(expected) > 10
    construct = "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s a ibmkg:Study ; rdfs:label ?l }"
    status, _, body = get(server.url, data=construct.encode(), accept=media,
                          content_type="application/sparql-query")
    assert status == 200 and len(list(pyoxigraph.parse(body, format=fmt))) == 10


def test_service_description(server: serve_server.Server) -> None:
    status, headers, body = get(server.url, accept="text/turtle")
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    graph = pyoxigraph.Store()
    graph.load(body, format=pyoxigraph.RdfFormat.TURTLE)
    endpoint = graph.query("PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> "
                           "SELECT ?e WHERE { ?s a sd:Service ; sd:endpoint ?e ; "
                           "sd:supportedLanguage sd:SPARQL11Query }")
    assert [str(s["e"].value) for s in endpoint] == [server.url]  # type: ignore[union-attr]


def test_content_negotiation_errors(server: serve_server.Server) -> None:
    assert get(query_url(server, "ASK {}"), accept="image/png")[0] == 406
    assert get(query_url(server, "ASK {}", format="yaml"))[0] == 406
    assert get(server.url, data=b"x=1", content_type="text/plain")[0] == 415
    status, headers, _ = get(query_url(server, "ASK {}"), accept="text/csv;q=0.2, */*;q=0.1")
    assert status == 200 and headers["content-type"].startswith("text/csv")


def test_cors_only_for_the_named_origin(server: serve_server.Server) -> None:
    _, headers, _ = get(query_url(server, "ASK {}"), origin=ORIGIN)
    assert headers.get("access-control-allow-origin") == ORIGIN
    _, headers, _ = get(query_url(server, "ASK {}"), origin="http://other.example.test")
    assert "access-control-allow-origin" not in headers


def test_row_cap_is_flagged(server: serve_server.Server) -> None:
    doubled = "SELECT * WHERE { { ?s ?p ?o } UNION { ?s ?p ?o } }"  # 2 x 4,689 rows
    status, headers, body = get(query_url(server, doubled))
    assert status == 200 and headers.get("x-ibmkg-truncated") == "true"
    assert len(json.loads(body)["results"]["bindings"]) == 5000
    _, headers, _ = get(query_url(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 10"))
    assert "x-ibmkg-truncated" not in headers


def test_hostile_queries_are_refused_and_reach_nobody(server: serve_server.Server) -> None:
    listener = serve_server.listen()
    target = listener.url
    try:
        cases = [
            (query_url(server, f"SELECT * {{ SERVICE <{target}> {{ ?s ?p ?o }} }}"), None, 400),
            (query_url(server, f"SELECT * {{ # x\rSERVICE <{target}> {{ ?s ?p ?o }} }}"),
             None, 400),
            (query_url(server, f"ASK {{ FILTER EXISTS {{ SERVICE SILENT <{target}> {{}} }} }}"),
             None, 400),
            (query_url(server, f"LOAD <{target}>"), None, 400),
            (query_url(server, f"SELECT * FROM <{target}> {{ ?s ?p ?o }}"), None, 400),
            (query_url(server, "ASK {}", **{"default-graph-uri": target}), None, 400),
            (server.url, urllib.parse.urlencode({"update": f"LOAD <{target}>"}).encode(), 403),
            (server.url, f"LOAD <{target}>".encode(), 403),
        ]
        for url, data, expected in cases:
            content = None
            if data is not None:
                content = "application/x-www-form-urlencoded" if data.startswith(b"update=") \
                    else "application/sparql-update"
            status, _, body = get(url, data=data, content_type=content)
            assert status == expected, (url, body)
        assert listener.connections == 0
    finally:
        listener.close()


def test_bomb_is_stopped_and_others_are_served(server: serve_server.Server) -> None:
    outcome: dict[str, object] = {}

    def bomb() -> None:
        started = time.monotonic()
        outcome["status"] = get(query_url(server, BOMB))[0]
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=bomb)
    thread.start()
    time.sleep(0.5)
    answered: list[tuple[int, float]] = []
    while thread.is_alive() and len(answered) < 20:
        started = time.monotonic()
        status, _, body = get(query_url(server, "ASK { ?s a ibmkg:Study }"))
        answered.append((status, time.monotonic() - started))
        assert status == 200 and json.loads(body)["boolean"] is True
    thread.join(30)
    assert outcome["status"] == 503
    assert 2.5 < float(outcome["seconds"]) < 15  # type: ignore[arg-type]
    assert answered and max(seconds for _, seconds in answered) < 2.5
    # the killed worker was replaced: the server still answers
    assert get(query_url(server, "ASK { ?s a ibmkg:Study }"))[0] == 200


def test_query_page_works_offline_in_chromium(server: serve_server.Server) -> None:
    status, _, page = get(f"{server.base}/query")
    assert status == 200 and b"src=" not in page and b'href="http' not in page  # no CDN
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        serve_server.missing("chromium is not installed (apt-get install chromium)")
    text = "SELECT ?study WHERE { ?study a ibmkg:Study } ORDER BY ?study"
    url = f"{server.base}/query?" + urllib.parse.urlencode({"query": text})
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
             "--virtual-time-budget=8000", "--dump-dom", url],
            capture_output=True, timeout=90, check=False)
    dom = done.stdout.decode()
    assert "10 rows in" in dom, done.stderr.decode()[-400:]
    assert dom.count("https://w3id.org/ibmkg/study/") == 10


def _worker_pids(server: serve_server.Server) -> list[int]:
    """The server's query workers: its child processes, read from /proc."""
    pid = server.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="utf-8").split()
    return [int(child) for child in children]


def _open_store_files(pid: int) -> list[str]:
    found = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = str(fd.readlink())
        except OSError:
            continue
        if "/.ibmkg/store-" in target:
            found.append(target)
    return found


def test_in_memory_workers_answer_alike_without_the_store_on_disk(
        tmp_path: Path, reference: EmbeddedStore) -> None:
    """`serve --in-memory`: each worker holds its own copy (no file of the store open) and
    answers every stored query, and a query naming graphs, as the embedded store does."""
    project = tmp_path / "project"
    for name in ("ontology", "kg", "queries"):
        shutil.copytree(_LAYOUT.root / name, project / name)
    shutil.copy(_LAYOUT.root / "pyproject.toml", project / "pyproject.toml")
    running = serve_server.start(project, "--in-memory", "--workers", "2", "--timeout", "20",
                                 "--max-rows", "5000")
    try:
        workers = _worker_pids(running)
        assert len(workers) == 2
        assert all(_open_store_files(pid) == [] for pid in workers)
        catalogue = load_catalogue(_LAYOUT.queries)
        for name in LOCAL:
            text = _text(reference, catalogue[name])
            status, _, body = get(query_url(running, text),
                                  accept="application/sparql-results+json")
            assert status == 200, (name, body[:200])
            assert _rows(body).rows == run_query(reference, catalogue[name]).sorted().rows, name
        graphs = "SELECT ?g WHERE { GRAPH ?g { ?s a ibmkg:Study } } GROUP BY ?g"
        status, _, body = get(query_url(running, graphs), accept="application/sparql-results+json")
        assert status == 200
        assert len(_rows(body).rows) == len(reference.query(graphs).rows) >= 2
    finally:
        running.stop()


def test_default_workers_read_the_store_on_disk(server: serve_server.Server) -> None:
    """The control: without --in-memory the workers have the store's files open."""
    status, _, _ = get(query_url(server, "ASK { ?s ?p ?o }"),
                       accept="application/sparql-results+json")
    assert status == 200
    assert any(_open_store_files(pid) for pid in _worker_pids(server))
