"""A persistent pyoxigraph store of the project, rebuilt only when a source file changes.

Loading the project strictly (one graph per file, the line index, the strict gate) costs
several times pyoxigraph's bare parse, and every ``ibmkg query`` used to pay it before its
first answer. The cache keeps the gate: the store on disk is written only from data that
passed :func:`ibmkg.graph_io.load_project`, and it is reused only while every source file
(ontology, imports, review, studies, mappings, and the inferred graph when asked for) has
the size and modification time recorded with it. Otherwise it is rebuilt, in a temporary
directory renamed into place, so a failure never leaves a half-written store.

The cache lives in ``.ibmkg/store-<variant>/`` under the project root (never committed);
``make run`` warms the ``plain`` store, in which a study's triples are stored once (in the
default graph): a query that names graphs (``GRAPH``) is answered from the ``graphs`` store,
built the first time one is asked (:data:`VARIANTS`). Opened stores are read-only: a second
process can read at once.

>>> digest_files([])[:7]
'sha256:'
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from stat import S_ISLNK
from typing import Final

import pyoxigraph

from ibmkg.errors import InputError
from ibmkg.graph_io import LoadedData
from ibmkg.paths import CACHE_DIR, Layout, import_files, kg_files
from ibmkg.store.embedded import EmbeddedStore
from ibmkg.store.lexical import file_lexical_forms, lexical_forms

__all__ = [
    "BATCH",
    "CACHE_DIR",
    "VARIANTS",
    "cache_path",
    "cached_lexical",
    "digest_files",
    "open_cached",
    "project_digest",
    "save_cache",
    "save_project_cache",
    "source_files",
    "store_directory",
]

_MANIFEST: Final = "manifest.json"
_LEXICAL: Final = "lexical.json"
_FORMAT: Final = 4  # 2: with lexical.json; 3: the plain store without study graphs; 4: compacted
#: Which cached stores keep each study file in its own named graph too. ``plain`` (what
#: ``ibmkg query`` opens for a query without ``GRAPH``) stores a study's triples once, in
#: the default graph; ``graphs`` (queries naming graphs, ``ibmkg serve``) and ``inferred``
#: keep every file's named graph beside the merged default graph.
VARIANTS: Final = {"plain": False, "graphs": True, "inferred": True}
#: Files loaded in memory at a time when a cache is built (each batch then goes to disk in
#: one bulk load); bounds the memory of a build of 100,000 studies.
BATCH: Final = 1000


def source_files(layout: Layout) -> list[Path]:
    """The files a project store is made from.

    :param layout: the project layout.
    :returns: ontology, imports, review and studies, then the mappings when present.
    """
    files = [layout.ontology, *import_files(layout), *kg_files(layout)]
    return files + [p for p in (layout.mappings, layout.mappings_rdf) if p.is_file()]


def digest_files(paths: Iterable[Path]) -> str:
    """Fingerprint files by path, size and modification time (not content: it must be quick).

    :param paths: the files.
    :returns: ``sha256:<hex>``.
    :raises InputError: when a file is missing.
    """
    digest = hashlib.sha256()
    folders: dict[str, str] = {}  # resolved once per folder: 100,000 resolves took seconds
    lines = []
    for path in paths:
        name = os.fspath(path)
        try:
            stat = os.lstat(name)
            if S_ISLNK(stat.st_mode):
                real, stat = str(path.resolve()), path.stat()
            else:
                folder, _, base = name.rpartition(os.sep)
                if folder not in folders:
                    folders[folder] = str(Path(folder or os.curdir).resolve())
                real = f"{folders[folder]}{os.sep}{base}"
        except OSError as err:
            raise InputError(f"{path}: cannot read ({err.strerror})") from None
        lines.append(_line(real, stat))
    digest.update("".join(lines).encode("utf-8", "surrogateescape"))
    return f"sha256:{digest.hexdigest()}"


def project_digest(layout: Layout, extra: Sequence[Path] = ()) -> str:
    """:func:`digest_files` of :func:`source_files` (and ``extra``), without a path per file.

    The same digest, read from one directory scan per folder (the entries' types and
    ``lstat`` come with the scan): 100,000 study files take a fraction of a second, where
    building their paths first took over a second. A folder holding anything but regular
    files (a link, a sub-folder named ``*.ttl``) goes through :func:`source_files`, which
    refuses what is not confined to the project.

    :param layout: the project layout.
    :param extra: more files the store depends on.
    :returns: ``sha256:<hex>``.
    :raises InputError: when a file is missing or not confined.

    >>> from ibmkg.paths import default_layout
    >>> layout = default_layout()
    >>> project_digest(layout) == digest_files(source_files(layout))
    True
    """
    lines: list[str] = []
    single = [layout.ontology]
    for folder in (layout.imports, None, layout.studies):
        if folder is None:
            single += [layout.review] if layout.review.is_file() else []
            continue
        listed = _scan(folder, layout)
        if listed is None:
            return digest_files([*source_files(layout), *extra])
        lines += _lines(single) + listed
        single = []
    single += [p for p in (layout.mappings, layout.mappings_rdf) if p.is_file()]
    lines += _lines([*single, *extra])
    return f"sha256:{hashlib.sha256(''.join(lines).encode('utf-8', 'surrogateescape')).hexdigest()}"


def _scan(folder: Path, layout: Layout) -> list[str] | None:
    """The digest lines of a folder's ``*.ttl`` files, or ``None`` to take the long way."""
    try:
        real = folder.resolve()
        if not real.is_relative_to(layout.root.resolve()):
            return None
        found = []
        with os.scandir(folder) as entries:
            for entry in entries:
                if not entry.name.endswith(".ttl"):
                    continue
                if not entry.is_file(follow_symlinks=False):
                    return None
                stat = entry.stat(follow_symlinks=False)
                found.append((entry.name, _line(f"{real}{os.sep}{entry.name}", stat)))
    except (FileNotFoundError, NotADirectoryError):
        return []
    except OSError:
        return None
    return [line for _, line in sorted(found)]


