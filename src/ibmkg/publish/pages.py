"""HTML pages of the site, rendered with Jinja2 from a :class:`ResourceIndex`.

Links between pages are relative (``../study/cherin-2002.html``), so the site reads the same
from a web server, from ``ibmkg site --serve`` or straight from the disk. Values are escaped
by Jinja2's autoescaping; the only raw HTML is what this module builds with :func:`escape`.

>>> renderer = Renderer(ResourceIndex.from_turtle(
...     '<https://w3id.org/ibmkg/study/a> <http://www.w3.org/2000/01/rdf-schema#label> "A" .'))
>>> renderer.link("https://w3id.org/ibmkg/study/a", "study/b")
'<a href="a.html">A</a>'
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any, Final

import jinja2
import pyoxigraph
from markupsafe import escape

from ibmkg.curie import compress
from ibmkg.namespaces import BASE, PREFIXES
from ibmkg.publish.conneg import VARIANTS
from ibmkg.publish.resources import ResourceIndex, curie, language_ok, page_path

__all__ = ["Renderer", "relative"]

_XSD_STRING: Final = f"{PREFIXES['xsd']}string"
_LANG_STRING: Final = f"{PREFIXES['rdf']}langString"
_QUOTED: Final = f"{PREFIXES['ibmkg']}quotedText"
_SOURCE_PART: Final = f"{PREFIXES['ibmkg']}sourcePart"
_RDF_TYPE: Final = f"{PREFIXES['rdf']}type"
_FORMAT_NAMES: Final = {"ttl": "Turtle", "jsonld": "JSON-LD", "nt": "N-Triples",
                        "rdf": "RDF/XML"}


def relative(target: str, current: str) -> str:
    """A relative link from one site file to another.

    :param target: the target file, relative to the site root.
    :param current: the page path (without extension) the link is written in.
    :returns: the relative URL.

    >>> relative("study/a/finding-1.html", "study/a")
    'a/finding-1.html'
    >>> relative("index.html", "ontology/index")
    '../index.html'
    >>> relative("study/b.html", "study/a/finding-1")
    '../b.html'
    """
    return _relative(target, current.rpartition("/")[0])


@functools.lru_cache(maxsize=1 << 16)
def _relative(target: str, folder: str) -> str:
    """``posixpath.relpath(target, folder)`` for clean site paths (no ``.``, ``..``, ``//``)."""
    if not folder:
        return target
    here = folder.split("/")
    there = target.split("/")
    common = 0
    for a, b in zip(here, there[:-1], strict=False):
        if a != b:
            break
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:])


