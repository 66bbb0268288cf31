"""The static site of the real project: pages, RDF files, index, metadata, bad input."""

from __future__ import annotations

import html.parser
import json
import re
import shutil
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pyoxigraph
import pytest
from pyshacl import validate as shacl_validate
from rdflib.compare import isomorphic

from ibmkg.errors import RdfSyntaxError
from ibmkg.graph_io import LoadedData, load_project, to_rdflib_graph
from ibmkg.namespaces import BASE
from ibmkg.paths import Layout
from ibmkg.publish import jsonld
from ibmkg.publish.metadata import dataset_shape
from ibmkg.publish.resources import ResourceIndex, page_path
from ibmkg.publish.site import build_site, resource_files
from site_fixtures import BuiltSite

FINDING = "https://w3id.org/ibmkg/study/cherin-2002/finding-1"
_FORMATS = {".ttl": pyoxigraph.RdfFormat.TURTLE, ".nt": pyoxigraph.RdfFormat.N_TRIPLES,
            ".rdf": pyoxigraph.RdfFormat.RDF_XML}


def _subjects(data: LoadedData) -> list[str]:
    return sorted({t.subject.value for t in data.triples()
                   if isinstance(t.subject, pyoxigraph.NamedNode)
                   and t.subject.value.startswith(BASE)})


def _parse(path: Path) -> list[pyoxigraph.Triple]:
    if path.suffix == ".jsonld":
        return jsonld.expand_to_triples(json.loads(path.read_text("utf-8")))
    return list(pyoxigraph.parse(path.read_bytes(), format=_FORMATS[path.suffix]))


def test_every_subject_under_the_base_has_a_page_and_four_isomorphic_rdf_files(
        built_site: BuiltSite, project_data: LoadedData) -> None:
    subjects = _subjects(project_data)
    assert len(subjects) == built_site.result.pages > 400
    index = ResourceIndex.from_triples(project_data.triples())
    for iri in subjects:
        files = resource_files(iri)
        expected = to_rdflib_graph(index.description(iri))
        for name in files:
            path = built_site.out / name
            assert path.is_file(), f"{iri}: {name} missing"
            if path.suffix == ".html":
                continue
            got = to_rdflib_graph(_parse(path))
            assert isomorphic(got, expected), f"{name} is not the description of <{iri}>"


def test_a_finding_page_shows_labels_quotes_the_column_and_incoming_links(
        built_site: BuiltSite) -> None:
    page = (built_site.out / "study/cherin-2002/finding-1.html").read_text("utf-8")
    assert "<h1>Dysphagia ameliorated in all four patients</h1>" in page
    assert "<blockquote>Dysphagia was ameliorated in all patients.</blockquote>" in page
    assert "Table I, column Key results</a>" in page
    assert '<a href="../cherin-2002.html">Cherin et al. 2002</a>' in page  # incoming link
    assert 'href="../../vocab/outcome/dysphagia.html">dysphagia</a>' in page
    embedded = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert embedded is not None
    triples = jsonld.expand_to_triples(json.loads(embedded.group(1)))
    assert pyoxigraph.NamedNode(FINDING) in {t.subject for t in triples}


def test_ontology_terms_link_to_the_pylode_documentation(built_site: BuiltSite) -> None:
    page = (built_site.out / "ontology/EffectFinding.html").read_text("utf-8")
    link = re.search(r'href="doc.html#([^"]+)"', page)
    assert link is not None
    doc = (built_site.out / "ontology/doc.html").read_text("utf-8")
    section = re.search(f'id="{link.group(1)}">.*?</table>', doc, re.S)
    assert section is not None
    assert "<code>https://w3id.org/ibmkg/ontology/EffectFinding</code>" in section.group(0)


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.targets.append(value)


def test_no_broken_links_in_any_page(built_site: BuiltSite) -> None:
    checked = 0
    for page in built_site.out.rglob("*.html"):
        if page.name == "doc.html":
            continue  # pyLODE's page links to external IRIs only
        parser = _Links()
        parser.feed(page.read_text("utf-8"))
        for target in parser.targets:
            url = urlparse(target)
            if url.scheme or target.startswith("#"):
                continue
            path = urldefrag(target)[0]
            resolved = (page.parent / path).resolve()
            assert resolved.is_file(), f"{page.relative_to(built_site.out)}: broken {target}"
            checked += 1
    assert checked > 5000


