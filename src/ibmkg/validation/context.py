"""Validating one file in context: a study file with the project's ontology, imports, review
and mappings, so that a correct study is clean on its own.

A study file refers to the review that includes it and to ontology terms; validated alone it
breaks every link (``ibmkg:reviewedIn``, ``prov:wasQuotedFrom``). :func:`load_in_context`
loads the given files together with the project's ontology, imports, review and mappings
(never a second copy of a file that is given), and :func:`only_in` keeps the results that
are located in the given files: mistakes of the project's own files are not the file's.
A file outside the project (a new study, a synthetic graph) gets its own graph.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ibmkg.graph_io import LoadedData, load_dataset, mapping_graph
from ibmkg.paths import Layout, import_files
from ibmkg.validation.report import ValidationReport

__all__ = ["load_in_context", "only_in"]


def load_in_context(layout: Layout, files: Sequence[Path], *, with_mappings: bool = True,
                    ) -> tuple[LoadedData, list[str]]:
    """Load files with the project's ontology, imports, review and mappings.

    :param layout: the project the files are checked against.
    :param files: the files to validate.
    :param with_mappings: include the SSSOM mappings graph when there is one.
    :returns: the data, and the display names of the given files (to keep their results).
    :raises RdfSyntaxError: when a file does not parse.
    :raises InputError: when two given files would be the same graph.

    >>> from ibmkg.paths import Layout
    >>> data, shown = load_in_context(Layout(Path("no-such-project")), [])
    >>> data.graphs, shown
    ((), [])
    """
    given = {f.resolve() for f in files}
    context = [layout.review] if layout.review.is_file() \
        and layout.review.resolve() not in given else []
    ontology = layout.ontology if layout.ontology.is_file() \
        and layout.ontology.resolve() not in given else None
    data = load_dataset(ontology, [*context, *files], layout=layout,
                        imports=[p for p in import_files(layout) if p.resolve() not in given])
    if with_mappings:
        mappings = mapping_graph(layout)
        if mappings is not None:
            data = data.with_graph(mappings)
    return data, [layout.relative(f).as_posix() for f in files]


def only_in(report: ValidationReport, files: Sequence[str]) -> ValidationReport:
    """Keep the results located in the given files (and those with no location at all).

    :param report: the report of a validation in context.
    :param files: display names of the files whose results to keep.
    :returns: a new report.

    >>> only_in(ValidationReport(), ["kg/studies/a.ttl"]).results
    []
    """
    wanted = set(files)
    kept = [r for r in report.results if r.location is None or r.location.file in wanted]
    return ValidationReport(kept, report.study_labels)
