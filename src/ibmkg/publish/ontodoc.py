"""Ontology documentation with pyLODE: the only module that imports it.

pyLODE 3.4.1 (the last release for Python 3.11) reads its own version from a
``pyproject.toml`` that its wheel does not ship, so the import fails; this adapter gives it
the version first. Its import also sets the root logger to DEBUG, which is undone.
pyLODE also fails (``unhashable type: 'list'``) on intersections and unions that hold a
restriction or another anonymous class (see :mod:`ibmkg.publish.manchester` for why); pyLODE
then documents the ontology without its anonymous class axioms, and ibmkg writes each of
them into the class's entry, in Manchester syntax with labels and links, and lists them all
in a "Class definitions" section at the top.

pyLODE takes about a second; its page is cached in ``.ibmkg/ontodoc/`` under the project
root, keyed by the ontology's content and the pyLODE version (no cache when the folder
cannot be written, e.g. in an installed wheel's data).

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
from markupsafe import escape

from ibmkg.errors import IbmkgError
from ibmkg.graph_io import atomic_write, load_turtle, to_rdflib_graph
from ibmkg.namespaces import PREFIXES
from ibmkg.publish.manchester import ClassAxioms

__all__ = ["OntologyDocsError", "anchors", "ontology_html", "with_class_axioms"]

log = logging.getLogger(__name__)

_OWL, _RDFS = PREFIXES["owl"], PREFIXES["rdfs"]
_AXIOMS: Final = {f"{_OWL}equivalentClass", f"{_RDFS}subClassOf"}
NOTE: Final = ("<p style=\"background:#fff4d6;padding:.5rem 1rem\">pyLODE 3.4.1 cannot render "
               "intersections or unions that hold restrictions; ibmkg writes every anonymous "
               "class axiom itself, in OWL Manchester syntax, under <a href=\"#class-axioms\">"
               "Class definitions</a> and in each class's entry.</p>")
#: Bump when the page ibmkg makes from pyLODE's output changes (invalidates the disk cache).
_CACHE_FORMAT: Final = 3


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


def ontology_html(path: Path, *, cache_dir: Path | None = None) -> str:
    """Document the ontology as one HTML page (memoised by file content).

    :param path: the ontology (``ontology/ibmkg.ttl``).
    :param cache_dir: a folder to keep the page in between runs (``.ibmkg/ontodoc``).
    :returns: the HTML.
    :raises RdfSyntaxError: when the file does not parse.
    :raises OntologyDocsError: when pyLODE is missing or fails even without the class axioms.
    """
    digest = hashlib.sha256(path.read_bytes())
    digest.update(f"\0{_pylode_version()}\0{_CACHE_FORMAT}".encode())
    key = digest.hexdigest()
    cached = cache_dir / f"{key}.html" if cache_dir is not None else None
    if key not in _MEMO and cached is not None and cached.is_file():
        _MEMO[key] = cached.read_text("utf-8")
    if key not in _MEMO:
        try:
            _MEMO[key] = _document(load_turtle(path))
        except OntologyDocsError as err:
            _MEMO[key] = err
        else:
            if cached is not None:
                _save(cached, str(_MEMO[key]))
    found = _MEMO[key]
    if isinstance(found, OntologyDocsError):
        raise OntologyDocsError(str(found))
    return found


def _pylode_version() -> str:
    try:
        return version("pylode")
    except PackageNotFoundError:
        return "none"


def _save(path: Path, html: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, html)
    except OSError as err:  # a read-only install: no cache, same page
        log.debug("pyLODE page not cached in %s: %s", path.parent, err)


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
    return with_class_axioms(html, ClassAxioms.from_triples(triples))


def with_class_axioms(html: str, axioms: ClassAxioms) -> str:
    """Add the anonymous class axioms to a pyLODE page: in each class's entry, and listed.

    :param html: pyLODE's page.
    :param axioms: the ontology's class axioms.
    :returns: the page with a "Class definitions" section and a row per axiom.

    >>> page = ('<body><div class="property entity" id="rct"><h3>rct</h3><table><tr><th>IRI'
    ...         '</th><td><code>http://ex/Rct</code></td></tr></table></div></body>')
    >>> from ibmkg.graph_io import parse_turtle
    >>> axioms = ClassAxioms.from_triples(parse_turtle(
    ...     '<http://ex/Rct> <http://www.w3.org/2002/07/owl#equivalentClass> [ '
    ...     '<http://www.w3.org/2002/07/owl#unionOf> ( <http://ex/A> <http://ex/B> ) ] .'))
    >>> '<tr><th>Equivalent to (OWL)</th>' in with_class_axioms(page, axioms)
    True
    """
    ids = anchors(html)

    def link(iri: str, text: str) -> str:
        if iri in ids:
            return f'<a href="#{escape(ids[iri])}">{text}</a>'
        return f'<a href="{escape(iri)}">{text}</a>'

    entries = []
    for iri, found in axioms.axioms.items():
        rows = "".join(f"<tr><th>{kind} (OWL)</th><td><code class=\"manchester\">"
                       f"{axioms.html(node, link)}</code></td></tr>" for kind, node in found)
        ident = ids.get(iri)
        name = link(iri, str(escape(axioms.labels.get(iri) or iri)))
        entries.append(f"<dt>{name}</dt>" + "".join(
            f"<dd>{kind}: <code class=\"manchester\">{axioms.html(node, link)}</code></dd>"
            for kind, node in found))
        if ident is None:
            continue
        start = html.find(f' id="{ident}">')
        end = html.find("</tr>", start)
        if start >= 0 and end >= 0:
            html = html[:end + 5] + rows + html[end + 5:]
    section = ('<div class="section" id="class-axioms"><h2>Class definitions</h2>'
               "<p>The anonymous class axioms of the ontology, in OWL 2 Manchester syntax "
               "(written by ibmkg; pyLODE 3.4.1 cannot render them).</p><dl>"
               + "".join(entries) + "</dl></div>")
    anchor = '<div id="content">' if '<div id="content">' in html else "<body>"
    return html.replace(anchor, anchor + "\n" + NOTE + "\n" + section, 1)
