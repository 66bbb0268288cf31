"""Table I of the review, rendered from the graph alone.

Two renderings, both computed with SPARQL over a :class:`~ibmkg.store.base.Store` (never from a
stored copy of the table):

* **verbatim** (default): the seven cells of each ``ibmkg:TableRow`` exactly as the letter prints
  them, rows in the letter's order;
* **structured** (``structured=True``): the same columns rebuilt from the structured facts only
  (design classes and attributes, arm counts, regimen doses, measure labels, findings,
  weakness concepts), to show that the model carries the meaning and not only the words.

>>> TABLE_COLUMNS[0], TABLE_COLUMNS[-1]
('Reference', 'Study weakness')
>>> _percent(Decimal("0.83"))
'83%'
"""

from __future__ import annotations

import html
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import pyoxigraph

from ibmkg.export.results import format_plain
from ibmkg.formats import ResultFormat, TableFormat
from ibmkg.sparql import BindableTerm
from ibmkg.store.base import ResultTable, Store, Value

__all__ = ["DEFAULT_REVIEW", "TABLE_COLUMNS", "TableRow", "render_table", "structured_rows",
           "verbatim_rows"]

#: The review whose Table I is rendered by default.
DEFAULT_REVIEW = "https://w3id.org/ibmkg/review/fontanelli-2024"

#: The columns of Table I, in the letter's order.
TABLE_COLUMNS: tuple[str, ...] = ("Reference", "Study type", "Number of patients", "IVIG dose",
                                  "Outcome measures", "Key results", "Study weakness")

