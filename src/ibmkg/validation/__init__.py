"""SHACL validation with readable results: the only module that imports pySHACL.

pySHACL reports focus nodes, paths and messages, but not where the failing node was
written, and it leaves ``{$this}``/``{?value}`` placeholders of core constraints literal. This
module adds both: each result says which study (named graph) and which ``file:line`` it
comes from, and messages are filled in. Severities are kept as they are: a Violation makes
the data non-conforming; Warnings and Infos are shown but only fail in strict mode.

One line per result::

    Violation study=dalakas-2001 focus=study:dalakas-2001 path=ibmkg:sampleSize value="12O": \
sample size must be an integer (kg/studies/dalakas-2001.ttl:12)

Specification: https://www.w3.org/TR/shacl/#validation-report
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import pyoxigraph

from ibmkg.canonical import canonical_turtle
from ibmkg.formats import ReportFormat
from ibmkg.graph_io import LoadedData, to_rdflib_graph
from ibmkg.namespaces import PREFIXES, curie_for
from ibmkg.source_index import Location, SourceIndex

if TYPE_CHECKING:
    import rdflib

    from ibmkg.queries import StoredQuery
    from ibmkg.store.base import Store

__all__ = [
    "Severity",
    "ValidationReport",
    "ValidationResult",
    "check_results",
    "format_report",
    "select_shapes",
    "validate",
    "validate_project",
    "validate_shapes",
]

_SH = PREFIXES["sh"]
_LABELS = (PREFIXES["rdfs"] + "label", PREFIXES["dcterms"] + "title",
           PREFIXES["skos"] + "prefLabel")


class Severity(StrEnum):
    """SHACL severities, most severe first."""

    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"

    @property
    def rank(self) -> int:
        """0 for Violation, 1 for Warning, 2 for Info."""
        return list(Severity).index(self)


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL result, made readable.

    :param severity: Violation, Warning or Info.
    :param focus: the focus node (an IRI, or ``_:label``).
    :param path: the result path (an IRI, or a SPARQL path for complex paths), if any.
    :param value: the offending value in N-Triples syntax, if any.
    :param message: the message with placeholders filled in.
    :param source_shape: the shape (IRI or ``_:label``).
    :param constraint_component: the constraint component IRI.
    :param study: the named graph (file) the focus node is described in, if known.
    :param location: ``file:line`` of the focus node's description, if known.
    :param source_constraint: the ``sh:sourceConstraint`` (e.g. a named SPARQL constraint).
    """

    severity: Severity
    focus: str
    path: str | None
    value: str | None
    message: str
    source_shape: str
    constraint_component: str
    study: str | None = None
    location: Location | None = None
    source_constraint: str | None = None

    def line(self, study_labels: Mapping[str, str] | None = None) -> str:
        """Render the result as one readable line.

        :param study_labels: graph IRI -> label, to name studies.
        :returns: ``SEVERITY study=... focus=... path=... value=...: message (file:line)``.

        >>> print(ValidationResult(Severity.VIOLATION, "https://w3id.org/ibmkg/study/a",
        ...     PREFIXES["ibmkg"] + "sampleSize", '"12O"', "must be an integer",
        ...     "_:s", _SH + "DatatypeConstraintComponent", "https://w3id.org/ibmkg/study/a",
        ...     Location("kg/studies/a.ttl", 3)).line())  # doctest: +NORMALIZE_WHITESPACE
        Violation study=a focus=study:a path=ibmkg:sampleSize value="12O": must be an integer
        (kg/studies/a.ttl:3)
        """
        parts = [self.severity.value]
        if self.study:
            label = (study_labels or {}).get(self.study) or _slug(self.study)
            quoted = json.dumps(label, ensure_ascii=False) if " " in label else label
            parts.append(f"study={quoted}")
        parts.append(f"focus={_show(self.focus)}")
        if self.path:
            parts.append(f"path={_show(self.path)}")
        if self.value is not None:
            parts.append(f"value={_show_term(self.value)}")
        text = " ".join(parts) + f": {self.message}"
        return text + (f" ({self.location})" if self.location else "")


