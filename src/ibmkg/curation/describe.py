"""Describing a stored study: its graph read back into the YAML form.

>>> from ibmkg.paths import default_layout
>>> from ibmkg.formats import FormFormat
>>> text = describe_study("cherin-2002", default_layout(), FormFormat.YAML)
>>> "slug: cherin-2002" in text
True
"""

from __future__ import annotations

from ibmkg.curation.model import Study
from ibmkg.curation.rdf import form_dict, study_from_triples
from ibmkg.curation.template import describe_header
from ibmkg.curation.vocab import Vocabulary
from ibmkg.curation.yamlio import dump_form
from ibmkg.errors import InputError
from ibmkg.formats import FormFormat
from ibmkg.graph_io import load_turtle
from ibmkg.paths import Layout


def read_study(slug: str, layout: Layout, vocab: Vocabulary | None = None) -> Study:
    """Read a stored study into the form.

    :param slug: the study's slug.
    :param layout: the project.
    :param vocab: the allowed values (read from the project when not given).
    :returns: the form.
    :raises InputError: when there is no such study, or its graph holds a triple the form
        cannot express.
    """
    path = layout.studies / f"{slug}.ttl"
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in layout.studies.glob("*.ttl"))) or "none"
        raise InputError(f"no study {slug!r} in {layout.relative(layout.studies).as_posix()}/ "
                         f"(studies: {known})")
    display = layout.relative(path).as_posix()
    try:
        return study_from_triples(slug, load_turtle(path, display=display),
                                  vocab or Vocabulary.from_layout(layout))
    except InputError as err:
        raise InputError(f"{display}: {err}") from None


def study_yaml(study: Study, *, header: str = "") -> str:
    """Write a form as YAML.

    :param study: the form.
    :param header: comment lines to put first.
    :returns: the YAML text.

    >>> print(study_yaml(Study.model_validate({"slug": "a-1", "label": "A",
    ...                                        "publication": {"title": "T"}})), end="")
    slug: a-1
    label: A
    publication:
      title: T
    """
    return header + dump_form(form_dict(study))


def describe_study(slug: str, layout: Layout, fmt: FormFormat = FormFormat.YAML) -> str:
    """Print a stored study as the YAML form (or its Turtle).

    :param slug: the study's slug.
    :param layout: the project.
    :param fmt: YAML (the form ``ibmkg add`` reads) or Turtle (the stored file).
    :returns: the text.
    :raises InputError: when there is no such study.
    """
    study = read_study(slug, layout)
    if fmt is FormFormat.TURTLE:
        return (layout.studies / f"{slug}.ttl").read_text(encoding="utf-8")
    source = layout.relative(layout.studies / f"{slug}.ttl").as_posix()
    return study_yaml(study, header=describe_header(slug, source))
