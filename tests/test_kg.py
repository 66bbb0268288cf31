"""The evidence graph itself: fixed study IRIs and labels, provenance, and fidelity to the letter.

Every quoted text must occur in the letter: quotes that name a Table I column must occur in that
column's cell of the study's row, and the cells (and the text and reference-list quotes) must
occur in the letter itself. The letter lives outside the project (``../shared/source``, or where
``IBMKG_SOURCE`` points); without it those checks skip, except in CI where they fail.
"""

from __future__ import annotations

import pytest
import rdflib
from rdflib.namespace import RDF, RDFS

from ibmkg.paths import default_layout
from letter import normalise, require_letter

IBMKG = rdflib.Namespace("https://w3id.org/ibmkg/ontology/")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
STUDY = "https://w3id.org/ibmkg/study/"

SLUGS = {
    "amato-1994": "Amato et al. 1994",
    "dobloug-2012": "Dobloug et al. 2012",
    "dalakas-1997": "Dalakas et al. 1997",
    "dalakas-2001": "Dalakas et al. 2001",
    "walter-2000": "Walter et al. 2000",
    "zschuntzsch-2012": "Zschüntzsch et al. 2012",
    "cherin-2002": "Cherin et al. 2002",
    "foreman-2017": "Foreman et al. 2017",
    "soueidan-1993": "Soueidan et al. 1993",
    "recher-2012": "Recher et al. 2012",
}


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    layout = default_layout()
    g = rdflib.Graph()
    for path in [layout.ontology, layout.review, *sorted(layout.studies.glob("*.ttl"))]:
        g.parse(path, format="turtle")
    return g


@pytest.fixture(scope="module")
def letter() -> str:
    return normalise(require_letter().read_text(encoding="utf-8"))


def test_study_files_are_the_fixed_slugs() -> None:
    files = {p.stem for p in default_layout().studies.glob("*.ttl")}
    assert files == set(SLUGS)


@pytest.mark.parametrize(("slug", "label"), sorted(SLUGS.items()))
def test_study_iri_label_and_provenance(graph: rdflib.Graph, slug: str, label: str) -> None:
    study = rdflib.URIRef(STUDY + slug)
    assert graph.value(study, RDFS.label) == rdflib.Literal(label)
    row = graph.value(study, IBMKG.tableRow)
    assert row is not None and (row, PROV.wasQuotedFrom, None) in graph
    publication = graph.value(study, IBMKG.reportedIn)
    assert (study, PROV.wasDerivedFrom, publication) in graph
    review = rdflib.URIRef("https://w3id.org/ibmkg/review/fontanelli-2024")
    assert (study, IBMKG.reviewedIn, review) in graph


def test_rows_are_numbered_in_the_letters_order(graph: rdflib.Graph) -> None:
    order = [graph.value(graph.value(rdflib.URIRef(STUDY + slug), IBMKG.tableRow), IBMKG.rowNumber)
             for slug in SLUGS]
    assert [int(str(n)) for n in order] == list(range(1, 11))


def test_no_blank_nodes_in_the_evidence_graph() -> None:
    layout = default_layout()
    for path in [layout.review, *sorted(layout.studies.glob("*.ttl"))]:
        g = rdflib.Graph().parse(path, format="turtle")
        assert not any(isinstance(t, rdflib.BNode) for triple in g for t in triple), path.name


def test_column_quotes_are_in_their_cells(graph: rdflib.Graph) -> None:
    """Every quote that names a Table I column occurs in that cell of its study's row."""
    checked = 0
    for node, part in graph.subject_objects(IBMKG.sourcePart):
        cell_property = graph.value(part, IBMKG.cellProperty)
        quote_literal = graph.value(node, IBMKG.quotedText)
        if cell_property is None or quote_literal is None:
            continue  # not a column, or a discrepancy record (its words are in ibmkg:asPrinted)
        quote = str(quote_literal)
        studies = {s for p in (IBMKG.hasArm, IBMKG.hasFinding, IBMKG.hasWeakness)
                   for s in graph.subjects(p, node)}
        for arm in graph.subjects(IBMKG.receives, node):
            studies |= set(graph.subjects(IBMKG.hasArm, arm))
        assert studies, f"{node} quotes a Table I column but belongs to no study"
        for study in studies:
            cell = str(graph.value(graph.value(study, IBMKG.tableRow), cell_property))
            assert quote in cell, f"{node}: {quote!r} not in {cell!r}"
            checked += 1
    assert checked >= 79


