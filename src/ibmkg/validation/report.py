"""The result model: one :class:`ValidationResult` per SHACL result, the report, its formats.

The report follows the SHACL specification (https://www.w3.org/TR/shacl/#validation-report):
``sh:conforms`` is true only when there is no result at all, whatever its severity; each
result keeps its severity, focus node, path, value, source shape, constraint component and
message with its language tag. What ibmkg adds (the file, line and column, the study, the
fix in plain words) lives in extra fields with defaults, which every engine fills the same way.

Text output shows one line per *mistake*: results with the same focus, path, value and place
(one wrong literal failing both ``sh:datatype`` and a SPARQL check) are one line, naming every
constraint. At most :data:`MAX_LINES` mistakes are printed in full; the rest go to a file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Final

import pyoxigraph

from ibmkg.canonical import canonical_turtle
from ibmkg.formats import ReportFormat
from ibmkg.namespaces import PREFIXES, curie_for
from ibmkg.source_index import Location

__all__ = [
    "MAX_LINES",
    "Mistake",
    "Severity",
    "ValidationReport",
    "ValidationResult",
    "fill_message",
    "format_report",
    "report_triples",
]

SH: Final = PREFIXES["sh"]

#: How many mistakes the text report prints in full; the rest go to a report file.
MAX_LINES: Final = 50


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

    The first seven fields are those of ``sh:ValidationResult``; the others are ibmkg's and
    have defaults, so engines and callers that do not know them still work.

    :param severity: Violation, Warning or Info.
    :param focus: the focus node (an IRI, or ``_:label``).
    :param path: the result path (an IRI, or a SPARQL path for complex paths), if any.
    :param value: the offending value in N-Triples syntax, if any.
    :param message: the message with placeholders filled in.
    :param source_shape: the shape (IRI or ``_:label``).
    :param constraint_component: the constraint component IRI.
    :param study: the named graph (file) the offending triple is in, if known.
    :param location: ``file:line:column`` of the offending triple (of the subject when a value
        is missing), if known.
    :param source_constraint: the ``sh:sourceConstraint`` (e.g. a named SPARQL constraint).
    :param language: the language tag of ``sh:resultMessage`` (``"en"``), if it had one.
    :param fix: how to fix it, in plain words, when ibmkg knows (e.g. "did you mean ...").
    :param suggestions: the terms the fix suggests (full IRIs), for an unknown term.
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
    language: str | None = None
    fix: str | None = None
    suggestions: tuple[str, ...] = ()

    @property
    def constraint(self) -> str:
        """The named constraint if there is one, else the source shape."""
        return self.source_constraint or self.source_shape

    def line(self, study_labels: Mapping[str, str] | None = None) -> str:
        """Render the result as one readable line.

        :param study_labels: graph IRI -> label, to name studies.
        :returns: ``SEVERITY study=... focus=... path=... value=...: message (file:line:col)``.

        >>> print(ValidationResult(Severity.VIOLATION, "https://w3id.org/ibmkg/study/a",
        ...     PREFIXES["ibmkg"] + "sampleSize", '"12O"', "must be an integer",
        ...     "_:s", SH + "DatatypeConstraintComponent", "https://w3id.org/ibmkg/study/a",
        ...     Location("kg/studies/a.ttl", 3, 5)).line())  # doctest: +NORMALIZE_WHITESPACE
        Violation study=a focus=study:a path=ibmkg:sampleSize value="12O": must be an integer
        (kg/studies/a.ttl:3:5)
        """
        return Mistake((self,)).line(study_labels)


@dataclass(frozen=True)
class Mistake:
    """The results that one mistake causes: same focus, path, value and place.

    :param results: the results, most severe first.
    """

    results: tuple[ValidationResult, ...]

    @property
    def severity(self) -> Severity:
        """The most severe of the results."""
        return min((r.severity for r in self.results), key=lambda s: s.rank)

    def line(self, study_labels: Mapping[str, str] | None = None) -> str:
        """One line: severity, study, focus, path, value, the messages, the fix and the place.

        :param study_labels: graph IRI -> label, to name studies.
        :returns: the line.
        """
        first = self.results[0]
        parts = [self.severity.value]
        if first.study:
            label = (study_labels or {}).get(first.study) or _slug(first.study)
            quoted = json.dumps(label, ensure_ascii=False) if " " in label else label
            parts.append(f"study={quoted}")
        parts.append(f"focus={show(first.focus)}")
        if first.path:
            parts.append(f"path={show(first.path)}")
        if first.value is not None:
            parts.append(f"value={show_term(first.value)}")
        messages = list(dict.fromkeys(r.message for r in self.results))
        text = " ".join(parts) + ": " + "; ".join(messages)
        fixes = list(dict.fromkeys(r.fix for r in self.results if r.fix))
        if fixes:
            text += " (" + "; ".join(fixes) + ")"
        shapes = list(dict.fromkeys(show(r.constraint) for r in self.results
                                    if r.constraint.startswith(PREFIXES["shape"])))
        if shapes:
            text += " [" + ", ".join(shapes) + "]"
        return text + (f" ({first.location})" if first.location else "")


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
        """``sh:conforms``: true only when there is no result at all (SHACL 3.6.1).

        >>> ValidationReport().conforms
        True
        """
        return not self.results

    def passes(self, *, strict: bool = False) -> bool:
        """Whether the data passes: no Violation, and in strict mode no result at all.

        :param strict: fail on Warnings and Infos too.
        :returns: the verdict.

        >>> ValidationReport().passes(strict=True)
        True
        """
        if strict:
            return not self.results
        return not any(r.severity is Severity.VIOLATION for r in self.results)

    def count(self, severity: Severity) -> int:
        """Count results of one severity.

        :param severity: the severity.
        :returns: how many.

        >>> ValidationReport().count(Severity.INFO)
        0
        """
        return sum(1 for r in self.results if r.severity is severity)

    def mistakes(self) -> list[Mistake]:
        """Group the results by mistake: same focus, path, value and location.

        :returns: the mistakes, in the order of their first result.

        >>> ValidationReport().mistakes()
        []
        """
        groups: dict[tuple[object, ...], list[ValidationResult]] = {}
        # a misspelt property explains the "missing" property it was meant to be
        meant = {(r.focus, s): (r.focus, r.path, r.value, r.location)
                 for r in self.results for s in r.suggestions[:1]}
        for r in self.results:
            key = (r.focus, r.path, r.value, r.location)
            if r.value is None and r.constraint_component == SH + "MinCountConstraintComponent":
                key = meant.get((r.focus, r.path or ""), key)
            groups.setdefault(key, []).append(r)
        def first(key: tuple[object, ...]) -> Callable[[ValidationResult], tuple[int, bool]]:
            return lambda r: (r.severity.rank, (r.focus, r.path, r.value, r.location) != key)

        mistakes = [Mistake(tuple(sorted(g, key=first(key)))) for key, g in groups.items()]
        return sorted(mistakes, key=lambda m: (m.severity.rank, result_key(m.results[0])))

    def summary(self) -> str:
        """One line: conforms or not, and the counts per severity.

        >>> ValidationReport().summary()
        'conforms: 0 violation(s), 0 warning(s), 0 info(s)'
        """
        counts = ", ".join(f"{self.count(s)} {s.value.lower()}(s)" for s in Severity)
        mistakes = len(self.mistakes())
        grouped = f" in {mistakes} mistake(s)" if mistakes != len(self.results) else ""
        return f"{'conforms' if self.conforms else 'does not conform'}: {counts}{grouped}"


def result_key(r: ValidationResult) -> tuple[int, Location, str, str, str, str]:
    """Sort key of results: severity, place, focus, path, message, value.

    :param r: a result.
    :returns: the key.
    """
    return (r.severity.rank, r.location or Location("~", 0), r.focus, r.path or "", r.message,
            r.value or "")


def _slug(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1]


def show(iri: str) -> str:
    """Display an IRI as a CURIE when it has one; paths and blank nodes as they are.

    :param iri: a full IRI, ``_:label`` or a SPARQL path.
    :returns: the text to show.

    >>> show("https://w3id.org/ibmkg/ontology/Study"), show("http://ex/a")
    ('ibmkg:Study', '<http://ex/a>')
    """
    if iri.startswith("_:") or iri.startswith("^") or " " in iri or iri[:1] in "/(":
        return iri
    return curie_for(iri) or f"<{iri}>"


def show_term(ntriples: str) -> str:
    """Display an N-Triples term with CURIEs: ``"12O"^^xsd:integer``, ``study:a``.

    :param ntriples: the term in N-Triples syntax.
    :returns: the text to show.

    >>> show_term('"12O"^^<http://www.w3.org/2001/XMLSchema#integer>')
    '"12O"^^xsd:integer'
    """
    term = parse_term(ntriples)
    if isinstance(term, pyoxigraph.NamedNode):
        return show(term.value)
    if isinstance(term, pyoxigraph.Literal):
        quoted = json.dumps(term.value, ensure_ascii=False)
        if term.language:
            return f"{quoted}@{term.language}"
        if term.datatype.value == PREFIXES["xsd"] + "string":
            return quoted
        return f"{quoted}^^{show(term.datatype.value)}"
    return ntriples


def parse_term(text: str) -> pyoxigraph.NamedNode | pyoxigraph.Literal | None:
    """Parse one N-Triples term (an IRI or a literal).

    :param text: the term.
    :returns: the term, or ``None`` when it is a blank node or does not parse.

    >>> parse_term('"x"@en')
    <Literal value=x language=en>
    """
    try:
        parsed = list(pyoxigraph.parse(input=f"<urn:x:s> <urn:x:p> {text} .",
                                       format=pyoxigraph.RdfFormat.N_TRIPLES))
    except SyntaxError:
        return None
    obj = parsed[0].object
    return obj if isinstance(obj, pyoxigraph.NamedNode | pyoxigraph.Literal) else None


# --- output -------------------------------------------------------------------------------


#: The fields of a result, in order (``dataclasses.asdict`` deep-copies them, much slower).
_RESULT_FIELDS = fields(ValidationResult)


def format_report(report: ValidationReport, fmt: ReportFormat, *,
                  max_lines: int | None = None) -> str:
    """Render a report as text lines, JSON, or a Turtle ``sh:ValidationReport``.

    Text has one line per mistake then the summary; with ``max_lines`` only the first that
    many mistakes are printed and a last line says how many were left out.

    :param report: the report.
    :param fmt: the format.
    :param max_lines: print at most this many mistakes (text only); all by default.
    :returns: the text.

    >>> print(format_report(ValidationReport(), ReportFormat.TEXT))
    conforms: 0 violation(s), 0 warning(s), 0 info(s)
    """
    if fmt is ReportFormat.TEXT:
        mistakes = report.mistakes()
        shown = mistakes if max_lines is None else mistakes[:max_lines]
        lines = [m.line(report.study_labels) for m in shown]
        if len(shown) < len(mistakes):
            lines.append(f"... and {len(mistakes) - len(shown)} more mistake(s), "
                         "not shown here")
        return "\n".join([*lines, report.summary()])
    if fmt is ReportFormat.JSON:
        document = {
            "conforms": report.conforms,
            "passes": report.passes(),
            "counts": {s.value: report.count(s) for s in Severity},
            "mistakes": len(report.mistakes()),
            "results": [
                {**{f.name: getattr(r, f.name) for f in _RESULT_FIELDS},
                 "severity": r.severity.value,
                 "location": str(r.location) if r.location else None,
                 "line": r.line(report.study_labels)}
                for r in report.results
            ],
        }
        return json.dumps(document, indent=2, ensure_ascii=False)
    return canonical_turtle(report_triples(report),
                            header="SHACL validation report. Generated by ibmkg; do not edit.")


def report_triples(report: ValidationReport) -> list[pyoxigraph.Triple]:
    """The report as a standard ``sh:ValidationReport`` graph.

    :param report: the report.
    :returns: the triples (blank nodes for the report and its results).

    >>> len(report_triples(ValidationReport()))
    2
    """
    def n(local: str) -> pyoxigraph.NamedNode:
        return pyoxigraph.NamedNode(SH + local)

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
            pyoxigraph.Triple(node, n("resultMessage"),
                              pyoxigraph.Literal(r.message, language=r.language or None)),
        ]
        if r.constraint_component:
            triples.append(pyoxigraph.Triple(node, n("sourceConstraintComponent"),
                                             pyoxigraph.NamedNode(r.constraint_component)))
        shape = _iri_or_none(r.source_shape)
        if shape is not None:
            triples.append(pyoxigraph.Triple(node, n("sourceShape"), shape))
        constraint = _iri_or_none(r.source_constraint or "")
        if constraint is not None:
            triples.append(pyoxigraph.Triple(node, n("sourceConstraint"), constraint))
        path = _path_node(r.path, node)
        if path is not None:
            triples.append(pyoxigraph.Triple(node, n("resultPath"), path[0]))
            triples += path[1]
        if r.value is not None:
            value = parse_term(r.value)
            if value is not None:
                triples.append(pyoxigraph.Triple(node, n("value"), value))
    return triples


def _path_node(path: str | None, owner: pyoxigraph.BlankNode,
               ) -> tuple[pyoxigraph.NamedNode | pyoxigraph.BlankNode,
                          list[pyoxigraph.Triple]] | None:
    """An IRI path as itself, an inverse path (``^ibmkg:p``) as ``[ sh:inversePath p ]``."""
    if not path:
        return None
    if path.startswith("^") and " " not in path:
        from ibmkg.curie import expand

        try:
            inner = path[2:-1] if path.startswith("^<") else expand(path[1:])
            iri = pyoxigraph.NamedNode(inner)
        except ValueError:
            return None
        blank = pyoxigraph.BlankNode(f"{owner.value}-path")
        return blank, [pyoxigraph.Triple(blank, pyoxigraph.NamedNode(SH + "inversePath"), iri)]
    named = _iri_or_none(path) if "://" in path and not path.startswith("(") else None
    return None if named is None else (named, [])


def _iri_or_none(text: str) -> pyoxigraph.NamedNode | None:
    try:
        return pyoxigraph.NamedNode(text) if text and not text.startswith("_:") \
            and " " not in text else None
    except ValueError:
        return None


def fill_message(message: str, focus: str, value: str | None, path: str | None) -> str:
    """Fill a SHACL message's placeholders (``{$this}``, ``{?value}``, ``{$PATH}`` ...).

    IRIs an engine already filled into the text are shown as CURIEs.

    :param message: the message as the shape writes it.
    :param focus: the focus node.
    :param value: the value in N-Triples syntax, if any.
    :param path: the result path, if any.
    :returns: the message to show.

    >>> fill_message("{$this} lacks {$PATH}", "https://w3id.org/ibmkg/study/a", None,
    ...              "https://w3id.org/ibmkg/ontology/sampleSize")
    'study:a lacks ibmkg:sampleSize'
    """
    replacements = {
        "{$this}": show(focus) if focus else "", "{?this}": show(focus) if focus else "",
        "{?value}": show_term(value) if value else "",
        "{$value}": show_term(value) if value else "",
        "{$PATH}": show(path) if path else "", "{?path}": show(path) if path else "",
        "{$path}": show(path) if path else "",
    }
    for placeholder, text in replacements.items():
        message = message.replace(placeholder, text)
    # pySHACL fills SHACL-SPARQL placeholders ({?spec}) with full IRIs: show them as CURIEs.
    return _IRI_IN_TEXT.sub(lambda m: show(m.group(0)), message)


_IRI_IN_TEXT = re.compile(r"(?<![<\w])(?:https?|urn):[^\s<>\"{}|^`,;()]*[^\s<>\"{}|^`,;().]")
