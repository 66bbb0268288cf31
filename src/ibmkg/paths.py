"""Default locations of ibmkg's files: the only module that knows the project layout.

Library functions take paths as arguments; the CLI and the build ask this module where the
files are by default. Nothing here touches the disk at import time.

The project root is ``$IBMKG_ROOT`` when set, else the nearest directory, from the current one
upwards, that holds both ``pyproject.toml`` and ``ontology/``.

>>> layout = Layout(Path("/srv/ibmkg"))
>>> layout.ontology.as_posix()
'/srv/ibmkg/ontology/ibmkg.ttl'
>>> layout.relative(layout.review).as_posix()
'kg/review.ttl'
>>> graph_name(layout.studies / "dalakas-2001.ttl", layout)
'https://w3id.org/ibmkg/study/dalakas-2001'
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from ibmkg.errors import InputError
from ibmkg.namespaces import BASE, PREFIXES

#: Environment variable that overrides the discovery of the project root.
ROOT_ENV: Final = "IBMKG_ROOT"

#: Graph names of the files that are not studies.
ONTOLOGY_GRAPH: Final = PREFIXES["ibmkg"]
REVIEW_GRAPH: Final = f"{PREFIXES['review']}fontanelli-2024"
MAPPINGS_GRAPH: Final = f"{BASE}mappings"
IMPORTS_GRAPH_BASE: Final = f"{PREFIXES['ibmkg']}imports/"
OTHER_GRAPH_BASE: Final = f"{BASE}graph/"


@dataclass(frozen=True)
class Layout:
    """Where each kind of file lives under a project root.

    :param root: the project directory (the one holding ``pyproject.toml``).
    """

    root: Path

    @property
    def ontology(self) -> Path:
        """The hand-edited ontology, ``ontology/ibmkg.ttl``."""
        return self.root / "ontology" / "ibmkg.ttl"

    @property
    def imports(self) -> Path:
        """External term modules, ``ontology/imports/``."""
        return self.root / "ontology" / "imports"

    @property
    def mappings(self) -> Path:
        """The SSSOM mapping set, ``ontology/mappings.sssom.tsv``."""
        return self.root / "ontology" / "mappings.sssom.tsv"

    @property
    def context(self) -> Path:
        """The JSON-LD context, ``ontology/context.jsonld``."""
        return self.root / "ontology" / "context.jsonld"

    @property
    def shapes(self) -> Path:
        """The SHACL shapes directory, ``shapes/``."""
        return self.root / "shapes"

    @property
    def kg(self) -> Path:
        """The curated knowledge graph directory, ``kg/``."""
        return self.root / "kg"

    @property
    def review(self) -> Path:
        """The reviewing letter, ``kg/review.ttl``."""
        return self.root / "kg" / "review.ttl"

    @property
    def studies(self) -> Path:
        """One file per study, ``kg/studies/``."""
        return self.root / "kg" / "studies"

    @property
    def queries(self) -> Path:
        """The stored query catalogue, ``queries/``."""
        return self.root / "queries"

    @property
    def build(self) -> Path:
        """Generated artifacts, ``build/`` (never committed)."""
        return self.root / "build"

    @property
    def benchmark_results(self) -> Path:
        """Where ``make bench`` writes its figures."""
        return self.root / "benchmarks" / "results"

    def relative(self, path: Path) -> Path:
        """Return ``path`` relative to the root when it lies below it, else unchanged.

        :param path: any path.
        :returns: a path fit for messages (no machine-specific prefix).
        """
        try:
            return path.resolve().relative_to(self.root.resolve())
        except ValueError:
            try:
                return path.relative_to(self.root)
            except ValueError:
                return path


def display_path(path: Path) -> str:
    """Show a path in messages: relative to the current directory when below it.

    :param path: any path.
    :returns: the text to show (never longer than the path as given).

    >>> display_path(Path("kg/review.ttl"))
    'kg/review.ttl'
    """
    if not path.is_absolute():
        return path.as_posix()
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def find_root(start: Path | None = None) -> Path:
    """Locate the project root.

    :param start: directory to search upwards from; the current directory by default.
    :returns: ``$IBMKG_ROOT`` if set, else the nearest ancestor with ``pyproject.toml`` and
        ``ontology/``.
    :raises InputError: when no such directory exists.
    """
    env = os.environ.get(ROOT_ENV)
    if env:
        return Path(env)
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / "pyproject.toml").is_file() and (candidate / "ontology").is_dir():
            return candidate
    raise InputError(
        f"no ibmkg project found above {here}; run from inside the repository "
        f"or set {ROOT_ENV} to its directory"
    )


def default_layout(start: Path | None = None) -> Layout:
    """Return the :class:`Layout` of the project found by :func:`find_root`.

    :param start: directory to search upwards from; the current directory by default.
    :returns: the layout.
    :raises InputError: when no project is found.
    """
    return Layout(find_root(start))


def graph_name(path: Path, layout: Layout) -> str:
    """Name the graph that holds the triples of one source file.

    Each study file is its own named graph, ``study:<slug>``; the review, the ontology, its
    imports and the mappings have fixed names; any other file gets ``…/graph/<stem>``.

    :param path: a source file.
    :param layout: the project layout the file belongs to.
    :returns: the graph IRI.

    >>> layout = Layout(Path("p"))
    >>> graph_name(Path("p/ontology/ibmkg.ttl"), layout)
    'https://w3id.org/ibmkg/ontology/'
    >>> graph_name(Path("p/kg/review.ttl"), layout)
    'https://w3id.org/ibmkg/review/fontanelli-2024'
    """
    parent = path.parent.resolve()
    if parent == layout.studies.resolve():
        return f"{PREFIXES['study']}{path.stem}"
    if path.resolve() == layout.review.resolve():
        return REVIEW_GRAPH
    if path.resolve() == layout.ontology.resolve():
        return ONTOLOGY_GRAPH
    if path.resolve() == layout.mappings.resolve():
        return MAPPINGS_GRAPH
    if parent == layout.imports.resolve():
        return f"{IMPORTS_GRAPH_BASE}{path.stem}"
    return f"{OTHER_GRAPH_BASE}{path.stem}"


def study_files(layout: Layout) -> list[Path]:
    """List the study files, sorted by name.

    :param layout: the project layout.
    :returns: ``kg/studies/*.ttl``; empty when the directory does not exist.
    """
    if not layout.studies.is_dir():
        return []
    return sorted(layout.studies.glob("*.ttl"))


def kg_files(layout: Layout) -> list[Path]:
    """List the curated data files: the review (if present) then every study.

    :param layout: the project layout.
    :returns: the files, in a stable order.
    """
    review = [layout.review] if layout.review.is_file() else []
    return review + study_files(layout)


def import_files(layout: Layout) -> list[Path]:
    """List the external term modules, ``ontology/imports/*.ttl``, sorted.

    :param layout: the project layout.
    :returns: the files; empty when there are none.
    """
    if not layout.imports.is_dir():
        return []
    return sorted(layout.imports.glob("*.ttl"))


def shape_files(layout: Layout) -> list[Path]:
    """List the SHACL shape files, ``shapes/*.ttl``, sorted.

    :param layout: the project layout.
    :returns: the files; empty when there are none.
    """
    if not layout.shapes.is_dir():
        return []
    return sorted(layout.shapes.glob("*.ttl"))