def test_cells_occur_in_the_letter(graph: rdflib.Graph, letter: str) -> None:
    cells = [str(o) for _, p, o in graph
             if str(p).endswith("Cell") and str(p).startswith(str(IBMKG))]
    assert len(cells) == 70
    for cell in cells:
        assert normalise(cell) in letter, cell


def test_text_and_reference_quotes_occur_in_the_letter(graph: rdflib.Graph, letter: str) -> None:
    parts = {IBMKG.LetterText, IBMKG.TableCaption, IBMKG.ReferenceList}
    quotes = [str(graph.value(node, IBMKG.quotedText))
              for node, part in graph.subject_objects(IBMKG.sourcePart)
              if part in parts and (node, IBMKG.quotedText, None) in graph]
    quotes += [str(o) for o in graph.objects(None, IBMKG.asPrinted)]
    assert len(quotes) > 20
    for quote in quotes:
        assert normalise(quote) in letter, quote


def test_printed_author_names_occur_in_the_letter(graph: rdflib.Graph, letter: str) -> None:
    for name in graph.objects(None, IBMKG.printedName):
        assert normalise(str(name)) in letter, name


def test_dois_occur_in_the_letter(graph: rdflib.Graph, letter: str) -> None:
    dois = list(graph.objects(None, rdflib.URIRef("http://purl.org/ontology/bibo/doi")))
    assert len(dois) == 9  # reference 2 (Dobloug et al.) has no DOI in the letter
    for doi in dois:
        assert f"https://doi.org/{doi}" in letter


def test_misprints_are_recorded_not_copied(graph: rdflib.Graph) -> None:
    printed = {str(o) for o in graph.objects(None, IBMKG.asPrinted)}
    assert {"DOBOUG C", "SOUeidAN SA"} <= printed
    families = {str(o) for o in graph.objects(None, IBMKG.familyName)}
    assert {"Dobloug", "Soueidan"} <= families
    assert not {"Doboug", "SOUeidAN"} & families


def test_every_study_type_is_one_design_of_the_partition(graph: rdflib.Graph) -> None:
    partition = set(graph.subjects(IBMKG.designGroup, rdflib.Literal(True)))
    assert len(partition) == 6
    for slug in SLUGS:
        types = set(graph.objects(rdflib.URIRef(STUDY + slug), RDF.type))
        assert len(types & partition) == 1, slug


def test_concept_hierarchies_are_at_most_three_levels(graph: rdflib.Graph) -> None:
    """``studies-by-outcome`` follows skos:broader two steps up (Virtuoso-portable), which is
    complete only while no concept has more than two ancestors."""
    broader = rdflib.URIRef("http://www.w3.org/2004/02/skos/core#broader")
    for concept in set(graph.subjects(broader, None)):
        ancestors = set(graph.transitive_objects(concept, broader)) - {concept}
        assert len(ancestors) <= 2, f"{concept} is {len(ancestors) + 1} levels deep"


def test_outcome_concepts_are_in_a_scheme(graph: rdflib.Graph) -> None:
    """``studies-by-outcome`` matches labels and IRIs of concepts in a SKOS scheme only, and
    starts its hierarchy walk there: every outcome domain, measure and broader concept is in one."""
    skos = "http://www.w3.org/2004/02/skos/core#"
    in_scheme = set(graph.subjects(rdflib.URIRef(skos + "inScheme"), None))
    used = {o for p in (IBMKG.outcomeDomain, IBMKG.measuredBy, IBMKG.usesMeasure,
                        rdflib.URIRef(skos + "broader"))
            for o in graph.objects(None, p)}
    assert used, "no outcome concepts found"
    assert used <= in_scheme, sorted(map(str, used - in_scheme))
