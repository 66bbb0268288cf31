"""Build hook: the wheel carries the data (ontology, shapes, kg, queries) as package data.

Everything else about the package is declared in pyproject.toml. The data folders stay at
the top of the repository, where ontology people expect them; ``build_py`` copies them into
``ibmkg/_data/`` of the wheel, where :func:`ibmkg.paths.default_layout` finds them when no
checkout is found (``pip install ibmkg-*.whl`` then ``ibmkg query ...`` from any folder).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA = ("ontology", "shapes", "kg", "queries")
FILES = ("LICENSE-DATA",)  # the data's licence travels with the data (the site's download)


class BuildWithData(build_py):
    """``build_py`` that also copies the data folders into ``ibmkg/_data``."""

    def run(self) -> None:
        super().run()
        here = Path(__file__).parent
        target = Path(self.build_lib) / "ibmkg" / "_data"
        for name in DATA:
            source = here / name
            if source.is_dir():
                shutil.rmtree(target / name, ignore_errors=True)
                shutil.copytree(source, target / name,
                                ignore=shutil.ignore_patterns("*.pyc", "__pycache__"))
        for name in FILES:
            if (here / name).is_file():
                shutil.copyfile(here / name, target / name)


setup(cmdclass={"build_py": BuildWithData})
