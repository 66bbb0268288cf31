"""Shared fixtures: layouts, loaded data, and stores on every backend.

``store`` holds the real project (ontology, imports, review, studies, mappings when their
converter exists) and is parametrised over the backends, so a test that takes it runs once
per backend::

    def test_randomised(store: Store) -> None:
        assert len(run_query(store, find_query("randomised", QUERIES))) == 3

``fixture_store`` is the same over the small fixture project in ``tests/data/project``.

The Virtuoso backend starts a throw-away server (see ``virtuoso_server.py``). Without
``virtuoso-t`` these cases are skipped, except in CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest

import virtuoso_server
from ibmkg.graph_io import LoadedData, load_project
from ibmkg.paths import Layout, find_root
from ibmkg.store.base import Store
from ibmkg.store.embedded import EmbeddedStore

TESTS = Path(__file__).parent
FIXTURE_ROOT = TESTS / "data" / "project"
PROJECT_ROOT = find_root(TESTS)

#: Fixtures of the publication tests (the built site, its server, Chromium).
pytest_plugins = ["shape_fixtures", "site_fixtures"]

#: The backends every compliance test runs on.
BACKENDS = ("embedded", "virtuoso")


@pytest.fixture(scope="session")
def fixture_layout() -> Layout:
    """The fixture project (two made-up studies)."""
    return Layout(FIXTURE_ROOT)


@pytest.fixture(scope="session")
def project_layout() -> Layout:
    """The real project."""
    return Layout(PROJECT_ROOT)


@pytest.fixture(scope="session")
def fixture_data(fixture_layout: Layout) -> LoadedData:
    """The fixture project, loaded."""
    return load_project(fixture_layout)


@pytest.fixture(scope="session")
def project_data(project_layout: Layout) -> LoadedData:
    """The real project, loaded."""
    return load_project(project_layout)


def _virtuoso(tmp_path_factory: pytest.TempPathFactory, name: str,
              ) -> Iterator[virtuoso_server.VirtuosoServer]:
    virtuoso_server.require()
    server = virtuoso_server.start(tmp_path_factory.mktemp(name))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def virtuoso_project(tmp_path_factory: pytest.TempPathFactory, project_data: LoadedData,
                     ) -> Iterator[Store]:
    """A Virtuoso server holding the real project."""
    for server in _virtuoso(tmp_path_factory, "virtuoso-project"):
        yield server.load(project_data)


@pytest.fixture(scope="session")
def virtuoso_fixture_server(tmp_path_factory: pytest.TempPathFactory,
                            ) -> Iterator[virtuoso_server.VirtuosoServer]:
    """A Virtuoso server for the fixture project (tests may add scratch graphs)."""
    yield from _virtuoso(tmp_path_factory, "virtuoso-fixture")


@pytest.fixture(scope="session")
def virtuoso_fixture(virtuoso_fixture_server: virtuoso_server.VirtuosoServer,
                     fixture_data: LoadedData) -> Store:
    """The fixture project published on Virtuoso."""
    return virtuoso_fixture_server.load(fixture_data)


@pytest.fixture(scope="session", params=BACKENDS)
def store(request: pytest.FixtureRequest, project_data: LoadedData) -> Store:
    """The real project on each backend (read-only: do not load into it)."""
    if request.param == "embedded":
        return EmbeddedStore.from_data(project_data)
    remote: Store = request.getfixturevalue("virtuoso_project")
    return remote


@pytest.fixture(scope="session", params=BACKENDS)
def fixture_store(request: pytest.FixtureRequest, fixture_data: LoadedData) -> Store:
    """The fixture project on each backend (read-only: do not load into it)."""
    if request.param == "embedded":
        return EmbeddedStore.from_data(fixture_data)
    remote: Store = request.getfixturevalue("virtuoso_fixture")
    return remote


@pytest.fixture(scope="session")
def embedded_fixture_store(fixture_data: LoadedData) -> EmbeddedStore:
    """The fixture project in the embedded store: the reference for cross-backend checks."""
    return EmbeddedStore.from_data(fixture_data)


@pytest.fixture(scope="session")
def hermit_inferences(tmp_path_factory: pytest.TempPathFactory) -> list[pyoxigraph.Triple]:
    """HermiT's inferences over the real project, computed once per test run.

    HermiT needs Java: without it this skips, except in CI (``CI=true``), where it fails.
    """
    from ibmkg.paths import default_layout, kg_files
    from ibmkg.reasoning import Engine, ensure_inferred, find_java

    if find_java() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no Java runtime: HermiT cannot run", pytrace=False)
        pytest.skip("no Java runtime: HermiT cannot run")
    layout = default_layout()
    path = tmp_path_factory.mktemp("inferred") / "inferred.ttl"
    triples, _ = ensure_inferred(layout.ontology, kg_files(layout), path, engine=Engine.HERMIT)
    return list(triples)
