"""SHACL validation that names the offending triple, checks the vocabulary, and follows the spec.

One call validates loaded data against a shapes graph and returns a :class:`ValidationReport`
of :class:`ValidationResult` objects. On top of the SHACL engine (:class:`Engine`; pySHACL
today, in :mod:`ibmkg.validation.pyshacl_adapter`), two checks run in Python on every graph:

* the closed vocabulary (:mod:`ibmkg.validation.vocabulary`): every ``ibmkg:``, ``measure:``,
  ``outcome:`` and ``weakness:`` term the data uses is declared, else a Violation with
  "did you mean" suggestions;
* literal forms (:mod:`ibmkg.validation.literals`): every XSD-typed literal is valid for
  its datatype (``"200O"^^xsd:gYear`` is not).

Each result is located at the triple that is wrong (:mod:`ibmkg.validation.locate`): the
file, line and column of its value, or of the subject when a value is missing. The report
(:mod:`ibmkg.validation.report`) is the standard ``sh:ValidationReport``: ``sh:conforms`` is
false whenever there is any result; :meth:`ValidationReport.passes` says whether it fails
the command (Violations always, Warnings and Infos only in strict mode).

Module map: ``report`` (result model and formats), ``engine`` (the engine choice),
``pyshacl_adapter`` (the only pySHACL import), ``shapes`` (loading, checking and selecting
shapes), ``vocabulary``, ``literals``, ``locate``, ``context`` (one file with its project).

Specification: https://www.w3.org/TR/shacl/#validation-report

>>> from ibmkg.graph_io import SourceGraph, parse_turtle
>>> data = LoadedData((SourceGraph("urn:g", "x.ttl", tuple(parse_turtle(
...     '<http://ex/a> <https://w3id.org/ibmkg/ontology/year> "200O"^^'
...     '<http://www.w3.org/2001/XMLSchema#gYear> .'))),), SourceIndex())
>>> [r.source_shape.rsplit("/", 1)[-1] for r in validate(data, []).results]
['LiteralForm', 'ClosedVocabulary']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Final

import pyoxigraph

from ibmkg.curie import expand
from ibmkg.graph_io import LoadedData
from ibmkg.namespaces import PREFIXES
from ibmkg.paths import IMPORTS_GRAPH_BASE, ONTOLOGY_GRAPH
from ibmkg.source_index import Location, SourceIndex
from ibmkg.validation.engine import Engine
from ibmkg.validation.literals import lexical_problem
from ibmkg.validation.locate import Locator
from ibmkg.validation.report import (
    SH,
    Mistake,
    Severity,
    ValidationReport,
    ValidationResult,
    format_report,
    result_key,
    show,
    show_term,
)
from ibmkg.validation.shapes import check_shapes, load_shapes, select_shapes
from ibmkg.validation.vocabulary import Role, Vocabulary, unknown_terms

if TYPE_CHECKING:
    from ibmkg.queries import StoredQuery
    from ibmkg.store.base import Store

__all__ = [
    "CLOSED_VOCABULARY",
    "LITERAL_FORM",
    "Engine",
    "Mistake",
    "Severity",
    "ValidationReport",
    "ValidationResult",
    "check_results",
    "check_shapes",
    "format_report",
    "load_shapes",
    "select_shapes",
    "validate",
    "validate_project",
    "validate_shapes",
]

#: The source shape (and, with ``Component``, the constraint component) of the Python checks.
CLOSED_VOCABULARY: Final = PREFIXES["shape"] + "ClosedVocabulary"
LITERAL_FORM: Final = PREFIXES["shape"] + "LiteralForm"

_LABELS: Final = (PREFIXES["rdfs"] + "label", PREFIXES["dcterms"] + "title",
                  PREFIXES["skos"] + "prefLabel")


def validate(
    data: LoadedData,
    shapes: Iterable[pyoxigraph.Triple],
    ontology: Iterable[pyoxigraph.Triple] | None = None,
    *,
    inference: str = "none",
    use_shapes: Sequence[str] | None = None,
    engine: Engine = Engine.COMPILED,
    python_checks: bool = True,
) -> ValidationReport:
    """Validate the union of the loaded graphs against SHACL shapes, plus the Python checks.

    :param data: the loaded graphs (their source index gives file, line and column).
    :param shapes: the shapes graph (may be empty: then only the Python checks run).
    :param ontology: extra triples to mix into the data graph (e.g. inferences).
    :param inference: pySHACL's ``inference`` option: ``none``, ``rdfs``, ``owlrl`` or ``both``.
    :param use_shapes: run only these shapes (IRIs) and what they use; all by default.
    :param engine: the SHACL engine.
    :param python_checks: also run the closed-vocabulary and literal-form checks.
    :returns: the report, results sorted by severity, file, line and column.
    :raises ShapesError: when the shapes graph is broken (before any data is validated).

    >>> from ibmkg.graph_io import SourceGraph, parse_turtle
    >>> index = SourceIndex()
    >>> text = '<http://ex/a> <http://ex/n> "x" .'
    >>> index.scan("a.ttl", text)
    >>> data = LoadedData((SourceGraph("urn:g", "a.ttl", tuple(parse_turtle(text))),), index)
    >>> shapes = parse_turtle('''@prefix sh: <http://www.w3.org/ns/shacl#> .
    ... <http://ex/S> sh:targetNode <http://ex/a> ; sh:property [ sh:path <http://ex/n> ;
    ...     sh:datatype <http://www.w3.org/2001/XMLSchema#integer> ] .''')
    >>> [(r.constraint_component.rsplit("#")[-1], str(r.location))
    ...  for r in validate(data, shapes).results]
    [('DatatypeConstraintComponent', 'a.ttl:1:29')]
    """
    shapes = list(shapes)
    if use_shapes is not None:
        # pySHACL 0.40's own use_shapes reports nothing for a node shape: select here instead.
        shapes = select_shapes(shapes, use_shapes)
    locator = Locator(data.index)
    results: list[ValidationResult] = []
    if shapes:
        check_shapes(shapes)
        triples: list[pyoxigraph.Triple] = list(data.triples())
        if ontology is not None:
            triples += list(ontology)
        results += [_place(r, anchor, locator, data.index)
                    for r, anchor in _run_engine(engine, triples, shapes, inference)]
    if python_checks:
        results += python_check_results(data, locator)
    results.sort(key=result_key)
    return ValidationReport(results, _study_labels(data))


def _run_engine(engine: Engine, triples: list[pyoxigraph.Triple],
                shapes: list[pyoxigraph.Triple], inference: str,
                ) -> list[tuple[ValidationResult, str | None]]:
    from ibmkg.validation.pyshacl_adapter import run_pyshacl

    if engine is Engine.COMPILED:
        from ibmkg.validation.compiled import run_compiled

        return run_compiled(triples, shapes, inference=inference, fallback=run_pyshacl)
    return run_pyshacl(triples, shapes, inference=inference)


def _place(result: ValidationResult, anchor: str | None, locator: Locator,
           index: SourceIndex) -> ValidationResult:
    """Fill in where the result's triple is written and which study (graph) it is in."""
    if result.focus.startswith("_:"):
        location = locator.subject_at(anchor) if anchor else None
    else:
        location = locator.locate(result.focus, result.path, result.value)
    study = index.files.get(location.file) if location else None
    return replace(result, location=location, study=study)