@dataclass
class ValidationReport:
    """The results of one validation.

    :param results: the results, sorted by severity, file and line.
    :param study_labels: graph IRI -> study label, for display.
    """

    results: list[ValidationResult] = field(default_factory=list)
    study_labels: dict[str, str] = field(default_factory=dict)

    @property
    def conforms(self) -> bool:
        """No result has severity Violation."""
        return not any(r.severity is Severity.VIOLATION for r in self.results)

    def passes(self, *, strict: bool = False) -> bool:
        """Whether the data passes: no Violation, and in strict mode no result at all.

        :param strict: fail on Warnings and Infos too.
        :returns: the verdict.
        """
        return not self.results if strict else self.conforms

    def count(self, severity: Severity) -> int:
        """Count results of one severity.

        :param severity: the severity.
        :returns: how many.
        """
        return sum(1 for r in self.results if r.severity is severity)

    def summary(self) -> str:
        """One line: conforms or not, and the counts per severity."""
        counts = ", ".join(f"{self.count(s)} {s.value.lower()}(s)" for s in Severity)
        return f"{'conforms' if self.conforms else 'does not conform'}: {counts}"


def _slug(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def _show(iri: str) -> str:
    if iri.startswith("_:") or iri.startswith("^") or " " in iri or iri[:1] == "/":
        return iri
    return curie_for(iri) or f"<{iri}>"


def _show_term(ntriples: str) -> str:
    """Display an N-Triples term with CURIEs: ``"12O"^^xsd:integer``, ``study:a``."""
    term = _parse_term(ntriples)
    if isinstance(term, pyoxigraph.NamedNode):
        return _show(term.value)
    if isinstance(term, pyoxigraph.Literal):
        quoted = json.dumps(term.value, ensure_ascii=False)
        if term.language:
            return f"{quoted}@{term.language}"
        if term.datatype.value == PREFIXES["xsd"] + "string":
            return quoted
        return f"{quoted}^^{_show(term.datatype.value)}"
    return ntriples


# --- running pySHACL ------------------------------------------------------------------------


def validate(
    data: LoadedData,
    shapes: Iterable[pyoxigraph.Triple],
    ontology: Iterable[pyoxigraph.Triple] | None = None,
    *,
    inference: str = "none",
    use_shapes: Sequence[str] | None = None,
) -> ValidationReport:
    """Validate the union of the loaded graphs against SHACL shapes.

    :param data: the loaded graphs (their source index gives file and line).
    :param shapes: the shapes graph.
    :param ontology: extra triples to mix into the data graph (e.g. inferences).
    :param inference: pySHACL's ``inference`` option: ``none``, ``rdfs``, ``owlrl`` or ``both``.
    :param use_shapes: run only these shapes (IRIs) and what they use; all by default.
    :returns: the report.
    """
    import pyshacl

    if use_shapes is not None:
        # pySHACL 0.40's own use_shapes reports nothing for a node shape: select here instead.
        shapes = select_shapes(shapes, use_shapes)
    data_graph = to_rdflib_graph(data.triples())
    if ontology is not None:
        for triple in to_rdflib_graph(ontology):
            data_graph.add(triple)
    shapes_graph = to_rdflib_graph(shapes)
    _, report_graph, _ = pyshacl.validate(
        data_graph, shacl_graph=shapes_graph, inference=inference, advanced=True,
        allow_warnings=True, allow_infos=True, abort_on_first=False,
    )
    labels = _study_labels(data)
    return ValidationReport(
        _results(report_graph, data_graph, shapes_graph, data.index, labels), labels
    )


_TARGETS = frozenset(_SH + p for p in ("targetClass", "targetNode", "targetSubjectsOf",
                                          "targetObjectsOf", "target"))


def select_shapes(shapes: Iterable[pyoxigraph.Triple], names: Sequence[str],
                  ) -> list[pyoxigraph.Triple]:
    """Keep the named shapes, everything they reach, and only their own targets.

    :param shapes: the shapes graph.
    :param names: IRIs of the shapes to keep.
    :returns: the smaller shapes graph.

    >>> from ibmkg.graph_io import parse_turtle
    >>> g = parse_turtle('''@prefix sh: <http://www.w3.org/ns/shacl#> .
    ... <http://ex/A> sh:targetClass <http://ex/C> ; sh:property <http://ex/P> .
    ... <http://ex/P> sh:path <http://ex/p> ; sh:node <http://ex/B> .
    ... <http://ex/B> sh:targetClass <http://ex/D> ; sh:minCount 1 .''')
    >>> len(select_shapes(g, ["http://ex/A"]))  # B's own target is dropped
    5
    """
    by_subject: dict[object, list[pyoxigraph.Triple]] = {}
    for t in shapes:
        by_subject.setdefault(t.subject, []).append(t)
    roots = {pyoxigraph.NamedNode(n) for n in names}
    kept: list[pyoxigraph.Triple] = []
    seen: set[object] = set()
    stack: list[object] = list(roots)
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        for t in by_subject.get(node, []):
            if t.predicate.value in _TARGETS and node not in roots:
                continue
            kept.append(t)
            if t.object in by_subject:
                stack.append(t.object)
    return kept


def validate_shapes(shapes: Iterable[pyoxigraph.Triple]) -> ValidationReport:
    """Validate a shapes graph against SHACL-for-SHACL (the W3C shapes of SHACL itself).

    :param shapes: the shapes graph.
    :returns: the report (focus nodes are shapes).
    """
    from pyshacl.entrypoints import meta_validate

    graph = to_rdflib_graph(shapes)
    _, report_graph, _ = meta_validate(graph, inference="rdfs")
    return ValidationReport(_results(report_graph, graph, graph, SourceIndex(), {}))


def _study_labels(data: LoadedData) -> dict[str, str]:
    labels: dict[str, str] = {}
    for graph in data.graphs:
        for t in graph.triples:
            if t.subject == pyoxigraph.NamedNode(graph.name) and t.predicate.value in _LABELS \
                    and isinstance(t.object, pyoxigraph.Literal) and graph.name not in labels:
                labels[graph.name] = t.object.value
    return labels


def _results(report: rdflib.Graph, data: rdflib.Graph, shapes: rdflib.Graph,
             index: SourceIndex, labels: Mapping[str, str]) -> list[ValidationResult]:
    from rdflib import RDF, BNode, Namespace, URIRef

    sh = Namespace(_SH)
    results = []
    for node in report.subjects(RDF.type, sh.ValidationResult):
        def one(prop: URIRef, node: Any = node) -> Any:
            return report.value(node, prop)

        focus = one(sh.focusNode)
        value = one(sh.value)
        path_node = one(sh.resultPath)
        path = _path_text(report, path_node) if path_node is not None else None
        severity = Severity(str(one(sh.resultSeverity)).rsplit("#", 1)[-1])
        focus_text = _term_text(focus)
        value_text = _ntriples(value) if value is not None else None
        messages = sorted(str(m) for m in report.objects(node, sh.resultMessage))
        message = _fill("; ".join(messages) or "constraint not met", focus_text, value_text, path)
        anchor = _anchor(data, focus) if isinstance(focus, BNode) else focus_text
        location = index.locate(anchor) if anchor else None
        study = index.files.get(location.file) if location else None
        results.append(ValidationResult(
            severity=severity, focus=focus_text, path=path, value=value_text, message=message,
            source_shape=_shape_text(shapes, one(sh.sourceShape)),
            constraint_component=str(one(sh.sourceConstraintComponent) or ""),
            study=study, location=location,
            source_constraint=_term_text(one(sh.sourceConstraint)) or None,
        ))
    results.sort(key=_result_key)
    return results


def _term_text(term: Any) -> str:
    from rdflib import BNode

    if term is None:
        return ""
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _shape_text(shapes: rdflib.Graph, shape: Any) -> str:
    """Name a shape stably: its IRI, or ``<parent> sh:property [ sh:path <path> ]``."""
    from rdflib import BNode, Namespace

    sh = Namespace(_SH)
    if not isinstance(shape, BNode):
        return _term_text(shape)
    parents = sorted(str(p) for p in shapes.subjects(sh.property, shape)
                     if not isinstance(p, BNode))
    path = shapes.value(shape, sh.path)
    if parents and path is not None:
        return f"{parents[0]} sh:property [ sh:path {_path_text(shapes, path)} ]"
    return _term_text(shape)


def _ntriples(term: Any) -> str:
    """N-Triples text of an rdflib term, lexical form kept as pySHACL saw it."""
    from rdflib import BNode, Literal

    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, Literal):
        datatype = pyoxigraph.NamedNode(str(term.datatype)) if term.datatype else None
        return str(pyoxigraph.Literal(str(term), language=term.language or None,
                                      datatype=None if term.language else datatype))
    return f"<{term}>"


