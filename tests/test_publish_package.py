"""The installable data package: a wheel from ``python -m build`` works without a checkout.

The wheel is built from a copy of the repository (so setuptools' own ``build/`` folder never
mixes with ibmkg's), installed without dependencies into a fresh venv in a temporary folder,
and run from another folder. The fresh venv borrows the test venv's installed dependencies
through a ``.pth`` line (so the test needs no registry); that line does not activate the
test venv's editable ibmkg, so only the wheel's copy can be imported.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

from ibmkg.paths import Layout

_COPY = ("src", "ontology", "shapes", "kg", "queries", "pyproject.toml", "setup.py",
         "MANIFEST.in", "LICENSE", "LICENSE-DATA", "README.md")


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300, check=False)


@pytest.fixture(scope="module")
def installed(project_layout: Layout, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; returns its bin/ folder."""
    base = tmp_path_factory.mktemp("package")
    source = base / "source"
    source.mkdir()
    for name in _COPY:
        path = project_layout.root / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=shutil.ignore_patterns(
                "__pycache__", "*.egg-info"))
        else:
            shutil.copyfile(path, source / name)
    env = {k: v for k, v in os.environ.items() if k != "IBMKG_ROOT"}
    built = _run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                  str(base / "dist"), str(source)], base, env)
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((base / "dist").glob("ibmkg-*.whl"))
    venv = base / "venv"
    made = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], base, env)
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    target = _run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                  base, env).stdout.strip()
    Path(target, "ibmkg_test_deps.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    done = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                 "--no-index", "--quiet", str(wheel)], base, env)
    assert done.returncode == 0, done.stderr[-2000:]
    return venv / "bin"


def test_the_wheel_answers_a_stored_query_from_any_folder(installed: Path,
                                                         tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "IBMKG_ROOT"}
    result = _run([str(installed / "ibmkg"), "query", "dysphagia-improvement", "--format",
                   "csv"], tmp_path, env)
    assert result.returncode == 0, result.stderr
    assert "Cherin et al. 2002" in result.stdout and "Dobloug et al. 2012" in result.stdout
    assert len(result.stdout.strip().splitlines()) == 3  # header + two studies


def test_the_python_api_uses_the_packaged_data(installed: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "IBMKG_ROOT"}
    code = ("import ibmkg, pathlib\n"
            "from ibmkg import EmbeddedStore, default_layout, find_query, run_query\n"
            "layout = default_layout()\n"
            "assert '_data' in layout.root.parts and 'site-packages' in str(layout.root)\n"
            "assert layout.build == pathlib.Path.cwd().resolve() / 'build'\n"
            "store = EmbeddedStore.from_project(layout)\n"
            "print(len(run_query(store, find_query('randomised', layout.queries))))\n")
    result = _run([str(installed / "python"), "-c", code], tmp_path, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "3"


def test_the_wheel_carries_the_data_licence(installed: Path, project_layout: Layout) -> None:
    licence = (project_layout.root / "LICENSE-DATA").read_bytes()
    site_packages = installed.parent / "lib"
    packaged = list(site_packages.glob("python*/site-packages/ibmkg/_data/LICENSE-DATA"))
    metadata = list(site_packages.glob("python*/site-packages/ibmkg-*.dist-info/licenses/"
                                       "LICENSE-DATA"))
    assert len(packaged) == 1 and packaged[0].read_bytes() == licence
    assert len(metadata) == 1 and metadata[0].read_bytes() == licence


def test_a_checkout_still_wins(installed: Path, project_layout: Layout) -> None:
    env = {k: v for k, v in os.environ.items() if k != "IBMKG_ROOT"}
    code = "from ibmkg import default_layout; print(default_layout().root)"
    result = _run([str(installed / "python"), "-c", code], project_layout.root / "kg", env)
    assert result.returncode == 0, result.stderr
    assert Path(result.stdout.strip()) == project_layout.root.resolve()
