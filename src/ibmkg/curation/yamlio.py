"""Reading and writing the YAML form of a study, safely (the only strictyaml adapter).

strictyaml reads every scalar as text: ``NO`` stays the text ``NO`` and ``1.10`` stays
``1.10``; the form's types decide what is a flag or a number, and refuse what is not. Duplicate
keys, tags (``!!python/object``), anchors and aliases (so no alias bombs) and flow collections
are errors at their line and column. Every problem of a file is reported at once, each as
``file:line:column: field: what was found, what is expected, the fix``.

>>> study = read_form_text("slug: doe-2030\\nlabel: Doe et al. 2030\\npublication:\\n"
...                        "  title: A trial\\npatients: '7'\\n", display="doe.yaml")
>>> study.patients
7
>>> read_form_text("slug: doe-2030\\nlabel: x\\nlabel: y\\n", display="doe.yaml")
Traceback (most recent call last):
...
ibmkg.errors.CurationError: doe.yaml:3:6: duplicate key 'label'; keep one of them
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final

from pydantic import BaseModel, ValidationError

from ibmkg.curation.model import Study
from ibmkg.curation.vocab import Vocabulary
from ibmkg.errors import CurationError, FormProblem, InputError

#: Files larger than this are refused before parsing.
MAX_BYTES: Final = 2_000_000

Loc = tuple[str | int, ...]
Positions = dict[Loc, tuple[int, int]]


def read_form(path: Path, *, display: str | None = None) -> Study:
    """Read and check a study form file.

    :param path: the YAML file.
    :param display: the name shown in messages (default: the path).
    :returns: the checked form (values from the ontology are not yet resolved).
    :raises CurationError: listing every problem with its line and column.
    :raises InputError: when the file cannot be read.
    """
    name = display or str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InputError(f"{name}: larger than {MAX_BYTES} bytes; a study form is small")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{name}: is a directory, expected a YAML file") from None
    except OSError as err:
        raise InputError(f"{name}: cannot read ({err.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise InputError(f"{name}: byte {err.start} is not UTF-8; save the file as UTF-8") \
            from None
    return read_form_text(text, display=name)


def parse_yaml(text: str, *, display: str) -> tuple[Any, Positions]:
    """Parse YAML text into plain data (text, lists, dicts) and where each value starts.

    :param text: the YAML.
    :param display: the file name for messages.
    :returns: the data and a map from each value's path to its (line, column), 1-based.
    :raises CurationError: on a syntax error, duplicate key, tag, anchor, alias or flow style.

    >>> parse_yaml("a:\\n  - b: NO\\n", display="x.yaml")
    ({'a': [{'b': 'NO'}]}, {(): (1, 1), ('a',): (1, 1), ('a', 0): (2, 5), ('a', 0, 'b'): (2, 5)})
    """
    import strictyaml

    if "\x00" in text:
        line = text[:text.index("\x00")].count("\n") + 1
        raise CurationError([FormProblem(display, line, 1, "", "a NUL character; remove it")])
    try:
        doc = strictyaml.load(text)
    except Exception as err:  # strictyaml and its ruamel raise many kinds; all are syntax
        raise _syntax_error(err, display) from None
    positions: Positions = {(): (1, 1)}
    data = _walk(doc, (), positions, _Cursor(text.splitlines()))
    return data, positions


def _syntax_error(err: Exception, display: str) -> CurationError:
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    line = (mark.line + 1) if mark is not None else 0
    column = (mark.column + 1) if mark is not None else 0
    kind = type(err).__name__
    problem = getattr(err, "problem", None) or str(err).strip().splitlines()[0] if str(err) \
        else kind
    fixes = {
        "DuplicateKeysDisallowed": "duplicate key KEY; keep one of them",
        "TagTokenDisallowed": "a YAML tag ('!...'); tags are not allowed, write plain values",
        "AnchorTokenDisallowed": "an anchor ('&name'); anchors and aliases are not allowed, "
                                 "repeat the value instead",
        "FlowMappingDisallowed": "a flow collection ('{...}' or '[...]'); write one item per "
                                 "line ('- item') or quote the text",
    }
    if kind in fixes:
        message = fixes[kind]
        if kind == "DuplicateKeysDisallowed":
            message = message.replace("KEY", repr(_key_at(mark)) if mark is not None else "")
    elif "alias" in str(err).lower() or "*" in str(problem)[:2]:
        message = "an alias ('*name'); aliases are not allowed, repeat the value instead"
    else:
        message = f"not valid YAML ({problem}); fix the syntax at that position"
    return CurationError([FormProblem(display, line, column, "", message)])


def _key_at(mark: Any) -> str:
    try:
        text = mark.buffer if isinstance(mark.buffer, str) else ""
        line = text.splitlines()[mark.line]
    except (AttributeError, IndexError, TypeError):
        return ""
    key: str = line.strip().split(":", 1)[0].strip("'\"")
    return key


class _Cursor:
    """Finds keys and list items in document order (strictyaml's own lines are unreliable)."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.lines = lines
        self.at = 0

    def find(self, key: str | None) -> tuple[int, int]:
        for n in range(self.at, len(self.lines)):
            text = self.lines[n]
            stripped = text.lstrip()
            offset = len(text) - len(stripped)
            while stripped.startswith("- ") or stripped == "-":
                if key is None:
                    self.at = n
                    return n + 1, offset + 1
                stripped = stripped[2:].lstrip()
                offset = len(text) - len(stripped)
            if key is not None and any(stripped.startswith(f"{q}{key}{q}:")
                                       for q in ("", "'", '"')):
                self.at = n + 1
                return n + 1, offset + 1
        return 0, 0


def _walk(node: Any, loc: Loc, positions: Positions, cursor: _Cursor) -> Any:
    if node.is_mapping():
        out: dict[str, Any] = {}
        for key, value in node.items():
            k = str(key.data)
            positions[(*loc, k)] = cursor.find(k)
            out[k] = _walk(value, (*loc, k), positions, cursor)
        return out
    if node.is_sequence():
        items = []
        for i, item in enumerate(node):
            line, column = cursor.find(None)
            positions[(*loc, i)] = (line, column + 2)
            cursor.at = line  # the item's first key may sit on the same line
            if line:
                cursor.at = line - 1
                cursor.lines = list(cursor.lines)
                cursor.lines[line - 1] = " " * (column + 1) + cursor.lines[line - 1][column + 1:]
            items.append(_walk(item, (*loc, i), positions, cursor))
        return items
    return str(node.data)


def read_form_text(text: str, *, display: str, vocab: Vocabulary | None = None) -> Study:
    """Check YAML text as a study form.

    :param text: the YAML.
    :param display: the file name for messages.
    :param vocab: also check the ontology values (with "did you mean"), in the same report.
    :returns: the form.
    :raises CurationError: listing every problem with its line and column, by line.
    """
    return read_form_located(text, display=display, vocab=vocab)[0]


def read_form_located(text: str, *, display: str, vocab: Vocabulary | None = None,
                      ) -> tuple[Study, Positions]:
    """Like :func:`read_form_text`, also returning where each field is.

    :param text: the YAML.
    :param display: the file name for messages.
    :param vocab: also check the ontology values.
    :returns: the form and the positions of its fields.
    :raises CurationError: listing every problem with its line and column, by line.
    """
    from ibmkg.curation.rdf import raw_value_problems

    data, positions = parse_yaml(text, display=display)
    problems = []
    if vocab is not None:
        for p in raw_value_problems(data, vocab):
            line, column = locate(p.loc, positions)
            problems.append(FormProblem(display, line, column,
                                        ".".join(str(x) for x in p.loc), p.message))
    try:
        study = check_form(data, positions, display=display)
    except CurationError as err:
        problems += err.problems
    if problems:
        raise CurationError(sorted(problems, key=lambda p: (p.line, p.column)))
    return study, positions


def check_form(data: Any, positions: Positions, *, display: str) -> Study:
    """Check parsed data against the form's schema, reporting every problem at once.

    :param data: plain data from :func:`parse_yaml` (or a table row).
    :param positions: where each value is, for the messages.
    :param display: the file name for messages.
    :returns: the form.
    :raises CurationError: listing every problem.
    """
    if not isinstance(data, dict):
        raise CurationError([FormProblem(display, 1, 1, "", "expected a mapping of fields "
                                         "(slug: ..., label: ...); run `ibmkg new-study SLUG` "
                                         "for a template")])
    try:
        return Study.model_validate(data)
    except ValidationError as err:
        raise CurationError(schema_problems(err, positions, display)) from None


def schema_problems(err: ValidationError, positions: Positions,
                    display: str) -> list[FormProblem]:
    """Turn pydantic's errors into located, actionable problems.

    :param err: the validation error.
    :param positions: where each value is.
    :param display: the file name.
    :returns: one problem per error.
    """
    problems = []
    for e in err.errors(include_url=False):
        loc = tuple(x for x in e["loc"] if not (isinstance(x, str) and "[" in x))
        field = ".".join(str(x) for x in loc)
        line, column = locate(loc, positions)
        kind = e["type"]
        found = e.get("input")
        if kind == "missing":
            message = f"missing; add '{loc[-1]}:' here"
        elif kind == "extra_forbidden":
            allowed = _fields_at(loc[:-1])
            close = difflib.get_close_matches(str(loc[-1]), allowed, n=2)
            hint = ("did you mean " + " or ".join(repr(c) for c in close) + "?") if close \
                else "allowed: " + ", ".join(allowed)
            message = f"unknown field; {hint}"
        elif kind == "value_error":
            message = str(e["msg"]).removeprefix("Value error, ")
        elif kind == "string_pattern_mismatch":
            message = f"found {found!r}, which does not have the expected form " \
                      f"({_pattern_hint(str(loc[-1]))})"
        elif kind in ("list_type", "model_type", "dict_type", "model_attributes_type"):
            message = f"found {_show(found)}, expected " + \
                      ("a list (one '- item' per line)" if kind == "list_type"
                       else "a group of fields (indented 'name: value' lines)")
        elif kind == "literal_error":
            message = f"found {found!r}; {e['msg'].lower()}"
        else:
            message = f"found {_show(found)}: {e['msg']}"
        problems.append(FormProblem(display, line, column, field, message))
    return problems


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a group of fields"
    if isinstance(value, list):
        return "a list"
    return repr(value)


def _pattern_hint(name: str) -> str:
    return {"slug": "lower-case words joined by hyphens, e.g. doe-2030",
            "id": "lower-case words joined by hyphens, e.g. arm-ivig",
            "doi": "10.xxxx/..., without https://doi.org/",
            "pmid": "digits only, e.g. 8164466",
            "year": "four digits, e.g. 2030", "date": "YYYY-MM-DD",
            "reviewed_in": "a review's slug, e.g. fontanelli-2024"}.get(name, "see the template")


def _fields_at(loc: Loc) -> list[str]:
    model: type[BaseModel] = Study
    for part in loc:
        if isinstance(part, int):
            continue
        annotation = model.model_fields[str(part)].annotation if part in model.model_fields \
            else None
        inner = _model_in(annotation)
        if inner is None:
            return []
        model = inner
    return list(model.model_fields)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def locate(loc: Loc, positions: Positions) -> tuple[int, int]:
    """The line and column of a field, or of its nearest enclosing one.

    :param loc: the field's path.
    :param positions: from :func:`parse_yaml`.
    :returns: (line, column), (0, 0) when unknown.

    >>> locate(("a", "b"), {("a",): (3, 1)})
    (3, 1)
    """
    while loc:
        if loc in positions:
            return positions[loc]
        loc = loc[:-1]
    return positions.get((), (0, 0))


def dump_form(data: dict[str, Any]) -> str:
    """Write plain form data as YAML that :func:`parse_yaml` reads back unchanged.

    :param data: from :func:`ibmkg.curation.rdf.form_dict`.
    :returns: the YAML text.

    >>> print(dump_form({"slug": "a-1", "patients": 4, "design": {"randomised": False}}), end="")
    slug: a-1
    patients: 4
    design:
      randomised: false
    """
    import strictyaml

    yaml_text: str = strictyaml.as_document(_texts(data)).as_yaml()
    return yaml_text


def _texts(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _texts(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_texts(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
