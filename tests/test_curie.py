"""The one prefix map, used everywhere: CURIE expansion and compression, and the JSON-LD context.

Protects: lower-case (Bioregistry-normalized) prefixes are accepted on input and the preferred
spelling is written on output; an unknown prefix or a malformed CURIE is one line naming the
known prefixes (exit code 2 in the CLI); query parameters and result tables go through
:mod:`ibmkg.curie`; ``ontology/context.jsonld`` is in step with the prefix map and ontology.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from click.testing import CliRunner

from ibmkg.cli import cli
from ibmkg.curie import compress, converter, expand, expand_term, known_prefixes, normalize_curie
from ibmkg.errors import CurieError, QueryParameterError
from ibmkg.export.results import display
from ibmkg.graph_io import load_turtle
from ibmkg.jsonld_context import build_context, context_text
from ibmkg.namespaces import PN_LOCAL, PREFIXES
from ibmkg.paths import Layout, find_root
from ibmkg.queries import Param, ParamType, coerce_param
from ibmkg.store.base import IRI

ROOT = find_root(Path(__file__).parent)
LAYOUT = Layout(ROOT)
HP_DYSPHAGIA = "http://purl.obolibrary.org/obo/HP_0002015"
MONDO_IBM = "http://purl.obolibrary.org/obo/MONDO_0007827"


@pytest.mark.parametrize("curie", ["HP:0002015", "hp:0002015", "  HP:0002015 ", "Hp:0002015"])
def test_expand_accepts_preferred_and_lower_case_prefixes(curie: str) -> None:
    if curie.strip().startswith("Hp"):
        with pytest.raises(CurieError):
            expand(curie)
    else:
        assert expand(curie) == HP_DYSPHAGIA


@pytest.mark.parametrize(("curie", "iri"), [
    ("mondo:0007827", MONDO_IBM),
    ("ORDO:611", "http://www.orpha.net/ORDO/Orphanet_611"),
    ("orphanet:611", "http://www.orpha.net/ORDO/Orphanet_611"),
    ("MeSH:D018979", "http://id.nlm.nih.gov/mesh/D018979"),
    ("ibmkg:IVIG", "https://w3id.org/ibmkg/ontology/IVIG"),
    ("ibmkg:", "https://w3id.org/ibmkg/ontology/"),
])
def test_expand_synonyms(curie: str, iri: str) -> None:
    assert expand(curie) == iri


def test_normalize_writes_the_preferred_prefix() -> None:
    assert normalize_curie("ncit:C84786") == "NCIT:C84786"
    assert normalize_curie("ordo:611") == "Orphanet:611"


@pytest.mark.parametrize("prefix", sorted(PREFIXES))
def test_every_prefix_round_trips(prefix: str) -> None:
    curie = f"{prefix}:x1"
    assert compress(expand(curie)) == curie
    assert compress(expand(f"{prefix.lower()}:x1")) == curie


def test_compress_falls_back_to_angle_brackets() -> None:
    assert compress("https://example.org/thing") == "<https://example.org/thing>"
    # a local part that is not a Turtle PN_LOCAL cannot be pasted as a CURIE
    finding = "https://w3id.org/ibmkg/study/dalakas-1997/finding-1"
    assert compress(finding) == f"<{finding}>"
    assert compress(HP_DYSPHAGIA) == "HP:0002015"


def test_compress_is_the_converters_longest_match(project_data: object) -> None:
    """compress() matches the prefix map itself (no curies import): same answers as curies."""
    from ibmkg.graph_io import LoadedData

    assert isinstance(project_data, LoadedData)
    iris = {term.value for t in project_data.triples() for term in (t.subject, t.predicate,
                                                                     t.object)
            if isinstance(term, pyoxigraph.NamedNode)}
    iris |= {f"{ns}x-1" for ns in PREFIXES.values()} | {f"{ns}" for ns in PREFIXES.values()}
    assert len(iris) > 700
    compressed = 0
    for iri in sorted(iris):
        theirs = converter().compress(iri)
        local = theirs.partition(":")[2] if theirs is not None else None
        expected = (theirs if theirs is not None and (not local or PN_LOCAL.fullmatch(local))
                    else f"<{iri}>")
        assert compress(iri) == expected, iri
        compressed += not expected.startswith("<")
    assert compressed > 300  # most of the graph's IRIs have a prefix


@pytest.mark.parametrize(("text", "problem"), [
    ("nope:1", "unknown prefix 'nope'"),
    ("HP0002015", "no ':'"),
    (":0002015", "empty prefix"),
    ("https://example.org/x", "this is an IRI"),
    ("HP:0002 015", "malformed local identifier"),
    ("H P:1", "malformed prefix"),
])
def test_bad_curie_is_one_line_listing_known_prefixes(text: str, problem: str) -> None:
    with pytest.raises(CurieError) as info:
        expand(text)
    message = str(info.value)
    assert problem in message
    assert "\n" not in message
    assert "known prefixes" in message
    for prefix in PREFIXES:
        assert prefix in message.split("known prefixes", 1)[1]


def test_known_prefixes_are_the_prefix_map() -> None:
    assert set(known_prefixes()) == set(PREFIXES)
    assert {record.prefix for record in converter().records} == set(PREFIXES)


def test_expand_term_takes_iris_and_curies() -> None:
    assert expand_term("<https://w3id.org/ibmkg/study/a>") == "https://w3id.org/ibmkg/study/a"
    assert expand_term("https://w3id.org/ibmkg/study/a") == "https://w3id.org/ibmkg/study/a"
    assert expand_term("urn:x-test:1") == "urn:x-test:1"
    assert expand_term("hp:0002015") == HP_DYSPHAGIA


def test_query_parameters_resolve_through_the_converter() -> None:
    iri_param = Param("term", ParamType.IRI, None, "a term")
    curie_param = Param("term", ParamType.CURIE, None, "a term")
    assert coerce_param(iri_param, "hp:0002015") == pyoxigraph.NamedNode(HP_DYSPHAGIA)
    assert coerce_param(curie_param, "mondo:0007827") == pyoxigraph.NamedNode(MONDO_IBM)
    with pytest.raises(QueryParameterError) as info:
        coerce_param(curie_param, "nope:1")
    assert "known prefixes" in str(info.value) and "\n" not in str(info.value)
    with pytest.raises(QueryParameterError):
        coerce_param(curie_param, "<http://purl.obolibrary.org/obo/HP_0002015>")


def test_result_tables_print_curies() -> None:
    assert display(IRI(HP_DYSPHAGIA)) == "HP:0002015"
    assert display(IRI("https://example.org/x")) == "<https://example.org/x>"


# --- the CLI ---------------------------------------------------------------------------------


def test_cli_accepts_a_lower_case_curie_and_prints_curies() -> None:
    run = CliRunner().invoke(cli, ["--root", str(ROOT), "query", "studies-by-external-term",
                                   "--param", "term=hp:0002015"])
    assert run.exit_code == 0, run.output
    assert "outcome:dysphagia" in run.output
    assert "skos:exactMatch" in run.output


def test_cli_unknown_prefix_exits_2_with_one_line() -> None:
    run = CliRunner().invoke(cli, ["--root", str(ROOT), "query", "studies-by-external-term",
                                   "--param", "term=nope:1"])
    assert run.exit_code == 2
    lines = [line for line in run.output.splitlines() if line.strip()]
    assert len(lines) == 1, run.output
    assert "unknown prefix 'nope'" in lines[0] and "MONDO" in lines[0] and "HP" in lines[0]


def test_cli_malformed_curie_exits_2() -> None:
    run = CliRunner().invoke(cli, ["--root", str(ROOT), "query", "findings-by-phenotype",
                                   "--param", "phenotype=HP0002015"])
    assert run.exit_code == 2
    assert "no ':'" in run.output and "known prefixes" in run.output


# --- the JSON-LD context -----------------------------------------------------------------------


def test_context_file_is_in_step_with_prefixes_and_ontology() -> None:
    expected = context_text(load_turtle(LAYOUT.ontology))
    actual = LAYOUT.context.read_text(encoding="utf-8")
    assert actual == expected, "ontology/context.jsonld is stale: run `make context`"


def test_context_has_every_prefix() -> None:
    context = json.loads(LAYOUT.context.read_text(encoding="utf-8"))["@context"]
    for prefix, namespace in PREFIXES.items():
        entry = context[prefix]
        assert (entry if isinstance(entry, str) else entry["@id"]) == namespace


def test_context_short_keys() -> None:
    context = build_context(load_turtle(LAYOUT.ontology))["@context"]
    assert context["label"] == {"@id": "rdfs:label"}
    assert context["patientCount"] == {"@id": "ibmkg:patientCount", "@type": "xsd:integer"}
    assert context["hasArm"] == {"@id": "ibmkg:hasArm", "@type": "@id"}
    assert context["doseValue"] == {"@id": "ibmkg:doseValue", "@type": "xsd:decimal"}
    assert context["quotedText"] == {"@id": "ibmkg:quotedText"}


def test_context_expands_obo_curies_in_json_ld() -> None:
    context = json.loads(LAYOUT.context.read_text(encoding="utf-8"))
    document = {
        **context,
        "@id": "outcome:dysphagia",
        "exactMatch": "HP:0002015",
        "label": "dysphagia",
    }
    graph = rdflib.Graph().parse(data=json.dumps(document), format="json-ld")
    triples = {(str(s), str(p), str(o)) for s, p, o in graph}
    assert (PREFIXES["outcome"] + "dysphagia", PREFIXES["skos"] + "exactMatch",
            HP_DYSPHAGIA) in triples
