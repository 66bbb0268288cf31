"""The written forms of typed literals, which pyoxigraph's store normalises.

pyoxigraph's store keeps numbers by value: ``"3.0"^^xsd:decimal`` comes back from a query as
``"3"``. Files must keep what the curator wrote, so the forms are remembered from the parsed
files and restored in answers (:class:`ibmkg.sandbox.store.SandboxedStore`, and
:class:`ibmkg.store.embedded.EmbeddedStore` made with ``keep_written_forms``), also across
the persistent cache (:mod:`ibmkg.store.cache`). A value written two ways (``"3.0"`` and
``"3.00"``) is one value in the store: answers show one form, and :func:`lexical_conflicts`
names such values so that the build says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph

__all__ = [
    "WrittenForms", "file_lexical_forms", "lexical_conflicts", "lexical_forms",
    "restore_literal", "restore_triple", "written_forms",
]

#: ``(datatype, store form) -> written form``, as made by :func:`lexical_forms`.
WrittenForms = Mapping[tuple[str, str], str]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _store_forms(literals: Iterable[pyoxigraph.Literal]) -> dict[tuple[str, str], set[str]]:
    """``(datatype, store form) -> written forms`` for every typed, non-string literal."""
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
    return forms


def lexical_forms(literals: Iterable[pyoxigraph.Literal]) -> dict[tuple[str, str], str]:
    """Map each typed literal's value, as pyoxigraph's store writes it, to its written form.

    Only values written one way in the input are mapped (``3.0`` and ``3.00`` for the same
    value keep the store's form; :func:`lexical_conflicts` lists them).

    :param literals: literals as parsed from the input files.
    :returns: ``(datatype, store form) -> written form`` where the two differ.

    >>> decimal = pyoxigraph.NamedNode(_XSD + "decimal")
    >>> lexical_forms([pyoxigraph.Literal("3.0", datatype=decimal)])
    {('http://www.w3.org/2001/XMLSchema#decimal', '3'): '3.0'}
    """
    return written_forms(literals)[0]


def lexical_conflicts(literals: Iterable[pyoxigraph.Literal]) -> list[str]:
    """The values written in more than one way, which the store keeps in one form only.

    pyoxigraph's store keeps ``"3.0"`` and ``"3.00"`` (both ``xsd:decimal``) as one value, so
    a query answer cannot tell which was written; ibmkg's files keep both. Each conflict is
    described for a warning, so that it is never silent.

    :param literals: literals as parsed from the input files.
    :returns: one line per value, e.g. ``xsd:decimal "3.0", "3.00"``, sorted.

    >>> decimal = pyoxigraph.NamedNode(_XSD + "decimal")
    >>> lexical_conflicts([pyoxigraph.Literal(v, datatype=decimal) for v in ("3.0", "3.00", "2")])
    ['xsd:decimal "3.0", "3.00"']
    """
    return written_forms(literals)[1]


def written_forms(literals: Iterable[pyoxigraph.Literal]) -> tuple[dict[tuple[str, str], str],
                                                                     list[str]]:
    """:func:`lexical_forms` and :func:`lexical_conflicts` in one pass over the literals.

    :param literals: literals as parsed from the input files.
    :returns: the written forms to restore, and the values written in more than one way.

    >>> decimal = pyoxigraph.NamedNode(_XSD + "decimal")
    >>> written_forms([pyoxigraph.Literal(v, datatype=decimal) for v in ("3.0", "2.50", "2.5")])
    ({('http://www.w3.org/2001/XMLSchema#decimal', '3'): '3.0'}, ['xsd:decimal "2.5", "2.50"'])
    """
    forms: dict[tuple[str, str], str] = {}
    conflicts = []
    for (datatype, stored), written in _store_forms(literals).items():
        if len(written) > 1:
            conflicts.append(f"{datatype.replace(_XSD, 'xsd:')} "
                             + ", ".join(f'"{form}"' for form in sorted(written)))
        elif stored not in written:
            forms[(datatype, stored)] = next(iter(written))
    return forms, sorted(conflicts)


def restore_literal(literal: pyoxigraph.Literal, forms: WrittenForms) -> pyoxigraph.Literal:
    """The literal with the form it was written in, when the store changed it.

    :param literal: a literal from a query answer.
    :param forms: the written forms (:func:`lexical_forms`).
    :returns: the literal as written, or ``literal`` itself.

    >>> decimal = pyoxigraph.NamedNode(_XSD + "decimal")
    >>> forms = lexical_forms([pyoxigraph.Literal("3.0", datatype=decimal)])
    >>> restore_literal(pyoxigraph.Literal("3", datatype=decimal), forms).value
    '3.0'
    """
    if literal.language:
        return literal
    written = forms.get((literal.datatype.value, literal.value))
    return literal if written is None else pyoxigraph.Literal(written, datatype=literal.datatype)


def restore_triple(triple: pyoxigraph.Triple, forms: WrittenForms) -> pyoxigraph.Triple:
    """The triple with its object literal as written (see :func:`restore_literal`).

    :param triple: a triple from a CONSTRUCT or DESCRIBE answer.
    :param forms: the written forms.
    :returns: the triple as written.

    >>> decimal = pyoxigraph.NamedNode(_XSD + "decimal")
    >>> forms = {(_XSD + "decimal", "3"): "3.0"}
    >>> s = pyoxigraph.NamedNode("urn:s")
    >>> restore_triple(pyoxigraph.Triple(s, s, pyoxigraph.Literal("3", datatype=decimal)),
    ...                forms).object.value
    '3.0'
    """
    obj = triple.object
    if not isinstance(obj, pyoxigraph.Literal) or not forms:
        return triple
    return pyoxigraph.Triple(triple.subject, triple.predicate, restore_literal(obj, forms))


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