def python_check_results(data: LoadedData, locator: Locator | None = None,
                         ) -> list[ValidationResult]:
    """The closed-vocabulary and literal-form checks, one result per offending triple.

    The vocabulary is what the ontology and import graphs declare; when the data has no
    ontology graph (a single merged graph), what any of its triples describes.

    :param data: the loaded graphs.
    :param locator: a locator over ``data.index`` (made when not given).
    :returns: the results, unsorted.

    >>> from ibmkg.graph_io import SourceGraph, parse_turtle
    >>> data = LoadedData((SourceGraph("urn:g", "x.ttl", tuple(parse_turtle(
    ...     '<http://ex/a> a <https://w3id.org/ibmkg/ontology/Studdy> .'))),), SourceIndex())
    >>> python_check_results(data)[0].message
    'ibmkg:Studdy is not a class of the ibmkg ontology'
    """
    locator = locator or Locator(data.index)
    vocab_graphs = [g for g in data.graphs
                    if g.name == ONTOLOGY_GRAPH or g.name.startswith(IMPORTS_GRAPH_BASE)]
    vocab = Vocabulary.from_triples(t for g in (vocab_graphs or data.graphs) for t in g.triples)
    data_graphs = [g for g in data.graphs if g not in vocab_graphs]
    results = []
    for graph in data_graphs:
        for triple, term, role in unknown_terms(graph.triples, vocab):
            suggestions = vocab.suggest(term, role)
            fix = ("did you mean " + " or ".join(suggestions) + "?") if suggestions else \
                f"use a {role.value} declared in the ontology, or declare {show(term)} there"
            subject = _term_value(triple.subject)
            where = locator.locate_term(subject, triple.predicate.value,
                                        _term_value(triple.object)) if role is not Role.PROPERTY \
                else _predicate_at(locator, subject, triple.predicate.value)
            result = _python_result(
                CLOSED_VOCABULARY, subject, triple.predicate.value,
                _nt(triple.object) if role is not Role.PROPERTY else None,
                f"{show(term)} is not a{'n' if role is Role.VALUE else ''} {role.value} of "
                "the ibmkg ontology", fix, where or locator.subject_at(subject),
                data.index, graph.name)
            results.append(replace(result, suggestions=tuple(expand(c) for c in suggestions)))
    for graph in data.graphs:
        for triple in graph.triples:
            obj = triple.object
            if not isinstance(obj, pyoxigraph.Literal) or obj.language:
                continue
            problem = lexical_problem(obj.value, obj.datatype.value)
            if problem is None:
                continue
            subject = _term_value(triple.subject)
            where = locator.locate_term(subject, triple.predicate.value, obj.value)
            results.append(_python_result(
                LITERAL_FORM, subject, triple.predicate.value, _nt(obj), problem,
                f"write a valid {show(obj.datatype.value)} or change the datatype",
                where or locator.subject_at(subject), data.index, graph.name))
    return results


