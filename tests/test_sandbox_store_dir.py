"""Query workers open the project's persistent store read-only instead of loading a copy.

Regression (issue 12): every worker was handed an N-Quads dump of the whole store and parsed
it (at 10,000 synthetic studies: 72 s to dump, 44 s and 1.3 GB per worker, again after
every timeout). Now a worker opens ``.ibmkg/store-<variant>/db`` read-only.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ibmkg.errors import QueryTimeoutError
from ibmkg.paths import Layout
from ibmkg.queries import load_catalogue, run_query
from ibmkg.sandbox.store import SandboxedStore
from ibmkg.sparql import names_graphs
from ibmkg.store.cache import cache_path, cached_lexical, open_cached, store_directory
from ibmkg.store.embedded import EmbeddedStore

FIXTURE_ROOT = Path(__file__).parent / "data" / "project"
BOMB = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . "
        "?m ?n2 ?o }")


@pytest.fixture
def layout(tmp_path: Path) -> Layout:
    shutil.copytree(FIXTURE_ROOT, tmp_path / "project")
    return Layout(tmp_path / "project")


def test_a_cached_store_names_its_directory(layout: Layout) -> None:
    inner, _ = open_cached(layout)
    assert store_directory(inner) == cache_path(layout) / "db"
    assert store_directory(EmbeddedStore()) is None


@pytest.mark.parametrize("variant", ["plain", "graphs"])
def test_workers_on_the_store_directory_answer_as_the_embedded_store(layout: Layout,
                                                                     variant: str) -> None:
    """Each query on the store ``ibmkg query`` picks for it: ``graphs`` for the queries that
    name graphs (the plain store keeps studies in the default graph only), any on ``graphs``."""
    inner, _ = open_cached(layout, variant=variant)
    reference = EmbeddedStore.from_project(layout)
    catalogue = load_catalogue(layout.queries)
    with SandboxedStore(inner, lexical=cached_lexical(layout, variant), timeout=20, workers=1,
                        store_dir=store_directory(inner)) as store:
        assert store.pool._store_dir == cache_path(layout, variant) / "db"
        ran = 0
        for name, stored in catalogue.items():
            if stored.federated or stored.inferred or stored.params:
                continue
            if variant == "plain" and names_graphs(stored.sparql):
                continue  # answered from the graphs store (the other parameter)
            ran += 1
            assert run_query(store, stored).sorted().rows == \
                run_query(reference, stored).sorted().rows, name
        assert ran == (3 if variant == "plain" else 4)
        pids = store.pool.pids
        with pytest.raises(QueryTimeoutError):  # the worker is killed, a new one opens the store
            store.run(BOMB, timeout=1)
        stored = catalogue["studies"]
        assert run_query(store, stored).sorted().rows == \
            run_query(reference, stored).sorted().rows
        assert store.pool.pids != pids
