"""The canonical Turtle writer: lossless, deterministic, readable; and `ibmkg canon`."""

from __future__ import annotations

import random
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ibmkg.canonical import canon_files, canonical_trig, canonical_turtle, leading_comments
from ibmkg.errors import InputError, RdfSyntaxError
from ibmkg.graph_io import parse_turtle
from ibmkg.paths import Layout, kg_files, shape_files

XSD = "http://www.w3.org/2001/XMLSchema#"
EX = "https://w3id.org/ibmkg/study/"
S = pyoxigraph.NamedNode(EX + "s")
P = pyoxigraph.NamedNode("https://w3id.org/ibmkg/ontology/p")


def canon_set(triples: list[pyoxigraph.Triple]) -> set[pyoxigraph.Quad]:
    """The graph after RDFC-1.0 blank node relabelling, to compare graphs with blank nodes."""
    dataset = pyoxigraph.Dataset(pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples)
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)
    return set(dataset)


def assert_round_trip(triples: list[pyoxigraph.Triple]) -> str:
    text = canonical_turtle(triples)
    again = parse_turtle(text)
    assert canon_set(again) == canon_set(triples), text
    assert canonical_turtle(again) == text, "not idempotent"
    return text


# --- property-based round trips ---------------------------------------------------------------

texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
languages = st.sampled_from(["en", "fr", "de", "en-gb", "pt-br", "zh-hant", "es-419"])
decimals = st.decimals(allow_nan=False, allow_infinity=False, places=4).map(str)
doubles = st.floats(allow_nan=False, allow_infinity=False).map(repr)
integers = st.integers(min_value=-(10**30), max_value=10**30).map(str)
locals_ = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.\-]{0,12}", fullmatch=True)


@st.composite
def literals(draw: st.DrawFn) -> pyoxigraph.Literal:
    kind = draw(st.sampled_from(["string", "lang", "integer", "decimal", "double", "boolean",
                                 "date"]))
    if kind == "string":
        return pyoxigraph.Literal(draw(texts))
    if kind == "lang":
        return pyoxigraph.Literal(draw(texts), language=draw(languages))
    lexical = {
        "integer": integers, "decimal": decimals, "double": doubles,
        "boolean": st.sampled_from(["true", "false", "1", "0"]),
        "date": st.dates().map(str),
    }[kind]
    return pyoxigraph.Literal(draw(lexical), datatype=pyoxigraph.NamedNode(XSD + kind))


