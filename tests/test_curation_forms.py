"""The study form: lossless both ways for the ten studies, safe YAML, teaching errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib.compare import isomorphic

from fixtures_curation import DATA, PROJECT, SLUGS
from ibmkg.canonical import canonical_turtle
from ibmkg.curation import Vocabulary, read_form_text, study_from_triples, study_to_triples
from ibmkg.curation.describe import read_study, study_yaml
from ibmkg.curation.rdf import form_dict
from ibmkg.errors import CurationError
from ibmkg.graph_io import load_turtle, to_rdflib_graph
from ibmkg.paths import Layout

LAYOUT = Layout(PROJECT)


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.from_layout(LAYOUT)


def test_ten_studies() -> None:
    assert len(SLUGS) == 10


@pytest.mark.parametrize("slug", SLUGS)
def test_rdf_to_form_to_rdf_is_lossless(slug: str, vocab: Vocabulary) -> None:
    path = LAYOUT.studies / f"{slug}.ttl"
    triples = load_turtle(path)
    study = study_from_triples(slug, triples, vocab)
    again, problems = study_to_triples(study, vocab)
    assert problems == []
    assert isomorphic(to_rdflib_graph(triples), to_rdflib_graph(again))
    # The writer's canonical form is the committed file, byte for byte.
    assert canonical_turtle(again) == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("slug", SLUGS)
def test_describe_yaml_reads_back_to_the_same_form(slug: str, vocab: Vocabulary) -> None:
    study = read_study(slug, LAYOUT, vocab)
    text = study_yaml(study)
    assert read_form_text(text, display=f"{slug}.yaml") == study


def test_a_triple_the_form_cannot_hold_is_refused(vocab: Vocabulary) -> None:
    path = LAYOUT.studies / "cherin-2002.ttl"
    text = path.read_text(encoding="utf-8") + \
        "study:cherin-2002 ibmkg:totallyMadeUp 42 .\n"
    from ibmkg.graph_io import parse_turtle

    with pytest.raises(ValueError, match="totallyMadeUp"):
        study_from_triples("cherin-2002", parse_turtle(text), vocab)


def problems_of(text: str) -> list[str]:
    with pytest.raises(CurationError) as info:
        read_form_text(text, display="s.yaml", vocab=Vocabulary.from_layout(LAYOUT))
    return [str(p) for p in info.value.problems]


BASE = "slug: doe-2030\nlabel: Doe\npublication:\n  title: T\n"


class TestSafeYaml:
    def test_implicit_boolean_is_an_error_at_its_line(self) -> None:
        assert problems_of(BASE + "design:\n  randomised: NO\n") == [
            "s.yaml:6:3: design.randomised: found 'NO', expected true, false or not reported"]

    def test_implicit_float_stays_text(self) -> None:
        study = read_form_text(BASE + "  volume: 1.10\n", display="s.yaml")
        assert study.publication.volume == "1.10"

    def test_duplicate_key(self) -> None:
        assert problems_of(BASE + "label: again\n") == [
            "s.yaml:5:6: duplicate key 'label'; keep one of them"]

    def test_custom_tag(self) -> None:
        [problem] = problems_of(BASE + "patients: !!python/object:os.system 1\n")
        assert problem.startswith("s.yaml:5:") and "tags are not allowed" in problem

    def test_alias_bomb(self) -> None:
        bomb = "a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n"
        [problem] = problems_of(bomb)
        assert problem.startswith("s.yaml:1:") and "not allowed" in problem

    def test_anchor_and_alias(self) -> None:
        [problem] = problems_of(BASE + "label2: &x y\nlabel3: *x\n")
        assert "s.yaml:5:" in problem and "anchors and aliases are not allowed" in problem

    def test_every_problem_at_once_with_lines(self) -> None:
        text = BASE + "patients: 2024-01-05\nlable: x\nfindings:\n  - direction: better\n" \
            "    responders: many\n"
        assert problems_of(text) == [
            "s.yaml:5:1: patients: found '2024-01-05', which looks like a date a spreadsheet "
            "made of a count; expected a whole number such as 12 (format the cell as text)",
            "s.yaml:6:1: lable: unknown field; did you mean 'label'?",
            "s.yaml:8:5: findings.0.direction: found 'better', not a known direction; expected "
            "one of Improved, NoEffect, PositiveTrend, Worsened",
            "s.yaml:9:5: findings.0.responders: found 'many', expected a whole number such as "
            "12",
        ]

    def test_missing_field(self) -> None:
        assert problems_of("slug: doe-2030\nlabel: Doe\n") == [
            "s.yaml:1:1: publication: missing; add 'publication:' here"]


class TestValues:
    @pytest.mark.parametrize("given", ["dysphagia", "HP:0002015", "swallowing function",
                                       "outcome:dysphagia", "Dysphagia",
                                       "https://w3id.org/ibmkg/vocab/outcome/dysphagia"])
    def test_label_synonym_or_curie(self, vocab: Vocabulary, given: str) -> None:
        assert vocab.resolve("outcome", given).short == "dysphagia"

    def test_did_you_mean(self, vocab: Vocabulary) -> None:
        assert vocab.suggest("outcome", "dysfagia") == ["dysphagia"]
        assert vocab.suggest("dose-unit", "gram per kilogram") == ["GramPerKilogram"]

    def test_fixture_resolves(self, vocab: Vocabulary) -> None:
        study = read_form_text((DATA / "doe-2030.yaml").read_text(), display="doe.yaml")
        triples, problems = study_to_triples(study, vocab)
        assert problems == []
        objects = {getattr(t.object, "value", "") for t in triples}
        assert "https://w3id.org/ibmkg/vocab/outcome/dysphagia" in objects
        assert "https://w3id.org/ibmkg/ontology/GramPerKilogram" in objects
        assert form_dict(study)["publication"]["volume"] == "1.10"


def test_template_lists_allowed_values_and_teaches(vocab: Vocabulary, tmp_path: Path) -> None:
    from ibmkg.curation.template import study_template

    text = study_template("doe-2030", vocab)
    for value in ("CrossoverTrial", "NoEffect", "ObjectiveMeasurement", "WholeGroup",
                  "serum-ck", "small-sample", "LostOnWithdrawal", "PerDay"):
        assert value in text
    problems = problems_of(text)
    assert any(p.startswith("s.yaml:19:1: patients: found 'TODO'") for p in problems)