def _line(real: str, stat: os.stat_result) -> str:
    """One file's line of the digest: its real path, size and modification time."""
    return f"{real}\0{stat.st_size}\0{stat.st_mtime_ns}\n"


def _lines(paths: Iterable[Path]) -> list[str]:
    digest_line = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError as err:
            raise InputError(f"{path}: cannot read ({err.strerror})") from None
        digest_line.append(_line(str(path.resolve()), stat))
    return digest_line


def cache_path(layout: Layout, variant: str = "plain") -> Path:
    """Where a cached store lives.

    :param layout: the project layout.
    :param variant: a key of :data:`VARIANTS` (``inferred``: with the inferred graph).
    :returns: the directory.
    """
    return layout.root / CACHE_DIR / f"store-{variant}"


def _wrap(store: pyoxigraph.Store, path: Path | None = None) -> EmbeddedStore:
    wrapped = EmbeddedStore()
    wrapped._store = store
    wrapped.path = path
    return wrapped


def _open(path: Path) -> EmbeddedStore:
    """Open a cached store read-only: nothing of it is read into Python memory."""
    return _wrap(pyoxigraph.Store.read_only(str(path / "db")), path / "db")


def store_directory(store: EmbeddedStore) -> Path | None:
    """The on-disk store a store returned by :func:`open_cached` was opened from (read-only).

    Other processes may open the same directory read-only (the query workers do).

    :param store: a store.
    :returns: the directory, or ``None`` for a store held in memory.

    >>> store_directory(EmbeddedStore()) is None
    True
    """
    return store.path


def _current(path: Path, digest: str) -> bool:
    manifest = path / _MANIFEST
    if not manifest.is_file():
        return False
    try:
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(recorded.get("format") == _FORMAT and recorded.get("digest") == digest)


def save_cache(data: LoadedData, path: Path, digest: str, *, study_graphs: bool = True,
               ) -> None:
    """Write a store of ``data`` to ``path`` atomically (temporary directory, then rename).

    :param data: loaded data (it passed the strict gate).
    :param path: the cache directory.
    :param digest: :func:`digest_files` of the sources it was made from.
    :param study_graphs: keep each study in its own named graph too (see :data:`VARIANTS`).
    """

    def fill(store: pyoxigraph.Store, _: Path) -> dict[tuple[str, str], str]:
        store.bulk_extend(data.quads(study_graphs=study_graphs))
        store.bulk_extend(pyoxigraph.Quad(t.subject, t.predicate, t.object)
                          for t in set(data.triples()))
        return lexical_forms(t.object for t in data.triples()
                             if isinstance(t.object, pyoxigraph.Literal))

    _save(fill, path, digest)


