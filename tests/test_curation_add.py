"""ibmkg add: every check before any write, duplicates refused, nothing ever half-written."""

from __future__ import annotations

import os
import random
import signal
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib.compare import isomorphic

from fixtures_curation import DATA, PROJECT, SLUGS, project_copy, snapshot
from ibmkg.cli import cli
from ibmkg.curation import Vocabulary, add_studies, load_form, plan_study, write_plans
from ibmkg.curation.add import Plan, recover
from ibmkg.errors import DuplicateStudyError
from ibmkg.graph_io import load_turtle, to_rdflib_graph
from ibmkg.paths import Layout


def run(root: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--root", str(root), *args])
    return result.exit_code, result.stdout, result.stderr


def test_describe_then_add_into_an_empty_project_is_isomorphic(tmp_path: Path) -> None:
    """All ten studies: `describe` in the real project, `add` (every check) in an empty one."""
    forms = tmp_path / "forms"
    forms.mkdir()
    for slug in SLUGS:
        code, out, err = run(PROJECT, "describe", slug, "--format", "yaml")
        assert code == 0, err
        (forms / f"{slug}.yaml").write_text(out, encoding="utf-8")
    (tmp_path / "empty").mkdir()
    empty = project_copy(tmp_path / "empty", studies=False)
    code, out, err = run(empty.root, "add", *sorted(str(p) for p in forms.glob("*.yaml")))
    assert code == 0, err
    assert "reasoner: consistent" in err
    for slug in SLUGS:
        original = load_turtle(PROJECT / "kg" / "studies" / f"{slug}.ttl")
        added = load_turtle(empty.studies / f"{slug}.ttl")
        assert isomorphic(to_rdflib_graph(original), to_rdflib_graph(added)), slug
        assert (empty.studies / f"{slug}.ttl").read_bytes() == \
            (PROJECT / "kg" / "studies" / f"{slug}.ttl").read_bytes()
    assert not (empty.root / ".ibmkg-staging").exists()


def test_shacl_failure_writes_nothing_and_dry_run_prints_triples(tmp_path: Path) -> None:
    layout = project_copy(tmp_path, studies=False, review=False)
    before = snapshot(layout.kg)
    broken = tmp_path / "broken.yaml"
    text = (DATA / "doe-2030.yaml").read_text(encoding="utf-8")
    # A case series that says it is controlled contradicts its design class (a SHACL check).
    broken.write_text(text.replace("  controlled: false", "  controlled: true"),
                      encoding="utf-8")
    code, out, err = run(layout.root, "add", "--dry-run", str(broken))
    assert code == 1
    assert "study:doe-2030" in out and "ibmkg:isControlled true" in out
    assert "nothing written" in err and "Violation" in err
    assert snapshot(layout.kg) == before


class TestDuplicates:
    @pytest.fixture()
    def vocab(self) -> Vocabulary:
        return Vocabulary.from_layout(Layout(PROJECT))

    def form(self, tmp_path: Path, old: str, new: str, vocab: Vocabulary) -> Plan:
        path = tmp_path / "dup.yaml"
        path.write_text((DATA / "doe-2030.yaml").read_text().replace(old, new))
        study, where = load_form(path, vocab, display="dup.yaml")
        return plan_study(study, Layout(PROJECT), vocab=vocab, display="dup.yaml",
                          locate=where)

    def test_slug(self, tmp_path: Path, vocab: Vocabulary) -> None:
        with pytest.raises(DuplicateStudyError, match=r"'recher-2012' is already in the graph "
                           r"\(Recher et al. 2012, kg/studies/recher-2012.ttl\)"):
            self.form(tmp_path, "slug: doe-2030", "slug: recher-2012", vocab)

    def test_doi(self, tmp_path: Path, vocab: Vocabulary) -> None:
        with pytest.raises(DuplicateStudyError, match=r"DOI of study 'walter-2000' "
                           r"\(Walter et al. 2000"):
            self.form(tmp_path, "doi: 10.5555/ibmkg.test.2030", "doi: 10.1007/S004150050005",
                      vocab)

    def test_pmid(self, tmp_path: Path, vocab: Vocabulary) -> None:
        layout = project_copy(tmp_path)
        path = layout.studies / "walter-2000.ttl"
        path.write_text(path.read_text().replace('bibo:doi "10.1007/s004150050005" ;',
                                                 'bibo:doi "10.1007/s004150050005" ;\n'
                                                 '    bibo:pmid "10795884" ;'))
        form = tmp_path / "dup.yaml"
        form.write_text((DATA / "doe-2030.yaml").read_text().replace("'99999999'",
                                                                      "'10795884'"))
        study, _ = load_form(form, vocab)
        with pytest.raises(DuplicateStudyError, match="PMID of study 'walter-2000'"):
            plan_study(study, layout, vocab=vocab)

    def test_replace_allows_the_same_slug(self, tmp_path: Path, vocab: Vocabulary) -> None:
        layout = project_copy(tmp_path, shapes=False)
        study, _ = load_form(DATA / "doe-2030.yaml", vocab)
        plan = plan_study(study, layout, vocab=vocab)
        outcome = add_studies([plan], layout, dry_run=True, reasoner=False)
        assert outcome.passed and outcome.written == []
        assert not plan.path.exists()
        write_plans([plan], layout)
        with pytest.raises(DuplicateStudyError, match="use --replace"):
            plan_study(study, layout, vocab=vocab)
        again = plan_study(study, layout, vocab=vocab, replace=True)
        assert again.replaces


@pytest.mark.parametrize("replace", [False, True], ids=["new", "replace"])
def test_killed_mid_write_leaves_kg_old_or_wholly_new(tmp_path: Path, replace: bool) -> None:
    """Kill a two-study write at random moments (24 times): kg/ is the old or the new batch."""
    if not hasattr(os, "fork"):
        pytest.skip("needs fork")
    layout = project_copy(tmp_path, shapes=False)
    vocab = Vocabulary.from_layout(layout)
    study, _ = load_form(DATA / "doe-2030.yaml", vocab)
    plans = [plan_study(study, layout, vocab=vocab),
             plan_study(study.model_copy(update={"slug": "doe-2031"}), layout, vocab=vocab)]
    for plan in plans:  # about 8 MB each, so that the write takes long enough to interrupt
        plan.turtle += "".join(f"# padding line {i:07d} {'x' * 60}\n" for i in range(110_000))
        if replace:
            plan.path.write_text("# the old study file\n")
    before = snapshot(layout.kg)
    new = {layout.relative(p.path).relative_to("kg").as_posix(): p.turtle.encode()
           for p in plans}
    rng = random.Random(20301)
    outcomes = {"old": 0, "new": 0, "rolled forward": 0}
    duration = _timed_write(plans, layout, before)
    for _ in range(24):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: write, as `ibmkg add` does after its checks
            os.close(read)
            os.write(write, b"go")
            try:
                write_plans(plans, layout)
            finally:
                os._exit(0)
        os.close(write)
        os.read(read, 2)
        os.close(read)
        time.sleep(rng.uniform(0, duration * 1.2))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        after = snapshot(layout.kg)
        for name in set(before) | set(after):  # never a partial file, never a stray one
            assert after.get(name) in (before.get(name), new.get(name)), name
        rolled = recover(layout)  # what the next `ibmkg add` does first
        after = snapshot(layout.kg)
        if after == before:
            outcomes["old"] += 1
        else:
            assert after == before | new
            outcomes["rolled forward" if rolled else "new"] += 1
            _restore(layout, before)
        assert not (layout.root / ".ibmkg-staging").exists()
    assert sum(outcomes.values()) == 24
    assert outcomes["old"] >= 1, outcomes  # some kills did land before the journal


def _timed_write(plans: list[Plan], layout: Layout, before: dict[str, bytes]) -> float:
    started = time.perf_counter()
    write_plans(plans, layout)
    duration = time.perf_counter() - started
    _restore(layout, before)
    return max(duration, 0.005)


def _restore(layout: Layout, before: dict[str, bytes]) -> None:
    for path in layout.kg.rglob("*.ttl"):
        if path.relative_to(layout.kg).as_posix() not in before:
            path.unlink()
    for name, content in before.items():
        (layout.kg / name).write_bytes(content)
