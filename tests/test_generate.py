"""The synthetic generator (benchmarks/generate.py): proportions, marking, defects, reasoning.

The generator is a benchmark tool, not part of the library; it is loaded from its file.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pyoxigraph
import pytest

from ibmkg.graph_io import load_turtle
from ibmkg.paths import find_root
from ibmkg.reasoning import Engine, reason

ROOT = find_root(Path(__file__).parent)
SCRIPT = ROOT / "benchmarks" / "generate.py"
ONTO = "https://w3id.org/ibmkg/ontology/"


@pytest.fixture(scope="module")
def generate() -> ModuleType:
    """benchmarks/generate.py as a module."""
    spec = importlib.util.spec_from_file_location("ibmkg_bench_generate", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_design_weights_are_the_letters(generate: ModuleType) -> None:
    designs: Counter[str] = Counter()
    for path in sorted((ROOT / "kg" / "studies").glob("*.ttl")):
        for t in load_turtle(path):
            subject, obj = t.subject, t.object
            if (t.predicate.value.endswith("#type") and isinstance(subject, pyoxigraph.NamedNode)
                    and isinstance(obj, pyoxigraph.NamedNode)
                    and subject.value == "https://w3id.org/ibmkg/study/" + path.stem
                    and obj.value.removeprefix(ONTO) in generate.LETTER_DESIGNS):
                designs[obj.value.removeprefix(ONTO)] += 1
    assert dict(designs) == generate.LETTER_DESIGNS


def test_same_seed_same_text_and_every_study_is_marked(generate: ModuleType) -> None:
    text = generate.synthetic_turtle(40, seed=9)
    assert text == generate.synthetic_turtle(40, seed=9)
    assert text != generate.synthetic_turtle(40, seed=10)
    triples = pyoxigraph.parse(input=text.encode(), format=pyoxigraph.RdfFormat.TURTLE)
    studies = {str(q.subject) for q in triples if q.predicate.value == ONTO + "hasFinding"}
    assert len(studies) == 40
    assert all(s.startswith("<https://w3id.org/ibmkg/study/synthetic-") for s in studies)
    assert text.count('rdfs:comment "SYNTHETIC') == 40


def test_every_defect_kind_is_handed_out_and_declared(generate: ModuleType) -> None:
    text = generate.synthetic_turtle(60, seed=3, defect_rate=0.1)
    assert generate.defects(text) == {kind: 1 for kind in generate.DEFECTS}
    clean = generate.synthetic_turtle(60, seed=3, defect_rate=0.0)
    assert generate.defects(clean) == {}
    for needle in ("ibmkg:patientCont ", '"19X7"^^xsd:gYear', "ibmkg:patientCount -3"):
        assert needle in text and needle not in clean


def test_bad_arguments_are_refused(generate: ModuleType) -> None:
    with pytest.raises(ValueError, match="defect-rate"):
        generate.synthetic_turtle(3, seed=1, defect_rate=2.0)
    with pytest.raises(ValueError, match="unknown defect"):
        generate._inject("", "no-such-kind")


def test_cli_writes_the_file_and_the_reasoner_classifies_it(tmp_path: Path) -> None:
    out = tmp_path / "synthetic.ttl"
    run = subprocess.run([sys.executable, str(SCRIPT), "--studies", "30", "--seed", "4",
                          "--out", str(out)], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    result = reason(ROOT / "ontology" / "ibmkg.ttl", [out], engine=Engine.FAST)
    assert result.consistent and len(result.inferred) == 30
    refused = subprocess.run([sys.executable, str(SCRIPT), "--studies", "1", "--out",
                              str(tmp_path / "kg" / "x.ttl")], capture_output=True, text=True,
                             check=False)
    assert refused.returncode == 2 and "never go into kg/" in refused.stderr
