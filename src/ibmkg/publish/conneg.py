"""Content negotiation for the published site: one set of rules, three renderings.

Every resource page ``<path>`` of the site has five files beside it: ``<path>.html``,
``.ttl``, ``.jsonld``, ``.nt`` and ``.rdf``. A request for an existing file is served as it
is; any other path is answered with ``303 See Other`` to one of its files, chosen by these
rules, in this order (the way w3id.org redirects are written):

1. ``?format=`` names a variant (``ttl``, ``jsonld``, ``nt``, ``rdf``, ``html`` or an alias);
2. the ``Accept`` header names the media type of an RDF variant (tested in the order of
   :data:`VARIANTS`, as Apache's ``RewriteCond`` and nginx's ``map`` can: quality values are
   not weighed);
3. otherwise HTML, so a browser (or ``*/*``) gets the page.

A missing path that already ends with a variant's extension (``x.ttl``) is not negotiated:
it is a 404, never a redirect to ``x.ttl.ttl``.

A path ending in ``/`` (the base IRI, ``ontology/``) maps to ``index`` + extension.
:func:`choose` and :func:`target` implement the rules for the Python app
(:mod:`ibmkg.publish.app`); :func:`htaccess` and :func:`nginx_conf` write the same rules for
Apache and nginx.

Spec: https://www.w3.org/TR/swbp-vocab-pub/ (recipe 3, 303 redirects).

>>> choose("text/turtle", None).extension
'.ttl'
>>> choose("text/html,application/xhtml+xml,*/*;q=0.8", None).name
'html'
>>> choose("text/html", "jsonld").media_type
'application/ld+json'
>>> target("study/cherin-2002", choose("application/n-triples", None))
'study/cherin-2002.nt'
>>> target("", HTML)
'index.html'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

__all__ = ["HTML", "VARIANTS", "Variant", "choose", "htaccess", "media_type_for",
           "negotiable", "nginx_conf", "target"]


@dataclass(frozen=True)
class Variant:
    """One representation of a resource.

    :param name: the ``?format=`` value.
    :param extension: the file extension, with its dot.
    :param media_type: the IANA media type.
    :param aliases: other ``?format=`` values that select it.
    """

    name: str
    extension: str
    media_type: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """Every ``?format=`` value for this variant."""
        return (self.name, *self.aliases)


#: The RDF variants, in the order the Accept header is tested.
VARIANTS: Final = (
    Variant("ttl", ".ttl", "text/turtle", ("turtle",)),
    Variant("jsonld", ".jsonld", "application/ld+json", ("json-ld", "json")),
    Variant("nt", ".nt", "application/n-triples", ("ntriples", "n-triples")),
    Variant("rdf", ".rdf", "application/rdf+xml", ("xml", "rdfxml")),
)

#: The HTML page, the default.
HTML: Final = Variant("html", ".html", "text/html")

#: Media types of the files the site holds, by extension (charset added for text).
_FILE_TYPES: Final = {
    **{v.extension: v.media_type for v in (*VARIANTS, HTML)},
    ".svg": "image/svg+xml", ".png": "image/png", ".css": "text/css",
    ".js": "text/javascript", ".json": "application/json", ".rq": "application/sparql-query",
    ".tsv": "text/tab-separated-values", ".csv": "text/csv", ".md": "text/markdown",
    ".trig": "application/trig", ".txt": "text/plain", ".xml": "application/rdf+xml",
}

#: Files without an extension and their media type (VoID's well-known location).
EXTENSIONLESS: Final = {".well-known/void": "text/turtle"}

_TEXTUAL = ("text/", "application/ld+json", "application/n-triples", "application/rdf+xml",
            "application/json", "application/sparql-query", "image/svg+xml", "application/trig")


def media_type_for(path: str) -> str:
    """The ``Content-Type`` of a file of the site.

    :param path: the file's path relative to the site root, with ``/``.
    :returns: the media type, with ``; charset=utf-8`` for text.

    >>> media_type_for("study/a.ttl")
    'text/turtle; charset=utf-8'
    >>> media_type_for(".well-known/void")
    'text/turtle; charset=utf-8'
    """
    media = EXTENSIONLESS.get(path)
    if media is None:
        dot = path.rfind(".")
        slash = path.rfind("/")
        media = _FILE_TYPES.get(path[dot:].lower(), "application/octet-stream") \
            if dot > slash else "application/octet-stream"
    return f"{media}; charset=utf-8" if media.startswith(_TEXTUAL) else media


def choose(accept: str | None, format_param: str | None) -> Variant:
    """Pick the representation a request asks for.

    :param accept: the ``Accept`` header (``None`` when absent).
    :param format_param: the ``?format=`` value (``None`` when absent).
    :returns: the variant; HTML unless the request names an RDF one.

    >>> choose(None, "TURTLE").name
    'ttl'
    >>> choose("application/rdf+xml;q=0.9", "nonsense").name
    'rdf'
    """
    if format_param:
        wanted = format_param.strip().lower()
        for variant in (*VARIANTS, HTML):
            if wanted in variant.names:
                return variant
    header = (accept or "").lower()
    for variant in VARIANTS:
        if variant.media_type in header:
            return variant
    return HTML


def _extension_pattern() -> str:
    return "|".join(v.extension.lstrip(".") for v in (*VARIANTS, HTML))


def negotiable(path: str) -> bool:
    """Whether a missing path is redirected (it does not end with a variant's extension).

    :param path: the request path without its leading ``/``.
    :returns: the verdict.

    >>> negotiable("study/a"), negotiable("study/a.ttl"), negotiable("")
    (True, False, True)
    """
    return not any(path.endswith(v.extension) for v in (*VARIANTS, HTML))


def target(path: str, variant: Variant) -> str:
    """The file a resource path redirects to.

    :param path: the request path relative to the site root, without its leading ``/``.
    :param variant: the chosen representation.
    :returns: the relative file path.

    >>> target("ontology/", VARIANTS[0])
    'ontology/index.ttl'
    """
    stem = f"{path}index" if path == "" or path.endswith("/") else path
    return stem + variant.extension


def _alternation(variant: Variant) -> str:
    return "|".join(name.replace("-", "\\-") for name in variant.names)


def htaccess(*, target_base: str = "", command: str = "ibmkg site") -> str:
    """Apache rules implementing :func:`choose` and :func:`target` (mod_rewrite, w3id style).

    :param target_base: prefix of the redirect targets: empty for the site's own folder, or
        the absolute URL of the site (``https://example.org/ibmkg/``) for a w3id.org entry.
    :param command: the command named in the header comment.
    :returns: the ``.htaccess`` text.

    >>> "RewriteRule ^(.+)$ $1.ttl [R=303,L,QSD]" in htaccess()
    True
    """
    lines = [f"# Generated by `{command}`: content negotiation for https://w3id.org/ibmkg/",
             "# (rules of ibmkg.publish.conneg; the same as the nginx snippet and the Python app).",
             "Options -MultiViews", "DirectoryIndex index.html"]
    for variant in (*VARIANTS, HTML):
        lines.append(f"AddType {variant.media_type} {variant.extension}")
    lines.append("AddCharset utf-8 .ttl .jsonld .nt .rdf .html .rq .svg")
    for path, media in EXTENSIONLESS.items():
        name = path.rsplit("/", 1)[-1]
        lines += [f'<Files "{name}">', f"  ForceType {media}", "</Files>"]
    lines += ["Header always append Vary Accept", "RewriteEngine on"]

    def rules(condition: str, variant: Variant) -> list[str]:
        out = []
        for pattern, replacement in (("^(.*/)?$", "$1index"), ("^(.+)$", "$1")):
            out += ["RewriteCond %{REQUEST_FILENAME} !-f",
                    f"RewriteCond %{{REQUEST_URI}} !\\.({_extension_pattern()})$", condition,
                    f"RewriteRule {pattern} {target_base}{replacement}{variant.extension} "
                    "[R=303,L,QSD]"]
        return out

    lines.append("# 1. ?format= overrides the Accept header")
    for variant in (*VARIANTS, HTML):
        lines += rules(f"RewriteCond %{{QUERY_STRING}} (^|&)format=({_alternation(variant)})"
                       "(&|$) [NC]", variant)
    lines.append("# 2. an RDF media type in Accept, in this order")
    for variant in VARIANTS:
        escaped = variant.media_type.replace("+", "\\+")
        lines += rules(f"RewriteCond %{{HTTP_ACCEPT}} {escaped} [NC]", variant)
    lines.append("# 3. anything else gets the HTML page")
    lines += [line for line in rules("RewriteCond %{REQUEST_URI} .", HTML)]
    return "\n".join(lines) + "\n"


def nginx_conf(*, root: str = "/srv/ibmkg/site", listen: str = "127.0.0.1:8080",
               command: str = "ibmkg site") -> str:
    """An nginx snippet implementing :func:`choose` and :func:`target`.

    The two ``map`` blocks go in the ``http`` context, the ``server`` block is an example.

    :param root: the folder the site is copied to.
    :param listen: the address and port of the example server.
    :param command: the command named in the header comment.
    :returns: the configuration text.

    >>> "~*text/turtle .ttl;" in nginx_conf()
    True
    """
    accept = [f"    ~*{v.media_type.replace('+', '[+]')} {v.extension};" for v in VARIANTS]
    fmt = [f"    ~*^({'|'.join(v.names)})$ {v.extension};" for v in (*VARIANTS, HTML)]
    types = [f"        {v.media_type} {v.extension.lstrip('.')};" for v in (*VARIANTS, HTML)]
    lines = [
        f"# Generated by `{command}`: content negotiation for https://w3id.org/ibmkg/",
        "# (rules of ibmkg.publish.conneg; the same as .htaccess and the Python app).",
        "map $http_accept $ibmkg_accept_ext {", "    default .html;", *accept, "}",
        "map $arg_format $ibmkg_ext {", "    default $ibmkg_accept_ext;", *fmt, "}",
        "server {", f"    listen {listen};", f"    root {root};",
        "    index index.html;", "    charset utf-8;",
        "    charset_types text/turtle application/ld+json application/n-triples "
        "application/rdf+xml image/svg+xml;",
        "    types {", *types, "        image/svg+xml svg;", "    }",
        "    location = /.well-known/void { default_type text/turtle; }",
        "    location / {", "        add_header Vary Accept;",
        "        try_files $uri @ibmkg_conneg;", "    }",
        "    location @ibmkg_conneg {",
        f'        if ($uri ~ "\\.({_extension_pattern()})$") {{ return 404; }}',
        '        if ($uri ~ "^(?<ibmkg_dir>.*/)$") { return 303 ${ibmkg_dir}index${ibmkg_ext}; }',
        "        return 303 ${uri}${ibmkg_ext};", "    }", "}",
    ]
    return "\n".join(lines) + "\n"