def _anchor(data: rdflib.Graph, node: Any, depth: int = 5) -> str | None:
    """The IRI of the nearest named ancestor of a blank node (to locate it)."""
    from rdflib import URIRef

    for _ in range(depth):
        parents = sorted(data.subjects(None, node), key=str)
        if not parents:
            return None
        node = parents[0]
        if isinstance(node, URIRef):
            return str(node)
    return None


def _path_text(report: rdflib.Graph, path: Any) -> str:
    """A SPARQL property path for a SHACL path (IRIs stay IRIs)."""
    from rdflib import BNode, Namespace
    from rdflib.collection import Collection

    sh = Namespace(_SH)
    if not isinstance(path, BNode):
        return str(path)
    inverse = report.value(path, sh.inversePath)
    if inverse is not None:
        return "^" + _show(_path_text(report, inverse))
    for prop, suffix in ((sh.zeroOrMorePath, "*"), (sh.oneOrMorePath, "+"),
                         (sh.zeroOrOnePath, "?")):
        inner = report.value(path, prop)
        if inner is not None:
            return f"({_show(_path_text(report, inner))}){suffix}"
    alternatives = report.value(path, sh.alternativePath)
    if alternatives is not None:
        return "(" + "|".join(_show(_path_text(report, p))
                              for p in Collection(report, alternatives)) + ")"
    if (path, None, None) in report and report.value(path, _rdf_first()) is not None:
        return "/".join(_show(_path_text(report, p)) for p in Collection(report, path))
    return f"_:{path}"