_PREFIXES = """PREFIX ibmkg: <https://w3id.org/ibmkg/ontology/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""

_VERBATIM = _PREFIXES + """SELECT ?study ?ref ?type ?patients ?dose ?measures ?results ?weakness
WHERE {
  ?row prov:wasQuotedFrom ?review ; ibmkg:rowNumber ?n ;
    ibmkg:referenceCell ?ref ; ibmkg:studyTypeCell ?type ; ibmkg:patientsCell ?patients ;
    ibmkg:doseCell ?dose ; ibmkg:outcomeMeasuresCell ?measures ; ibmkg:keyResultsCell ?results ;
    ibmkg:weaknessCell ?weakness .
  ?study ibmkg:tableRow ?row .
}
ORDER BY ?n"""

_STUDIES = _PREFIXES + """SELECT ?study ?n ?family ?refnum ?total ?rand ?blinding ?controlled
       ?crossover ?retro ?placebo ?measuresNA ?noneStated WHERE {
  ?study ibmkg:tableRow ?row ; ibmkg:patientCount ?total ; ibmkg:reportedIn ?pub .
  ?row prov:wasQuotedFrom ?review ; ibmkg:rowNumber ?n .
  ?pub ibmkg:referenceNumber ?refnum ; ibmkg:hasAuthorship ?first .
  ?first ibmkg:authorPosition 1 ; ibmkg:familyName ?family .
  OPTIONAL { ?study ibmkg:isRandomised ?rand }
  OPTIONAL { ?study ibmkg:blinding/rdfs:label ?blinding }
  OPTIONAL { ?study ibmkg:isControlled ?controlled }
  OPTIONAL { ?study ibmkg:isCrossover ?crossover }
  OPTIONAL { ?study ibmkg:isRetrospective ?retro }
  BIND (EXISTS { ?study ibmkg:hasArm/ibmkg:receives/ibmkg:agent ibmkg:Placebo } AS ?placebo)
  BIND (EXISTS { ?study ibmkg:measureReporting ibmkg:MeasuresNotAvailable } AS ?measuresNA)
  BIND (EXISTS { ?study ibmkg:weaknessReporting ibmkg:NoneStated } AS ?noneStated)
}
ORDER BY ?n"""

_DESIGNS = _PREFIXES + """SELECT ?study ?design WHERE {
  ?study ibmkg:tableRow/prov:wasQuotedFrom ?review ; a ?class .
  ?class rdfs:subClassOf* ibmkg:Study ; rdfs:label ?design .
  FILTER NOT EXISTS { ?sub rdfs:subClassOf+ ?class . ?study a ?sub . FILTER (?sub != ?class) }
}
ORDER BY ?study ?design"""

_ARMS = _PREFIXES + """SELECT ?study ?arm ?armLabel ?count ?regimen ?agent ?spec ?dose ?basis ?days
       ?interval ?months ?maintenance WHERE {
  ?study ibmkg:tableRow/prov:wasQuotedFrom ?review ; ibmkg:hasArm ?arm .
  ?arm rdfs:label ?armLabel ; ibmkg:patientCount ?count ; ibmkg:receives ?regimen .
  ?regimen ibmkg:agent ?agent ; ibmkg:doseSpecification ?spec .
  OPTIONAL { ?regimen ibmkg:doseValue ?dose }
  OPTIONAL { ?regimen ibmkg:doseBasis ?basis }
  OPTIONAL { ?regimen ibmkg:treatmentDaysPerCycle ?days }
  OPTIONAL { ?regimen ibmkg:interval/rdfs:label ?interval }
  OPTIONAL { ?regimen ibmkg:courseDurationMonths ?months }
  OPTIONAL { ?regimen ibmkg:maintenanceDoses ?maintenance }
}
ORDER BY ?study ?arm ?regimen"""

_MEASURES = _PREFIXES + """SELECT ?study ?label WHERE {
  ?study ibmkg:tableRow/prov:wasQuotedFrom ?review ; ibmkg:usesMeasure/rdfs:label ?label .
}
ORDER BY ?study LCASE(STR(?label))"""

_FINDINGS = _PREFIXES + """SELECT ?study ?finding ?kind ?direction ?basis ?scope ?responders
       ?denominator ?proportion ?comparator ?comparison ?subgroup ?clinical ?statistical
       ?durability ?magnitude ?factor
       (GROUP_CONCAT(DISTINCT ?domainLabel; SEPARATOR="|") AS ?domains)
       (GROUP_CONCAT(DISTINCT ?measureLabel; SEPARATOR="|") AS ?measures) WHERE {
  ?study ibmkg:tableRow/prov:wasQuotedFrom ?review ; ibmkg:hasFinding ?finding .
  ?finding a ?kind ; ibmkg:basis/rdfs:label ?basis ; ibmkg:scope ?scope ;
    ibmkg:outcomeDomain/rdfs:label ?domainLabel .
  FILTER (?kind IN (ibmkg:EffectFinding, ibmkg:AssociationFinding))
  OPTIONAL { ?finding ibmkg:direction/rdfs:label ?direction }
  OPTIONAL { ?finding ibmkg:measuredBy/rdfs:label ?measureLabel }
  OPTIONAL { ?finding ibmkg:responders ?responders }
  OPTIONAL { ?finding ibmkg:denominator ?denominator }
  OPTIONAL { ?finding ibmkg:responderProportion ?proportion }
  OPTIONAL { ?finding ibmkg:comparatorProportion ?comparator }
  OPTIONAL { ?finding ibmkg:comparisonGroup ?comparison }
  OPTIONAL { ?finding ibmkg:subgroup ?subgroup }
  OPTIONAL { ?finding ibmkg:clinicallySignificant ?clinical }
  OPTIONAL { ?finding ibmkg:statisticallySignificant ?statistical }
  OPTIONAL { ?finding ibmkg:durability/rdfs:label ?durability }
  OPTIONAL { ?finding ibmkg:magnitude/rdfs:label ?magnitude }
  OPTIONAL { ?finding ibmkg:factor ?factor }
}
GROUP BY ?study ?finding ?kind ?direction ?basis ?scope ?responders ?denominator ?proportion
         ?comparator ?comparison ?subgroup ?clinical ?statistical ?durability ?magnitude ?factor
