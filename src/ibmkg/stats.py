"""Figures about the loaded graph: graphs, studies, triples, classes and predicates.

>>> from ibmkg.graph_io import LoadedData, SourceGraph, parse_turtle
>>> from ibmkg.source_index import SourceIndex
>>> g = SourceGraph("https://w3id.org/ibmkg/study/a", "kg/studies/a.ttl", tuple(parse_turtle(
...     '<https://w3id.org/ibmkg/study/a> a <https://w3id.org/ibmkg/ontology/Study> .')))
>>> s = compute_stats(LoadedData((g,), SourceIndex()))
>>> s.studies, s.triples, s.classes
(1, 1, {'https://w3id.org/ibmkg/ontology/Study': 1})
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pyoxigraph

from ibmkg.graph_io import LoadedData
from ibmkg.namespaces import PREFIXES, curie_for

_TYPE = PREFIXES["rdf"] + "type"


@dataclass(frozen=True)
class Stats:
    """Counts over the loaded graphs.

    :param graphs: triples per named graph, in load order.
    :param studies: how many study graphs.
    :param triples: distinct triples in the union.
    :param subjects: distinct subjects in the union.
    :param classes: class IRI -> number of typed instances.
    :param predicates: predicate IRI -> number of triples.
    """

    graphs: dict[str, int]
    studies: int
    triples: int
    subjects: int
    classes: dict[str, int]
    predicates: dict[str, int]

    def text(self) -> str:
        """Render the figures as aligned text."""
        lines = [f"graphs     {len(self.graphs)}", f"studies    {self.studies}",
                 f"triples    {self.triples}", f"subjects   {self.subjects}", "",
                 "triples per graph:"]
        lines += [f"  {n:6d}  {_show(g)}" for g, n in self.graphs.items()]
        lines += ["", "instances per class:"]
        lines += [f"  {n:6d}  {_show(c)}" for c, n in self.classes.items()]
        lines += ["", "triples per predicate:"]
        lines += [f"  {n:6d}  {_show(p)}" for p, n in self.predicates.items()]
        return "\n".join(lines)


def _show(iri: str) -> str:
    return curie_for(iri) or f"<{iri}>"


def compute_stats(data: LoadedData) -> Stats:
    """Count what the loaded graphs hold.

    :param data: the loaded graphs.
    :returns: the figures (classes and predicates sorted by count, then IRI).
    """
    union = set(data.triples())
    classes: Counter[str] = Counter()
    predicates: Counter[str] = Counter()
    for t in union:
        predicates[t.predicate.value] += 1
        if t.predicate.value == _TYPE and isinstance(t.object, pyoxigraph.NamedNode):
            classes[t.object.value] += 1

    def ordered(counter: Counter[str]) -> dict[str, int]:
        return dict(sorted(counter.items(), key=lambda item: (-item[1], item[0])))

    return Stats(
        graphs={g.name: len(set(g.triples)) for g in data.graphs},
        studies=sum(1 for g in data.graphs if g.name.startswith(PREFIXES["study"])),
        triples=len(union),
        subjects=len({t.subject for t in union}),
        classes=ordered(classes),
        predicates=ordered(predicates),
    )
