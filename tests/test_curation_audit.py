"""The corrections of the line-by-line audit of the graph against the letter, one test each."""

from __future__ import annotations

import pytest

from ibmkg.graph_io import load_project
from ibmkg.paths import default_layout
from ibmkg.store.embedded import EmbeddedStore

PREFIXES = """PREFIX ibmkg: <https://w3id.org/ibmkg/ontology/>
PREFIX study: <https://w3id.org/ibmkg/study/>
PREFIX review: <https://w3id.org/ibmkg/review/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


@pytest.fixture(scope="module")
def store() -> EmbeddedStore:
    return EmbeddedStore.from_data(load_project(default_layout()))


def rows(store: EmbeddedStore, body: str) -> list[tuple[str, ...]]:
    table = store.query(PREFIXES + body)
    return sorted(tuple("" if v is None else str(v) for v in row) for row in table)


def test_soueidan_ck_scope_is_not_stated(store: EmbeddedStore) -> None:
    """'CK serum level dropped after first infusion.' says nothing of how many patients."""
    assert rows(store, """SELECT ?scope WHERE {
        study:soueidan-1993 ibmkg:hasFinding ?f . ?f ibmkg:outcomeDomain ?o ; ibmkg:scope ?s .
        FILTER (STRENDS(STR(?o), "serum-ck")) BIND (STRAFTER(STR(?s), "ontology/") AS ?scope) }
    """) == [("ScopeNotStated",)]


def test_foreman_basis_is_not_stated(store: EmbeddedStore) -> None:
    """Outcome measures 'NA', no definition of 'favourable response': who judged is unknown."""
    assert rows(store, """SELECT ?basis WHERE {
        study:foreman-2017 ibmkg:hasFinding ?f . ?f ibmkg:basis ?b .
        BIND (STRAFTER(STR(?b), "ontology/") AS ?basis) }""") == \
        [("BasisNotStated",), ("BasisNotStated",)]


def test_dalakas_2001_comparators_give_both_proportions(store: EmbeddedStore) -> None:
    assert rows(store, """SELECT ?label ?p ?cp ?group ?n WHERE {
        study:dalakas-2001 ibmkg:hasFinding ?f . ?f rdfs:label ?label ;
            ibmkg:comparatorArm ?arm ; ibmkg:comparisonGroup ?group .
        ?arm ibmkg:patientCount ?n .
        OPTIONAL { ?f ibmkg:responderProportion ?p } OPTIONAL { ?f ibmkg:comparatorProportion ?cp }
    }""") == [
        ("Fewer necrotic fibres with IVIG, not clinically significant", "", "",
         "those receiving prednisone alone", "17"),
        ("Half of IVIG patients reported better endurance and daily activities", "0.5", "0",
         "the prednisone-only group", "17"),
    ]


def test_amato_maintenance_dose_is_not_reported(store: EmbeddedStore) -> None:
    """'2 g/kg followed by maintenance doses at various intervals': no maintenance dose."""
    assert rows(store, """SELECT ?regimen ?spec ?value ?interval ?maintenance WHERE {
        <https://w3id.org/ibmkg/study/amato-1994/arm-maintenance> ibmkg:receives ?r .
        ?r ibmkg:doseSpecification ?s .
        OPTIONAL { ?r ibmkg:doseValue ?value } OPTIONAL { ?r ibmkg:interval ?i }
        OPTIONAL { ?r ibmkg:maintenanceDoses ?maintenance }
        BIND (STRAFTER(STR(?r), "amato-1994/") AS ?regimen)
        BIND (STRAFTER(STR(?s), "ontology/") AS ?spec)
        BIND (STRAFTER(STR(?i), "ontology/") AS ?interval) }""") == [
        ("regimen-initial", "DoseSpecified", "2", "", ""),
        ("regimen-maintenance", "DoseNotReported", "", "VariableInterval", "True"),
    ]


def test_no_effects_extension_is_explicit(store: EmbeddedStore) -> None:
    """'No effects.' names no outcome: the graph's reading is marked, and a query tells."""
    extended = rows(store, """SELECT ?study ?quote WHERE {
        ?s ibmkg:hasFinding ?f . ?f ibmkg:extent ibmkg:ExtendedFromOutcomeMeasures ;
            ibmkg:quotedText ?quote . BIND (STRAFTER(STR(?s), "study/") AS ?study) }""")
    assert extended == [("amato-1994", "No effects."), ("dalakas-1997", "No effects."),
                        ("dobloug-2012", "No effects.")]
    as_stated = rows(store, """SELECT DISTINCT ?study WHERE {
        ?s ibmkg:hasFinding ?f . ?f ibmkg:direction ibmkg:NoEffect .
        FILTER NOT EXISTS { ?f ibmkg:extent ?e } BIND (STRAFTER(STR(?s), "study/") AS ?study) }""")
    assert as_stated == [("dalakas-2001",), ("walter-2000",), ("zschuntzsch-2012",)]


def test_review_statements_missing_before(store: EmbeddedStore) -> None:
    assert rows(store, """SELECT ?type ?quote WHERE {
        review:fontanelli-2024 ibmkg:hasStatement ?st . ?st ibmkg:quotedText ?quote ;
            ibmkg:statementType ?t . BIND (STRAFTER(STR(?t), "ontology/") AS ?type)
        FILTER (CONTAINS(?quote, "careful and appropriate") || CONTAINS(?quote, "variability"))
    }""") == [
        ("Conclusion", "Many factors can contribute to this apparent variability in results."),
        ("Recommendation", "Given the economic burden of IVIG and their recent worldwide "
         "shortage, attention should be paid to their careful and appropriate use."),
    ]
    assert rows(store, "SELECT (COUNT(?st) AS ?n) WHERE { review:fontanelli-2024 "
                       "ibmkg:hasStatement ?st }") == [("16",)]


def test_two_rcts_keeps_the_single_citation(store: EmbeddedStore) -> None:
    """'(5)' cites Walter et al.; the second trial is the curators' interpretation."""
    statement = "<https://w3id.org/ibmkg/review/fontanelli-2024/statement-rcts-negative>"
    assert rows(store, f"""SELECT ?kind ?study WHERE {{
        {{ {statement} ibmkg:aboutStudy ?s . BIND ("cited" AS ?kind) }}
        UNION {{ {statement} ibmkg:interpretedAboutStudy ?s . BIND ("interpreted" AS ?kind) }}
        BIND (STRAFTER(STR(?s), "study/") AS ?study) }}""") == [
        ("cited", "walter-2000"), ("interpreted", "dalakas-1997")]
