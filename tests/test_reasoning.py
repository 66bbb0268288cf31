"""Reasoning: what HermiT infers on the real graph and on fixtures, why, and what it refuses.

The expected classifications come from reading the letter (Fontanelli et al. 2024, Table I
and text), not from running the reasoner. HermiT needs Java: the tests marked ``java`` are
skipped locally without it and FAIL in CI (``CI=true``). Each HermiT run starts a JVM
(about a second), so the real graph is reasoned over once per module.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from ibmkg.cli import cli
from ibmkg.errors import InconsistentGraphError, ReasoningError
from ibmkg.graph_io import SourceGraph, load_project
from ibmkg.paths import Layout, find_root, kg_files
from ibmkg.queries import INFERRED_GRAPH, load_catalogue, run_query
from ibmkg.reasoning import (
    HEADER,
    JAVA_ENV,
    Engine,
    ReasoningResult,
    ensure_inferred,
    find_java,
    inferred_is_current,
    reason,
    write_inferred,
)
from ibmkg.reasoning.explanations import DEFINITIONS
from ibmkg.store.embedded import EmbeddedStore

ROOT = find_root(Path(__file__).parent)
ONTOLOGY = ROOT / "ontology" / "ibmkg.ttl"
DATA = Path(__file__).parent / "data" / "reasoning"
CLASSES_FIXTURE = DATA / "classes.ttl"
ONTO = "https://w3id.org/ibmkg/ontology/"
STUDY = "https://w3id.org/ibmkg/study/"
FX = "https://example.org/ibmkg-fixture/"

ALL = {"amato-1994", "cherin-2002", "dalakas-1997", "dalakas-2001", "dobloug-2012",
       "foreman-2017", "recher-2012", "soueidan-1993", "walter-2000", "zschuntzsch-2012"}
RCTS = {"dalakas-1997", "dalakas-2001", "walter-2000"}
CONTROLLED = RCTS | {"dobloug-2012", "zschuntzsch-2012"}

#: Defined class -> the studies of the letter that belong to it (all others must not).
EXPECTED: dict[str, set[str]] = {
    "ControlledStudy": CONTROLLED,
    "UncontrolledStudy": ALL - CONTROLLED,
    "PlaceboControlledStudy": RCTS,
    "RandomisedStudy": RCTS,
    "RandomisedControlledTrial": RCTS,
    "CEBMLevel2Study": RCTS,
    "CEBMLevel3Study": set(),
    "CEBMLevel4Study": ALL - RCTS,
    "BlindedStudy": RCTS,
    "RetrospectiveStudy": {"dobloug-2012", "zschuntzsch-2012", "foreman-2017"},
    # weakness: Amato, Dobloug, Dalakas 1997, Soueidan; co-intervention in the IVIG arm:
    # Dalakas 2001 and Zschüntzsch (prednisone)
    "StudyWithConcomitantImmunotherapy": {"amato-1994", "dobloug-2012", "dalakas-1997",
                                          "dalakas-2001", "zschuntzsch-2012", "soueidan-1993"},
    "StudyReportingImprovement": ALL - {"zschuntzsch-2012"},
    # Foreman's improvement has no stated basis (audit), so it is not "only subjective"
    "StudyReportingOnlySubjectiveImprovement": {"amato-1994", "dobloug-2012", "walter-2000"},
}
#: Classes that have no member among the letter's studies, and why (the fixture covers them).
NO_POSITIVE_ON_REAL_GRAPH = {
    "CEBMLevel3Study": "the letter has no non-randomised controlled prospective trial",
}

#: Fixture study -> the defined classes it must be inferred in (and no other defined class).
FIXTURE_EXPECTED: dict[str, set[str]] = {
    "nrct": {"ControlledStudy", "CEBMLevel3Study", "StudyReportingImprovement"},
    "rct": {"ControlledStudy", "PlaceboControlledStudy", "RandomisedStudy",
            "RandomisedControlledTrial", "CEBMLevel2Study", "BlindedStudy"},
    "series": {"UncontrolledStudy", "CEBMLevel4Study", "RetrospectiveStudy",
               "StudyWithConcomitantImmunotherapy", "StudyReportingImprovement",
               "StudyReportingOnlySubjectiveImprovement"},
    "single": {"UncontrolledStudy", "CEBMLevel4Study", "StudyWithConcomitantImmunotherapy",
               "StudyReportingImprovement"},
    "report": {"UncontrolledStudy", "CEBMLevel4Study"},
}

#: Inconsistent fixture -> (the individual, an axiom it must be blamed on).
INCONSISTENT = {
    "inconsistent-case-report-crossover.ttl": (
        FX + "case-crossover",
        "ibmkg:InterventionalStudy owl:disjointWith ibmkg:ObservationalStudy"),
    "inconsistent-randomised-case-report.ttl": (
        FX + "randomised-case", "ibmkg:RandomisedStudy owl:disjointWith ibmkg:ObservationalStudy"),
    "inconsistent-uncontrolled-placebo.ttl": (
        FX + "uncontrolled-placebo",
        "ibmkg:ControlledStudy rdfs:subClassOf (ibmkg:isControlled value true)"),
}


# --- fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def java() -> str:
    """The Java runtime; without it, skip locally and fail in CI."""
    found = find_java()
    if found is None:
        reason = f"no Java runtime on the PATH (or in ${JAVA_ENV}): HermiT cannot run"
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {reason}", pytrace=False)
        pytest.skip(reason)
    return found


@pytest.fixture(scope="module")
def real(java: str) -> ReasoningResult:
    """HermiT over the real ontology, review and studies (once per module)."""
    return reason(ONTOLOGY, kg_files(Layout(ROOT)), engine=Engine.HERMIT)


@pytest.fixture(scope="module")
def fixture_hermit(java: str) -> ReasoningResult:
    """HermiT over the small fixture."""
    return reason(ONTOLOGY, [CLASSES_FIXTURE], engine=Engine.HERMIT)


@pytest.fixture(scope="module")
def fixture_rl() -> ReasoningResult:
    """OWL 2 RL over the small fixture."""
    return reason(ONTOLOGY, [CLASSES_FIXTURE], engine=Engine.OWLRL)


def _members(result: ReasoningResult, base: str) -> dict[str, set[str]]:
    """Local class name -> local names of the studies inferred in it."""
    members: dict[str, set[str]] = {name: set() for name in DEFINITIONS}
    for study, types in result.inferred.items():
        for t in types:
            members.setdefault(t.class_iri.removeprefix(ONTO), set()).add(
                study.removeprefix(base))
    return members


def _copy_project(tmp_path: Path, studies: list[Path]) -> Path:
    """A throw-away project: the real ontology and the given study files."""
    (tmp_path / "ontology").mkdir()
    shutil.copy(ONTOLOGY, tmp_path / "ontology" / "ibmkg.ttl")
    (tmp_path / "kg" / "studies").mkdir(parents=True)
    for study in studies:
        shutil.copy(study, tmp_path / "kg" / "studies" / study.name)
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    return tmp_path


# --- the real graph ---------------------------------------------------------------------


def test_every_defined_class_is_expected() -> None:
    assert set(EXPECTED) == set(DEFINITIONS), "give every defined class its expected members"


@pytest.mark.java
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_real_graph_classification(real: ReasoningResult, name: str) -> None:
    assert _members(real, STUDY)[name] == EXPECTED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_class_has_a_positive_and_a_negative_case_on_the_real_graph(name: str) -> None:
    assert EXPECTED[name] != ALL, f"{name} needs a study of the letter outside it"
    if name not in NO_POSITIVE_ON_REAL_GRAPH:
        assert EXPECTED[name], f"{name} needs a study of the letter in it"


@pytest.mark.java
def test_real_graph_infers_nothing_else(real: ReasoningResult) -> None:
    inferred = {name for name, studies in _members(real, STUDY).items() if studies}
    assert inferred == {n for n, s in EXPECTED.items() if s} | {"EvidenceLevel"}
    assert set(real.inferred) == {STUDY + s for s in ALL}


@pytest.mark.java
def test_real_graph_is_consistent_and_coherent(real: ReasoningResult) -> None:
    assert real.consistent
    assert real.engine is Engine.HERMIT
    assert real.unsatisfiable_classes == []
    assert any("closed world" in note for note in real.notes)


@pytest.mark.java
def test_every_inference_is_justified_by_asserted_facts(real: ReasoningResult) -> None:
    for study, types in real.inferred.items():
        for t in types:
            assert t.justification, (study, t.class_iri)
            assert not any("no rule" in line for line in t.justification), (study, t.class_iri)


@pytest.mark.java
@pytest.mark.parametrize(("study", "name", "words"), [
    ("dalakas-2001", "StudyWithConcomitantImmunotherapy",
     ["IVIG + prednisone", "co-intervention", "prednisone"]),
    ("zschuntzsch-2012", "StudyWithConcomitantImmunotherapy", ["Prednisone with IVIG"]),
    ("amato-1994", "StudyWithConcomitantImmunotherapy",
     ["stated weakness", "concomitant immunotherapy"]),
    ("dobloug-2012", "ControlledStudy", ["Other drugs", "active comparator"]),
    ("walter-2000", "PlaceboControlledStudy", ["Placebo period", "placebo"]),
    ("walter-2000", "StudyReportingOnlySubjectiveImprovement",
     ["patient-reported", "no effect", "closure axiom: hasFinding only {"]),
    ("foreman-2017", "StudyReportingImprovement", ["basis not stated"]),
    ("dalakas-1997", "RandomisedControlledTrial",
     ["crossover trial", "isRandomised true", "Placebo period"]),
    ("recher-2012", "UncontrolledStudy", ["case report implies isControlled false"]),
    ("foreman-2017", "RetrospectiveStudy", ["isRetrospective true"]),
])
def test_justification_names_the_facts(real: ReasoningResult, study: str, name: str,
                                       words: list[str]) -> None:
    [inferred] = [t for t in real.inferred[STUDY + study] if t.class_iri == ONTO + name]
    text = " ".join(inferred.justification)
    for word in words:
        assert word in text


@pytest.mark.java
def test_finding_and_regimen_classes(real: ReasoningResult) -> None:
    graph = real.inferred_graph

    def types(local: str) -> set[str]:
        node = rdflib.URIRef(STUDY + local)
        return {str(o).removeprefix(ONTO) for o in graph.objects(node, rdflib.RDF.type)}

    assert {"ImprovementFinding", "SubjectiveImprovementFinding"} <= types("dalakas-2001/finding-1")
    assert "ImprovementFinding" in types("dalakas-2001/finding-2")
    assert "SubjectiveImprovementFinding" not in types("dalakas-2001/finding-2")
    assert "ImprovementFinding" not in types("dalakas-2001/finding-3")
    assert "ComparatorRegimen" in types("dalakas-2001/regimen-placebo")
    assert "ComparatorRegimen" not in types("dalakas-2001/regimen-ivig")
    assert "ComparatorRegimen" not in types("zschuntzsch-2012/regimen-prednisone-co")


@pytest.mark.java
def test_inferred_graph_has_no_closure_axioms_or_asserted_types(real: ReasoningResult) -> None:
    graph = real.inferred_graph
    assert all(isinstance(s, rdflib.URIRef) and isinstance(o, rdflib.URIRef)
               for s, _, o in graph)
    assert set(graph.predicates()) == {rdflib.RDF.type}
    asserted = rdflib.Graph().parse(ROOT / "kg" / "studies" / "walter-2000.ttl")
    assert not set(graph) & set(asserted)


@pytest.mark.java
def test_evidence_level_query(real: ReasoningResult, tmp_path: Path) -> None:
    inferred = tmp_path / "inferred.ttl"
    write_inferred(real, inferred)
    triples, result = ensure_inferred(ONTOLOGY, kg_files(Layout(ROOT)), inferred)
    assert result is None, "the file just written is current: no second reasoning"
    data = load_project(Layout(ROOT)).with_graph(
        SourceGraph(INFERRED_GRAPH, "inferred", tuple(triples)))
    query = load_catalogue(ROOT / "queries")["evidence-level"]
    table = run_query(EmbeddedStore.from_data(data), query)
    assert table.columns[:2] == ("study", "label")
    rows = {(str(r[0]).removeprefix(STUDY), int(str(r[2])), str(r[4]).removeprefix(ONTO))
            for r in table.rows}
    assert rows == {
        ("dalakas-1997", 2, "CrossoverTrial"), ("dalakas-2001", 2, "ParallelGroupTrial"),
        ("walter-2000", 2, "CrossoverTrial"), ("amato-1994", 4, "SingleGroupTrial"),
        ("cherin-2002", 4, "CaseSeries"), ("dobloug-2012", 4, "CaseControlStudy"),
        ("foreman-2017", 4, "CaseSeries"), ("recher-2012", 4, "CaseReport"),
        ("soueidan-1993", 4, "CaseSeries"), ("zschuntzsch-2012", 4, "CaseControlStudy"),
    }


@pytest.mark.java
def test_batches_give_the_same_result(real: ReasoningResult) -> None:
    batched = reason(ONTOLOGY, kg_files(Layout(ROOT)), engine=Engine.HERMIT, batch_files=4)
    assert any("3 batches" in note for note in batched.notes)
    assert batched.inferred == real.inferred
    assert isomorphic(batched.inferred_graph, real.inferred_graph)


# --- writing and staleness --------------------------------------------------------------


@pytest.mark.java
def test_write_inferred_is_canonical_and_round_trips(real: ReasoningResult,
                                                     tmp_path: Path) -> None:
    path = tmp_path / "build" / "inferred.ttl"
    write_inferred(real, path)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[:2] == [HEADER, "# Engine: hermit"]
    assert isomorphic(rdflib.Graph().parse(data=text, format="turtle"), real.inferred_graph)
    assert [p.name for p in path.parent.iterdir()] == ["inferred.ttl"], "no temporary file left"
    write_inferred(real, path)
    assert path.read_text(encoding="utf-8") == text, "the same result gives the same text"


@pytest.mark.java
def test_staleness(real: ReasoningResult, tmp_path: Path) -> None:
    study = tmp_path / "walter-2000.ttl"
    shutil.copy(ROOT / "kg" / "studies" / "walter-2000.ttl", study)
    data = [*kg_files(Layout(ROOT))]
    data[data.index(ROOT / "kg" / "studies" / "walter-2000.ttl")] = study
    path = tmp_path / "inferred.ttl"
    assert not inferred_is_current(path, ONTOLOGY, data), "missing"
    write_inferred(real, path)
    assert inferred_is_current(path, ONTOLOGY, data)
    assert not inferred_is_current(path, ONTOLOGY, data, engine=Engine.OWLRL), "other engine"
    study.write_text(study.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert not inferred_is_current(path, ONTOLOGY, data), "an input changed"


# --- fixtures: positive and negative cases ----------------------------------------------


@pytest.mark.parametrize("name", sorted(DEFINITIONS))
def test_fixture_has_a_positive_and_a_negative_case(name: str) -> None:
    inside = {s for s, classes in FIXTURE_EXPECTED.items() if name in classes}
    assert inside, f"add a fixture study in {name}"
    assert inside != set(FIXTURE_EXPECTED), f"add a fixture study outside {name}"


@pytest.mark.java
def test_fixture_classification(fixture_hermit: ReasoningResult) -> None:
    members = _members(fixture_hermit, FX)
    for study, classes in FIXTURE_EXPECTED.items():
        found = {name for name in DEFINITIONS if study in members[name]}
        assert found == classes, study


@pytest.mark.java
def test_unsatisfiable_class_is_reported(java: str, tmp_path: Path) -> None:
    data = tmp_path / "impossible.ttl"
    data.write_text(
        "@prefix ibmkg: <https://w3id.org/ibmkg/ontology/> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://example.org/ibmkg-fixture/Impossible> a owl:Class ;\n"
        "    rdfs:subClassOf ibmkg:CaseReport , ibmkg:CrossoverTrial .\n", encoding="utf-8")
    result = reason(ONTOLOGY, [data], engine=Engine.HERMIT)
    assert result.unsatisfiable_classes == [FX + "Impossible"]


# --- inconsistency ----------------------------------------------------------------------


@pytest.mark.java
@pytest.mark.parametrize("name", sorted(INCONSISTENT))
def test_inconsistency_names_individual_and_axiom(java: str, name: str) -> None:
    individual, axiom = INCONSISTENT[name]
    with pytest.raises(InconsistentGraphError) as caught:
        reason(ONTOLOGY, [DATA / name], engine=Engine.HERMIT)
    assert caught.value.individuals == [individual]
    assert axiom in caught.value.axioms
    assert name in str(caught.value), "the message names the file"


def test_inconsistency_with_owl_rl() -> None:
    with pytest.raises(InconsistentGraphError) as caught:
        reason(ONTOLOGY, [DATA / "inconsistent-uncontrolled-placebo.ttl"], engine=Engine.OWLRL)
    assert "ibmkg:UncontrolledStudy owl:disjointWith ibmkg:ControlledStudy" in caught.value.axioms


@pytest.mark.java
def test_not_strict_reports_clashes_and_nothing_is_written(java: str, tmp_path: Path) -> None:
    data = [DATA / "inconsistent-case-report-crossover.ttl"]
    result = reason(ONTOLOGY, data, engine=Engine.HERMIT, strict=False)
    assert not result.consistent
    assert [c.individual for c in result.clashes] == [FX + "case-crossover"]
    assert result.inferred == {}
    with pytest.raises(ReasoningError):
        write_inferred(result, tmp_path / "inferred.ttl")
    with pytest.raises(InconsistentGraphError):
        ensure_inferred(ONTOLOGY, data, tmp_path / "inferred.ttl", engine=Engine.HERMIT)
    assert not (tmp_path / "inferred.ttl").exists()


# --- without Java: the OWL 2 RL fallback ------------------------------------------------


def test_rl_infers_what_rl_can(fixture_rl: ReasoningResult) -> None:
    members = _members(fixture_rl, FX)
    # hasValue equivalences and the agent-placebo -> role axiom still work
    assert {"series", "report", "single"} <= members["UncontrolledStudy"]
    assert members["ControlledStudy"] == {"nrct", "rct"}
    assert members["RandomisedControlledTrial"] == {"rct"}
    assert members["CEBMLevel3Study"] == {"nrct"}
    assert members["StudyWithConcomitantImmunotherapy"] == {"series", "single"}


def test_rl_cannot_infer_universal_restrictions(fixture_rl: ReasoningResult) -> None:
    members = _members(fixture_rl, FX)
    assert members["StudyReportingOnlySubjectiveImprovement"] == set()
    missing = {(s, c) for s, classes in FIXTURE_EXPECTED.items() for c in classes
               if s not in members[c]}
    assert missing == {("series", "StudyReportingOnlySubjectiveImprovement")}
    assert fixture_rl.engine is Engine.OWLRL
    assert [n for n in fixture_rl.notes if "universal restriction" in n]


def test_without_java_auto_uses_the_fast_classifier(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(JAVA_ENV, "/nonexistent/java")
    assert find_java() is None
    result = reason(ONTOLOGY, [CLASSES_FIXTURE], engine=Engine.AUTO)
    assert result.engine is Engine.FAST
    [note] = result.notes
    assert note.startswith("engine fast") and "--engine hermit" in note
    with pytest.raises(ReasoningError, match="Java"):
        reason(ONTOLOGY, [CLASSES_FIXTURE], engine=Engine.HERMIT)


def test_auto_falls_back_when_the_fast_classifier_cannot_decide(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(JAVA_ENV, "/nonexistent/java")
    ontology = tmp_path / "ibmkg.ttl"
    ontology.write_text(ONTOLOGY.read_text(encoding="utf-8") + "\nibmkg:hasArm a "
                        "<http://www.w3.org/2002/07/owl#TransitiveProperty> .\n",
                        encoding="utf-8")
    result = reason(ontology, [CLASSES_FIXTURE], engine=Engine.AUTO)
    assert result.engine is Engine.OWLRL
    assert result.notes[0].startswith("the fast classifier cannot decide this input")
    assert "TransitiveProperty" in result.notes[0]
    with pytest.raises(ReasoningError, match="TransitiveProperty"):
        reason(ontology, [CLASSES_FIXTURE], engine=Engine.FAST)


# --- the command line -------------------------------------------------------------------


@pytest.mark.java
def test_cli_reason_inconsistent_exits_1(java: str, tmp_path: Path) -> None:
    root = _copy_project(tmp_path, [DATA / "inconsistent-case-report-crossover.ttl"])
    run = CliRunner().invoke(cli, ["--root", str(root), "reason"])
    assert run.exit_code == 1, run.output
    assert FX + "case-crossover" in run.stderr
    assert "owl:disjointWith" in run.stderr
    assert not (root / "build" / "inferred.ttl").exists()


def test_cli_reason_without_java(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(JAVA_ENV, "/nonexistent/java")
    root = _copy_project(tmp_path, [CLASSES_FIXTURE])
    run = CliRunner().invoke(cli, ["--root", str(root), "reason", "--format", "json"])
    assert run.exit_code == 0, run.output
    assert not [line for line in run.stderr.splitlines() if "Java" in line]
    assert '"engine": "fast"' in run.stdout
    written = (root / "build" / "inferred.ttl").read_text(encoding="utf-8")
    assert written.splitlines()[:2] == [HEADER, "# Engine: fast"]


@pytest.mark.java
def test_cli_query_inferred_reasons_once(java: str, tmp_path: Path) -> None:
    root = _copy_project(tmp_path, sorted((ROOT / "kg" / "studies").glob("*.ttl")))
    shutil.copy(ROOT / "kg" / "review.ttl", root / "kg" / "review.ttl")
    shutil.copytree(ROOT / "queries", root / "queries")
    args = ["--root", str(root), "query", "evidence-level", "--inferred", "--format", "csv"]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    lines = first.stdout.splitlines()
    assert lines[0] == "study,label,level,level_class,design"
    assert [line.split(",")[2] for line in lines[1:]] == ["2"] * 3 + ["4"] * 7
    inferred = root / "build" / "inferred.ttl"
    stamp = inferred.stat().st_mtime_ns
    second = CliRunner().invoke(cli, args)
    assert second.stdout == first.stdout
    assert "closed world" not in second.stderr, "a current build/inferred.ttl is reused"
    assert inferred.stat().st_mtime_ns == stamp


# --- two engines, one suite: the fast classifier must classify exactly as HermiT --------

#: Synthetic studies (benchmarks/synthetic.py) compared here; `make bench` compares 1,000.
SYNTHETIC_SAMPLE = 24


def _same_classification(fast: ReasoningResult, hermit: ReasoningResult) -> None:
    assert fast.engine is Engine.FAST and hermit.engine is Engine.HERMIT
    assert set(fast.inferred_triples) == set(hermit.inferred_triples)
    assert {s: [(t.class_iri, t.justification) for t in types]
            for s, types in fast.inferred.items()} == {
        s: [(t.class_iri, t.justification) for t in types]
        for s, types in hermit.inferred.items()}


@pytest.mark.java
def test_fast_classifier_equals_hermit_on_the_real_graph(real: ReasoningResult) -> None:
    fast = reason(ONTOLOGY, kg_files(Layout(ROOT)), engine=Engine.FAST)
    _same_classification(fast, real)
    assert len(fast.inferred_triples) > 100


@pytest.mark.java
def test_fast_classifier_equals_hermit_on_the_fixture(fixture_hermit: ReasoningResult) -> None:
    _same_classification(reason(ONTOLOGY, [CLASSES_FIXTURE], engine=Engine.FAST),
                         fixture_hermit)


@pytest.mark.java
def test_fast_classifier_equals_hermit_on_synthetic_studies(java: str, tmp_path: Path) -> None:
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("synthetic",
                                                  ROOT / "benchmarks" / "synthetic.py")
    assert spec is not None and spec.loader is not None
    synthetic = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = synthetic
    spec.loader.exec_module(synthetic)
    files = synthetic.generate(SYNTHETIC_SAMPLE, tmp_path, seed=13)
    hermit = reason(ONTOLOGY, files, engine=Engine.HERMIT)
    fast = reason(ONTOLOGY, files, engine=Engine.FAST)
    _same_classification(fast, hermit)
    assert len(fast.inferred) == SYNTHETIC_SAMPLE


@pytest.mark.parametrize("name", sorted(INCONSISTENT))
def test_fast_classifier_finds_the_same_inconsistencies(name: str) -> None:
    individual, axiom = INCONSISTENT[name]
    with pytest.raises(InconsistentGraphError) as caught:
        reason(ONTOLOGY, [DATA / name], engine=Engine.FAST)
    assert caught.value.individuals == [individual]
    assert axiom in caught.value.axioms
    assert "(fast)" in str(caught.value)


def test_fast_classifier_reproduces_the_expected_fixture_classes() -> None:
    fast = reason(ONTOLOGY, [CLASSES_FIXTURE], engine=Engine.FAST)
    members = _members(fast, FX)
    for study, classes in FIXTURE_EXPECTED.items():
        assert {c for c in DEFINITIONS if study in members[c]} == classes, study


def test_cli_reason_engine_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(JAVA_ENV, "/nonexistent/java")
    root = _copy_project(tmp_path, [CLASSES_FIXTURE])
    fast = CliRunner().invoke(cli, ["--root", str(root), "reason", "--engine", "fast",
                                    "--format", "json"])
    assert fast.exit_code == 0, fast.output
    assert '"engine": "fast"' in fast.stdout
    hermit = CliRunner().invoke(cli, ["--root", str(root), "reason", "--engine", "hermit"])
    assert hermit.exit_code == 3
    assert "HermiT needs Java" in hermit.stderr
