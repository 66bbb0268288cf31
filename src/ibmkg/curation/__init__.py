"""Curating new evidence: study forms in YAML, tables and records, checked before writing.

The path in is the same for every source: a form (:class:`Study`) is read safely
(:mod:`~ibmkg.curation.yamlio`, :mod:`~ibmkg.curation.tables`,
:mod:`~ibmkg.curation.records`), its values resolved against the ontology
(:mod:`~ibmkg.curation.vocab`), turned into triples (:mod:`~ibmkg.curation.rdf`), checked
with the existing graph and written atomically (:mod:`~ibmkg.curation.add`).
:func:`describe_study` is the way back from a stored study to its form.

>>> from ibmkg.paths import default_layout
>>> study = read_study("recher-2012", default_layout())
>>> study.patients, study.design.types
(1, ['CaseReport'])
"""

from __future__ import annotations

from ibmkg.curation.add import (
    AddOutcome,
    Plan,
    add_studies,
    load_form,
    plan_study,
    write_plans,
)
from ibmkg.curation.describe import describe_study, read_study, study_yaml
from ibmkg.curation.model import Study
from ibmkg.curation.rdf import form_dict, study_from_triples, study_to_triples
from ibmkg.curation.records import draft_from_ctgov, draft_from_pubmed
from ibmkg.curation.sourcing import curated_problems
from ibmkg.curation.tables import ImportReport, import_table
from ibmkg.curation.template import study_template
from ibmkg.curation.vocab import Vocabulary
from ibmkg.curation.yamlio import read_form, read_form_text

__all__ = [
    "AddOutcome",
    "ImportReport",
    "Plan",
    "Study",
    "Vocabulary",
    "add_studies",
    "curated_problems",
    "describe_study",
    "draft_from_ctgov",
    "draft_from_pubmed",
    "form_dict",
    "import_table",
    "load_form",
    "plan_study",
    "read_form",
    "read_form_text",
    "read_study",
    "study_from_triples",
    "study_template",
    "study_to_triples",
    "study_yaml",
    "write_plans",
]
