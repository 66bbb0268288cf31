"""The embedded store: pyoxigraph, in memory.

Each source is a named graph; the store's default graph holds their RDF merge (a triple
stated in two files is there once), which is what queries see without ``GRAPH``. A store
made with ``study_graphs=False`` (the query store of :mod:`ibmkg.store.cache`) keeps the
studies in the default graph only, so each of their triples is stored once.

>>> from ibmkg.graph_io import parse_turtle
>>> store = EmbeddedStore()
>>> study = "https://w3id.org/ibmkg/study/a"
>>> store.load(parse_turtle(f'<{study}> a <https://w3id.org/ibmkg/ontology/Study> .'), study)
>>> store.query("SELECT ?s WHERE { ?s a ibmkg:Study }").rows
[(IRI('https://w3id.org/ibmkg/study/a'),)]
>>> store.count_triples()
1
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph

from ibmkg.formats import Backend
from ibmkg.graph_io import LoadedData
from ibmkg.paths import Layout
from ibmkg.sparql import BindableTerm, syntax_error
from ibmkg.store.base import ResultTable, Store, gc_paused, ntriples, to_values
from ibmkg.store.lexical import WrittenForms, lexical_forms, restore_literal, restore_triple


class EmbeddedStore(Store):
    """A pyoxigraph store in memory."""

    backend = Backend.EMBEDDED

    def __init__(self) -> None:
        self._store = pyoxigraph.Store()
        #: Written forms of the literals the store normalises (see :mod:`ibmkg.store.lexical`);
        #: answers give them back. Empty unless :meth:`from_data` is asked to keep them.
        self.written_forms: WrittenForms = {}
        #: the folder of the store on disk, when it is one (see :mod:`ibmkg.store.cache`).
        self.path: Path | None = None

    @classmethod
    def from_data(cls, data: LoadedData, *, keep_written_forms: bool = False,
                  study_graphs: bool = True) -> EmbeddedStore:
        """Create a store holding every graph of ``data``.

        :param data: the loaded graphs.
        :param keep_written_forms: give literals back in answers as the files wrote them
            (``"3.0"^^xsd:decimal``, not the store's ``"3"``), where a value is written one way
            (a pass over the literals at load; the outputs of ``ibmkg build`` and ``ibmkg site``
            use it).
        :param study_graphs: also keep each study in its own named graph ``study:<slug>``
            (the default graph holds every triple either way).
        :returns: the store.

        >>> from ibmkg.graph_io import LoadedData, SourceGraph
        >>> from ibmkg.source_index import SourceIndex
        >>> s = pyoxigraph.NamedNode("https://w3id.org/ibmkg/study/a")
        >>> three = pyoxigraph.Literal("3.0", datatype=pyoxigraph.NamedNode(
        ...     "http://www.w3.org/2001/XMLSchema#decimal"))
        >>> data = LoadedData((SourceGraph("urn:g", "a.ttl", (pyoxigraph.Triple(s, s, three),)),),
        ...                   SourceIndex())
        >>> [str(EmbeddedStore.from_data(data, keep_written_forms=keep).query(
        ...     "SELECT ?o { ?s ?p ?o }").terms[0][0].value) for keep in (False, True)]
        ['3', '3.0']
        """
        store = cls()
        if keep_written_forms:
            store.written_forms = lexical_forms(t.object for t in data.triples()
                                                if isinstance(t.object, pyoxigraph.Literal))
        store._store.extend(data.quads(study_graphs=study_graphs))
        store._store.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object)
                            for t in set(data.triples()))
        return store

    @classmethod
    def from_project(cls, layout: Layout | None = None, *,
                     study_graphs: bool = True) -> EmbeddedStore:
        """Create a store with the whole project: ontology, imports, review, studies, mappings.

        The files go through the strict gate straight into the store
        (:func:`ibmkg.store.load.load_project_into`): the same graphs as
        ``from_data(load_project(layout))``, without a Python object per triple.

        :param layout: the project layout (by default the project found from the current
            directory or ``$IBMKG_ROOT``).
        :param study_graphs: also keep each study file in its own named graph (without them,
            as in the query store, a study's triples are stored once: in the default graph).
        :returns: the store.
        :raises RdfSyntaxError: on the first file that does not parse (file:line:column).
        :raises InputError: when a check of the strict gate fails.
        """
        from ibmkg.paths import default_layout
        from ibmkg.store.load import load_project_into

        store = cls()
        load_project_into(store._store, layout or default_layout(), study_graphs=study_graphs)
        return store

    @property
    def oxigraph(self) -> pyoxigraph.Store:
        """The underlying :class:`pyoxigraph.Store` (for exports)."""
        return self._store

    def _prepared(self, sparql: str, bindings: Mapping[str, BindableTerm] | None,
                  forms: tuple[str, ...]) -> str:
        from ibmkg.sandbox.gate import check_bound, inspect_query

        inspect_query(sparql)  # the parsed form: SERVICE, FROM, deep nesting ... refused
        text = self.prepare(sparql, bindings, forms=forms)
        if bindings:
            check_bound(text)
        return text

    def _execute(self, text: str) -> object:
        try:
            return self._store.query(text)
        except SyntaxError as err:
            raise syntax_error(err) from None

    def _run(self, sparql: str, bindings: Mapping[str, BindableTerm] | None,
             forms: tuple[str, ...]) -> object:
        return self._execute(self._prepared(sparql, bindings, forms))

    def query(self, sparql: str, *, bindings: Mapping[str, BindableTerm] | None = None,
              ) -> ResultTable:
        """Run a SELECT query (see :meth:`Store.query`).

        :param sparql: the query text.
        :param bindings: values for variables.
        :returns: the rows.
        """
        from ibmkg.store.ordering import select

        # A top-level ORDER BY on projected variables is sorted here, in pyoxigraph's order
        # but far faster at tens of thousands of rows (see ibmkg.store.ordering).
        text = self._prepared(sparql, bindings, ("SELECT",))
        with gc_paused():  # many small acyclic objects (see gc_paused)
            answer = select(self._execute, text)
            columns, terms = answer.columns, answer.rows  # in column order
            if self.written_forms:
                terms = [tuple(restore_literal(t, self.written_forms)
                               if isinstance(t, pyoxigraph.Literal) else t for t in row)
                         for row in terms]
            return ResultTable(columns, to_values(terms), terms)

    def ask(self, sparql: str, *, bindings: Mapping[str, BindableTerm] | None = None) -> bool:
        """Run an ASK query (see :meth:`Store.ask`).

        :param sparql: the query text.
        :param bindings: values for variables.
        :returns: the answer.
        """
        result = self._run(sparql, bindings, ("ASK",))
        return bool(result)

    def construct(self, sparql: str, *, bindings: Mapping[str, BindableTerm] | None = None,
                  ) -> list[pyoxigraph.Triple]:
        """Run a CONSTRUCT or DESCRIBE query (see :meth:`Store.construct`).

        :param sparql: the query text.
        :param bindings: values for variables.
        :returns: the triples.
        """
        result = self._run(sparql, bindings, ("CONSTRUCT", "DESCRIBE"))
        assert isinstance(result, pyoxigraph.QueryTriples)
        return [restore_triple(t, self.written_forms) for t in result]

    def load(self, triples: Iterable[pyoxigraph.Triple], graph_name: str) -> None:
        """Add triples to a named graph and to the merged default graph, in one transaction.

        :param triples: the triples.
        :param graph_name: the graph IRI.
        """
        graph = pyoxigraph.NamedNode(graph_name)
        content = list(triples)
        self._store.extend(
            [pyoxigraph.Quad(t.subject, t.predicate, t.object, graph) for t in content]
            + [pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in content]
        )

    def replace_graph(self, graph_name: str, triples: Iterable[pyoxigraph.Triple]) -> None:
        """Replace a graph's content in one update, so a failure changes nothing.

        :param graph_name: the graph IRI.
        :param triples: the new content.
        """
        graph = str(pyoxigraph.NamedNode(graph_name))
        self._store.update(
            f"DROP SILENT GRAPH {graph} ;\nINSERT DATA {{ GRAPH {graph} {{\n"
            f"{ntriples(triples)}}} }} ;\n"
            "DROP DEFAULT ;\nINSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"
        )

    def count_triples(self, graph_name: str | None = None) -> int:
        """Count triples (see :meth:`Store.count_triples`).

        :param graph_name: a graph IRI, or ``None`` for all.
        :returns: the count.
        """
        if graph_name is None:
            return sum(1 for q in self._store if not isinstance(q.graph_name,
                                                                pyoxigraph.DefaultGraph))
        return sum(1 for _ in self._store.quads_for_pattern(
            None, None, None, pyoxigraph.NamedNode(graph_name)))

    def graph_names(self) -> list[str]:
        """Return the names of the graphs, sorted."""
        return sorted(g.value for g in self._store.named_graphs()
                      if isinstance(g, pyoxigraph.NamedNode))
