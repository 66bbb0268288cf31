"""The stored query catalogue: strict headers, two parsers, typed parameters, the export."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib.plugins.sparql import prepareQuery

from ibmkg.errors import (
    CurieError,
    InputError,
    QueryHeaderError,
    QueryNotFoundError,
    QueryParameterError,
    QuerySyntaxError,
    UnsafeQueryError,
)
from ibmkg.export.sparql_examples import examples_triples, examples_turtle
from ibmkg.graph_io import parse_turtle
from ibmkg.namespaces import PREFIXES
from ibmkg.paths import Layout
from ibmkg.queries import (
    Param,
    ParamType,
    coerce_param,
    expand_term,
    find_query,
    load_catalogue,
    parse_stored_query,
    run_query,
)
from ibmkg.sparql import add_missing_prefixes
from ibmkg.store.embedded import EmbeddedStore

HEADER = """#+ summary: Which studies?
#+ description: All of them.
#+ keywords: study
#+ columns: study, label
"""
BODY = "SELECT ?study ?label WHERE { ?study rdfs:label ?label }\n"


def header_error(text: str) -> QueryHeaderError:
    with pytest.raises(QueryHeaderError) as info:
        parse_stored_query("q", text, path=Path("queries/q.rq"))
    return info.value


def all_query_files(fixture_layout: Layout, project_layout: Layout) -> list[Path]:
    return sorted([*fixture_layout.queries.rglob("*.rq"), *project_layout.queries.rglob("*.rq")])


class TestHeader:
    def test_valid(self) -> None:
        q = parse_stored_query("q", HEADER + "#+ param: label: string = x -- a label\n" + BODY)
        assert q.summary == "Which studies?" and q.columns == ("study", "label")
        assert q.params == (Param("label", ParamType.STRING, "x", "a label"),)
        assert not q.federated and not q.inferred and q.sparql == BODY

    def test_description_continues(self) -> None:
        text = HEADER.replace("All of them.\n", "All of them,\n#+   on two lines.\n") + BODY
        assert parse_stored_query("q", text).description == "All of them, on two lines."

    @pytest.mark.parametrize(("text", "line", "message"), [
        (HEADER + "#+ colour: red\n" + BODY, 5, "unknown header key 'colour'"),
        (HEADER + "#+ summary: again\n" + BODY, 5, "given twice (first on line 1)"),
        (HEADER.replace("#+ keywords: study\n", "") + BODY, 3, "missing required key 'keywords'"),
        (HEADER.replace("study, label", "label, study") + BODY, 4, "columns say label, study"),
        (HEADER + "#+ param: nope: string -- unused\n" + BODY, 5, "not a variable of the query"),
        (HEADER + "#+ param: label: text -- x\n" + BODY, 5, "unknown parameter type 'text'"),
        (HEADER + "#+ param: label: integer = abc -- x\n" + BODY, 5, "bad default"),
        (HEADER + "#+ param: label string\n" + BODY, 5, "expected 'param: NAME: TYPE"),
        (HEADER + "#+ inferred: yes\n" + BODY, 5, "must be true or false"),
        (HEADER + "#+   stray continuation\n" + BODY, 5, "only the description may continue"),
        (HEADER + "#+ summary:\n" + BODY, 5, "has no value"),
        (HEADER + "#+not a key\n" + BODY, 5, "expected '#+ key: value'"),
        (HEADER + BODY + "#+ keywords: late\n", 6, "must all be at the top"),
        (HEADER + "CONSTRUCT WHERE { ?s ?p ?o }\n", 5, "SELECT queries, not CONSTRUCT"),
        (HEADER + "SELECT * WHERE { ?study rdfs:label ?label }\n", 4, "but the query selects"),
        (HEADER + "SELECT ?study ?label WHERE { SERVICE <http://x/> { ?study ?p ?label } }\n",
         4, "add '#+ federated: true'"),
        (HEADER + "#+ federated: true\n" + BODY, 5, "no SERVICE clause"),
    ])
    def test_malformed(self, text: str, line: int, message: str) -> None:
        error = header_error(text)
        assert (error.path, error.line) == ("queries/q.rq", line)
        assert message in str(error)
        assert str(error).startswith(f"queries/q.rq:{line}: ")

    def test_syntax_error_names_the_file_line(self) -> None:
        with pytest.raises(QuerySyntaxError) as info:
            parse_stored_query("q", HEADER + "SELECT ?study ?label WHERE {\n ?study ?p }\n",
                               path=Path("q.rq"))
        assert info.value.line == 6 and str(info.value).startswith("q.rq:6:")


class TestTwoParsers:
    """Every stored query (fixture and real project) parses in pyoxigraph and rdflib."""

    def test_every_query_parses_in_both(self, fixture_layout: Layout,
                                        project_layout: Layout) -> None:
        files = all_query_files(fixture_layout, project_layout)
        assert len(files) >= 10
        for path in files:
            query = parse_stored_query(path.stem, path.read_text(), path=path)
            text = add_missing_prefixes(query.sparql)
            pyoxigraph.Store().query(text)  # parsed, never iterated
            prepareQuery(text)

    def test_catalogues_load(self, fixture_layout: Layout, project_layout: Layout) -> None:
        assert "checks/study-without-year-violation" in load_catalogue(fixture_layout.queries)
        assert len(load_catalogue(project_layout.queries)) >= 1


class TestFind:
    def test_close_matches(self, fixture_layout: Layout) -> None:
        with pytest.raises(QueryNotFoundError) as info:
            find_query("studes", fixture_layout.queries)
        assert "studies" in info.value.close_matches
        assert "did you mean studies" in str(info.value)

    def test_by_path(self, fixture_layout: Layout) -> None:
        path = fixture_layout.queries / "studies.rq"
        assert find_query(str(path), fixture_layout.queries).name == "studies"

    def test_only_the_requested_file_is_read(self, tmp_path: Path) -> None:
        (tmp_path / "good.rq").write_text(HEADER + BODY)
        (tmp_path / "broken.rq").write_text("#+ nonsense\n")
        assert find_query("good", tmp_path).name == "good"
        with pytest.raises(QueryHeaderError):
            load_catalogue(tmp_path)

    def test_missing_directory_is_empty(self, tmp_path: Path) -> None:
        assert len(load_catalogue(tmp_path / "none")) == 0


class TestParameters:
    @pytest.mark.parametrize(("kind", "raw", "expected"), [
        (ParamType.IRI, "MONDO:0007827", pyoxigraph.NamedNode(PREFIXES["MONDO"] + "0007827")),
        (ParamType.IRI, "<https://w3id.org/ibmkg/study/a>",
         pyoxigraph.NamedNode("https://w3id.org/ibmkg/study/a")),
        (ParamType.IRI, "https://w3id.org/ibmkg/study/a",
         pyoxigraph.NamedNode("https://w3id.org/ibmkg/study/a")),
        (ParamType.CURIE, "HP:0003701", pyoxigraph.NamedNode(PREFIXES["HP"] + "0003701")),
        (ParamType.TERM, "HP:0003701", pyoxigraph.NamedNode(PREFIXES["HP"] + "0003701")),
        (ParamType.TERM, "dysphagia", pyoxigraph.Literal("dysphagia")),
        (ParamType.STRING, " spaced ", pyoxigraph.Literal(" spaced ")),
        (ParamType.INTEGER, "+12", pyoxigraph.Literal("12", datatype=pyoxigraph.NamedNode(
            PREFIXES["xsd"] + "integer"))),
        (ParamType.DECIMAL, "0.5", pyoxigraph.Literal("0.5", datatype=pyoxigraph.NamedNode(
            PREFIXES["xsd"] + "decimal"))),
        (ParamType.BOOLEAN, "yes", pyoxigraph.Literal("true", datatype=pyoxigraph.NamedNode(
            PREFIXES["xsd"] + "boolean"))),
    ])
    def test_coercion(self, kind: ParamType, raw: str, expected: object) -> None:
        assert coerce_param(Param("p", kind, None, "d"), raw) == expected

    @pytest.mark.parametrize(("kind", "raw", "expects"), [
        (ParamType.INTEGER, "12.5", "an integer"),
        (ParamType.DECIMAL, "1e3", "a decimal"),
        (ParamType.BOOLEAN, "maybe", "true or false"),
        (ParamType.IRI, "nope:x", "IRI or a CURIE"),
        (ParamType.IRI, "https://a b", "IRI or a CURIE"),
    ])
    def test_ill_typed(self, kind: ParamType, raw: str, expects: str) -> None:
        with pytest.raises((QueryParameterError, CurieError)) as info:
            coerce_param(Param("p", kind, None, "d"), raw)
        assert "'p'" in str(info.value) or "nope" in str(info.value)
        if isinstance(info.value, QueryParameterError):
            assert expects in str(info.value)

    def test_expand_term(self) -> None:
        assert expand_term("urn:x:y") == "urn:x:y"
        with pytest.raises(CurieError):
            expand_term("unknown:thing")

    def test_missing_and_unknown(self, fixture_layout: Layout,
                                 embedded_fixture_store: EmbeddedStore) -> None:
        query = find_query("study-by-label", fixture_layout.queries)
        with pytest.raises(QueryParameterError, match="'label': is required"):
            run_query(embedded_fixture_store, query, {})
        with pytest.raises(QueryParameterError, match=r"has no such parameter \(it takes: label"):
            run_query(embedded_fixture_store, query, {"lable": "x"})

    def test_defaults_apply(self, fixture_layout: Layout,
                            embedded_fixture_store: EmbeddedStore) -> None:
        query = find_query("studies-larger-than", fixture_layout.queries)
        assert len(run_query(embedded_fixture_store, query)) == 1
        assert len(run_query(embedded_fixture_store, query, {"minimum": "5"})) == 2

    def test_federated_not_run_locally(self, fixture_layout: Layout,
                                       embedded_fixture_store: EmbeddedStore) -> None:
        query = find_query("mondo-federated", fixture_layout.queries)
        with pytest.raises(UnsafeQueryError, match="--endpoint"):
            run_query(embedded_fixture_store, query)

    def test_inferred_needs_the_graph(self, embedded_fixture_store: EmbeddedStore) -> None:
        query = parse_stored_query("q", HEADER + "#+ inferred: true\n" + BODY)
        with pytest.raises(InputError, match="--inferred"):
            run_query(embedded_fixture_store, query)


def test_sparql_examples_export(fixture_layout: Layout) -> None:
    catalogue = load_catalogue(fixture_layout.queries)
    text = examples_turtle(catalogue.values())
    triples = parse_turtle(text)
    assert set(triples) == set(examples_triples(catalogue.values()))
    store = EmbeddedStore()
    store.load(triples, "https://w3id.org/ibmkg/query/")
    rows = store.query("""SELECT ?q ?text ?comment WHERE {
        ?q a sh:SPARQLExecutable, sh:SPARQLSelectExecutable ; sh:select ?text ;
           rdfs:comment ?comment ; schema:target <https://w3id.org/ibmkg/sparql> ;
           dcterms:description ?d ; schema:keywords ?k ; sh:prefixes/sh:declare ?decl .
    }""")
    names = {str(q).rsplit("/query/", 1)[1] for q in rows.column("q")}
    assert names == set(catalogue)
    for text_value in rows.column("text"):  # every exported query runs as it is
        pyoxigraph.Store().query(str(text_value))
