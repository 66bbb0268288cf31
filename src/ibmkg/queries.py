"""The stored query catalogue: one ``.rq`` file per question, with a strict header.

A stored query starts with ``#+ key: value`` lines (grlc's decorator style)::

    #+ summary: Which studies gave IVIG to patients with sIBM?
    #+ description: Lists every study with its label and design.
    #+   Further lines of the description start with "#+" and two or more spaces.
    #+ keywords: study, design
    #+ columns: study, label, design
    #+ param: design: iri = ibmkg:RandomizedControlledTrial -- the design to keep
    #+ federated: false
    #+ inferred: false
    SELECT ?study ?label ?design WHERE { ... }

``summary``, ``description``, ``keywords`` and ``columns`` are required; ``columns`` must
equal the SELECT projection, in order. A ``param`` line is ``NAME: TYPE [= DEFAULT] --
description`` with TYPE one of ``iri curie term string integer decimal boolean`` (a
``term`` is bound as an IRI when the value is an IRI or a CURIE with a known prefix, else as
a string, e.g. a label); without a default the parameter is required; NAME must be a
variable of the query.

Bound parameters behave like a ``VALUES`` block at the start of the ``WHERE`` group, on
every backend: use the variable where the outer group binds it (a triple pattern, or a
FILTER of the outer group), not only inside a nested group that does not bind it. Anything else (an
unknown or repeated key, a missing one, a malformed line) is a :class:`QueryHeaderError`
naming the file and line: a bad header is never just a warning.

>>> q = parse_stored_query("demo", '''#+ summary: Which studies are there?
... #+ description: Every study.
... #+ keywords: study
... #+ columns: study
... #+ param: design: iri = ibmkg:Study -- the class
... SELECT ?study WHERE { ?study a ?design }''')
>>> q.columns, q.params[0].default
(('study',), 'ibmkg:Study')
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path

import pyoxigraph

from ibmkg.errors import (
    CurieError,
    QueryHeaderError,
    QueryNotFoundError,
    QueryParameterError,
    QuerySyntaxError,
    UnsafeQueryError,
)
from ibmkg.formats import Backend
from ibmkg.namespaces import PREFIXES, expand_curie
from ibmkg.sparql import BindableTerm, query_form, tokens, variables
from ibmkg.store.base import ResultTable, Store

__all__ = [
    "INFERRED_GRAPH",
    "Catalogue",
    "Param",
    "ParamType",
    "StoredQuery",
    "coerce_param",
    "expand_term",
    "find_query",
    "load_catalogue",
    "load_query",
    "parse_stored_query",
    "run_query",
]

#: The named graph holding the reasoner's inferences (used by ``inferred: true`` queries).
INFERRED_GRAPH = "https://w3id.org/ibmkg/inferred"

_XSD = "http://www.w3.org/2001/XMLSchema#"
_REQUIRED = ("summary", "description", "keywords", "columns")
_OPTIONAL = ("param", "federated", "inferred")
_HEADER_LINE = re.compile(r"#\+ (?P<key>[A-Za-z_][\w-]*):(?: (?P<value>.*))?$")
_CONTINUATION = re.compile(r"#\+  +(?P<value>\S.*)$")
_PARAM = re.compile(
    r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*:\s*(?P<type>\w+)"
    r"(?:\s*=\s*(?P<default>.*?))?\s+--\s+(?P<description>\S.*)$"
)


class ParamType(StrEnum):
    """The types a stored query parameter can declare."""

    IRI = "iri"
    CURIE = "curie"
    TERM = "term"
    STRING = "string"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"


@dataclass(frozen=True)
class Param:
    """A declared query parameter.

    :param name: the variable it binds (without ``?``).
    :param type: what values it accepts.
    :param default: the raw default, or ``None`` when the parameter is required.
    :param description: what it means.
    """

    name: str
    type: ParamType
    default: str | None
    description: str

    @property
    def required(self) -> bool:
        """Whether a value must be given."""
        return self.default is None


@dataclass(frozen=True)
class StoredQuery:
    """One stored query and its header.

    :param name: the file name without ``.rq`` (``checks/<stem>`` for checks).
    :param path: the file, if it came from one.
    :param summary: the competency question.
    :param description: what the query returns.
    :param keywords: search keywords.
    :param columns: the projected variables, in order.
    :param params: the declared parameters.
    :param federated: whether it calls ``SERVICE`` (never run on the local store).
    :param inferred: whether it needs the reasoner's inferred graph.
    :param sparql: the query text after the header.
    """

    name: str
    path: Path | None
    summary: str
    description: str
    keywords: tuple[str, ...]
    columns: tuple[str, ...]
    params: tuple[Param, ...]
    federated: bool
    inferred: bool
    sparql: str = field(repr=False)

    @property
    def is_check(self) -> bool:
        """Whether this is a data check (``checks/*-violation.rq``: must return no rows)."""
        return self.name.startswith("checks/")

    def param(self, name: str) -> Param:
        """Return the declared parameter ``name``.

        :param name: the parameter.
        :returns: its declaration.
        :raises QueryParameterError: listing the declared ones when unknown.
        """
        for param in self.params:
            if param.name == name:
                return param
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryParameterError(name, f"{self.name} has no such parameter (it takes: {known})")


def parse_stored_query(name: str, text: str, *, path: Path | None = None) -> StoredQuery:
    """Parse a stored query's header and check it against the query.

    :param name: the query's name.
    :param text: the whole ``.rq`` text.
    :param path: the file, for messages.
    :returns: the stored query.
    :raises QueryHeaderError: for a malformed header (with file and line).
    :raises QuerySyntaxError: when the query does not parse.
    """
    source = str(path) if path is not None else name
    fields: dict[str, tuple[str, int]] = {}
    params: list[tuple[str, int]] = []
    lines = text.splitlines()
    last_key: str | None = None
    n_header = 0
    for number, line in enumerate(lines, start=1):
        if not line.startswith("#+"):
            break
        n_header = number
        continuation = _CONTINUATION.match(line)
        if continuation:
            if last_key != "description":
                raise QueryHeaderError(source, number, "only the description may continue on "
                                       "further '#+   ' lines")
            value, start = fields["description"]
            fields["description"] = (f"{value} {continuation['value'].strip()}", start)
            continue
        match = _HEADER_LINE.match(line)
        if match is None:
            raise QueryHeaderError(source, number, "expected '#+ key: value'")
        key, value = match["key"], (match["value"] or "").strip()
        if key not in _REQUIRED + _OPTIONAL:
            known = ", ".join(_REQUIRED + _OPTIONAL)
            raise QueryHeaderError(source, number, f"unknown header key {key!r} (known: {known})")
        if not value:
            raise QueryHeaderError(source, number, f"{key!r} has no value")
        if key == "param":
            params.append((value, number))
        elif key in fields:
            raise QueryHeaderError(source, number, f"{key!r} is given twice (first on line "
                                   f"{fields[key][1]})")
        else:
            fields[key] = (value, number)
        last_key = key
    for number, line in enumerate(lines[n_header:], start=n_header + 1):
        if line.startswith("#+"):
            raise QueryHeaderError(source, number, "header lines must all be at the top of "
                                   "the file, before any other line")
    for key in _REQUIRED:
        if key not in fields:
            raise QueryHeaderError(source, max(n_header, 1), f"missing required key {key!r}; "
                                   f"add '#+ {key}: ...' to the header")
    sparql = "\n".join(lines[n_header:]).strip("\n") + "\n"
    query = StoredQuery(
        name=name,
        path=path,
        summary=fields["summary"][0],
        description=fields["description"][0],
        keywords=_split_list(fields["keywords"], source),
        columns=_split_list(fields["columns"], source),
        params=tuple(_parse_param(value, number, source) for value, number in params),
        federated=_parse_bool(fields.get("federated"), source, "federated"),
        inferred=_parse_bool(fields.get("inferred"), source, "inferred"),
        sparql=sparql,
    )
    _check(query, fields, params, source, n_header)
    return query


def _split_list(entry: tuple[str, int], source: str) -> tuple[str, ...]:
    value, number = entry
    items = tuple(item.strip() for item in value.split(","))
    if any(not item for item in items):
        raise QueryHeaderError(source, number, "empty item in a comma-separated list")
    return items


def _parse_bool(entry: tuple[str, int] | None, source: str, key: str) -> bool:
    if entry is None:
        return False
    value, number = entry
    if value not in ("true", "false"):
        raise QueryHeaderError(source, number, f"{key!r} must be true or false, not {value!r}")
    return value == "true"


def _parse_param(value: str, number: int, source: str) -> Param:
    match = _PARAM.match(value)
    if match is None:
        raise QueryHeaderError(source, number, "expected 'param: NAME: TYPE [= DEFAULT] -- "
                               "description'")
    try:
        kind = ParamType(match["type"])
    except ValueError:
        types = ", ".join(t.value for t in ParamType)
        raise QueryHeaderError(source, number, f"unknown parameter type {match['type']!r} "
                               f"(use one of {types})") from None
    param = Param(match["name"], kind, match["default"], match["description"].strip())
    if param.default is not None:
        try:
            coerce_param(param, param.default)
        except (QueryParameterError, CurieError) as err:
            raise QueryHeaderError(source, number, f"bad default: {err}") from None
    return param


def _check(query: StoredQuery, fields: Mapping[str, tuple[str, int]],
           params: list[tuple[str, int]], source: str, n_header: int) -> None:
    form = query_form(query.sparql)
    if form != "SELECT":
        raise QueryHeaderError(source, n_header + 1, f"stored queries are SELECT queries, "
                               f"not {form}")
    has_service = any(t.kind == "word" and t.text.upper() == "SERVICE"
                      for t in tokens(query.sparql))
    if has_service != query.federated:
        number = fields["federated"][1] if "federated" in fields else n_header
        problem = ("the query calls SERVICE: add '#+ federated: true'" if has_service
                   else "'federated: true' but the query has no SERVICE clause")
        raise QueryHeaderError(source, number, problem)
    used = variables(query.sparql)
    seen: set[str] = set()
    for param, (_, number) in zip(query.params, params, strict=True):
        if param.name in seen:
            raise QueryHeaderError(source, number, f"parameter {param.name!r} declared twice")
        seen.add(param.name)
        if param.name not in used:
            raise QueryHeaderError(source, number, f"parameter {param.name!r} is not a "
                                   f"variable of the query (no ?{param.name})")
    projection = projection_of(query.sparql, source=source, line_offset=n_header,
                               allow_service=query.federated)
    if projection != query.columns:
        raise QueryHeaderError(
            source, fields["columns"][1],
            f"columns say {', '.join(query.columns)} but the query selects "
            f"{', '.join(projection) or '*'}; make them equal, in the same order",
        )


def projection_of(sparql: str, *, source: str = "<query>", line_offset: int = 0,
                  allow_service: bool = False) -> tuple[str, ...]:
    """Return a query's columns from its parsed form, without running it.

    The query goes through the sandbox's gate (:func:`ibmkg.sandbox.inspect_query`), so a
    ``SERVICE`` clause is parsed, never called, and nothing reaches the network.

    :param sparql: the query (undeclared prefixes from the prefix map are allowed).
    :param source: the name used in error messages.
    :param line_offset: lines before ``sparql`` in its file (for error positions).
    :param allow_service: accept ``SERVICE`` (federated stored queries).
    :returns: the projected variable names (empty for other query forms).
    :raises QuerySyntaxError: when the query does not parse.
    :raises UnsafeQueryError: for what the gate refuses.

    >>> projection_of("SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s")
    ('s', 'n')
    """
    from ibmkg.sandbox.gate import inspect_query

    try:
        info = inspect_query(sparql, allow_service=allow_service, source=source,
                             line_offset=line_offset)
    except UnsafeQueryError as err:
        raise QueryHeaderError(source, line_offset + 1, str(err)) from None
    return () if info.star else info.columns


def load_query(path: Path, *, name: str | None = None) -> StoredQuery:
    """Read and check one ``.rq`` file.

    :param path: the file.
    :param name: the query's name (by default the file stem).
    :returns: the stored query.
    :raises QueryHeaderError: for a malformed header.
    :raises QuerySyntaxError: when the query does not parse.
    """
    from ibmkg.graph_io import read_text
    from ibmkg.paths import display_path

    shown = Path(display_path(path))
    return parse_stored_query(name or path.stem, read_text(path, display=str(shown)), path=shown)


class Catalogue(Mapping[str, StoredQuery]):
    """The stored queries of a directory, by name (``checks/<stem>`` for checks).

    :param queries: the queries.
    """

    def __init__(self, queries: Mapping[str, StoredQuery]) -> None:
        self._queries = dict(sorted(queries.items()))

    def __getitem__(self, name: str) -> StoredQuery:
        try:
            return self._queries[name]
        except KeyError:
            raise QueryNotFoundError(name, self._queries) from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._queries)

    def __len__(self) -> int:
        return len(self._queries)


def _query_files(directory: Path) -> dict[str, Path]:
    files = {p.stem: p for p in sorted(directory.glob("*.rq"))}
    checks = directory / "checks"
    if checks.is_dir():
        files.update({f"checks/{p.stem}": p for p in sorted(checks.glob("*.rq"))})
    return files


def load_catalogue(directory: Path) -> Catalogue:
    """Load and check every stored query of a directory (and its ``checks/``).

    :param directory: usually ``queries/``.
    :returns: the catalogue.
    :raises QueryHeaderError: on the first malformed file.
    """
    if not directory.is_dir():
        return Catalogue({})
    return Catalogue({name: load_query(path, name=name)
                      for name, path in _query_files(directory).items()})


def find_query(name: str, directory: Path) -> StoredQuery:
    """Return a stored query by name, or by path to a ``.rq`` file.

    Only the file asked for is read, so a broken neighbour does not block it.

    :param name: a query name (``studies``, ``checks/x``) or a file path.
    :param directory: the catalogue directory.
    :returns: the query.
    :raises QueryNotFoundError: with the closest names.
    """
    candidate = Path(name)
    if name.endswith(".rq") and candidate.is_file():
        return load_query(candidate)
    files = _query_files(directory) if directory.is_dir() else {}
    if name not in files:
        raise QueryNotFoundError(name, files)
    return load_query(files[name], name=name)


# --- parameters ----------------------------------------------------------------------------


def expand_term(text: str) -> str:
    """Turn an IRI or a CURIE given by a user into a full IRI.

    This is the one place where user-written terms are resolved; a richer resolver (the
    mappings' converter) can replace it.

    :param text: ``<iri>``, ``https://...``, ``urn:...`` or ``prefix:local``.
    :returns: the full IRI.
    :raises CurieError: for an unknown prefix.

    >>> expand_term("MONDO:0007827")
    'http://purl.obolibrary.org/obo/MONDO_0007827'
    >>> expand_term("<https://w3id.org/ibmkg/study/a>")
    'https://w3id.org/ibmkg/study/a'
    """
    resolver = _resolver()
    if resolver is not None:
        resolved: str = resolver(text)
        return resolved
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    expanded = expand_curie(text)
    if expanded is not None:
        return expanded
    prefix = text.split(":", 1)[0]
    if ":" in text and (text.split(":", 1)[1].startswith("//") or prefix in ("urn", "mailto")):
        return text
    raise CurieError(f"{text!r} is neither an IRI nor a CURIE with a known prefix "
                     f"(known: {', '.join(sorted(PREFIXES))})")


def _resolver() -> Callable[[str], str] | None:
    """``ibmkg.curie.expand_term`` when that module exists (it knows prefix synonyms)."""
    try:
        module = importlib.import_module("ibmkg.curie")
    except ModuleNotFoundError:
        return None
    found = getattr(module, "expand_term", None)
    return found if callable(found) else None


_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_BOOLEANS = {"true": "true", "false": "false", "yes": "true", "no": "false", "1": "true",
             "0": "false"}


def coerce_param(param: Param, raw: str) -> BindableTerm:
    """Turn a raw parameter value into the RDF term to bind.

    :param param: the declaration.
    :param raw: the value as typed.
    :returns: a ``NamedNode`` or ``Literal``.
    :raises QueryParameterError: naming the parameter and what it expects.

    >>> coerce_param(Param("n", ParamType.INTEGER, None, "size"), "12")
    <Literal value=12 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#integer>>
    """
    value = raw.strip()
    try:
        if param.type is ParamType.CURIE:
            from ibmkg.curie import expand

            return pyoxigraph.NamedNode(expand(value))
        if param.type is ParamType.IRI:
            return pyoxigraph.NamedNode(expand_term(value))
        if param.type is ParamType.TERM:
            return _term(raw)
        if param.type is ParamType.STRING:
            return pyoxigraph.Literal(raw)
        if param.type is ParamType.INTEGER and _INTEGER.fullmatch(value):
            return pyoxigraph.Literal(str(int(value)),
                                      datatype=pyoxigraph.NamedNode(_XSD + "integer"))
        if param.type is ParamType.DECIMAL and _DECIMAL.fullmatch(value):
            Decimal(value)
            return pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(_XSD + "decimal"))
        if param.type is ParamType.BOOLEAN and value.lower() in _BOOLEANS:
            return pyoxigraph.Literal(_BOOLEANS[value.lower()],
                                      datatype=pyoxigraph.NamedNode(_XSD + "boolean"))
    except (CurieError, ValueError, InvalidOperation) as err:
        if isinstance(err, QueryParameterError):
            raise
        raise QueryParameterError(param.name, f"expects {_EXPECTS[param.type]}, got {raw!r} "
                                  f"({err})") from None
    raise QueryParameterError(param.name, f"expects {_EXPECTS[param.type]}, got {raw!r}")


def _term(raw: str) -> BindableTerm:
    """An IRI when ``raw`` reads as one (``<iri>``, ``https://...``, known CURIE), else a string."""
    value = raw.strip()
    try:
        return pyoxigraph.NamedNode(expand_term(value))
    except (CurieError, ValueError):
        return pyoxigraph.Literal(raw)


_EXPECTS = {
    ParamType.IRI: "an IRI or a CURIE",
    ParamType.TERM: "an IRI, a CURIE or a label",
    ParamType.CURIE: "a CURIE such as MONDO:0007827",
    ParamType.STRING: "a string",
    ParamType.INTEGER: "an integer such as 12",
    ParamType.DECIMAL: "a decimal number such as 0.5",
    ParamType.BOOLEAN: "true or false",
}


def bindings_for(query: StoredQuery, params: Mapping[str, str]) -> dict[str, BindableTerm]:
    """Check and coerce the parameters given for a query, filling in defaults.

    :param query: the stored query.
    :param params: name -> raw value.
    :returns: variable -> RDF term.
    :raises QueryParameterError: for an unknown, missing or ill-typed parameter.
    """
    for name in params:
        query.param(name)
    bound: dict[str, BindableTerm] = {}
    for param in query.params:
        raw = params.get(param.name, param.default)
        if raw is None:
            raise QueryParameterError(param.name, f"is required: add --param {param.name}=... "
                                      f"({_EXPECTS[param.type]}; {param.description})")
        bound[param.name] = coerce_param(param, raw)
    return bound


def run_query(store: Store, query: StoredQuery, params: Mapping[str, str] | None = None,
              ) -> ResultTable:
    """Run a stored query with typed parameters.

    :param store: where to run it.
    :param query: the stored query.
    :param params: parameter name -> raw value (defaults fill the rest).
    :returns: the rows, with the header's columns.
    :raises QueryParameterError: for an unknown, missing or ill-typed parameter.
    :raises UnsafeQueryError: for a federated query on the embedded store.
    :raises InputError: for an ``inferred`` query on a store without the inferred graph.
    """
    from ibmkg.errors import InputError

    bindings = bindings_for(query, params or {})
    if query.federated and store.backend is Backend.EMBEDDED:
        raise UnsafeQueryError(f"{query.name} is federated (SERVICE); run it with --endpoint")
    if query.inferred and (store.inferred_graph or INFERRED_GRAPH) not in store.graph_names():
        raise InputError(f"{query.name} needs the inferred graph; run it with --inferred")
    if query.federated:
        from ibmkg.store.remote import RemoteStore

        assert isinstance(store, RemoteStore)
        text = store.prepare(query.sparql, bindings, allow_service=True)
        return store.run_prepared(text)
    table = store.query(query.sparql, bindings=bindings)
    if table.columns != query.columns:
        raise QuerySyntaxError(query.name, 0, 0, f"returned columns {table.columns}, header "
                               f"says {query.columns}")
    return table