def save_project_cache(layout: Layout, path: Path, digest: str, *,
                       study_graphs: bool = True) -> None:
    """Load the project strictly straight into a new store at ``path`` (atomically).

    The files go through :func:`ibmkg.store.load.load_project_into` in batches of
    :data:`BATCH` files, written as N-Quads to a temporary file and bulk loaded at once;
    the written forms of typed literals are read from the files
    (:func:`ibmkg.store.lexical.file_lexical_forms`). No triple is held in Python.

    :param layout: the project layout.
    :param path: the cache directory.
    :param digest: :func:`digest_files` of the sources.
    :param study_graphs: keep each study in its own named graph too (see :data:`VARIANTS`).
    :raises RdfSyntaxError: when a source file does not parse (nothing is written).
    :raises InputError: when a check of the strict gate fails.
    """
    from ibmkg.graph_io import mapping_graph
    from ibmkg.store.load import load_project_into

    def fill(store: pyoxigraph.Store, workdir: Path) -> dict[tuple[str, str], str]:
        # every batch to one N-Quads file beside the store, then one bulk load (pyoxigraph's
        # bulk loader on disk is fastest on one large input)
        quads = workdir / "quads.nq"  # inside the temporary directory: removed with it
        try:
            with quads.open("wb") as sink:
                load_project_into(store, layout, batch=BATCH, sink=sink,
                                  study_graphs=study_graphs)
            store.bulk_load(path=str(quads), format=pyoxigraph.RdfFormat.N_QUADS)
        finally:
            quads.unlink(missing_ok=True)
        mappings = mapping_graph(layout)
        extra = [t.object for t in (mappings.triples if mappings is not None else ())
                 if isinstance(t.object, pyoxigraph.Literal)]
        return file_lexical_forms([layout.ontology, *import_files(layout), *kg_files(layout)],
                                  extra=extra)

    _save(fill, path, digest)


def _save(fill: Callable[[pyoxigraph.Store, Path], dict[tuple[str, str], str]], path: Path,
          digest: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=path.name + ".tmp-", dir=path.parent))
    try:
        store = pyoxigraph.Store(str(tmp / "db"))
        forms = fill(store, tmp)
        # Compact the freshly bulk-loaded files once: every later query then reads fewer
        # files (at 10,000 studies a fresh reader's stored query takes x0.60 to x1.04 of the
        # time, median x0.82: `make bench-cli-queries`).
        store.optimize()
        store.flush()
        del store
        (tmp / _LEXICAL).write_text(json.dumps(sorted([*key, form] for key, form in forms.items())),
                                    encoding="utf-8")
        (tmp / _MANIFEST).write_text(json.dumps({"format": _FORMAT, "digest": digest}),
                                     encoding="utf-8")
        old = path.with_name(path.name + ".old")
        if path.exists():
            path.replace(old)
        tmp.replace(path)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def open_cached(layout: Layout, *, extra: Sequence[Path] = (), variant: str = "plain",
                build: Callable[[], LoadedData] | None = None) -> tuple[EmbeddedStore, bool]:
    """The project's store, from the cache when it is current, else loaded and cached.

    :param layout: the project layout.
    :param extra: more files the store depends on (e.g. ``build/inferred.ttl``).
    :param variant: which cached store (a key of :data:`VARIANTS`: ``plain``, ``graphs``
        or ``inferred``).
    :param build: makes the data to cache when the cache is stale (default: the project
        loaded strictly by :func:`ibmkg.graph_io.load_project`).
    :returns: the store (read-only when it came from the cache) and whether it did.
    :raises RdfSyntaxError: when a source file does not parse (the cache is left as it was).
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown cached store {variant!r}; one of {', '.join(VARIANTS)}")
    study_graphs = VARIANTS[variant]
    path = cache_path(layout, variant)
    digest = project_digest(layout, extra)
    if _current(path, digest):
        try:
            return _open(path), True
        except OSError:
            pass  # unreadable: rebuild it
    if build is None:
        try:
            save_project_cache(layout, path, digest, study_graphs=study_graphs)
        except OSError:
            return EmbeddedStore.from_project(layout, study_graphs=study_graphs), False
        return _open(path), False
    data = build()
    try:
        save_cache(data, path, digest, study_graphs=study_graphs)
    except OSError:
        return EmbeddedStore.from_data(data, study_graphs=study_graphs), False
    return _open(path), False


def cached_lexical(layout: Layout, variant: str = "plain") -> dict[tuple[str, str], str] | None:
    """The written forms of the cached store's typed literals (see :mod:`ibmkg.store.lexical`).

    Call it after :func:`open_cached`, which writes them with the store.

    :param layout: the project layout.
    :param variant: which cached store.
    :returns: ``(datatype, store form) -> written form``; ``None`` when the cache has none
        (then they are recomputed from the store, where only the normalised forms remain).

    >>> from ibmkg.paths import Layout
    >>> cached_lexical(Layout(Path("/nonexistent"))) is None
    True
    """
    try:
        rows = json.loads((cache_path(layout, variant) / _LEXICAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return {(datatype, stored): written for datatype, stored, written in rows}
