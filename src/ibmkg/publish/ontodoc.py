"""Ontology documentation with pyLODE: the only module that imports it.

pyLODE 3.4.1 (the last release for Python 3.11) reads its own version from a
``pyproject.toml`` that its wheel does not ship, so the import fails; this adapter gives it
the version first. Its import also sets the root logger to DEBUG, which is undone.
pyLODE also fails (``unhashable type: 'list'``) on some nested class
expressions; the documentation is then made without the anonymous class axioms, says so at
the top, and each term's own page still shows them in full.

pyLODE makes each term's HTML id from its label (``arm`` for ``ibmkg:Arm``); the ids are
read back from the page it wrote, so links from the site always land on the term.

>>> anchors('<div class="property entity" id="arm"><h3>arm</h3><table><tr><th>IRI</th>'
...         '<td><code>https://w3id.org/ibmkg/ontology/Arm</code></td></tr></table></div>')
{'https://w3id.org/ibmkg/ontology/Arm': 'arm'}
"""

from __future__ import annotations

import hashlib
import logging
import re
import sys
import types
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Final

import pyoxigraph

from ibmkg.errors import IbmkgError
from ibmkg.graph_io import load_turtle, to_rdflib_graph
from ibmkg.namespaces import PREFIXES

__all__ = ["OntologyDocsError", "anchors", "ontology_html"]

log = logging.getLogger(__name__)

_OWL, _RDFS = PREFIXES["owl"], PREFIXES["rdfs"]
_AXIOMS: Final = {f"{_OWL}equivalentClass", f"{_RDFS}subClassOf"}
NOTE: Final = ("<p style=\"background:#fff4d6;padding:.5rem 1rem\">pyLODE could not render "
               "some anonymous class expressions; they are shown on each term's own page of "
               "the site.</p>")


class OntologyDocsError(IbmkgError):
    """pyLODE is missing or failed on the ontology."""


_ENTITY = re.compile(r'<div class="[^"]*\bentity\b[^"]*" id="([^"]+)">.{0,600}?<th>IRI</th>'
                     r'\s*<td>\s*<code>([^<]+)</code>', re.S)


def anchors(html: str) -> dict[str, str]:
    """The HTML id of each term documented in a pyLODE page.

    :param html: the page.
    :returns: term IRI -> id.
    """
    return {iri.strip(): ident for ident, iri in _ENTITY.findall(html)}


def _pylode() -> Any:
    if "pylode.version" not in sys.modules:
        shim = types.ModuleType("pylode.version")
        try:
            shim.__version__ = version("pylode")  # type: ignore[attr-defined]
        except PackageNotFoundError as err:
            raise OntologyDocsError("pyLODE is not installed; pip install pylode") from err
        sys.modules["pylode.version"] = shim
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        from pylode import OntPub
    except ImportError as err:
        raise OntologyDocsError(f"pyLODE cannot be imported: {err}") from err
    finally:  # pyLODE's loader calls logging.basicConfig(level=DEBUG) on import: undo it
        root.setLevel(level)
        for handler in root.handlers[:]:
            if handler not in handlers:
                root.removeHandler(handler)
    return OntPub


_MEMO: dict[str, str | OntologyDocsError] = {}


def ontology_html(path: Path) -> str:
    """Document the ontology as one HTML page (memoised by file content within a process).

    :param path: the ontology (``ontology/ibmkg.ttl``).
    :returns: the HTML.
    :raises RdfSyntaxError: when the file does not parse.
    :raises OntologyDocsError: when pyLODE is missing or fails even without the class axioms.
    """
    key = hashlib.sha256(path.read_bytes()).hexdigest()
    if key not in _MEMO:
        try:
            _MEMO[key] = _document(load_turtle(path))
        except OntologyDocsError as err:
            _MEMO[key] = err
    found = _MEMO[key]
    if isinstance(found, OntologyDocsError):
        raise OntologyDocsError(str(found))
    return found


def _nested_class_expressions(triples: list[pyoxigraph.Triple]) -> bool:
    """Whether an RDF list item is itself anonymous (what pyLODE 3.4 cannot render)."""
    first = f"{PREFIXES['rdf']}first"
    return any(t.predicate.value == first and isinstance(t.object, pyoxigraph.BlankNode)
               for t in triples)


def _document(triples: list[pyoxigraph.Triple]) -> str:
    ont_pub = _pylode()
    if not _nested_class_expressions(triples):  # else skip an attempt known to fail
        try:
            return str(ont_pub(ontology=to_rdflib_graph(triples)).make_html())
        except (TypeError, ValueError, KeyError, AttributeError) as err:
            log.info("pyLODE failed on the full ontology (%s); retrying without anonymous "
                     "class axioms", err)
    blank = {t.object for t in triples if t.predicate.value in _AXIOMS
             and isinstance(t.object, pyoxigraph.BlankNode)}
    kept = [t for t in triples if not (t.predicate.value in _AXIOMS and t.object in blank)]
    try:
        html = str(ont_pub(ontology=to_rdflib_graph(kept)).make_html())
    except (TypeError, ValueError, KeyError, AttributeError) as err:
        raise OntologyDocsError(f"pyLODE failed on the ontology: {err}") from err
    return html.replace("<body>", "<body>\n" + NOTE, 1)
