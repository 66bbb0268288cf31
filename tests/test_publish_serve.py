"""Content negotiation over real HTTP against ``ibmkg site --serve`` (a real process)."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlparse

import pyoxigraph
import pytest

from ibmkg.publish import jsonld
from site_fixtures import Served

STUDY = "/study/cherin-2002"
_PARSERS = {"text/turtle": pyoxigraph.RdfFormat.TURTLE,
            "application/n-triples": pyoxigraph.RdfFormat.N_TRIPLES,
            "application/rdf+xml": pyoxigraph.RdfFormat.RDF_XML}


def _get(served: Served, path: str, accept: str | None = None,
         method: str = "GET") -> http.client.HTTPResponse:
    url = urlparse(served.base)
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=10)
    headers = {"Accept": accept} if accept else {}
    connection.request(method, path, headers=headers)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def _body(served: Served, path: str) -> tuple[str, bytes]:
    url = urlparse(served.base)
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    connection.close()
    assert response.status == 200, path
    return response.getheader("Content-Type") or "", body


@pytest.mark.parametrize(("accept", "extension"), [
    ("text/turtle", ".ttl"),
    ("application/ld+json", ".jsonld"),
    ("application/n-triples", ".nt"),
    ("application/rdf+xml", ".rdf"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", ".html"),
    ("*/*", ".html"),
    (None, ".html"),
])
def test_each_media_type_is_redirected_to_its_file_and_served_with_its_type(
        site_server: Served, accept: str | None, extension: str) -> None:
    response = _get(site_server, STUDY, accept)
    assert response.status == 303
    location = response.getheader("Location")
    assert location == STUDY + extension
    assert "Accept" in (response.getheader("Vary") or "")
    content_type, body = _body(site_server, location)
    media = accept.split(",")[0] if accept and "html" not in accept and accept != "*/*" \
        else "text/html"
    assert content_type.split(";")[0] == media
    subject = pyoxigraph.NamedNode("https://w3id.org/ibmkg/study/cherin-2002")
    if media in _PARSERS:
        triples = list(pyoxigraph.parse(body, format=_PARSERS[media]))
        assert subject in {t.subject for t in triples}
    elif media == "application/ld+json":
        triples = jsonld.expand_to_triples(json.loads(body))
        assert subject in {t.subject for t in triples}
    else:
        assert b"<h1>Cherin et al. 2002</h1>" in body


@pytest.mark.parametrize(("query", "extension"), [
    ("format=ttl", ".ttl"), ("format=jsonld", ".jsonld"), ("format=nt", ".nt"),
    ("format=rdf", ".rdf"), ("format=html", ".html"), ("format=TURTLE", ".ttl"),
])
def test_format_parameter_overrides_the_accept_header(site_server: Served, query: str,
                                                      extension: str) -> None:
    response = _get(site_server, f"{STUDY}?{query}", "text/html")
    assert response.status == 303
    assert response.getheader("Location") == STUDY + extension


def test_the_base_iri_and_slash_iris_map_to_index_files(site_server: Served) -> None:
    assert _get(site_server, "/", "text/turtle").getheader("Location") == "/index.ttl"
    assert _get(site_server, "/ontology/").getheader("Location") == "/ontology/index.html"
    content_type, body = _body(site_server, "/index.ttl")
    assert content_type.startswith("text/turtle") and b"void:Dataset" in body


def test_existing_files_are_served_directly(site_server: Served) -> None:
    content_type, body = _body(site_server, "/.well-known/void")
    assert content_type == "text/turtle; charset=utf-8" and b"dcat:Dataset" in body
    content_type, _ = _body(site_server, "/evidence-map.svg")
    assert content_type.startswith("image/svg+xml")
    content_type, _ = _body(site_server, "/mappings.sssom.tsv")
    assert content_type.startswith("text/tab-separated-values")


def test_paths_outside_the_site_and_unknown_files_are_not_served(site_server: Served) -> None:
    assert _get(site_server, "/../../etc/passwd").status in (303, 404)
    assert _get(site_server, "/%2e%2e/%2e%2e/etc/passwd", "text/turtle").getheader(
        "Location", "").endswith(".ttl")
    assert _get(site_server, "/study/nobody.ttl").status == 404  # never x.ttl.ttl
    response = _get(site_server, "/study/nobody-2000")
    assert response.status == 303
    assert _get(site_server, response.getheader("Location") or "").status == 404
    assert _get(site_server, STUDY, method="POST").status == 405
