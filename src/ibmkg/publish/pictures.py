"""The evidence map and the timeline, drawn with matplotlib from SPARQL results.

Both pictures come from the rows of :data:`EVIDENCE_QUERY` and :data:`TIMELINE_QUERY` run on
the graph; nothing is typed in by hand. Colours are the Okabe-Ito palette (distinguishable
with the common colour-vision deficiencies), and every encoding is doubled by something that
is not colour (marker shape for the basis, a text legend, the alt text), so the pictures read
in grey scale and without sight. This is the only module that imports matplotlib.

>>> sorted(DIRECTION_COLOURS)[:2]
['improved', 'no effect']
"""

from __future__ import annotations

import hashlib
import io
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Final

from ibmkg.graph_io import atomic_write
from ibmkg.store.base import Store

__all__ = ["BASIS_MARKERS", "DIRECTION_COLOURS", "EVIDENCE_QUERY", "LABELLED_STUDIES",
           "TIMELINE_QUERY", "Picture", "evidence_map", "timeline"]

_PREFIXES = """PREFIX ibmkg: <https://w3id.org/ibmkg/ontology/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

#: One row per finding and outcome domain: the study, its design, direction, basis, patients.
EVIDENCE_QUERY: Final = _PREFIXES + """SELECT ?study ?studyLabel ?designLabel ?domainLabel
       ?directionLabel ?basisLabel ?patients ?finding WHERE {
  ?study ibmkg:hasFinding ?finding ; rdfs:label ?studyLabel ; ibmkg:patientCount ?patients ;
    a ?design .
  ?design ibmkg:designGroup true ; rdfs:label ?designLabel .
  ?finding ibmkg:outcomeDomain ?domain ; ibmkg:direction ?direction .
  ?domain skos:prefLabel|rdfs:label ?domainLabel .
  ?direction rdfs:label ?directionLabel .
  OPTIONAL { ?finding ibmkg:basis ?basis . ?basis rdfs:label ?basisLabel . }
}
ORDER BY ?designLabel ?studyLabel ?domainLabel ?finding"""

#: One row per study: year, design and patient count.
TIMELINE_QUERY: Final = _PREFIXES + """SELECT ?study ?studyLabel ?year ?designLabel ?patients
WHERE {
  ?study ibmkg:reportedIn ?pub ; rdfs:label ?studyLabel ; ibmkg:patientCount ?patients ;
    a ?design .
  ?pub ibmkg:publicationYear ?year .
  ?design ibmkg:designGroup true ; rdfs:label ?designLabel .
}
ORDER BY ?year ?studyLabel"""

#: Okabe-Ito colours by direction label; other directions get grey.
DIRECTION_COLOURS: Final = {"improved": "#0072B2", "positive trend": "#56B4E9",
                            "no effect": "#E69F00", "worsened": "#D55E00"}
_OTHER_COLOUR: Final = "#999999"
#: Marker by basis label (first word); a finding without a basis is a diamond.
BASIS_MARKERS: Final = {"objective": "o", "patient-reported": "^", "investigator": "s"}
_OTHER_MARKER: Final = "D"
#: Up to this many studies, each is labelled in the pictures and named in the alt text;
#: beyond, the labels are per design (thousands of labels cannot be read, only drawn).
LABELLED_STUDIES: Final = 60
#: Bump when the drawing code changes (invalidates cached pictures).
_FORMAT: Final = 2


@dataclass(frozen=True)
class Picture:
    """An SVG picture and the alt text that says what it shows.

    :param svg: the SVG document.
    :param alt: a plain-text description of the data shown.
    :param rows: how many SPARQL result rows it was drawn from.
    """

    svg: str
    alt: str
    rows: int


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams.update({"svg.hashsalt": "ibmkg", "svg.fonttype": "none",
                                "font.family": "DejaVu Sans", "font.size": 9})
    import matplotlib.pyplot as plt

    return plt


def _svg(figure: Any, title: str, alt: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight",
                   metadata={"Title": title, "Description": alt, "Date": None,
                             "Creator": "ibmkg (matplotlib)"})
    _pyplot().close(figure)
    return buffer.getvalue()


def _cached(name: str, records: list[dict[str, Any]], cache_dir: Path | None,
            draw: Callable[[list[dict[str, Any]]], Picture]) -> Picture:
    """Draw a picture, or read it back when the same rows were drawn before.

    matplotlib costs about a second to import and draw; the pictures depend only on the
    query's rows (and on this module and matplotlib), so they are kept in ``cache_dir`` under
    a hash of those.
    """
    if cache_dir is None:
        return draw(records)
    digest = hashlib.sha256(f"{name}\0{_FORMAT}\0{_matplotlib_version()}\0".encode())
    digest.update(json.dumps(records, sort_keys=True, default=str).encode("utf-8"))
    path = cache_dir / f"{name}-{digest.hexdigest()[:32]}.json"
    if path.is_file():
        try:
            saved = json.loads(path.read_text("utf-8"))
            return Picture(str(saved["svg"]), str(saved["alt"]), int(saved["rows"]))
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a damaged cache entry: draw again
    picture = draw(records)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, json.dumps({"svg": picture.svg, "alt": picture.alt,
                                       "rows": picture.rows}))
    except OSError:  # a read-only install: no cache, same picture
        pass
    return picture


def _matplotlib_version() -> str:
    try:
        return version("matplotlib")
    except PackageNotFoundError:
        return "none"


def _first_word(text: str) -> str:
    return text.split(" ", 1)[0].lower()


def _size(patients: int) -> float:
    return 30.0 + 6.0 * float(patients)


def evidence_map(store: Store, *, cache_dir: Path | None = None) -> Picture:
    """Studies grouped by design (rows) against outcome domains (columns).

    Each mark is one finding: colour by direction, shape by basis, area by the study's
    patients.

    :param store: a store holding the ontology and the studies.
    :param cache_dir: a folder to keep pictures in, keyed by the query's rows.
    :returns: the picture.

    >>> from ibmkg.store.embedded import EmbeddedStore
    >>> evidence_map(EmbeddedStore()).alt.startswith("Evidence map of 0 findings")
    True
    """
    records = store.query(EVIDENCE_QUERY).as_dicts()
    return _cached("evidence-map", records, cache_dir, _draw_evidence_map)


def _draw_evidence_map(records: list[dict[str, Any]]) -> Picture:
    studies: dict[str, tuple[str, str]] = {}
    for r in records:
        studies.setdefault(str(r["study"]), (str(r["designLabel"]), str(r["studyLabel"])))
    order = sorted(studies, key=lambda s: studies[s])
    position = {study: i for i, study in enumerate(order)}
    domains = sorted({str(r["domainLabel"]) for r in records})
    column_of = {domain: i for i, domain in enumerate(domains)}
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(2.5 + 0.55 * len(domains), 1.5 + 0.42 * len(order)))
    cells: defaultdict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    by_study: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        cells[(position[str(r["study"])], column_of[str(r["domainLabel"])])].append(r)
        by_study[str(r["study"])].append(r)
    # One scatter call per colour and marker (matplotlib's cost is per call, not per mark).
    marks: defaultdict[tuple[str, str], list[tuple[float, int, float]]] = defaultdict(list)
    for (row, column), items in sorted(cells.items()):
        for k, r in enumerate(items):
            offset = (k - (len(items) - 1) / 2) * 0.22
            basis = str(r["basisLabel"]) if r["basisLabel"] is not None else ""
            key = (DIRECTION_COLOURS.get(str(r["directionLabel"]), _OTHER_COLOUR),
                   BASIS_MARKERS.get(_first_word(basis), _OTHER_MARKER))
            marks[key].append((column + offset, row, _size(int(str(r["patients"])))))
    for (colour, marker), points in sorted(marks.items()):
        axes.scatter([p[0] for p in points], [p[1] for p in points],
                     s=[p[2] for p in points], c=colour, marker=marker,
                     edgecolors="black", linewidths=0.6, zorder=3)
    axes.set_xticks(range(len(domains)), domains, rotation=40, ha="right")
    if len(order) <= LABELLED_STUDIES:
        axes.set_yticks(range(len(order)),
                        [f"{studies[s][1]} ({studies[s][0]})" for s in order])
    else:  # one label per design, at the middle of its rows; the alt text names the rest
        spans: dict[str, list[int]] = {}
        for study in order:
            spans.setdefault(studies[study][0], []).append(position[study])
        axes.set_yticks([(rows[0] + rows[-1]) / 2 for rows in spans.values()],
                        [f"{design} ({len(rows)} studies)" for design, rows in spans.items()])
    axes.set_xlim(-0.6, max(len(domains), 1) - 0.4)
    axes.set_ylim(max(len(order), 1) - 0.5, -0.5)
    axes.grid(True, color="#dddddd", zorder=0)
    axes.set_title("Evidence map: findings by study design and outcome domain")
    handles = [axes.scatter([], [], c=colour, marker="o", s=60, edgecolors="black",
                            label=name) for name, colour in DIRECTION_COLOURS.items()]
    handles += [axes.scatter([], [], c="white", marker=marker, s=60, edgecolors="black",
                             label=f"{name} basis") for name, marker in BASIS_MARKERS.items()]
    axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
                title="colour: direction\nshape: basis\narea: patients")
    by_direction: defaultdict[str, int] = defaultdict(int)
    for r in records:
        by_direction[str(r["directionLabel"])] += 1
    counts = ", ".join(f"{n} {d}" for d, n in sorted(by_direction.items()))
    head = (f"Evidence map of {len({str(r['finding']) for r in records})} findings "
            f"({len(records)} finding-domain pairs: {counts}) from {len(order)} studies, "
            f"grouped by design, across {len(domains)} outcome domains")
    if len(order) <= LABELLED_STUDIES:
        alt = head + ": " + "; ".join(
            f"{studies[s][1]} ({studies[s][0]}): " + ", ".join(
                f"{r['domainLabel']} {r['directionLabel']}" for r in by_study[s])
            for s in order) + "."
    else:
        per_design: defaultdict[str, int] = defaultdict(int)
        for study in order:
            per_design[studies[study][0]] += 1
        alt = head + "; studies per design: " + ", ".join(
            f"{design} {n}" for design, n in per_design.items()) + "."
    return Picture(_svg(figure, "Evidence map", alt), alt, len(records))


def timeline(store: Store, *, cache_dir: Path | None = None) -> Picture:
    """The studies by publication year and design, sized and labelled by patient count.

    :param store: a store holding the ontology and the studies.
    :param cache_dir: a folder to keep pictures in, keyed by the query's rows.
    :returns: the picture.

    >>> from ibmkg.store.embedded import EmbeddedStore
    >>> picture = timeline(EmbeddedStore())
    >>> picture.rows, "<svg" in picture.svg
    (0, True)
    """
    records = store.query(TIMELINE_QUERY).as_dicts()
    return _cached("timeline", records, cache_dir, _draw_timeline)


def _draw_timeline(records: list[dict[str, Any]]) -> Picture:
    designs = sorted({str(r["designLabel"]) for r in records})
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(9, 1.4 + 0.55 * max(len(designs), 1)))
    stacked: defaultdict[tuple[int, int], int] = defaultdict(int)
    points: list[tuple[int, float, float]] = []
    for r in records:
        year, row = int(str(r["year"])[:4]), designs.index(str(r["designLabel"]))
        level = stacked[(year, row)]
        stacked[(year, row)] += 1
        y = row + 0.28 * level
        points.append((year, y, _size(int(str(r["patients"])))))
        if len(records) <= LABELLED_STUDIES:
            axes.annotate(f"{r['studyLabel']} (n={r['patients']})", (year, y),
                          textcoords="offset points", xytext=(8, 4), fontsize=8)
    axes.scatter([p[0] for p in points], [p[1] for p in points], s=[p[2] for p in points],
                 c="#009E73", edgecolors="black", linewidths=0.6, zorder=3)
    years = [int(str(r["year"])[:4]) for r in records] or [2000]
    axes.set_xlim(min(years) - 1, max(years) + 6)
    axes.set_yticks(range(len(designs)), designs)
    axes.set_ylim(len(designs) - 0.3, -0.7)
    axes.set_xlabel("publication year")
    axes.grid(True, axis="x", color="#dddddd", zorder=0)
    axes.set_title("Timeline of the studies (marker area and n: patients)")
    alt = f"Timeline of {len(records)} studies from {min(years)} to {max(years)}"
    if len(records) <= LABELLED_STUDIES:
        alt += ": " + "; ".join(f"{str(r['year'])[:4]} {r['studyLabel']}, {r['designLabel']}, "
                                f"{r['patients']} patients" for r in records) + "."
    else:
        per_design: defaultdict[str, int] = defaultdict(int)
        for r in records:
            per_design[str(r["designLabel"])] += 1
        alt += "; studies per design: " + ", ".join(
            f"{design} {n}" for design, n in sorted(per_design.items())) + "."
    return Picture(_svg(figure, "Timeline", alt), alt, len(records))
