"""The endpoint's HTML pages: a query form and the stored-query list (no CDN, no network).

>>> "<textarea" in query_page("http://127.0.0.1:7878/sparql")
True
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from typing import Any

__all__ = ["queries_page", "query_page"]

_STYLE = """body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}
textarea{width:100%;height:14em;font-family:monospace}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
#status{margin:.5em 0;color:#555}"""

_SCRIPT = """
const form = document.getElementById('form');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const status = document.getElementById('status');
  const out = document.getElementById('results');
  out.textContent = '';
  status.textContent = 'running...';
  const body = new URLSearchParams({query: document.getElementById('query').value});
  const started = performance.now();
  let response;
  try {
    response = await fetch(ENDPOINT, {method: 'POST', body: body,
      headers: {'Accept': 'application/sparql-results+json, text/turtle;q=0.9'}});
  } catch (err) { status.textContent = 'request failed: ' + err; return; }
  const text = await response.text();
  const ms = Math.round(performance.now() - started);
  if (!response.ok) { status.textContent = 'error ' + response.status + ': ' + text; return; }
  const type = response.headers.get('content-type') || '';
  if (!type.includes('json')) {
    const pre = document.createElement('pre'); pre.textContent = text; out.appendChild(pre);
    status.textContent = 'graph in ' + ms + ' ms'; return;
  }
  const data = JSON.parse(text);
  if ('boolean' in data) { status.textContent = 'answer: ' + data.boolean; return; }
  const vars = data.head.vars, rows = data.results.bindings;
  const table = document.createElement('table');
  const head = table.insertRow();
  for (const v of vars) { const th = document.createElement('th'); th.textContent = v;
    head.appendChild(th); }
  for (const row of rows) { const tr = table.insertRow();
    for (const v of vars) { tr.insertCell().textContent = row[v] ? row[v].value : ''; } }
  out.appendChild(table);
  const cut = response.headers.get('x-ibmkg-truncated') ? ' (truncated)' : '';
  status.textContent = rows.length + ' rows in ' + ms + ' ms' + cut;
});
const given = new URLSearchParams(window.location.search).get('query');
if (given) { document.getElementById('query').value = given; form.requestSubmit(); }
"""

_EXAMPLE = """PREFIX ibmkg: <https://w3id.org/ibmkg/ontology/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?study ?label WHERE { ?study a ibmkg:Study ; rdfs:label ?label } ORDER BY ?label"""


def query_page(endpoint: str) -> str:
    """The query form: posts to the endpoint and shows the rows as a table.

    Opened as ``/query?query=...``, the page fills in the query and runs it.

    :param endpoint: the endpoint URL the form posts to.
    :returns: the HTML document.
    """
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>ibmkg SPARQL endpoint</title>
<style>{_STYLE}</style></head><body>
<h1>ibmkg SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 over the IVIG-in-sIBM knowledge graph. Stored questions:
<a href="queries">queries</a>. SERVICE, LOAD, FROM and updates are refused.</p>
<form id="form"><textarea id="query" name="query" spellcheck="false">{html.escape(_EXAMPLE)}
</textarea><p><button type="submit" id="run">Run</button></p></form>
<div id="status"></div><div id="results"></div>
<script>const ENDPOINT = {json.dumps(endpoint)};{_SCRIPT}</script>
</body></html>
"""


def queries_page(listing: Sequence[dict[str, Any]]) -> str:
    """The stored queries as an HTML list with links that run them.

    :param listing: the entries served as JSON by ``/queries``.
    :returns: the HTML document.

    >>> "randomised" in queries_page([{"name": "randomised", "summary": "Which?",
    ...                                 "url": "/queries/randomised", "params": []}])
    True
    """
    items = []
    for entry in listing:
        params = ", ".join(f"{p['name']}={p['default'] or '...'}" for p in entry["params"])
        items.append(f'<li><a href="{html.escape(entry["url"])}?format=csv">'
                     f"{html.escape(entry['name'])}</a>: {html.escape(entry['summary'])}"
                     + (f" <code>{html.escape(params)}</code>" if params else "") + "</li>")
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>ibmkg stored queries</title><style>{_STYLE}</style></head><body>"
            "<h1>Stored queries</h1><ul>" + "".join(items) + "</ul></body></html>\n")
