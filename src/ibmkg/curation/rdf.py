"""The curation form to RDF and back, through one table of fields per kind of node.

Both directions read the same tables, so a field written is a field read. Reading a study
back (:func:`study_from_triples`) refuses any triple the form cannot hold, naming it, so a
form never silently drops a fact.

>>> from ibmkg.paths import default_layout
>>> from ibmkg.curation.vocab import Vocabulary
>>> vocab = Vocabulary.from_layout(default_layout())
>>> study = Study.model_validate({"slug": "doe-2030", "label": "Doe et al. 2030",
...     "publication": {"title": "A trial"}, "measures": ["MMT"]})
>>> triples, problems = study_to_triples(study, vocab)
>>> problems, len(triples)
([], 8)
>>> study_from_triples("doe-2030", triples, vocab).measures
['mmt']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Final

import pyoxigraph
from pyoxigraph import Literal, NamedNode, Triple

from ibmkg.curation.model import (
    Arm,
    Author,
    Design,
    Finding,
    Provenance,
    Publication,
    Regimen,
    Study,
    TableRow,
    Weakness,
)
from ibmkg.curation.sourcing import Loc, Problem, curated_problems
from ibmkg.curation.vocab import Vocabulary
from ibmkg.errors import InputError
from ibmkg.namespaces import PREFIXES

_I: Final = PREFIXES["ibmkg"]
_RDF_TYPE: Final = PREFIXES["rdf"] + "type"
_LABEL: Final = PREFIXES["rdfs"] + "label"
_COMMENT: Final = PREFIXES["rdfs"] + "comment"
_XSD: Final = PREFIXES["xsd"]
_BIBO: Final = PREFIXES["bibo"]
_DCT: Final = PREFIXES["dcterms"]
_PROV: Final = PREFIXES["prov"]

# field, predicate, kind: str | en | int | dec | bool | year | date | concept:<kind> | ref
_Spec = tuple[str, str, str]
_TEXT: Final = [("quote", _I + "quotedText", "str"),
                ("source", _I + "sourcePart", "concept:source-part")]
_LOCATED: Final = [*_TEXT, ("location", _I + "sourceLocation", "str")]
_STUDY: Final[list[_Spec]] = [
    ("label", _LABEL, "str"), ("comments", _COMMENT, "str"),
    ("condition", _I + "condition", "concept:condition"),
    ("patients", _I + "patientCount", "int"),
    ("measures", _I + "usesMeasure", "concept:measure"),
    ("measure_reporting", _I + "measureReporting", "concept:measure-reporting"),
    ("weakness_reporting", _I + "weaknessReporting", "concept:weakness-reporting"),
]
_DESIGN: Final[list[_Spec]] = [("blinding", _I + "blinding", "concept:blinding")]
_ATTRIBUTES: Final = {  # field -> (boolean property, attribute individual)
    "randomised": ("isRandomised", "RandomisationAttribute"),
    "blinded": ("isBlinded", "BlindingAttribute"),
    "controlled": ("isControlled", "ControlAttribute"),
    "crossover": ("isCrossover", "CrossoverAttribute"),
    "retrospective": ("isRetrospective", "RetrospectiveAttribute"),
}
_PUBLICATION: Final[list[_Spec]] = [
    ("label", _LABEL, "str"), ("title", _DCT + "title", "en"), ("doi", _BIBO + "doi", "str"),
    ("pmid", _BIBO + "pmid", "str"), ("journal", _I + "journal", "str"),
    ("year", _I + "publicationYear", "year"), ("volume", _BIBO + "volume", "str"),
    ("issue", _BIBO + "issue", "str"), ("pages", _I + "pages", "str"),
    ("page_start", _BIBO + "pageStart", "str"), ("page_end", _BIBO + "pageEnd", "str"),
    ("authors_truncated", _I + "authorListTruncated", "bool"),
    ("reference_number", _I + "referenceNumber", "int"), *_TEXT,
]
_AUTHOR: Final[list[_Spec]] = [
    ("printed", _I + "printedName", "str"), ("family", _I + "familyName", "str"),
    ("initials", _I + "initials", "str"),
]
_ROW: Final[list[_Spec]] = [
    ("label", _LABEL, "str"), ("number", _I + "rowNumber", "int"),
    ("reference", _I + "referenceCell", "str"), ("study_type", _I + "studyTypeCell", "str"),
    ("patients", _I + "patientsCell", "str"), ("dose", _I + "doseCell", "str"),
    ("outcome_measures", _I + "outcomeMeasuresCell", "str"),
    ("key_results", _I + "keyResultsCell", "str"), ("weakness", _I + "weaknessCell", "str"),
]
_ARM: Final[list[_Spec]] = [
    ("label", _LABEL, "str"), ("patients", _I + "patientCount", "int"),
    ("receives", _I + "receives", "ref"), *_LOCATED,
]
_REGIMEN: Final[list[_Spec]] = [
    ("label", _LABEL, "str"), ("agent", _I + "agent", "concept:agent"),
    ("role", _I + "role", "concept:role"),
    ("dose_specification", _I + "doseSpecification", "concept:dose-specification"),
    ("dose_value", _I + "doseValue", "dec"), ("dose_unit", _I + "doseUnit", "concept:dose-unit"),
    ("dose_basis", _I + "doseBasis", "concept:dose-basis"),
    ("interval", _I + "interval", "concept:interval"),
    ("course_months", _I + "courseDurationMonths", "dec"),
    ("treatment_days_per_cycle", _I + "treatmentDaysPerCycle", "int"),
    ("maintenance_doses", _I + "maintenanceDoses", "bool"), ("comments", _COMMENT, "str"),
    *_LOCATED,
]
_FINDING: Final[list[_Spec]] = [
    ("label", _LABEL, "str"), ("outcomes", _I + "outcomeDomain", "concept:outcome"),
    ("direction", _I + "direction", "concept:direction"),
    ("basis", _I + "basis", "concept:basis"), ("scope", _I + "scope", "concept:scope"),
    ("extent", _I + "extent", "concept:extent"),
    ("measured_by", _I + "measuredBy", "concept:measure"),
    ("in_arms", _I + "inArm", "ref"), ("comparator_arms", _I + "comparatorArm", "ref"),
    ("responders", _I + "responders", "int"), ("denominator", _I + "denominator", "int"),
    ("proportion", _I + "responderProportion", "dec"),
    ("comparator_proportion", _I + "comparatorProportion", "dec"),
    ("comparison_group", _I + "comparisonGroup", "str"), ("subgroup", _I + "subgroup", "str"),
    ("factor", _I + "factor", "str"), ("timing", _I + "timing", "str"),
    ("threshold", _I + "threshold", "str"),
    ("durability", _I + "durability", "concept:durability"),
    ("magnitude", _I + "magnitude", "concept:magnitude"),
    ("statistically_significant", _I + "statisticallySignificant", "bool"),
    ("clinically_significant", _I + "clinicallySignificant", "bool"),
    ("comments", _COMMENT, "str"), *_LOCATED,
]
_WEAKNESS: Final[list[_Spec]] = [("type", _I + "weaknessType", "concept:weakness"),
                                 *_LOCATED]
_PROVENANCE: Final[list[_Spec]] = [("date", _PROV + "generatedAtTime", "when"),
                                   ("source", _DCT + "source", "str")]
_CURATOR: Final[list[_Spec]] = [("curator", _LABEL, "str")]
_CURATED: Final = _I + "CuratorSourcedStudy"
_DATATYPES: Final = {"int": "integer", "dec": "decimal", "bool": "boolean", "year": "gYear",
                     "date": "date"}
_FINDING_CLASSES: Final = {"effect": _I + "EffectFinding",
                           "association": _I + "AssociationFinding"}


def study_iri(slug: str) -> str:
    """The IRI of a study.

    :param slug: the study's slug.
    :returns: the IRI.

    >>> study_iri("cherin-2002")
    'https://w3id.org/ibmkg/study/cherin-2002'
    """
    return PREFIXES["study"] + slug


def publication_iri(slug: str) -> str:
    """The IRI of the publication that reports a study.

    :param slug: the study's slug.
    :returns: the IRI.

    >>> publication_iri("cherin-2002")
    'https://w3id.org/ibmkg/publication/cherin-2002'
    """
    return PREFIXES["pub"] + slug


# --- form -> RDF ---------------------------------------------------------------------------


class _Writer:
    def __init__(self, vocab: Vocabulary, refs: dict[str, str]) -> None:
        self.vocab = vocab
        self.refs = refs
        self.triples: list[Triple] = []
        self.problems: list[Problem] = []

    def add(self, s: str, p: str, o: NamedNode | Literal) -> None:
        self.triples.append(Triple(NamedNode(s), NamedNode(p), o))

    def node(self, iri: str, part: Any, specs: Sequence[_Spec], loc: Loc) -> None:
        for name, pred, kind in specs:
            value = getattr(part, name)
            if value is None:
                continue
            values = value if isinstance(value, list) else [value]
            for i, v in enumerate(values):
                where = (*loc, name, i) if isinstance(value, list) else (*loc, name)
                term = self.term(v, kind, where)
                if term is not None:
                    self.add(iri, pred, term)

    def term(self, value: Any, kind: str, loc: Loc) -> NamedNode | Literal | None:
        if kind == "str":
            return Literal(str(value))
        if kind == "en":
            return Literal(str(value), language="en")
        if kind == "when":
            return Literal(str(value), datatype=NamedNode(
                _XSD + ("dateTime" if "T" in str(value) else "date")))
        if kind in _DATATYPES:
            text = ("true" if value else "false") if kind == "bool" else str(value)
            return Literal(text, datatype=NamedNode(_XSD + _DATATYPES[kind]))
        if kind == "ref":
            iri = self.refs.get(str(value))
            if iri is None:
                known = ", ".join(sorted(self.refs)) or "none yet"
                self.problems.append(Problem(loc, f"found {value!r}, which is not the id of "
                                     f"an arm or regimen of this study (ids: {known})"))
                return None
            return NamedNode(iri)
        return self.concept(kind.partition(":")[2], str(value), loc)

    def concept(self, kind: str, value: str, loc: Loc) -> NamedNode | None:
        try:
            return NamedNode(self.vocab.resolve(kind, value).iri)
        except KeyError:
            hint = self.vocab.suggest(kind, value)
            allowed = self.vocab.shorts(kind)
            expected = ("did you mean " + " or ".join(repr(h) for h in hint) + "?") if hint \
                else "expected one of " + ", ".join(allowed)
            self.problems.append(Problem(loc, f"found {value!r}, not a known {kind}; "
                                              f"{expected}"))
            return None


def study_to_triples(study: Study, vocab: Vocabulary) -> tuple[list[Triple], list[Problem]]:
    """Turn a checked form into the triples of the study's graph.

    :param study: the form.
    :param vocab: the allowed values.
    :returns: the triples, and every value that could not be resolved (all at once).
    """
    sid, pid = study_iri(study.slug), publication_iri(study.slug)
    refs = {a.id: f"{sid}/{a.id}" for a in study.arms}
    regimen_refs = {r.id: f"{sid}/{r.id}" for r in study.regimens}
    w = _Writer(vocab, refs)
    w.add(sid, _RDF_TYPE, NamedNode(_I + "Study"))
    if study.sourced_from == "publication":
        w.add(sid, _RDF_TYPE, NamedNode(_CURATED))
    for i, design in enumerate(study.design.types):
        cls = w.concept("design", design, ("design", "types", i))
        if cls is not None:
            w.add(sid, _RDF_TYPE, cls)
    w.node(sid, study, _STUDY, ())
    w.node(sid, study.design, _DESIGN, ("design",))
    for name, (prop, attribute) in _ATTRIBUTES.items():
        value = getattr(study.design, name)
        if value == "not reported":
            w.add(sid, _I + "attributeNotReported", NamedNode(_I + attribute))
        elif value is not None:
            w.add(sid, _I + prop, w.term(value, "bool", ()) or Literal(""))
    w.add(sid, _I + "reportedIn", NamedNode(pid))
    w.add(sid, _PROV + "wasDerivedFrom", NamedNode(pid))
    if study.reviewed_in is not None:
        w.add(sid, _I + "reviewedIn", NamedNode(PREFIXES["review"] + study.reviewed_in))
    if study.provenance is not None:
        w.node(sid, study.provenance, _PROVENANCE, ("provenance",))
        if study.provenance.curator is not None:
            w.add(sid, _PROV + "wasAttributedTo", NamedNode(sid + "/curator"))
            w.add(sid + "/curator", _RDF_TYPE, NamedNode(_PROV + "Agent"))
            w.node(sid + "/curator", study.provenance, _CURATOR, ("provenance",))
    _publication(w, pid, study.publication)
    if study.table_row is not None:
        row = f"{sid}/row"
        w.add(sid, _I + "tableRow", NamedNode(row))
        w.add(row, _RDF_TYPE, NamedNode(_I + "TableRow"))
        w.node(row, study.table_row, _ROW, ("table_row",))
        if study.reviewed_in is not None:
            w.add(row, _PROV + "wasQuotedFrom",
                  NamedNode(PREFIXES["review"] + study.reviewed_in))
    for i, regimen in enumerate(study.regimens):
        w.add(regimen_refs[regimen.id], _RDF_TYPE, NamedNode(_I + "Regimen"))
        w.node(regimen_refs[regimen.id], regimen, _REGIMEN, ("regimens", i))
    w.refs = regimen_refs
    for i, arm in enumerate(study.arms):
        w.add(sid, _I + "hasArm", NamedNode(refs[arm.id]))
        w.add(refs[arm.id], _RDF_TYPE, NamedNode(_I + "Arm"))
        w.node(refs[arm.id], arm, _ARM, ("arms", i))
    w.refs = refs
    for i, finding in enumerate(study.findings):
        iri = f"{sid}/{finding.id or f'finding-{i + 1}'}"
        w.add(sid, _I + "hasFinding", NamedNode(iri))
        w.add(iri, _RDF_TYPE, NamedNode(_FINDING_CLASSES[finding.kind]))
        w.node(iri, finding, _FINDING, ("findings", i))
    for i, weakness in enumerate(study.weaknesses):
        iri = f"{sid}/{weakness.id or f'weakness-{i + 1}'}"
        w.add(sid, _I + "hasWeakness", NamedNode(iri))
        w.add(iri, _RDF_TYPE, NamedNode(_I + "WeaknessStatement"))
        w.node(iri, weakness, _WEAKNESS, ("weaknesses", i))
    w.problems += _duplicate_ids(study)
    w.problems += curated_problems(study, vocab)
    received = {r for arm in study.arms for r in arm.receives}
    w.problems += [Problem(("regimens", i, "id"), f"regimen {r.id!r} is received by no arm; "
                           "add it to an arm's 'receives' or delete it")
                   for i, r in enumerate(study.regimens) if r.id not in received]
    return list(dict.fromkeys(w.triples)), w.problems


def _publication(w: _Writer, pid: str, publication: Publication) -> None:
    w.add(pid, _RDF_TYPE, NamedNode(_I + "Publication"))
    specs = [s if s[0] != "title" else ("title", s[1], "lang:" + publication.title_language)
             for s in _PUBLICATION]
    for name, pred, kind in specs:
        if kind.startswith("lang:"):
            w.add(pid, pred, Literal(publication.title, language=kind[5:]))
        else:
            w.node(pid, publication, [(name, pred, kind)], ("publication",))
    for i, author in enumerate(publication.authors, start=1):
        aid = f"{pid}/author-{i}"
        w.add(pid, _I + "hasAuthorship", NamedNode(aid))
        w.add(aid, _RDF_TYPE, NamedNode(_I + "Authorship"))
        w.add(aid, _I + "authorPosition", Literal(str(i), datatype=NamedNode(_XSD + "integer")))
        w.node(aid, author, _AUTHOR, ("publication", "authors", i - 1))


def _duplicate_ids(study: Study) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[str, Loc] = {}
    for group in ("arms", "regimens", "findings", "weaknesses"):
        for i, part in enumerate(getattr(study, group)):
            if part.id is None:
                continue
            if part.id in seen or part.id == "row" or part.id.startswith("author-"):
                problems.append(Problem((group, i, "id"), f"found {part.id!r} again; every "
                                        "arm, regimen, finding and weakness needs its own id"))
            seen[part.id] = (group, i, "id")
    return problems


def raw_value_problems(data: Any, vocab: Vocabulary) -> list[Problem]:
    """Check the ontology values of unchecked form data (so one run reports every problem).

    :param data: plain form data, possibly with schema errors elsewhere.
    :param vocab: the allowed values.
    :returns: one problem per value the ontology does not allow.

    >>> from ibmkg.paths import default_layout
    >>> vocab = Vocabulary.from_layout(default_layout())
    >>> [p.message for p in raw_value_problems({"findings": [{"direction": "better"}]}, vocab)]
    ["found 'better', not a known direction; expected one of Improved, NoEffect, ..."]
    """
    w = _Writer(vocab, {})
    if not isinstance(data, dict):
        return []
    groups: list[tuple[Any, list[_Spec], Loc]] = [(data, _STUDY, ())]
    for name, specs in (("design", _DESIGN), ("publication", _PUBLICATION)):
        groups.append((data.get(name), specs, (name,)))
    groups.append((data.get("design"), [("types", "", "concept:design")], ("design",)))
    for name, specs in (("arms", _ARM), ("regimens", _REGIMEN), ("findings", _FINDING),
                        ("weaknesses", _WEAKNESS)):
        items = data.get(name)
        if isinstance(items, list):
            groups += [(item, specs, (name, i)) for i, item in enumerate(items)]
    for part, specs, loc in groups:
        if not isinstance(part, dict):
            continue
        for name, _, kind in specs:
            if not kind.startswith("concept:") or name not in part:
                continue
            value = part[name]
            values = value if isinstance(value, list) else [value]
            for i, v in enumerate(values):
                if isinstance(v, str):
                    where = (*loc, name, i) if isinstance(value, list) else (*loc, name)
                    w.concept(kind[8:], v, where)
    return w.problems


# --- RDF -> form ---------------------------------------------------------------------------


class _Reader:
    def __init__(self, triples: Iterable[Triple], vocab: Vocabulary, prefix: str) -> None:
        self.vocab = vocab
        self.prefix = prefix
        self.by_subject: dict[str, list[Triple]] = {}
        for t in triples:
            if not isinstance(t.subject, NamedNode):
                raise InputError(f"blank node {t.subject} cannot be written as a study form; "
                                 "give the node an IRI")
            self.by_subject.setdefault(t.subject.value, []).append(t)
        self.used: set[Triple] = set()

    def values(self, s: str, p: str) -> list[NamedNode | Literal]:
        found = []
        for t in self.by_subject.get(s, []):
            if t.predicate.value == p and isinstance(t.object, NamedNode | Literal):
                self.used.add(t)
                found.append(t.object)
        return found

    def fields(self, s: str, specs: Sequence[_Spec], multi: set[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, pred, kind in specs:
            values = [self.value(v, kind, s, pred) for v in self.values(s, pred)]
            if name in multi:
                if values:
                    out[name] = sorted(values)
            elif len(values) > 1:
                raise InputError(f"<{s}> has {len(values)} values of <{pred}>; the form "
                                 "holds one")
            elif values:
                out[name] = values[0]
        return out

    def value(self, term: NamedNode | Literal, kind: str, s: str, p: str) -> Any:
        if kind.startswith("concept:"):
            found = self.vocab.by_iri(kind[8:], term.value) \
                if isinstance(term, NamedNode) else None
            if found is None:
                raise InputError(f"<{s}> <{p}> {term}: not a known {kind[8:]}")
            return found.short
        if kind == "ref":
            if not term.value.startswith(self.prefix):
                raise InputError(f"<{s}> <{p}> <{term.value}>: not a node of this study")
            return term.value[len(self.prefix):]
        if not isinstance(term, Literal):
            raise InputError(f"<{s}> <{p}> {term}: expected a literal")
        if kind == "bool":
            return term.value == "true"
        if kind == "int":
            return int(term.value)
        return term.value

    def types(self, s: str) -> list[str]:
        return [o.value for o in self.values(s, _RDF_TYPE)]

    def children(self, s: str, p: str) -> list[str]:
        return sorted((o.value for o in self.values(s, p)), key=_natural)

    def leftovers(self) -> list[Triple]:
        return [t for ts in self.by_subject.values() for t in ts if t not in self.used]


def _natural(iri: str) -> tuple[str, int]:
    head, _, tail = iri.rpartition("-")
    return (head, int(tail)) if tail.isdigit() else (iri, -1)


def _multi(model: type[Any]) -> set[str]:
    return {name for name, f in model.model_fields.items()
            if getattr(f.annotation, "__origin__", None) is list or "list[" in str(f.annotation)}


def study_from_triples(slug: str, triples: Iterable[Triple], vocab: Vocabulary) -> Study:
    """Read a study's graph back into the form (what ``ibmkg describe`` writes).

    :param slug: the study's slug.
    :param triples: the triples of the study's graph.
    :param vocab: the allowed values.
    :returns: the form.
    :raises InputError: when the graph holds a triple the form cannot express (it is named),
        so nothing is lost silently.
    """
    sid, pid = study_iri(slug), publication_iri(slug)
    r = _Reader(triples, vocab, sid + "/")
    types = r.types(sid)
    if _I + "Study" not in types:
        raise InputError(f"no study <{sid}> in the graph; check the slug")
    form: dict[str, Any] = {"slug": slug, **r.fields(sid, _STUDY, _multi(Study))}
    design: dict[str, Any] = {"types": sorted(vocab.by_iri("design", t).short  # type: ignore[union-attr]
                                              for t in types if vocab.by_iri("design", t))}
    design |= r.fields(sid, _DESIGN, set())
    not_reported = {o.value for o in r.values(sid, _I + "attributeNotReported")}
    for name, (prop, attribute) in _ATTRIBUTES.items():
        flags = r.values(sid, _I + prop)
        if _I + attribute in not_reported:
            design[name] = "not reported"
            not_reported.discard(_I + attribute)
        elif flags:
            design[name] = flags[0].value == "true"
    form["design"] = design
    if not_reported:
        raise InputError(f"<{sid}> attributeNotReported {sorted(not_reported)}: not a design "
                         "attribute of the form")
    r.values(sid, _I + "reportedIn")
    r.values(sid, _PROV + "wasDerivedFrom")
    reviewed = r.values(sid, _I + "reviewedIn")
    if reviewed:
        form["reviewed_in"] = reviewed[0].value.removeprefix(PREFIXES["review"])
    if _CURATED in types:
        form["sourced_from"] = "publication"
    provenance = r.fields(sid, _PROVENANCE, set())
    for agent in r.children(sid, _PROV + "wasAttributedTo"):
        if agent != sid + "/curator":
            raise InputError(f"<{sid}> prov:wasAttributedTo <{agent}>: the form holds one "
                             f"curator, <{sid}/curator>")
        r.types(agent)
        provenance |= r.fields(agent, _CURATOR, set())
    if provenance:
        form["provenance"] = provenance
    publication = r.fields(pid, _PUBLICATION, set())
    titles = r.values(pid, _DCT + "title")
    if titles and isinstance(titles[0], Literal) and titles[0].language:
        publication["title_language"] = titles[0].language
    publication["authors"] = []
    for aid in sorted((o.value for o in r.values(pid, _I + "hasAuthorship")), key=_natural):
        r.types(aid)
        r.values(aid, _I + "authorPosition")
        publication["authors"].append(r.fields(aid, _AUTHOR, set()))
    r.types(pid)
    form["publication"] = publication
    for row in r.children(sid, _I + "tableRow"):
        r.types(row)
        r.values(row, _PROV + "wasQuotedFrom")
        form["table_row"] = r.fields(row, _ROW, set())
    prefix = len(sid) + 1
    form["arms"] = [{"id": a[prefix:], **r.fields(a, _ARM, _multi(Arm))}
                    for a in r.children(sid, _I + "hasArm") if r.types(a) is not None]
    regimen_iris = sorted({o.value for a in r.children(sid, _I + "hasArm")
                           for o in r.values(a, _I + "receives")})
    form["regimens"] = [{"id": g[prefix:], **r.fields(g, _REGIMEN, _multi(Regimen))}
                        for g in regimen_iris if r.types(g) is not None]
    findings = []
    for i, f in enumerate(r.children(sid, _I + "hasFinding")):
        kinds = [k for k, c in _FINDING_CLASSES.items() if c in r.types(f)]
        entry: dict[str, Any] = {} if f[prefix:] == f"finding-{i + 1}" else {"id": f[prefix:]}
        if kinds and kinds[0] != "effect":
            entry["kind"] = kinds[0]
        findings.append(entry | r.fields(f, _FINDING, _multi(Finding)))
    form["findings"] = findings
    weaknesses = []
    for i, k in enumerate(r.children(sid, _I + "hasWeakness")):
        r.types(k)
        entry = {} if k[prefix:] == f"weakness-{i + 1}" else {"id": k[prefix:]}
        weaknesses.append(entry | r.fields(k, _WEAKNESS, {"type"}))
    form["weaknesses"] = weaknesses
    study = Study.model_validate(form)
    for t in r.leftovers():
        if t.predicate.value == _RDF_TYPE and t.subject == NamedNode(sid) and \
                isinstance(t.object, NamedNode) and (t.object.value == _CURATED or
                                                     vocab.by_iri("design", t.object.value)):
            continue
        raise InputError(f"the study form cannot hold the triple {t}; describe would lose "
                         "it (extend ibmkg.curation.model and its RDF tables)")
    return study


def form_dict(study: Study) -> dict[str, Any]:
    """The form as plain data, leaving out empty and default fields (what YAML shows).

    :param study: the form.
    :returns: nested dicts and lists of text, numbers and booleans.

    >>> form_dict(Study.model_validate({"slug": "a-1", "label": "A",
    ...                                  "publication": {"title": "T"}}))
    {'slug': 'a-1', 'label': 'A', 'publication': {'title': 'T'}}
    """
    data = study.model_dump(exclude_defaults=True, exclude_none=True)
    return _prune(data)  # type: ignore[no-any-return]


def _prune(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items() if v not in ([], {}, None)}
    if isinstance(value, list):
        return [_prune(v) for v in value]
    return value


__all__ = ["Arm", "Author", "Design", "Finding", "Problem", "Provenance", "Publication",
           "Regimen", "Study", "TableRow", "Weakness", "form_dict", "publication_iri",
           "pyoxigraph", "study_from_triples", "study_iri", "study_to_triples"]
