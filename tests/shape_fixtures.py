"""Fixtures shared by the shape and engine tests: the project's shapes and its loaded graph.

Registered in ``conftest.py`` (``pytest_plugins``); each is made once per test module.
"""

from __future__ import annotations

import pyoxigraph
import pytest

from ibmkg.graph_io import LoadedData, load_project, load_turtle
from ibmkg.paths import default_layout, shape_files


@pytest.fixture(scope="module")
def shapes() -> list[pyoxigraph.Triple]:
    return [t for path in shape_files(default_layout()) for t in load_turtle(path)]


@pytest.fixture(scope="module")
def project() -> LoadedData:
    return load_project(default_layout(), with_mappings=False)


@pytest.fixture(scope="module")
def union(project: LoadedData) -> list[pyoxigraph.Triple]:
    return list(dict.fromkeys(project.triples()))
