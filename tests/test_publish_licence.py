"""LICENSE-DATA holds the CC BY 4.0 legal code itself, and the site's licence link reaches it."""

from __future__ import annotations

import re

from ibmkg.paths import Layout
from site_fixtures import BuiltSite

_SECTIONS = ("Definitions", "Scope", "License Conditions", "Sui Generis Database Rights",
             "Disclaimer of Warranties and Limitation of Liability", "Term and Termination",
             "Other Terms and Conditions", "Interpretation")


def _legal_code(layout: Layout) -> str:
    text = (layout.root / "LICENSE-DATA").read_text("utf-8")
    header, sep, body = text.partition("\n" + "#" * 71 + "\n")
    assert sep, "LICENSE-DATA: no line of 71 '#' between the header and the legal code"
    assert "Fontanelli L" in header and "CC-BY-4.0" in header
    return body


def test_license_data_contains_the_legal_code_not_a_link(project_layout: Layout) -> None:
    body = _legal_code(project_layout)
    assert body.lstrip().startswith("Attribution 4.0 International")
    assert "\nCreative Commons Attribution 4.0 International Public License\n" in body
    found = re.findall(r"^Section (\d) -- (.+)\.$", body, re.M)
    assert found == [(str(n), title) for n, title in enumerate(_SECTIONS, 1)]
    assert "Sections 1, 5, 6, 7, and 8 survive termination of this Public\n     License." in body
    assert body.rstrip().endswith("Creative Commons may be contacted at creativecommons.org.")
    assert len(re.findall(r"[A-Za-z0-9]+", body)) == 2622  # the words of the legal code


def test_the_site_licence_link_resolves_to_the_legal_code(built_site: BuiltSite,
                                                           project_layout: Layout) -> None:
    index = (built_site.out / "index.html").read_text("utf-8")
    link = re.search(r'<a id="licence-text" href="([^"]+)">', index)
    assert link is not None, "index.html: no link to the licence text"
    target = built_site.out / link.group(1)
    assert target.read_bytes() == (project_layout.root / "LICENSE-DATA").read_bytes()
    void = (built_site.out / ".well-known" / "void").read_text("utf-8")
    assert "downloads/LICENSE-DATA.txt" in void