@st.composite
def graphs(draw: st.DrawFn) -> list[pyoxigraph.Triple]:
    subjects = [pyoxigraph.NamedNode(EX + draw(locals_)) for _ in range(draw(st.integers(1, 3)))]
    predicates = [pyoxigraph.NamedNode("https://w3id.org/ibmkg/ontology/" + draw(locals_)),
                  pyoxigraph.NamedNode("http://ex.org/p#" + draw(locals_)),
                  pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")]
    objects = st.one_of(literals(), st.sampled_from(subjects),
                        st.builds(lambda s: pyoxigraph.NamedNode("http://ex.org/o/" + s), locals_))
    return [pyoxigraph.Triple(draw(st.sampled_from(subjects)), draw(st.sampled_from(predicates)),
                              draw(objects)) for _ in range(draw(st.integers(1, 8)))]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_round_trip(triples: list[pyoxigraph.Triple]) -> None:
    assert_round_trip(triples)


@settings(max_examples=300, deadline=None)
@given(texts)
def test_any_string_round_trips_exactly(text: str) -> None:
    assert_round_trip([pyoxigraph.Triple(S, P, pyoxigraph.Literal(text))])


@settings(max_examples=50, deadline=None)
@given(graphs(), st.randoms(use_true_random=False))
def test_order_of_input_does_not_matter(triples: list[pyoxigraph.Triple],
                                        rnd: random.Random) -> None:
    shuffled = list(triples)
    rnd.shuffle(shuffled)
    assert canonical_turtle(shuffled) == canonical_turtle(triples)


# --- lexical forms and layout ---------------------------------------------------------------


@pytest.mark.parametrize(("lexical", "datatype", "written"), [
    ("007", "integer", "007"),
    ("0.123456789012345", "double", '"0.123456789012345"^^xsd:double'),
    ("1.2345678901234567e-300", "double", "1.2345678901234567e-300"),
    ("1.50", "decimal", "1.50"),
    ("1.", "decimal", '"1."^^xsd:decimal'),
    ("true", "boolean", "true"),
    ("1", "boolean", '"1"^^xsd:boolean'),
    ("12O", "integer", '"12O"^^xsd:integer'),
])
def test_literals_keep_their_lexical_form(lexical: str, datatype: str, written: str) -> None:
    literal = pyoxigraph.Literal(lexical, datatype=pyoxigraph.NamedNode(XSD + datatype))
    text = assert_round_trip([pyoxigraph.Triple(S, P, literal)])
    assert text.rstrip().endswith(f" {written} .")


def test_decimal_values_survive() -> None:
    literal = pyoxigraph.Literal(str(Decimal("12.3400")),
                                 datatype=pyoxigraph.NamedNode(XSD + "decimal"))
    assert "12.3400" in assert_round_trip([pyoxigraph.Triple(S, P, literal)])


def test_quotes_newlines_and_unicode() -> None:
    values = ['say "hi"', 'ends with "', "a\nb", 'a\n"""b"""\n"', "tab\there", "\\back",
              "é – ü 漢字 🎉", "\r\n", "\x00\x1f\x7f"]
    assert_round_trip([pyoxigraph.Triple(S, P, pyoxigraph.Literal(v)) for v in values])


def test_long_strings_only_when_multiline() -> None:
    text = canonical_turtle([pyoxigraph.Triple(S, P, pyoxigraph.Literal("one line")),
                             pyoxigraph.Triple(S, P, pyoxigraph.Literal("two\nlines"))])
    assert '"one line"' in text and '"""two\nlines"""' in text


def test_curies_only_for_valid_local_names() -> None:
    text = canonical_turtle([
        pyoxigraph.Triple(S, P, pyoxigraph.NamedNode(EX + "a/b")),
        pyoxigraph.Triple(S, P, pyoxigraph.NamedNode("http://purl.obolibrary.org/obo/HP_0003701")),
        pyoxigraph.Triple(S, P, pyoxigraph.NamedNode(EX + "ends.")),
    ])
    assert f"<{EX}a/b>" in text and "HP:0003701" in text and f"<{EX}ends.>" in text


def test_layout() -> None:
    text = canonical_turtle(parse_turtle(f"""
        <{EX}b> <http://www.w3.org/2000/01/rdf-schema#label> "B" ; a <{EX}T> , <{EX}A> .
        <{EX}a> <http://www.w3.org/2000/01/rdf-schema#label> "A" .
    """), header="Generated; do not edit")
    assert text == f"""# Generated; do not edit

@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix study: <{EX}> .

study:a rdfs:label "A" .

study:b a study:A, study:T ;
    rdfs:label "B" .
"""


def test_only_used_prefixes_sorted() -> None:
    text = canonical_turtle([pyoxigraph.Triple(S, P, pyoxigraph.NamedNode(
        "http://purl.obolibrary.org/obo/MONDO_0007827"))])
    prefixes = [line.split()[1] for line in text.splitlines() if line.startswith("@prefix")]
    assert prefixes == ["ibmkg:", "MONDO:", "study:"]


# --- blank nodes ----------------------------------------------------------------------------


def test_blank_nodes_inline_lists_and_cycles() -> None:
    triples = parse_turtle(f"""
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <{EX}shape> sh:property [ sh:path ( <{EX}a> <{EX}b> ) ; sh:in ( 1 "x" ) ],
                                [ sh:path [ sh:inversePath <{EX}c> ] ] .
        _:x <{EX}p> _:y . _:y <{EX}p> _:x .
        _:shared <{EX}q> 1 . <{EX}m> <{EX}r> _:shared . <{EX}n> <{EX}r> _:shared .
        [ <{EX}anonymous> "yes" ] .
        <{EX}empty> <{EX}p> () , [] .
    """)
    text = assert_round_trip(triples)
    assert "( study:a study:b )" in text and "[ sh:inversePath study:c ]" in text
    assert "_:c14n" in text  # cycle and shared node keep labels


def test_blank_node_labels_do_not_depend_on_input_labels() -> None:
    one = parse_turtle(f"_:a <{EX}p> _:b . _:b <{EX}p> _:a .")
    two = parse_turtle(f"_:zz <{EX}p> _:yy . _:yy <{EX}p> _:zz .")
    assert canonical_turtle(one) == canonical_turtle(two)


def test_rdf_star_is_refused() -> None:
    quoted = pyoxigraph.Triple(S, P, pyoxigraph.Literal("x"))
    with pytest.raises(InputError, match="RDF-star"):
        canonical_turtle([pyoxigraph.Triple(S, P, quoted)])


def test_trig_keeps_graphs_apart() -> None:
    text = canonical_trig({EX + "g1": parse_turtle(f"_:b <{EX}p> 1 ."),
                           EX + "g2": parse_turtle(f"_:b <{EX}p> 1 .")})
    quads = list(pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.TRIG))
    assert len(quads) == 2
    assert quads[0].subject != quads[1].subject  # one blank node per graph


# --- files -------------------------------------------------------------------------------------


def test_leading_comments() -> None:
    assert leading_comments("# a\n#\n# b\n\n<x:a> <x:b> 1 .\n# not this\n") == "# a\n#\n# b"
    assert leading_comments("<x:a> <x:b> 1 .\n") == ""


def test_canon_files_check_and_write(tmp_path: Path) -> None:
    path = tmp_path / "x.ttl"
    path.write_text(f"# kept\n<{EX}b> <{EX}p> 2 . <{EX}a> <{EX}p> 1 .\n")
    assert canon_files([path], write=False)[0].changed
    assert f"<{EX}b> <{EX}p> 2 . <{EX}a>" in path.read_text()  # untouched
    canon_files([path], write=True)
    assert path.read_text().startswith("# kept\n\n@prefix")
    assert not canon_files([path], write=False)[0].changed


def test_canon_files_stops_on_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text("<a b> <x:p> 1 .\n")
    with pytest.raises(RdfSyntaxError, match=r"bad\.ttl:1:"):
        canon_files([path], write=True)
    assert path.read_text() == "<a b> <x:p> 1 .\n"


def test_committed_turtle_is_canonical(project_layout: Layout) -> None:
    """The hand-edited Turtle is committed in canonical form; `make canon` fixes it."""
    paths = [project_layout.ontology, *shape_files(project_layout), *kg_files(project_layout)]
    stale = [project_layout.relative(r.path).as_posix()
             for r in canon_files([p for p in paths if p.is_file()], write=False) if r.changed]
    assert not stale, f"not in canonical form: {', '.join(stale)}; run `make canon`"