def test_index_has_table_pictures_conclusions_answers_downloads_and_licence(
        built_site: BuiltSite) -> None:
    index = (built_site.out / "index.html").read_text("utf-8")
    table = re.search(r'<section id="table1">.*?</section>', index, re.S)
    assert table is not None
    assert table.group(0).count('<tr><td><a href="study/') == 10  # one row per study
    assert '<img src="evidence-map.svg" alt="Evidence map of 23 findings' in index
    assert '<img src="timeline.svg" alt="Timeline of 10 studies from 1993 to 2017' in index
    assert "we believe that the use of IVIG in clinical practice" in index
    dysphagia = re.search(r'<details id="q-dysphagia-improvement">.*?</details>', index, re.S)
    assert dysphagia is not None and "2 row(s)" in dysphagia.group(0)
    assert "Cherin et al. 2002" in dysphagia.group(0)
    assert 'href="downloads/kg.ttl"' in index and 'href="downloads/queries.ttl"' in index
    assert "https://creativecommons.org/licenses/by/4.0/" in index
    assert "Fontanelli L, Vadi G, Schirinzi E, Di Rauso G, Bellini G, Ricci G, Siciliano G." \
        in index
    schema = json.loads(re.findall(r'<script type="application/ld\+json">(.*?)</script>',
                                   index, re.S)[0])
    assert schema["@type"] == "Dataset" and schema["license"].endswith("/by/4.0/")
    assert {d["contentUrl"] for d in schema["distribution"]} >= {f"{BASE}downloads/kg.ttl"}


def test_pictures_are_svg_with_a_title_and_description(built_site: BuiltSite) -> None:
    for name in ("evidence-map.svg", "timeline.svg"):
        svg = (built_site.out / name).read_text("utf-8")
        assert svg.lstrip().startswith("<?xml") and "<svg" in svg
        assert "<dc:description>" in svg and "<dc:title>" in svg
    evidence = (built_site.out / "evidence-map.svg").read_text("utf-8")
    assert "#0072b2" in evidence.lower() and "#e69f00" in evidence.lower()  # Okabe-Ito


def test_void_and_dcat_conform_to_the_shape_written_from_the_specs(
        built_site: BuiltSite, project_data: LoadedData) -> None:
    text = (built_site.out / ".well-known" / "void").read_text("utf-8")
    assert text == (built_site.out / "downloads" / "void.ttl").read_text("utf-8")
    data = to_rdflib_graph(pyoxigraph.parse(text.encode(), format=pyoxigraph.RdfFormat.TURTLE))
    shapes = to_rdflib_graph(dataset_shape())
    conforms, _, report = shacl_validate(data, shacl_graph=shapes)
    assert conforms, report
    assert f"void:triples {len(set(project_data.triples()))} ;" in text
    size = (built_site.out / "downloads/kg.ttl").stat().st_size
    assert f'dcat:byteSize "{size}"^^xsd:nonNegativeInteger' in text


def test_the_dataset_shape_catches_a_missing_licence_and_a_bad_media_type(
        built_site: BuiltSite) -> None:
    text = (built_site.out / ".well-known" / "void").read_text("utf-8")
    broken = re.sub(r"\n    dcterms:license <[^>]+> ;", "", text, count=1)
    broken = broken.replace("media-types/text/turtle", "media-types/turtle", 1)
    data = to_rdflib_graph(pyoxigraph.parse(broken.encode(), format=pyoxigraph.RdfFormat.TURTLE))
    conforms, graph, _ = shacl_validate(data, shacl_graph=to_rdflib_graph(dataset_shape()))
    assert not conforms
    messages = {str(m) for m in graph.objects(None, pyshacl_message())}
    assert any("licence" in m for m in messages) and any("media type" in m for m in messages)


def pyshacl_message() -> object:
    from rdflib import SH

    return SH.resultMessage


def test_downloaded_kg_jsonld_uses_curies(built_site: BuiltSite) -> None:
    # the round trip to kg.nt is proven on the build's kg.jsonld in test_publish_export.py
    text = (built_site.out / "downloads" / "kg.jsonld").read_text("utf-8")
    assert '"hasArm": "study:foreman-2017/arm-ivig"' in text
    assert '"https://w3id.org/ibmkg/study/foreman-2017/arm-ivig"' not in text
    assert '"@value": "0.6"' in text


