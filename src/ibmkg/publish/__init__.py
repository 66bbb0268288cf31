"""Linked-data publication: the static site, VoID/DCAT, pictures, nanopublications.

Modules: :mod:`~ibmkg.publish.site` (``ibmkg site``), :mod:`~ibmkg.publish.resources` (one
pass over the graph), :mod:`~ibmkg.publish.pages` (HTML), :mod:`~ibmkg.publish.conneg`
(content negotiation rules, with the Apache and nginx renderings),
:mod:`~ibmkg.publish.app` (the ASGI app), :mod:`~ibmkg.publish.metadata` (VoID, DCAT,
schema.org), :mod:`~ibmkg.publish.pictures` (matplotlib), :mod:`~ibmkg.publish.jsonld`
(PyLD), :mod:`~ibmkg.publish.ontodoc` (pyLODE). Heavy libraries are imported by their
adapter module only, when used.

>>> from ibmkg.publish import choose
>>> choose("application/ld+json", None).extension
'.jsonld'
"""

from ibmkg.publish.conneg import choose, htaccess, nginx_conf
from ibmkg.publish.site import SiteResult, build_site, table_document

__all__ = ["SiteResult", "build_site", "choose", "htaccess", "nginx_conf", "table_document"]