def _predicate_at(locator: Locator, subject: str, predicate: str) -> Location | None:
    found = locator.statements(subject, predicate)
    return found[0].predicate_at if found else None


def _term_value(term: object) -> str:
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, pyoxigraph.NamedNode | pyoxigraph.Literal):
        return term.value
    return str(term)


def _nt(term: object) -> str:
    return str(term)


def _python_result(shape: str, focus: str, path: str, value: str | None, message: str,
                   fix: str, location: Location | None, index: SourceIndex,
                   graph: str) -> ValidationResult:
    return ValidationResult(
        severity=Severity.VIOLATION, focus=focus, path=path, value=value, message=message,
        source_shape=shape, constraint_component=shape + "ConstraintComponent",
        study=index.files.get(location.file, graph) if location else graph,
        location=location, language="en", fix=fix,
    )


def validate_shapes(shapes: Iterable[pyoxigraph.Triple]) -> ValidationReport:
    """Validate a shapes graph against SHACL-for-SHACL (the W3C shapes of SHACL itself).

    :param shapes: the shapes graph.
    :returns: the report (focus nodes are shapes).

    >>> from ibmkg.graph_io import parse_turtle
    >>> validate_shapes(parse_turtle('''@prefix sh: <http://www.w3.org/ns/shacl#> .
    ... <http://ex/S> sh:targetNode <http://ex/a> ; sh:minCount "one" .''')).conforms
    False
    """
    from ibmkg.validation.pyshacl_adapter import meta_validate

    return ValidationReport(sorted(meta_validate(shapes), key=result_key))


def _study_labels(data: LoadedData) -> dict[str, str]:
    labels: dict[str, str] = {}
    for graph in data.graphs:
        name = pyoxigraph.NamedNode(graph.name)
        for t in graph.triples:
            if t.subject == name and t.predicate.value in _LABELS \
                    and isinstance(t.object, pyoxigraph.Literal) and graph.name not in labels:
                labels[graph.name] = t.object.value
    return labels


# --- the project as a whole: shapes plus data checks -----------------------------------------


def check_results(store: Store, queries: Iterable[StoredQuery], index: SourceIndex,
                  ) -> list[ValidationResult]:
    """Run the data checks (``queries/checks/*-violation.rq``): each row is a Violation.

    The first column is the focus node; the message is the check's question.

    :param store: the store holding the data.
    :param queries: stored queries; only checks without required parameters are run.
    :param index: where subjects are described, for ``file:line``.
    :returns: one result per row.

    >>> from ibmkg.store.embedded import EmbeddedStore
    >>> check_results(EmbeddedStore(), [], SourceIndex())
    []
    """
    from ibmkg.queries import run_query

    locator = Locator(index)
    results = []
    for query in queries:
        if not query.is_check or query.federated or any(p.required for p in query.params):
            continue
        table = run_query(store, query)
        for row in table.rows:
            focus = str(row[0]) if row and row[0] is not None else ""
            location = locator.subject_at(focus) if focus else None
            extra = ", ".join(f"{c}={v}" for c, v in zip(table.columns[1:], row[1:], strict=True)
                              if v is not None)
            results.append(ValidationResult(
                severity=Severity.VIOLATION, focus=focus, path=None, value=None,
                message=query.summary + (f" [{extra}]" if extra else "") + f" (check {query.name})",
                source_shape=f"https://w3id.org/ibmkg/query/{query.name}",
                constraint_component=SH + "SPARQLConstraintComponent",
                study=index.files.get(location.file) if location else None, location=location,
            ))
    return results


def validate_project(data: LoadedData, shapes: Iterable[pyoxigraph.Triple],
                     checks: Iterable[StoredQuery] = (), *, inference: str = "none",
                     engine: Engine = Engine.COMPILED,
                     ) -> ValidationReport:
    """Validate loaded data against the shapes and the Python checks, then run the data checks.

    :param data: the loaded graphs.
    :param shapes: the shapes graph (may be empty).
    :param checks: stored queries; those under ``checks/`` are run.
    :param inference: pySHACL's ``inference`` option.
    :param engine: the SHACL engine.
    :returns: one report with the SHACL results and one Violation per check row.
    :raises ShapesError: when the shapes graph is broken.

    >>> validate_project(LoadedData((), SourceIndex()), []).summary()
    'conforms: 0 violation(s), 0 warning(s), 0 info(s)'
    """
    from ibmkg.store.embedded import EmbeddedStore

    report = validate(data, shapes, inference=inference, engine=engine)
    check_list = [q for q in checks if q.is_check]
    if check_list:
        extra = check_results(EmbeddedStore.from_data(data), check_list, data.index)
        report.results = sorted(report.results + extra, key=result_key)
    return report


__all__ += ["python_check_results", "show_term"]