def _rdf_first() -> Any:
    from rdflib import RDF

    return RDF.first


def _fill(message: str, focus: str, value: str | None, path: str | None) -> str:
    replacements = {
        "{$this}": _show(focus) if focus else "", "{?this}": _show(focus) if focus else "",
        "{?value}": _show_term(value) if value else "", "{$value}": _show_term(value) if value
        else "",
        "{$PATH}": _show(path) if path else "", "{?path}": _show(path) if path else "",
        "{$path}": _show(path) if path else "",
    }
    for placeholder, text in replacements.items():
        message = message.replace(placeholder, text)
    # pySHACL fills SHACL-SPARQL placeholders ({?spec}) with full IRIs: show them as CURIEs.
    return _IRI_IN_TEXT.sub(lambda m: _show(m.group(0)), message)


_IRI_IN_TEXT = re.compile(r"(?<![<\w])(?:https?|urn):[^\s<>\"{}|^`,;()]*[^\s<>\"{}|^`,;().]")


# --- output -------------------------------------------------------------------------------


def format_report(report: ValidationReport, fmt: ReportFormat) -> str:
    """Render a report as text lines, JSON, or a Turtle ``sh:ValidationReport``.

    :param report: the report.
    :param fmt: the format.
    :returns: the text.

    >>> print(format_report(ValidationReport(), ReportFormat.TEXT))
    conforms: 0 violation(s), 0 warning(s), 0 info(s)
    """
    if fmt is ReportFormat.TEXT:
        lines = [r.line(report.study_labels) for r in report.results]
        return "\n".join([*lines, report.summary()])
    if fmt is ReportFormat.JSON:
        document = {
            "conforms": report.conforms,
            "counts": {s.value: report.count(s) for s in Severity},
            "results": [
                {**asdict(r), "severity": r.severity.value,
                 "location": str(r.location) if r.location else None,
                 "line": r.line(report.study_labels)}
                for r in report.results
            ],
        }
        return json.dumps(document, indent=2, ensure_ascii=False)
    return canonical_turtle(_report_triples(report),
                            header="SHACL validation report. Generated by ibmkg; do not edit.")


