"""The gate's verdicts kept on disk, so a query it has passed is not parsed by rdflib again.

The gate (:mod:`ibmkg.sandbox.gate`) parses every query with rdflib; importing rdflib and
parsing took about 0.9 s of the 2.3 s that ``ibmkg query`` needed for its first answer on a
warm store of 10,000 studies. A verdict is kept only for a query the gate *accepted*, under
the SHA-256 of the query text, the gate's options and the source of the gate module itself
(a changed gate forgets every verdict). A refused query is never kept: it is parsed again
each time, and its message names the file and the line.

The file is JSON (``.ibmkg/gate-verdicts.json`` under a project root), replaced atomically
(temporary file, then rename); one that cannot be read is treated as empty, one that cannot
be written is left alone. At most :data:`LIMIT` verdicts are kept, the newest.

>>> import tempfile
>>> from ibmkg.sandbox.gate import QueryInfo
>>> with tempfile.TemporaryDirectory() as d:
...     cache = VerdictCache(Path(d) / "v.json")
...     cache.put("k", QueryInfo("SELECT", ("s",), False))
...     VerdictCache(Path(d) / "v.json").get("k")
QueryInfo(form='SELECT', columns=('s',), has_service=False, star=False)
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from ibmkg.sandbox.gate import QueryInfo

__all__ = ["LIMIT", "VerdictCache", "verdict_key"]

#: The most verdicts kept (the oldest are dropped).
LIMIT: Final = 2000
_FORMAT: Final = 1


@functools.lru_cache(maxsize=1)
def _gate_digest() -> str:
    from importlib.metadata import PackageNotFoundError, version

    import pyoxigraph

    from ibmkg.sandbox import gate
    from ibmkg.sparql import __file__ as sparql_file

    digest = hashlib.sha256()
    try:  # the parsers' versions: a new grammar may judge a query differently
        digest.update(f"{pyoxigraph.__version__}\0{version('rdflib')}\0".encode())
    except PackageNotFoundError:
        digest.update(f"{pyoxigraph.__version__}\0?\0".encode())
    for source in (gate.__file__, sparql_file):
        digest.update(Path(source).read_bytes())
    return digest.hexdigest()


def verdict_key(text: str, allow_service: bool, max_depth: int) -> str:
    """The key of a query's verdict: its text, the gate's options and the gate's own source.

    :param text: the query.
    :param allow_service: whether SERVICE was allowed.
    :param max_depth: the nesting limit.
    :returns: a hex SHA-256.

    >>> verdict_key("ASK {}", False, 64) == verdict_key("ASK {}", False, 64)
    True
    >>> verdict_key("ASK {}", False, 64) == verdict_key("ASK {}", True, 64)
    False
    """
    digest = hashlib.sha256(_gate_digest().encode())
    digest.update(f"\0{allow_service}\0{max_depth}\0".encode())
    digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


class VerdictCache:
    """Accepted queries' verdicts in one JSON file.

    :param path: the file (its folder is created on the first write).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._entries: dict[str, list[object]] | None = None

    def _load(self) -> dict[str, list[object]]:
        if self._entries is None:
            try:
                raw = json.loads(self.path.read_text(encoding="utf-8"))
                entries = raw["verdicts"] if raw.get("format") == _FORMAT else {}
                self._entries = entries if isinstance(entries, dict) else {}
            except (OSError, ValueError, AttributeError, KeyError, TypeError):
                self._entries = {}
        return self._entries

    def get(self, key: str) -> QueryInfo | None:
        """The verdict kept under ``key``.

        :param key: :func:`verdict_key`.
        :returns: the gate's answer, or ``None`` when none is kept (or it is malformed).
        """
        from ibmkg.sandbox.gate import QueryInfo

        entry = self._load().get(key)
        if not isinstance(entry, list) or len(entry) != 4:
            return None
        form, columns, has_service, star = entry
        if (not isinstance(form, str) or not isinstance(columns, list)
                or not all(isinstance(c, str) for c in columns)
                or not isinstance(has_service, bool) or not isinstance(star, bool)):
            return None
        return QueryInfo(form, tuple(columns), has_service, star)

    def put(self, key: str, info: QueryInfo) -> None:
        """Keep an accepted query's verdict (the file is replaced atomically).

        :param key: :func:`verdict_key`.
        :param info: the gate's answer.
        """
        entries = self._load()
        entries.pop(key, None)
        entries[key] = [info.form, list(info.columns), info.has_service, info.star]
        while len(entries) > LIMIT:
            del entries[next(iter(entries))]
        body = json.dumps({"format": _FORMAT, "verdicts": entries}, sort_keys=False)
        from ibmkg.graph_io import atomic_write

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, body)
        except OSError:
            pass  # a read-only project: the verdict is simply not kept
