"""The written forms of typed literals, which pyoxigraph's store normalises.

pyoxigraph's store keeps numbers by value: ``"3.0"^^xsd:decimal`` comes back from a query as
``"3"``. Files must keep what the curator wrote, so the forms are remembered from the parsed
files and restored in answers (:class:`ibmkg.sandbox.store.SandboxedStore`), also across the
persistent cache (:mod:`ibmkg.store.cache`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pyoxigraph

__all__ = ["file_lexical_forms", "lexical_forms"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def lexical_forms(literals: Iterable[pyoxigraph.Literal]) -> dict[tuple[str, str], str]:
    """Map each typed literal's value, as pyoxigraph's store writes it, to its written form.

    Only values written one way in the input are mapped (``3.0`` and ``3.00`` for the same
    value keep the store's form).

    :param literals: literals as parsed from the input files.
    :returns: ``(datatype, store form) -> written form`` where the two differ.

    >>> decimal = pyoxigraph.NamedNode(_XSD + "decimal")
    >>> lexical_forms([pyoxigraph.Literal("3.0", datatype=decimal)])
    {('http://www.w3.org/2001/XMLSchema#decimal', '3'): '3.0'}
    """
    typed = sorted({lit for lit in literals if not lit.language
                    and lit.datatype.value not in (_XSD + "string", _LANG)},
                   key=lambda lit: (lit.datatype.value, lit.value))
    if not typed:
        return {}
    scratch = pyoxigraph.Store()
    subject = pyoxigraph.NamedNode("urn:ibmkg:lexical")
    scratch.extend(pyoxigraph.Quad(subject, pyoxigraph.NamedNode(f"urn:ibmkg:lexical:{i}"), lit)
                   for i, lit in enumerate(typed))
    forms: dict[tuple[str, str], set[str]] = {}
    for quad in scratch:
        index = int(quad.predicate.value.rsplit(":", 1)[1])
        stored = quad.object
        assert isinstance(stored, pyoxigraph.Literal)
        forms.setdefault((stored.datatype.value, stored.value), set()).add(typed[index].value)
    return {key: next(iter(written)) for key, written in forms.items()
            if len(written) == 1 and key[1] not in written}


def file_lexical_forms(paths: Iterable[Path], *, extra: Iterable[pyoxigraph.Literal] = (),
                       ) -> dict[tuple[str, str], str]:
    """:func:`lexical_forms` of the typed literals of Turtle files, without holding their triples.

    Each file is parsed by pyoxigraph and only its typed literals are kept (a set), so the
    memory is that of the distinct literals, not of the graph. The files must have passed
    the strict gate already.

    :param paths: Turtle files.
    :param extra: more literals of the same graph (e.g. the mappings').
    :returns: ``(datatype, store form) -> written form`` where the two differ.

    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = pathlib.Path(d) / "a.ttl"
    ...     _ = f.write_text("<urn:a> <urn:p> 2.0 , 3 , 'x' .")
    ...     file_lexical_forms([f])
    {('http://www.w3.org/2001/XMLSchema#decimal', '2'): '2.0'}
    """
    literals: set[pyoxigraph.Literal] = set(extra)
    plain = (_XSD + "string", _LANG)
    for path in paths:
        for quad in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE):
            obj = quad.object
            if type(obj) is pyoxigraph.Literal and obj.datatype.value not in plain:
                literals.add(obj)
    return lexical_forms(literals)