def test_content_negotiation_rules_cover_every_variant(built_site: BuiltSite) -> None:
    htaccess = (built_site.out / ".htaccess").read_text("utf-8")
    nginx = (built_site.out / "downloads/nginx.conf").read_text("utf-8")
    for media, ext in (("text/turtle", ".ttl"), ("application/ld\\+json", ".jsonld"),
                       ("application/n-triples", ".nt"), ("application/rdf\\+xml", ".rdf")):
        assert f"RewriteCond %{{HTTP_ACCEPT}} {media} [NC]" in htaccess
        assert f"$1{ext} [R=303,L,QSD]" in htaccess
        assert f"~*{media.replace(chr(92) + '+', '[+]')} {ext};" in nginx
    assert htaccess.startswith("# Generated by `ibmkg site`")


def _copy_fixture(fixture_layout: Layout, tmp_path: Path) -> Layout:
    root = tmp_path / "project"
    shutil.copytree(fixture_layout.root, root)
    return Layout(root)


def test_bad_input_falls_back_to_curies_with_one_warning_each(
        fixture_layout: Layout, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    layout = _copy_fixture(fixture_layout, tmp_path)
    (layout.studies / "zz-bad-1999.ttl").write_text(
        "@prefix ibmkg: <https://w3id.org/ibmkg/ontology/> .\n"
        "<https://w3id.org/ibmkg/study/zz-bad-1999> a ibmkg:Study ;\n"
        '    ibmkg:quotedText "Quoted"@xx ;\n'
        "    ibmkg:condition <http://example.org/elsewhere/thing> .\n", encoding="utf-8")
    out = tmp_path / "site"
    result = build_site(layout, out, ontology_docs=False, modified="2026-11-30")
    page = (out / "study/zz-bad-1999.html").read_text("utf-8")
    assert "<h1>study:zz-bad-1999</h1>" in page
    assert '<span>Quoted</span>' in page and 'lang="xx"' not in page
    assert 'href="http://example.org/elsewhere/thing"' in page
    joined = "\n".join(result.warnings)
    assert "no label; shown by their CURIE: study:zz-bad-1999" in joined
    assert 'unknown language tag; shown without the tag: "Quoted"@xx' in joined
    assert "<http://example.org/elsewhere/thing>" in joined
    assert sum("zz-bad" in w for w in result.warnings) == 1  # one warning for the node
    assert any("no label" in r.getMessage() for r in caplog.records)


def test_a_failing_build_leaves_the_previous_site(fixture_layout: Layout, tmp_path: Path,
                                                  ) -> None:
    layout = _copy_fixture(fixture_layout, tmp_path)
    out = tmp_path / "site"
    build_site(layout, out, ontology_docs=False, modified="2026-11-30")
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (layout.studies / "broken.ttl").write_text("<https://w3id.org/ibmkg/study/x> a .\n")
    with pytest.raises(RdfSyntaxError):
        build_site(layout, out, ontology_docs=False, modified="2026-11-30")
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not list(tmp_path.glob("site.tmp-*"))


def test_page_paths_refuse_iris_that_are_not_file_names() -> None:
    assert page_path(f"{BASE}study/a#x") is None
    assert page_path(f"{BASE}study/../../etc") is None
    assert page_path(f"{BASE}.well-known/void") is None
    assert page_path(f"{BASE}vocab/measure/") == "vocab/measure/index"


def test_the_fixture_project_builds_without_a_context(fixture_layout: Layout,
                                                       tmp_path: Path) -> None:
    layout = _copy_fixture(fixture_layout, tmp_path)
    layout.context.unlink(missing_ok=True)
    result = build_site(layout, tmp_path / "site", ontology_docs=False, modified="2026-11-30")
    assert result.pages == len(_subjects(load_project(layout)))


def test_site_command_writes_the_site_and_reports_it(fixture_layout: Layout,
                                                     tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ibmkg.cli import cli

    layout = _copy_fixture(fixture_layout, tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["--root", str(layout.root), "site", str(out),
                                      "--no-ontology-docs",
                                      "--sparql-endpoint", "https://example.org/sparql",
                                      "--site-url", "https://example.org/ibmkg"])
    assert result.exit_code == 0, result.output
    assert "pages     " in result.output and (out / "index.html").is_file()
    void = (out / ".well-known" / "void").read_text("utf-8")
    assert "void:sparqlEndpoint <https://example.org/sparql>" in void
    w3id = (out / "downloads" / "w3id.htaccess").read_text("utf-8")
    assert "RewriteRule ^(.+)$ https://example.org/ibmkg/$1.ttl [R=303,L,QSD]" in w3id
    assert "site  " in CliRunner().invoke(cli, ["--help"]).output
