"""The SPARQL XML results checker is strict: each kind of invalid document is rejected.

(The checker and why it is hand-written: ``tests/results_xml.py``.)
"""

from __future__ import annotations

import pytest

import results_xml

NS = "http://www.w3.org/2005/sparql-results#"
VALID = f"""<?xml version="1.0"?>
<sparql xmlns="{NS}">
  <head><variable name="s"/><variable name="o"/></head>
  <results>
    <result>
      <binding name="s"><uri>https://w3id.org/ibmkg/a</uri></binding>
      <binding name="o"><literal xml:lang="en">weakness</literal></binding>
    </result>
    <result>
      <binding name="o"><literal datatype="http://www.w3.org/2001/XMLSchema#decimal">3.0</literal></binding>
    </result>
    <result><binding name="s"><bnode>b0</bnode></binding></result>
  </results>
</sparql>"""

INVALID = {
    "wrong namespace": VALID.replace(NS, "http://www.w3.org/2005/sparql-result#"),
    "no namespace": VALID.replace(f' xmlns="{NS}"', ""),
    "binding outside a result": VALID.replace(
        "<results>", '<results><binding name="s"><uri>https://w3id.org/ibmkg/b</uri></binding>'),
    "lang and datatype": VALID.replace(
        'xml:lang="en"', 'xml:lang="en" datatype="http://www.w3.org/2001/XMLSchema#string"'),
    "missing head": VALID.replace('<head><variable name="s"/><variable name="o"/></head>', ""),
    "head after results": VALID.replace(
        '<head><variable name="s"/><variable name="o"/></head>', "").replace(
        "</results>", '</results><head><variable name="s"/></head>'),
    "two values in a binding": VALID.replace("<bnode>b0</bnode>", "<bnode>b0</bnode><uri>x</uri>"),
    "binding without a name": VALID.replace('<binding name="s"><bnode>', "<binding><bnode>"),
    "undeclared variable": VALID.replace('<binding name="s"><bnode>', '<binding name="z"><bnode>'),
    "boolean and results": VALID.replace("<results>", "<boolean>true</boolean><results>"),
    "boolean not a boolean": f'<sparql xmlns="{NS}"><head/><boolean>yes</boolean></sparql>',
    "unknown element": VALID.replace("<bnode>b0</bnode>", "<blank>b0</blank>"),
    "not XML": VALID[:-20],
}


def test_the_valid_document_passes() -> None:
    assert results_xml.problems(VALID.encode()) == []
    boolean = f'<sparql xmlns="{NS}"><head/><boolean>true</boolean></sparql>'
    assert results_xml.problems(boolean.encode()) == []


@pytest.mark.parametrize("case", sorted(INVALID))
def test_an_invalid_document_is_rejected(case: str) -> None:
    assert results_xml.problems(INVALID[case].encode()), case


def test_every_case_is_collected() -> None:
    assert len(INVALID) == 13
