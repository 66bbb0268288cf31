"""Compact IRIs (CURIEs) for people: expand what they type, compress what they read.

Every CURIE ibmkg accepts goes through one :class:`curies.Converter` built from
:data:`ibmkg.namespaces.PREFIXES` (and every one it prints is the longest match in that same
map), so the code, the Turtle files, the stored queries, the
SSSOM mapping set and the JSON-LD context all agree on one prefix map. The converter also
accepts the lower-case spelling of each prefix (``hp:``, ``mondo:``, ``ncit:`` -- the
Bioregistry's normalized prefixes) and a few common variants (``ORDO:`` for ``Orphanet:``,
``MeSH:`` for ``MESH:``); it always writes the preferred prefix.

Specification: https://www.w3.org/TR/curie/ ; prefixes: https://bioregistry.io

>>> expand("hp:0002015")
'http://purl.obolibrary.org/obo/HP_0002015'
>>> compress("http://purl.obolibrary.org/obo/MONDO_0007827")
'MONDO:0007827'
>>> compress("https://example.org/x")
'<https://example.org/x>'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:  # curies (with pydantic) costs about a second to import: only on first use
    import curies

from ibmkg.errors import CurieError
from ibmkg.namespaces import PN_LOCAL, PREFIXES

__all__ = [
    "EXTRA_SYNONYMS",
    "compress",
    "converter",
    "expand",
    "expand_term",
    "known_prefixes",
    "normalize_curie",
]

#: Further spellings accepted on input, besides the lower-case form of every prefix.
EXTRA_SYNONYMS: Final[Mapping[str, tuple[str, ...]]] = {
    "MESH": ("MeSH",),
    "Orphanet": ("ORDO", "ordo", "orphanet.ordo"),
}

_PREFIX = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")


def _records(prefixes: Mapping[str, str]) -> list[curies.Record]:
    import curies

    taken = set(prefixes)
    records = []
    for prefix, uri_prefix in prefixes.items():
        synonyms = []
        for synonym in (prefix.lower(), *EXTRA_SYNONYMS.get(prefix, ())):
            if synonym not in taken:
                taken.add(synonym)
                synonyms.append(synonym)
        records.append(curies.Record(prefix=prefix, uri_prefix=uri_prefix,
                                     prefix_synonyms=synonyms))
    return records


@lru_cache(maxsize=1)
def converter() -> curies.Converter:
    """Return the converter for :data:`~ibmkg.namespaces.PREFIXES` (built once, on first use).

    :returns: a :class:`curies.Converter` with the lower-case synonyms of every prefix.

    >>> converter().standardize_prefix("mondo")
    'MONDO'
    """
    import curies

    return curies.Converter(_records(PREFIXES))


def known_prefixes() -> list[str]:
    """Return the preferred prefixes, sorted case-insensitively.

    :returns: the prefixes of :data:`~ibmkg.namespaces.PREFIXES`.

    >>> "HP" in known_prefixes()
    True
    """
    return sorted(PREFIXES, key=lambda p: (p.lower(), p))


def _known_text() -> str:
    return ", ".join(known_prefixes())


def _problem(curie: str, problem: str) -> CurieError:
    return CurieError(
        f"{problem} in {curie!r}; known prefixes (lower-case also accepted): {_known_text()}"
    )


def normalize_curie(curie: str) -> str:
    """Rewrite a CURIE with the preferred spelling of its prefix.

    :param curie: ``prefix:local``, the prefix in any accepted spelling.
    :returns: the same CURIE with the preferred prefix (``hp:1`` -> ``HP:1``).
    :raises CurieError: for an unknown prefix or a malformed CURIE (one line, listing the
        known prefixes).

    >>> normalize_curie("ordo:611")
    'Orphanet:611'
    """
    prefix, local = _split(curie)
    standard = converter().standardize_prefix(prefix)
    if standard is None:
        raise _problem(curie, f"unknown prefix {prefix!r}")
    return f"{standard}:{local}"


def _split(curie: str) -> tuple[str, str]:
    text = curie.strip()
    prefix, sep, local = text.partition(":")
    if not sep:
        raise _problem(curie, "no ':' between prefix and local identifier")
    if not prefix:
        raise _problem(curie, "empty prefix")
    if local.startswith("//"):
        raise _problem(curie, "this is an IRI, not a CURIE (write it as <...>)")
    if not _PREFIX.fullmatch(prefix):
        raise _problem(curie, f"malformed prefix {prefix!r}")
    if local and not PN_LOCAL.fullmatch(local):
        raise _problem(curie, f"malformed local identifier {local!r}")
    return prefix, local


def expand(curie: str) -> str:
    """Expand a CURIE to its IRI.

    :param curie: ``prefix:local`` with a known prefix in any accepted spelling
        (``HP:0002015``, ``hp:0002015``); surrounding whitespace is ignored.
    :returns: the full IRI.
    :raises CurieError: for an unknown prefix or a malformed CURIE; the one-line message
        lists the known prefixes.

    >>> expand("MONDO:0007827")
    'http://purl.obolibrary.org/obo/MONDO_0007827'
    >>> expand("nope:1")
    Traceback (most recent call last):
    ...
    ibmkg.errors.CurieError: unknown prefix 'nope' in 'nope:1'; known prefixes ...
    """
    normalized = normalize_curie(curie)
    iri = converter().expand(normalized)
    if iri is None:  # pragma: no cover - normalize_curie already checked the prefix
        raise _problem(curie, "cannot expand")
    return iri


def compress(iri: str) -> str:
    """Compress an IRI with the longest matching namespace, for display.

    The local part must be a Turtle/SPARQL ``PN_LOCAL`` (so the CURIE can be pasted into a
    query); otherwise, and for IRIs outside the prefix map, the IRI is returned as ``<iri>``.

    :param iri: a full IRI.
    :returns: ``PREFIX:local`` or ``<iri>``.

    >>> compress("https://w3id.org/ibmkg/vocab/outcome/dysphagia")
    'outcome:dysphagia'
    >>> compress("https://w3id.org/ibmkg/study/dalakas-1997/finding-1")
    '<https://w3id.org/ibmkg/study/dalakas-1997/finding-1>'
    """
    for namespace, prefix in _namespaces():
        if iri.startswith(namespace):
            local = iri[len(namespace):]
            if not local or PN_LOCAL.fullmatch(local):
                return f"{prefix}:{local}"
            break
    return f"<{iri}>"


@lru_cache(maxsize=1)
def _namespaces() -> tuple[tuple[str, str], ...]:
    """The prefix map as ``(namespace, prefix)``, longest namespace first.

    :func:`compress` matches it directly: the same longest match as the converter's
    (``tests/test_curie.py`` compares the two on every IRI of the graph), without importing
    curies and pydantic (0.3 to 0.7 s) to print a table.
    """
    return tuple(sorted(((ns, prefix) for prefix, ns in PREFIXES.items()),
                        key=lambda item: (-len(item[0]), item[1])))


def expand_term(text: str) -> str:
    """Resolve a term typed by a user: ``<iri>``, an absolute IRI, or a CURIE.

    :param text: ``<https://...>``, ``https://...``, ``urn:...``, ``mailto:...`` or a CURIE.
    :returns: the full IRI.
    :raises CurieError: for an unknown prefix or a malformed CURIE.

    >>> expand_term("<https://w3id.org/ibmkg/study/a>")
    'https://w3id.org/ibmkg/study/a'
    >>> expand_term("Orphanet:611")
    'http://www.orpha.net/ORDO/Orphanet_611'
    """
    value = text.strip()
    if value.startswith("<") and value.endswith(">"):
        return value[1:-1]
    scheme, sep, rest = value.partition(":")
    if sep and (rest.startswith("//") or scheme.lower() in ("urn", "mailto")):
        return value
    return expand(value)