def _report_triples(report: ValidationReport) -> list[pyoxigraph.Triple]:
    def n(local: str) -> pyoxigraph.NamedNode:
        return pyoxigraph.NamedNode(_SH + local)

    def term(text: str) -> pyoxigraph.NamedNode | pyoxigraph.BlankNode:
        return pyoxigraph.BlankNode(text[2:]) if text.startswith("_:") \
            else pyoxigraph.NamedNode(text)

    rdf_type = pyoxigraph.NamedNode(PREFIXES["rdf"] + "type")
    root = pyoxigraph.BlankNode("report")
    boolean = pyoxigraph.NamedNode(PREFIXES["xsd"] + "boolean")
    triples = [
        pyoxigraph.Triple(root, rdf_type, n("ValidationReport")),
        pyoxigraph.Triple(root, n("conforms"),
                          pyoxigraph.Literal("true" if report.conforms else "false",
                                             datatype=boolean)),
    ]
    for i, r in enumerate(report.results):
        node = pyoxigraph.BlankNode(f"r{i}")
        triples += [
            pyoxigraph.Triple(root, n("result"), node),
            pyoxigraph.Triple(node, rdf_type, n("ValidationResult")),
            pyoxigraph.Triple(node, n("resultSeverity"), n(r.severity.value)),
            pyoxigraph.Triple(node, n("focusNode"), term(r.focus)),
            pyoxigraph.Triple(node, n("resultMessage"), pyoxigraph.Literal(r.message)),
        ]
        if r.constraint_component:
            triples.append(pyoxigraph.Triple(node, n("sourceConstraintComponent"),
                                             pyoxigraph.NamedNode(r.constraint_component)))
        shape = _iri_or_none(r.source_shape)
        if shape is not None:
            triples.append(pyoxigraph.Triple(node, n("sourceShape"), shape))
        if r.path and "://" in r.path and not r.path.startswith(("^", "(")):
            triples.append(pyoxigraph.Triple(node, n("resultPath"), pyoxigraph.NamedNode(r.path)))
        if r.value is not None:
            value = _parse_term(r.value)
            if value is not None:
                triples.append(pyoxigraph.Triple(node, n("value"), value))
    return triples


def _iri_or_none(text: str) -> pyoxigraph.NamedNode | None:
    try:
        return pyoxigraph.NamedNode(text) if text and not text.startswith("_:") else None
    except ValueError:
        return None


def _parse_term(text: str) -> pyoxigraph.NamedNode | pyoxigraph.Literal | None:
    try:
        parsed = list(pyoxigraph.parse(input=f"<urn:x:s> <urn:x:p> {text} .",
                                       format=pyoxigraph.RdfFormat.N_TRIPLES))
    except SyntaxError:
        return None
    obj = parsed[0].object
    return obj if isinstance(obj, pyoxigraph.NamedNode | pyoxigraph.Literal) else None


# --- the project as a whole: shapes plus data checks -----------------------------------------


def check_results(store: Store, queries: Iterable[StoredQuery], index: SourceIndex,
                  ) -> list[ValidationResult]:
    """Run the data checks (``queries/checks/*-violation.rq``): each row is a Violation.

    The first column is the focus node; the message is the check's question.

    :param store: the store holding the data.
    :param queries: stored queries; only checks without required parameters are run.
    :param index: where subjects are described, for ``file:line``.
    :returns: one result per row.
    """
    from ibmkg.queries import run_query

    results = []
    for query in queries:
        if not query.is_check or query.federated or any(p.required for p in query.params):
            continue
        table = run_query(store, query)
        for row in table.rows:
            focus = str(row[0]) if row and row[0] is not None else ""
            location = index.locate(focus) if focus else None
            extra = ", ".join(f"{c}={v}" for c, v in zip(table.columns[1:], row[1:], strict=True)
                              if v is not None)
            results.append(ValidationResult(
                severity=Severity.VIOLATION, focus=focus, path=None, value=None,
                message=query.summary + (f" [{extra}]" if extra else "") + f" (check {query.name})",
                source_shape=f"https://w3id.org/ibmkg/query/{query.name}",
                constraint_component=_SH + "SPARQLConstraintComponent",
                study=index.files.get(location.file) if location else None, location=location,
            ))
    return results


def validate_project(data: LoadedData, shapes: Iterable[pyoxigraph.Triple],
                     checks: Iterable[StoredQuery] = (), *, inference: str = "none",
                     ) -> ValidationReport:
    """Validate loaded data against the shapes, then run the data checks.

    :param data: the loaded graphs.
    :param shapes: the shapes graph (may be empty).
    :param checks: stored queries; those under ``checks/`` are run.
    :param inference: pySHACL's ``inference`` option.
    :returns: one report with the SHACL results and one Violation per check row.
    """
    from ibmkg.store.embedded import EmbeddedStore

    shapes = list(shapes)
    report = validate(data, shapes, inference=inference) if shapes else \
        ValidationReport(study_labels=_study_labels(data))
    check_list = [q for q in checks if q.is_check]
    if check_list:
        extra = check_results(EmbeddedStore.from_data(data), check_list, data.index)
        report.results = sorted(report.results + extra, key=_result_key)
    return report


def _result_key(r: ValidationResult) -> tuple[int, Location, str, str, str, str]:
    return (r.severity.rank, r.location or Location("~", 0), r.focus, r.path or "", r.message,
            r.value or "")
