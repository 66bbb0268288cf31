"""Regenerate the derived ontology files: ``python -m ibmkg.generate TARGET [--check]``.

The Makefile's ``imports``, ``mappings`` and ``context`` targets call this module; ``all``
does the three in that order. With ``--check`` nothing is written and the exit code is 1
when a file is stale (its name and the make target that fixes it go to stderr). Like the
CLI, this is an edge module: it prints, and maps errors to exit codes (2 for bad input).

============  ==========================================  ===============================
target        reads                                       writes
============  ==========================================  ===============================
imports       ``ontology/imports/*_terms.tsv``            ``ontology/imports/*_import.ttl``
mappings      ``ontology/mappings.sssom.tsv``, imports    ``ontology/mappings.ttl``
context       :data:`~ibmkg.namespaces.PREFIXES`,         ``ontology/context.jsonld``
              ``ontology/ibmkg.ttl``
============  ==========================================  ===============================
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph

from ibmkg.errors import InputError
from ibmkg.graph_io import load_turtle
from ibmkg.imports import ImportModule, declared_terms, load_modules, write_imports
from ibmkg.jsonld_context import write_context
from ibmkg.mappings import (
    MappingSet,
    check_against,
    read_mapping_set,
    write_mappings,
)
from ibmkg.namespaces import PREFIXES
from ibmkg.paths import Layout, default_layout
from ibmkg.tabular import TableError

__all__ = ["TARGETS", "check_declared", "main", "mappings_ttl", "run"]

#: What can be regenerated.
TARGETS = ("imports", "mappings", "context", "all")


def mappings_ttl(layout: Layout) -> Path:
    """Return where the mapping graph is written (beside the TSV).

    :param layout: the project layout.
    :returns: ``ontology/mappings.ttl``.

    >>> mappings_ttl(Layout(Path("p"))).as_posix()
    'p/ontology/mappings.ttl'
    """
    return layout.mappings_rdf


def run(target: str, layout: Layout, *, check: bool = False) -> list[Path]:
    """Regenerate one target (or all).

    :param target: ``imports``, ``mappings``, ``context`` or ``all``.
    :param layout: the project layout.
    :param check: only compare; write nothing.
    :returns: the files that changed (or would change).
    :raises InputError: for a malformed seed list or mapping set, or a mapping whose terms
        are not declared.
    """
    changed: list[Path] = []
    if target in ("imports", "all"):
        changed += write_imports(layout, check=check)
    if target in ("mappings", "all"):
        mapping_set = read_mapping_set(layout.mappings,
                                       display=layout.relative(layout.mappings).as_posix())
        problems = check_declared(mapping_set, layout, load_modules(layout))
        if problems:
            raise problems[0]
        if write_mappings(layout.mappings, mappings_ttl(layout), check=check):
            changed.append(mappings_ttl(layout))
    if target in ("context", "all") and write_context(layout, check=check):
        changed.append(layout.context)
    return changed


def check_declared(mapping_set: MappingSet, layout: Layout,
                   modules: Sequence[ImportModule]) -> list[TableError]:
    """Check every mapping row against the ontology's labels and the import modules.

    :param mapping_set: the parsed mapping set.
    :param layout: the project layout (for the ontology file).
    :param modules: the parsed seed lists.
    :returns: one error per problem, naming the row (empty when all is well).
    """
    labels: dict[str, list[str]] = {}
    label_props = {PREFIXES["rdfs"] + "label", PREFIXES["skos"] + "prefLabel"}
    display = layout.relative(layout.ontology).as_posix()
    for triple in load_turtle(layout.ontology, display=display):
        subject, obj = triple.subject, triple.object
        if triple.predicate.value in label_props and isinstance(subject, pyoxigraph.NamedNode) \
                and isinstance(obj, pyoxigraph.Literal):
            labels.setdefault(subject.value, []).append(obj.value)
    terms = declared_terms(modules)
    return check_against(mapping_set, labels, {iri: t.label for iri, t in terms.items()})


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point.

    :param argv: the arguments (``sys.argv[1:]`` by default).
    :returns: the exit code: 0 done, 1 stale (with ``--check``), 2 bad input.
    """
    parser = argparse.ArgumentParser(prog="python -m ibmkg.generate",
                                     description="Regenerate derived ontology files.")
    parser.add_argument("target", choices=TARGETS)
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 when a file is stale")
    args = parser.parse_args(argv)
    try:
        layout = default_layout()
        changed = run(args.target, layout, check=args.check)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    for path in changed:
        verb = "stale" if args.check else "wrote"
        print(f"{verb}: {layout.relative(path).as_posix()}", file=sys.stderr)
    if args.check and changed:
        target = "all" if args.target == "all" else args.target
        print(f"run `make {target if target != 'all' else 'imports mappings context'}` to "
              "regenerate", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
