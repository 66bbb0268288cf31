"""SPARQL text handling: the lexer, parameter binding and the safety gate."""

from __future__ import annotations

import pyoxigraph
import pytest

from ibmkg.errors import QuerySyntaxError, UnsafeQueryError
from ibmkg.sparql import (
    add_missing_prefixes,
    bind_values,
    check_safe,
    declared_prefixes,
    query_form,
    tokens,
    variables,
)

IRI = pyoxigraph.NamedNode("https://w3id.org/ibmkg/study/a")


def parses(text: str) -> bool:
    pyoxigraph.Store().query(text)
    return True


def test_lexer_skips_strings_iris_and_comments() -> None:
    text = 'SELECT ?x { ?x <http://a#b> "}" . # } comment\n ?x <http://p> \'{\' }'
    braces = [t.text for t in tokens(text) if t.text in "{}"]
    assert braces == ["{", "}"]


@pytest.mark.parametrize(("text", "form"), [
    ("SELECT * {}", "SELECT"), ("prefix a: <http://a/> ask {}", "ASK"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"), ("DESCRIBE <http://a>", "DESCRIBE"),
])
def test_query_form(text: str, form: str) -> None:
    assert query_form(text) == form


def test_query_form_of_an_update() -> None:
    with pytest.raises(QuerySyntaxError, match="no SELECT"):
        query_form("INSERT DATA { <http://a> <http://b> 1 }")


def test_variables_and_prefixes() -> None:
    text = "PREFIX ex: <http://ex/>\nSELECT ?a WHERE { ?a ex:p $b FILTER(?a != '?c') }"
    assert variables(text) == {"a", "b"}
    assert declared_prefixes(text) == {"ex": "http://ex/"}


def test_add_missing_prefixes_only_adds_known_missing_ones() -> None:
    text = "PREFIX ibmkg: <http://other/>\nSELECT ?s { ?s a ibmkg:X ; rdfs:label ?l ; zz:q 1 }"
    out = add_missing_prefixes(text)
    assert out.splitlines()[0] == "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>"
    assert "PREFIX ibmkg: <https://w3id.org" not in out and "zz:" not in out.splitlines()[0]


class TestBinding:
    def test_substitutes_in_nested_groups_and_keeps_projection(self) -> None:
        text = """SELECT ?s ?o (COUNT(?x) AS ?n) WHERE {
            ?s ?p ?o . OPTIONAL { ?o ?q ?x } FILTER NOT EXISTS { ?o a ?t }
        } GROUP BY ?s ?o ORDER BY ?o"""
        out = bind_values(text, {"o": IRI})
        assert out.count(str(IRI)) == 4  # VALUES + three uses in the body
        assert "GROUP BY ?s ?o ORDER BY ?o" in out and "SELECT ?s ?o" in out
        assert parses(out)

    def test_subquery_projection_and_keys_stay_variables(self) -> None:
        text = """SELECT ?o WHERE {
            { SELECT ?o (COUNT(?s) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?o ORDER BY ?o } }"""
        out = bind_values(text, {"o": IRI})
        assert "SELECT ?o (COUNT(?s) AS ?n)" in out and "GROUP BY ?o ORDER BY ?o" in out
        assert f"?s ?p {IRI}" in out
        assert parses(out)

    def test_construct_template_is_left_alone(self) -> None:
        out = bind_values("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"s": IRI})
        assert out.startswith("CONSTRUCT { ?s ?p ?o } WHERE {")
        assert parses(out)

    @pytest.mark.parametrize("text", [
        "SELECT ?x WHERE { BIND(1 AS ?x) }",
        "SELECT ?x WHERE { VALUES ?x { 1 } }",
    ])
    def test_refuses_variables_the_query_assigns(self, text: str) -> None:
        with pytest.raises(QuerySyntaxError, match="assigns"):
            bind_values(text, {"x": pyoxigraph.Literal("1")})

    @pytest.mark.parametrize("payload", [
        'x" } ; DROP ALL ; #', "x' } UNION { ?s ?p ?o } #", '"""', "\\", "}\n#",
        'a") } UNION { ?s <secret> ?t . } } #',
    ])
    def test_payloads_stay_one_literal(self, payload: str) -> None:
        out = bind_values("SELECT ?s WHERE { ?s ?p ?v }", {"v": pyoxigraph.Literal(payload)})
        store = pyoxigraph.Store()
        store.add(pyoxigraph.Quad(IRI, IRI, pyoxigraph.Literal(payload)))
        store.add(pyoxigraph.Quad(IRI, IRI, pyoxigraph.Literal("other")))
        rows = store.query(out)
        assert isinstance(rows, pyoxigraph.QuerySolutions)
        assert [r["s"] for r in rows] == [IRI]

    def test_no_where_group(self) -> None:
        with pytest.raises(QuerySyntaxError, match="WHERE"):
            bind_values("DESCRIBE <http://a>", {"x": IRI})

    def test_refuses_non_terms(self) -> None:
        with pytest.raises(TypeError, match="NamedNode or Literal"):
            bind_values("SELECT * { ?s ?p ?o }", {"s": pyoxigraph.BlankNode()})  # type: ignore[dict-item]


class TestGate:
    @pytest.mark.parametrize(("text", "match"), [
        ("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "SERVICE"),
        ("SELECT * { FILTER EXISTS { service <http://x/> { ?s ?p ?o } } }", "SERVICE"),
        ("SELECT * { \\u0053ERVICE <http://x/> { ?s ?p ?o } }", "escape"),
        ("LOAD <file:///etc/passwd>", "update"),
        ("DROP ALL", "update"),
    ])
    def test_refused(self, text: str, match: str) -> None:
        with pytest.raises(UnsafeQueryError, match=match):
            check_safe(text)

    def test_words_in_strings_iris_and_names_are_fine(self) -> None:
        check_safe('SELECT * { ?s <http://x/SERVICE> "DROP ALL \\u00e9" ; ex:load ?delete }')

    def test_service_allowed_for_federated_queries(self) -> None:
        check_safe("SELECT * { SERVICE <http://x/> { ?s ?p ?o } }", allow_service=True)
