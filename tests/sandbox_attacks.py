"""The attack corpus of the query sandbox, and the script that runs it under an audit hook.

Run as ``python sandbox_attacks.py ROOT TARGET_URL``: it installs ``sys.addaudithook``
before importing ibmkg, loads the project into a :class:`SandboxedStore` (2 s limit), runs
every attack, and prints one JSON document: each attack's outcome, the ``socket.connect``
events seen and the files opened outside the allowed folders (the project, the Python
environment, the temp folder). The worker processes report their own events to a log file
named by ``IBMKG_SANDBOX_AUDIT``.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

#: name -> (query text with {target} for the listener URL, accepted outcomes)
ATTACKS: dict[str, tuple[str, tuple[str, ...]]] = {
    "service": ("SELECT * WHERE { SERVICE <{target}> { ?s ?p ?o } }", ("refused",)),
    "service-lower": ("select * where { service <{target}> { ?s ?p ?o } }", ("refused",)),
    "service-mixed-case": ("SELECT * WHERE { SeRvIcE <{target}> { ?s ?p ?o } }", ("refused",)),
    "service-u-escape": ("SELECT * WHERE { \\u0053ERVICE <{target}> { ?s ?p ?o } }",
                         ("refused",)),
    "service-U-escape-in-iri": ("SELECT * WHERE { SERVICE <http://127.0.0.1\\u003a1/> "
                                "{ ?s ?p ?o } }", ("refused",)),
    "comment-ends-at-cr": ("SELECT * WHERE { # x\rSERVICE <{target}> { ?s ?p ?o } }",
                           ("refused",)),
    "comment-ends-at-crlf": ("SELECT * WHERE { # x\r\nSERVICE <{target}> { ?s ?p ?o } }",
                             ("refused",)),
    "service-silent": ("SELECT * WHERE { SERVICE SILENT <{target}> { ?s ?p ?o } }",
                       ("refused",)),
    "service-variable": ("SELECT * WHERE { VALUES ?e { <{target}> } SERVICE ?e { ?s ?p ?o } }",
                         ("refused",)),
    "service-in-exists": ("ASK { FILTER EXISTS { SERVICE <{target}> { ?s ?p ?o } } }",
                          ("refused",)),
    "service-in-not-exists": ("SELECT * WHERE { ?s ?p ?o FILTER NOT EXISTS { SERVICE "
                              "<{target}> { ?s ?p ?o } } } LIMIT 1", ("refused",)),
    "service-in-minus": ("SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <{target}> { ?s ?p ?o } } }",
                         ("refused",)),
    "service-in-optional": ("SELECT * WHERE { OPTIONAL { SERVICE <{target}> { ?s ?p ?o } } }",
                            ("refused",)),
    "service-in-subselect": ("SELECT * WHERE { { SELECT ?s WHERE { SERVICE <{target}> "
                             "{ ?s ?p ?o } } } }", ("refused",)),
    "service-in-union": ("SELECT * WHERE { { ?s ?p ?o } UNION { SERVICE <{target}> "
                         "{ ?s ?p ?o } } }", ("refused",)),
    "service-in-graph": ("SELECT * WHERE { GRAPH ?g { SERVICE <{target}> { ?s ?p ?o } } }",
                         ("refused",)),
    "service-in-construct": ("CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{target}> "
                             "{ ?s ?p ?o } }", ("refused",)),
    "service-relative-base": ("BASE <{target}> SELECT * WHERE { SERVICE <sparql> "
                              "{ ?s ?p ?o } }", ("refused",)),
    "load-url": ("LOAD <{target}>", ("refused",)),
    "load-file": ("LOAD <file:///etc/passwd>", ("refused",)),
    "query-then-load": ("SELECT * WHERE { ?s ?p ?o } ; LOAD <{target}>", ("refused", "syntax")),
    "insert-data": ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", ("refused",)),
    "drop-all": ("DROP ALL", ("refused",)),
    "clear-default": ("CLEAR DEFAULT", ("refused",)),
    "from-url": ("SELECT * FROM <{target}> WHERE { ?s ?p ?o }", ("refused",)),
    "from-named-file": ("SELECT * FROM NAMED <file:///etc/passwd> WHERE { GRAPH ?g "
                        "{ ?s ?p ?o } }", ("refused",)),
    "extension-function": ("SELECT * WHERE { BIND(<{target}>(1) AS ?x) }", ("refused",)),
    "nested-groups-10000": ("SELECT * WHERE " + "{" * 10000 + "}" * 10000, ("syntax",)),
    "nested-parens-10000": ("SELECT * WHERE { FILTER(" + "(" * 10000 + "1" + ")" * 10000
                            + ") }", ("syntax",)),
    "cross-product-bomb": ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . "
                           "?j ?k ?l }", ("timeout",)),
    "path-bomb": ("SELECT (COUNT(*) AS ?n) WHERE { ?a (!<urn:x>)* ?b . ?c (!<urn:x>)* ?d }",
                  ("timeout",)),
}


def _allowed_roots(project: Path) -> list[str]:
    roots = {project, Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix),
             Path(tempfile.gettempdir())}
    return [str(r.resolve()) for r in roots] + ["/dev/null", "/dev/urandom", "/proc/self"]


def main() -> None:
    """Run the corpus and print the JSON summary."""
    project, target = Path(sys.argv[1]).resolve(), sys.argv[2]
    roots = _allowed_roots(project)
    connects: list[str] = []
    outside: list[str] = []

    def hook(event: str, args: tuple[object, ...]) -> None:
        if event == "socket.connect":
            connects.append(repr(args[1]))
        elif event == "open" and isinstance(args[0], str | bytes | os.PathLike):
            path = os.path.abspath(os.fsdecode(args[0]))  # noqa: PTH100 - no I/O in a hook
            if not any(path == r or path.startswith(r.rstrip("/") + "/") for r in roots):
                outside.append(path)

    sys.addaudithook(hook)
    from ibmkg.errors import QuerySyntaxError, QueryTimeoutError, UnsafeQueryError
    from ibmkg.graph_io import load_project
    from ibmkg.paths import Layout
    from ibmkg.sandbox.store import SandboxedStore

    outcomes: dict[str, str] = {}
    with SandboxedStore.from_data(load_project(Layout(project)), timeout=2.0) as store:
        before = store.count_triples()
        for name, (template, _) in ATTACKS.items():
            text = template.replace("{target}", target)
            try:
                store.run(text)
                outcomes[name] = "ran"
            except UnsafeQueryError:
                outcomes[name] = "refused"
            except QueryTimeoutError:
                outcomes[name] = "timeout"
            except QuerySyntaxError:
                outcomes[name] = "syntax"
        unchanged = store.count_triples() == before
        answered = store.ask("ASK { ?s a ibmkg:Study }")
    attack_connects, attack_outside = list(connects), list(outside)
    # Control: one deliberate connection, to show that the counters count.
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(target)
    with socket.create_connection((parts.hostname, parts.port), timeout=5):
        pass
    print(json.dumps({"outcomes": outcomes, "connects": attack_connects,
                      "outside": attack_outside, "control_connects": len(connects),
                      "unchanged": unchanged, "answered_after": answered}))


if __name__ == "__main__":
    main()