ORDER BY ?study ?finding"""

_WEAKNESSES = _PREFIXES + """SELECT DISTINCT ?study ?label WHERE {
  ?study ibmkg:tableRow/prov:wasQuotedFrom ?review ;
    ibmkg:hasWeakness/ibmkg:weaknessType/rdfs:label ?label .
}
ORDER BY ?study ?label"""

_IBMKG = "https://w3id.org/ibmkg/ontology/"


@dataclass(frozen=True)
class TableRow:
    """One row of Table I: the study IRI and the seven cell texts.

    :param study: the study's IRI.
    :param cells: the cell texts, in :data:`TABLE_COLUMNS` order.
    """

    study: str
    cells: tuple[str, ...]


def _bindings(review: str) -> dict[str, BindableTerm]:
    return {"review": pyoxigraph.NamedNode(review)}


def _text(value: Value) -> str:
    return "" if value is None else str(value)


def verbatim_rows(store: Store, *, review: str = DEFAULT_REVIEW) -> list[TableRow]:
    """Return Table I as printed: each row's seven cell texts, in the letter's row order.

    :param store: a store holding the review and its studies.
    :param review: the review IRI.
    :returns: the rows.
    """
    table = store.query(_VERBATIM, bindings=_bindings(review))
    return [TableRow(str(row[0]), tuple(_text(v) for v in row[1:])) for row in table.rows]


def structured_rows(store: Store, *, review: str = DEFAULT_REVIEW) -> list[TableRow]:
    """Rebuild Table I from the structured facts only (no quoted cell text is read).

    :param store: a store holding the ontology, the review and its studies.
    :param review: the review IRI.
    :returns: the rows, in the letter's row order.
    """
    binding = _bindings(review)
    designs: dict[str, list[str]] = defaultdict(list)
    for row in store.query(_DESIGNS, bindings=binding).rows:
        designs[str(row[0])].append(str(row[1]))
    arms: dict[str, list[dict[str, Value]]] = defaultdict(list)
    for record in store.query(_ARMS, bindings=binding).as_dicts():
        arms[str(record["study"])].append(record)
    measures: dict[str, list[str]] = defaultdict(list)
    for row in store.query(_MEASURES, bindings=binding).rows:
        measures[str(row[0])].append(str(row[1]))
    findings: dict[str, list[str]] = defaultdict(list)
    for record in store.query(_FINDINGS, bindings=binding).as_dicts():
        findings[str(record["study"])].append(_finding_text(record))
    weaknesses: dict[str, list[str]] = defaultdict(list)
    for row in store.query(_WEAKNESSES, bindings=binding).rows:
        weaknesses[str(row[0])].append(str(row[1]))

    rows = []
    for record in store.query(_STUDIES, bindings=binding).as_dicts():
        study = str(record["study"])
        cells = (
            f"{record['family']} et al. ({record['refnum']})",
            _design_text(record, designs[study]),
            _patients_text(record, arms[study]),
            _dose_text(arms[study]),
            "not available" if record["measuresNA"] else "; ".join(measures[study]),
            "; ".join(findings[study]),
            "none stated" if record["noneStated"] else "; ".join(weaknesses[study]),
        )
        rows.append(TableRow(study, cells))
    return rows


def _design_text(record: dict[str, Value], design_labels: list[str]) -> str:
    parts = []
    if record["rand"] is True:
        parts.append("randomised")
    if record["blinding"] is not None:
        parts.append(str(record["blinding"]))
    if record["placebo"] is True:
        parts.append("placebo-controlled")
    elif record["controlled"] is True:
        parts.append("controlled")
    elif record["controlled"] is False:
        parts.append("uncontrolled")
    if record["retro"] is True:
        parts.append("retrospective")
    return ", ".join([*parts, " and ".join(design_labels)])


def _patients_text(record: dict[str, Value], arms: list[dict[str, Value]]) -> str:
    total = str(record["total"])
    groups: dict[str, str] = {}
    for arm in arms:
        groups.setdefault(str(arm["arm"]), f"{arm['count']}: {arm['armLabel']}")
    if record["crossover"] is True:
        return f"{total} (crossover: " + ", ".join(
            str(a["armLabel"]) for a in _unique_arms(arms)) + ")"
    if len(groups) <= 1:
        return total
    return f"{total} (" + "; ".join(groups.values()) + ")"


def _unique_arms(arms: list[dict[str, Value]]) -> list[dict[str, Value]]:
    seen: dict[str, dict[str, Value]] = {}
    for arm in arms:
        seen.setdefault(str(arm["arm"]), arm)
    return list(seen.values())


def _dose_text(arms: list[dict[str, Value]]) -> str:
    ivig = [a for a in arms if a["agent"] == _IBMKG + "IVIG"]
    texts = []
    for arm in ivig:
        spec = str(arm["spec"]).removeprefix(_IBMKG)
        if spec == "DoseVariable":
            text = "variable"
        elif spec == "DoseNotAvailable":
            text = "not available"
        elif spec == "DoseNotReported":
            text = "not reported"
        else:
            per_day = str(arm["basis"]).endswith("PerDay")
            text = f"{_number(arm['dose'])} g/kg" + ("/day" if per_day else "")
            if per_day and arm["days"] is not None:
                text += f" on {arm['days']} days"
            if arm["maintenance"] is True:
                text += ", then maintenance doses"
            if arm["interval"] is not None:
                text += f", {arm['interval']}"
            if arm["months"] is not None:
                text += f", for {_number(arm['months'])} months"
        if len(ivig) > 1:
            text += f" ({arm['count']} patients)"
        texts.append(text)
    return "; ".join(texts)


def _number(value: Value) -> str:
    number = Decimal(str(value))
    return str(number.normalize()) if number == number.to_integral() else str(number)


def _percent(value: Value) -> str:
    return f"{(Decimal(str(value)) * 100).normalize():f}%"


def _finding_text(record: dict[str, Value]) -> str:
    domains = " and ".join(sorted(str(record["domains"]).split("|")))
    if str(record["kind"]).endswith("AssociationFinding"):
        return f"response associated with {record['factor']}"
    text = f"{record['direction']}: {domains}"
    details = [str(record["basis"])]
    if record["responders"] is not None and record["denominator"] is not None:
        details.append(f"{record['responders']}/{record['denominator']} patients")
    elif record["responders"] is not None:
        details.append(f"{record['responders']} patients")
    elif record["proportion"] is not None:
        details.append(f"{_percent(record['proportion'])} of patients")
    if record["subgroup"] is not None:
        details.append(str(record["subgroup"]))
    if record["comparator"] is not None:
        group = record["comparison"] or "the comparison group"
        details.append(f"vs {_percent(record['comparator'])} in {group}")
    if record["magnitude"] is not None:
        details.append(str(record["magnitude"]))
    if record["statistical"] is False:
        details.append("not statistically significant")
    if record["clinical"] is False:
        details.append("not clinically significant")
    if record["durability"] is not None:
        details.append(str(record["durability"]))
    if record["measures"]:
        details.append("by " + ", ".join(sorted(str(record["measures"]).split("|"))))
    return f"{text} ({'; '.join(details)})"


def render_table(store: Store, fmt: TableFormat = TableFormat.MD, *, structured: bool = False,
                 review: str = DEFAULT_REVIEW) -> str:
    """Render Table I in a format.

    :param store: a store holding the ontology, the review and its studies.
    :param fmt: ``md``, ``tsv``, ``csv`` or ``html``.
    :param structured: rebuild the cells from the structured facts instead of quoting them.
    :param review: the review IRI.
    :returns: the text.
    """
    rows = structured_rows(store, review=review) if structured else verbatim_rows(store,
                                                                                  review=review)
    if fmt is TableFormat.HTML:
        return _html(rows, structured=structured)
    table = ResultTable(TABLE_COLUMNS, [row.cells for row in rows])
    return format_plain(table, ResultFormat(fmt.value))


def _html(rows: list[TableRow], *, structured: bool) -> str:
    caption = ("Table I rebuilt from the structured facts of the graph" if structured else
               "Table I. Clinical trials, audit, case series, case report.")
    head = "".join(f"<th scope=\"col\">{html.escape(c)}</th>" for c in TABLE_COLUMNS)
    body = []
    for row in rows:
        cells = []
        for index, cell in enumerate(row.cells):
            text = html.escape(cell)
            if index == 0:
                text = text.replace(" et al.", " <i>et al.</i>")
                text = f"<a href=\"{html.escape(row.study)}\">{text}</a>"
            cells.append(f"<td>{text}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return ("<table class=\"ibmkg-table1\">\n"
            f"<caption>{html.escape(caption)}</caption>\n"
            f"<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(body) + "\n</tbody>\n</table>")
