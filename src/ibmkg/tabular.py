"""Tab-separated tables that start with a YAML metadata block, as SSSOM writes them.

Both the SSSOM mapping set (``ontology/mappings.sssom.tsv``) and the import seed lists
(``ontology/imports/<name>_terms.tsv``) are such tables: leading ``#`` lines hold YAML (the
``#`` and one following space removed), then a header row and one row per record. Rows are
read with the :mod:`csv` module (no quoting: SSSOM TSV cells never contain tabs or newlines)
and every problem is reported with the file, the line and the data row number.

Specification: https://mapping-commons.github.io/sssom/spec-formats-tsv/

>>> table = parse_table("#title: demo\\nid\\tlabel\\nHP:1\\tone\\n", source="demo.tsv")
>>> table.metadata["title"], table.rows[0].cells["label"], table.rows[0].line
('demo', 'one', 3)
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ibmkg.errors import InputError

__all__ = ["Row", "Table", "TableError", "parse_table", "read_table"]


class TableError(InputError):
    """A TSV table (mapping set, seed list) is malformed or one of its rows is wrong.

    :param source: the file, as shown to the user.
    :param line: the 1-based line in the file (0 when the problem is not on one line).
    :param row: the 1-based data row (0 for the header or the metadata block).
    :param problem: what is wrong and how to fix it.
    """

    def __init__(self, source: str, line: int, row: int, problem: str) -> None:
        self.source = source
        self.line = line
        self.row = row
        self.problem = problem
        where = f"{source}:{line}" if line else source
        if row:
            where += f" (row {row})"
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Row:
    """One data row.

    :param number: the 1-based data row number (the header is not counted).
    :param line: the 1-based line in the file.
    :param cells: column name -> cell text (empty string for an empty cell).
    """

    number: int
    line: int
    cells: dict[str, str]

    def get(self, column: str) -> str:
        """Return a cell, or ``""`` when the column is absent or empty.

        :param column: the column name.
        :returns: the stripped cell text.
        """
        return self.cells.get(column, "").strip()


@dataclass(frozen=True)
class Table:
    """A parsed table.

    :param source: the file, as shown in messages.
    :param metadata: the YAML block (an empty dict when there is none).
    :param columns: the header row.
    :param rows: the data rows, in file order.
    """

    source: str
    metadata: dict[str, Any]
    columns: tuple[str, ...]
    rows: tuple[Row, ...]

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    def error(self, row: Row | None, problem: str) -> TableError:
        """Build an error pointing at a row (or at the whole table).

        :param row: the row, or ``None``.
        :param problem: what is wrong.
        :returns: the error, to raise.
        """
        if row is None:
            return TableError(self.source, 0, 0, problem)
        return TableError(self.source, row.line, row.number, problem)


def parse_table(text: str, *, source: str = "<table>",
                required: Sequence[str] = ()) -> Table:
    """Parse a TSV table with a leading ``#`` YAML block.

    :param text: the file content.
    :param source: the file name for messages.
    :param required: columns the header must contain.
    :returns: the table.
    :raises TableError: for malformed YAML, a missing column, or a row with the wrong number
        of cells (naming the line and row).
    """
    lines = text.splitlines()
    yaml_lines: list[str] = []
    n_meta = 0
    for line in lines:
        if not line.startswith("#"):
            break
        yaml_lines.append(line[2:] if line.startswith("# ") else line[1:])
        n_meta += 1
    try:
        loaded = yaml.safe_load("\n".join(yaml_lines)) if yaml_lines else None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line_no = mark.line + 1 if mark is not None else 1
        raise TableError(source, line_no, 0, f"the '#' metadata block is not valid YAML "
                         f"({getattr(err, 'problem', err)})") from None
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        raise TableError(source, 1, 0, "the '#' metadata block must be a YAML mapping "
                         "(key: value lines)")
    body = lines[n_meta:]
    if not body or not body[0].strip():
        raise TableError(source, n_meta + 1, 0, "no header row after the metadata block")
    reader = csv.reader(body, delimiter="\t", quoting=csv.QUOTE_NONE, strict=True)
    header = tuple(cell.strip() for cell in next(reader))
    missing = [c for c in required if c not in header]
    if missing:
        raise TableError(source, n_meta + 1, 0, f"missing column(s) {', '.join(missing)}; "
                         f"the header must contain {', '.join(required)}")
    if len(set(header)) != len(header):
        raise TableError(source, n_meta + 1, 0, "a column name appears twice in the header")
    rows: list[Row] = []
    for offset, cells in enumerate(reader, start=1):
        line_no = n_meta + 1 + offset
        if not any(cell.strip() for cell in cells):
            continue
        number = len(rows) + 1
        if len(cells) != len(header):
            raise TableError(source, line_no, number, f"{len(cells)} cells but the header has "
                             f"{len(header)} columns; separate cells with exactly one tab")
        rows.append(Row(number, line_no, dict(zip(header, cells, strict=True))))
    return Table(source, dict(loaded), header, tuple(rows))


def read_table(path: Path, *, display: str | None = None,
               required: Sequence[str] = ()) -> Table:
    """Read and parse a table file (UTF-8).

    :param path: the file.
    :param display: the name used in messages (a project-relative path).
    :param required: columns the header must contain.
    :returns: the table.
    :raises InputError: when the file cannot be read.
    :raises TableError: when it is malformed.
    """
    from ibmkg.graph_io import read_text

    name = display or path.as_posix()
    return parse_table(read_text(path, display=name), source=name, required=required)
