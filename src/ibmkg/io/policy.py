"""What a project file must be before ibmkg reads it, and what the loaded graphs must not do.

- :func:`confine`: a regular file inside the project; a symbolic link out of it (to
  ``/etc/passwd``, say) or a device, FIFO or folder is refused before it is opened, so
  nothing of it can be echoed in an error.
- :func:`check_study_slugs`: each study is described in one file, ``kg/studies/<slug>.ttl``;
  a copy under another name, or two names differing only in case, is refused.
- :func:`refuse_imports`: ``owl:imports`` is never followed (it would reach the network
  through the reasoner); import modules live in ``ontology/imports/``.

>>> import tempfile, pathlib, os
>>> with tempfile.TemporaryDirectory() as d:
...     root = pathlib.Path(d)
...     os.symlink("/etc/hostname", root / "x.ttl")
...     confine(root / "x.ttl", root, "x.ttl")
Traceback (most recent call last):
...
ibmkg.errors.UnsafePathError: x.ttl: a symbolic link to a file outside the project; ...
"""

from __future__ import annotations

import stat
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Final

import pyoxigraph

from ibmkg.errors import InputError, UnsafePathError

__all__ = ["check_study_slugs", "confine", "refuse_imports"]

_OWL_IMPORTS: Final = "http://www.w3.org/2002/07/owl#imports"


def confine(path: Path, root: Path, display: str) -> Path:
    """Check that ``path`` is a regular file whose real location is inside ``root``.

    :param path: the file about to be read.
    :param root: the project folder.
    :param display: the file as shown in messages.
    :returns: ``path`` unchanged.
    :raises UnsafePathError: for a link out of the project, or something not a regular file.
    :raises InputError: when the file does not exist.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        kind = "a dangling symbolic link" if path.is_symlink() else "no such file"
        raise InputError(f"{display}: {kind}") from None
    except OSError as err:
        raise InputError(f"{display}: cannot read ({err.strerror})") from None
    real = path.resolve()
    if not real.is_relative_to(root.resolve()):
        raise UnsafePathError(display, "a symbolic link to a file outside the project")
    if not stat.S_ISREG(info.st_mode):
        raise UnsafePathError(display, "not a regular file")
    return path


def check_study_slugs(studies: Sequence[tuple[str, str, Iterable[pyoxigraph.Triple]]],
                      study_base: str) -> None:
    """Refuse a study described in two files, or two study files differing only in case.

    :param studies: ``(slug, display, triples)`` for each study file.
    :param study_base: the study namespace, e.g. ``https://w3id.org/ibmkg/study/``.
    :raises InputError: naming both files and the fix.

    >>> base = "https://w3id.org/ibmkg/study/"
    >>> t = pyoxigraph.Triple(pyoxigraph.NamedNode(base + "a"), pyoxigraph.NamedNode("urn:p"),
    ...                       pyoxigraph.Literal("x"))
    >>> check_study_slugs([("a", "a.ttl", [t]), ("a-copy", "a-copy.ttl", [t])], base)
    Traceback (most recent call last):
    ...
    ibmkg.errors.InputError: a-copy.ttl describes study:a, which is a.ttl's study ...
    """
    files = {slug: display for slug, display, _ in studies}
    folded: dict[str, str] = {}
    for slug, display, _ in studies:
        other = folded.setdefault(slug.casefold(), display)
        if other != display:
            raise InputError(f"{display} and {other} name the same study in different case; "
                             "keep one file per study, in lower case")
    for slug, display, triples in studies:
        for triple in triples:
            subject = triple.subject
            if not isinstance(subject, pyoxigraph.NamedNode):
                continue
            if not subject.value.startswith(study_base):
                continue
            described = subject.value[len(study_base):].split("/", 1)[0].split("#", 1)[0]
            if described and described != slug:
                owner = files.get(described, f"kg/studies/{described}.ttl")
                raise InputError(
                    f"{display} describes study:{described}, which is {owner}'s study "
                    f"(a duplicated study slug); describe only study:{slug} in {display}, "
                    f"or remove the copy"
                )


def refuse_imports(triples: Iterable[pyoxigraph.Triple], display: str) -> None:
    """Refuse ``owl:imports``: ibmkg never follows it.

    :param triples: a file's triples.
    :param display: the file as shown in messages.
    :raises InputError: naming the imported IRI and the fix.

    >>> t = pyoxigraph.Triple(pyoxigraph.NamedNode("urn:o"), pyoxigraph.NamedNode(_OWL_IMPORTS),
    ...                       pyoxigraph.NamedNode("http://purl.obolibrary.org/obo/bfo.owl"))
    >>> refuse_imports([t], "ontology/ibmkg.ttl")
    Traceback (most recent call last):
    ...
    ibmkg.errors.InputError: ontology/ibmkg.ttl: owl:imports <http://purl.obolibrary.org/...
    """
    for triple in triples:
        if triple.predicate.value == _OWL_IMPORTS:
            target = triple.object
            shown = target.value if isinstance(target, pyoxigraph.NamedNode) else str(target)
            raise InputError(
                f"{display}: owl:imports <{shown}> would make the reasoner fetch "
                "it from the network; put the terms you need in ontology/imports/ "
                "(`make imports`) and remove the owl:imports statement"
            )
