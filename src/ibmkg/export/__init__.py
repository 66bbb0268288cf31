"""Outputs: each module builds its content, and only the edge turns it into text.

- :mod:`ibmkg.export.results` prints query rows (table, csv, tsv, md, json);
- :mod:`ibmkg.export.rdf` writes the merged graph (ttl, nt, jsonld, trig, xml);
- :mod:`ibmkg.export.sparql_examples` describes the stored queries as ``sh:SPARQLExecutable``.
"""