@dataclass
class Renderer:
    """Renders resource pages.

    :param index: the graph's resource index.
    :param command: the command named in the footer.
    :param jsonld_nodes: compacted JSON-LD documents by IRI, embedded in each page.
    """

    index: ResourceIndex
    command: str = "ibmkg site"
    jsonld_nodes: dict[str, str] | None = None
    doc_anchors: dict[str, str] | None = None

    def __post_init__(self) -> None:
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("ibmkg.publish", "templates"),
            autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)

    def template(self, name: str) -> jinja2.Template:
        """A template of the package.

        :param name: its file name.
        :returns: the template.
        """
        return self.env.get_template(name)

    def link(self, iri: str, current: str) -> str:
        """An ``<a>`` to a resource: its page when it has one, else the IRI itself.

        :param iri: the IRI.
        :param current: the page path the link is written in.
        :returns: HTML.
        """
        text = escape(self.index.label(iri))
        path = page_path(iri)
        if path is not None and iri in self.index.outgoing:
            return f'<a href="{escape(relative(path + ".html", current))}">{text}</a>'
        if iri.startswith(("http://", "https://")):
            if iri.startswith(BASE):
                self.index.warn(compress(iri), "IRI(s) under the base that the graph does not "
                                "describe; linked to the IRI")
            return f'<a class="ext" href="{escape(iri)}" title="{escape(iri)}">{text}</a>'
        return f'<span title="{escape(iri)}">{text}</span>'

    def literal(self, term: pyoxigraph.Literal) -> str:
        """A literal as HTML: language tag as ``lang`` (when known), datatype as a CURIE.

        :param term: the literal.
        :returns: HTML.
        """
        text = escape(term.value)
        if term.language:
            if language_ok(term.language):
                return f'<span lang="{escape(term.language)}">{text}</span>'
            self.index.warn(f'"{term.value[:30]}"@{term.language}',
                            "literal(s) with an unknown language tag; shown without the tag")
            return f"<span>{text}</span>"
        datatype = term.datatype.value
        if datatype in (_XSD_STRING, _LANG_STRING):
            return f"<span>{text}</span>"
        return f'<span>{text}</span> <span class="dt">{escape(compress(datatype))}</span>'

    def value(self, term: Any, current: str, depth: int = 0) -> str:
        """Any object of a triple as HTML (blank nodes expanded a few levels deep).

        :param term: a NamedNode, BlankNode or Literal.
        :param current: the page path.
        :param depth: nesting level of blank nodes.
        :returns: HTML.
        """
        if isinstance(term, pyoxigraph.NamedNode):
            return self.link(term.value, current)
        if isinstance(term, pyoxigraph.Literal):
            return self.literal(term)
        if isinstance(term, pyoxigraph.BlankNode) and depth < 6:
            items = "".join(
                f"<li>{self.link(t.predicate.value, current)}: "
                f"{self.value(t.object, current, depth + 1)}</li>"
                for t in sorted(self.index.blank.get(term.value, ()), key=str))
            return f'<ul class="bnode">{items}</ul>'
        return "<span>[anonymous]</span>"

    def resource(self, iri: str, *, doc_href: str | None = None) -> str:
        """The page of one resource.

        :param iri: a resource with a page (see :attr:`ResourceIndex.resources`).
        :param doc_href: where the ontology documentation is (for ontology terms).
        :returns: the HTML document.
        """
        current = page_path(iri)
        assert current is not None
        triples = self.index.outgoing.get(iri, [])
        grouped: dict[str, list[pyoxigraph.Triple]] = {}
        for triple in sorted(triples, key=lambda t: (t.predicate.value, str(t.object))):
            grouped.setdefault(triple.predicate.value, []).append(triple)
        rows = [{"predicate": self.link(p, current),
                 "objects": [self.value(t.object, current) for t in ts]}
                for p, ts in sorted(grouped.items(), key=lambda kv: self.index.label(kv[0]))]
        columns = [self.link(t.object.value, current) for t in grouped.get(_SOURCE_PART, [])
                   if isinstance(t.object, pyoxigraph.NamedNode)]
        quotes = [{"text": t.object.value, "column": " and ".join(columns)}
                  for t in grouped.get(_QUOTED, []) if isinstance(t.object, pyoxigraph.Literal)]
        incoming = [{"subject": self.link(s, current), "predicate": self.link(p, current)}
                    for s, p in sorted(set(self.index.incoming.get(iri, [])))]
        types = [self.link(t, current) for t in sorted(self.index.types.get(iri, []))]
        name = current.rsplit("/", 1)[-1]
        alternates = [{"media_type": v.media_type, "href": name + v.extension,
                       "name": _FORMAT_NAMES[v.name]} for v in VARIANTS]
        doc = None
        if doc_href is not None and iri == PREFIXES["ibmkg"]:
            doc = relative(doc_href, current)
        elif doc_href is not None and iri in (self.doc_anchors or {}):
            doc = f"{relative(doc_href, current)}#{(self.doc_anchors or {})[iri]}"
        jsonld = (self.jsonld_nodes or {}).get(iri)
        return self.template("resource.html").render(
            title=self.index.label(iri), curie=curie(iri), iri=iri, types=types,
            quotes=quotes, rows=rows, incoming=incoming, alternates=alternates,
            doc_href=doc, root=relative("index.html", current).removesuffix("index.html"),
            jsonld=jsonld, command=self.command)


def script_json(document: Any) -> str:
    """JSON for a ``<script type="application/ld+json">`` element (``</`` escaped).

    :param document: the JSON-LD object.
    :returns: the text.

    >>> script_json({"a": "</script>"})
    '{"a": "<\\\\/script>"}'
    """
    return json.dumps(document, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
