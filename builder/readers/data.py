"""Read a report's data sources (CSV, YAML, JSON) into keyed tables for text templates and charts.

A table is a list of rows (dicts) in file order, addressable by the value of its first column:
`market_size[2032].usd_billion`. Cells that look like numbers become numbers.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.diagnostics import BuildError
from builder.locale.numbers import MAX_PRINTABLE
from builder.readers.yamlsrc import load_yaml, read_source_text


class MissingDataError(Exception):
    """A template asked for a row that a data source does not have.

    Not a LookupError: jinja2 would turn that into an undefined value and a vaguer message.
    """


class DataTable:
    """Rows of one data source, looked up by the value of their first column."""

    def __init__(self, name: str, rows: list[dict[str, Any]], path: Path) -> None:
        self.name = name
        self.rows = rows
        self.path = path
        self.key = next(iter(rows[0])) if rows else ""
        self.by_key: dict[str, dict[str, Any]] = {_key(r[self.key]): r for r in rows}

    def __getitem__(self, key: Any) -> dict[str, Any]:
        try:
            return self.by_key[_key(key)]
        except KeyError:
            known = ", ".join(self.by_key)
            message = f"data source {self.name!r} has no row {key!r} (rows: {known})"
            raise MissingDataError(message) from None

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, name: str) -> list[Any]:
        """Return the values of column `name`, in row order."""
        return [row[name] for row in self.rows]


def _key(value: Any) -> str:
    """Return the lookup form of a key: 2032, 2032.0 and '2032' are the same row."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def parse_cell(text: str) -> Any:
    """Return `text` as an int or float when it is a plain number, else the stripped text."""
    value = text.strip()
    digits = value.replace(",", "")
    plain = digits if "," in value and digits.isdigit() else value
    try:
        return int(plain)
    except ValueError:
        pass
    try:
        number = float(plain)
    except ValueError:
        return value
    return number if number == number and abs(number) != float("inf") else value



def _number_problem(value: Any) -> str | None:
    """Return why `value` is a number no report can print, or None when it is fine."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, int) and value.bit_length() > 64 or abs(value) >= MAX_PRINTABLE:
        shown = f"{value:.3g}" if isinstance(value, float) else "the number"
        return f"{shown} is outside what a report can print (at most ±{MAX_PRINTABLE:.0e})"
    return None


def _check_row(row: dict[str, Any], path: Path, line: int) -> None:
    for column, value in row.items():
        problem = _number_problem(value)
        if problem:
            raise BuildError.at(path, line, f"column {column!r}: {problem}")


@dataclass(frozen=True)
class RowFilter:
    """`where:` of a data source: keep the rows whose `column` equals `value`, for each pair.

    Values compare in their lookup form (`_key`), so the cell 2023 matches the value '2023'.
    Problems are located at `loc`, the `where:` line of report.yaml.
    """

    conditions: tuple[tuple[str, Any], ...]
    loc: tuple[Path, int]

    def apply(self, name: str, rows: list[dict[str, Any]], lines: list[int],
              ) -> tuple[list[dict[str, Any]], list[int]]:
        """Return the rows (and their lines) that meet every condition; raise BuildError when a
        column is unknown or no row is left."""
        path, line = self.loc
        columns = rows[0].keys() if rows else ()
        for column, _ in self.conditions:
            if column not in columns:
                raise BuildError.at(path, line, f"data source {name!r} has no column {column!r} "
                                                f"to filter on",
                                    hint="columns: " + ", ".join(map(str, columns)))
        wanted = [(column, _key(value)) for column, value in self.conditions]
        kept = [(row, n) for row, n in zip(rows, lines, strict=True)
                if all(_key(row.get(c)) == v for c, v in wanted)]
        if not kept:
            shown = " and ".join(f"{c} = {v!r}" for c, v in self.conditions)
            raise BuildError.at(path, line, f"data source {name!r} has no row where {shown}")
        return [row for row, _ in kept], [n for _, n in kept]


def _table(name: str, rows: list[dict[str, Any]], lines: list[int], path: Path,
           where: RowFilter | None, located: Path | None = None) -> DataTable:
    """Return the rows as a table, filtered by `where`; repeated keys are errors at their line
    of `located` (default `path`)."""
    if where is not None:
        rows, lines = where.apply(name, rows, lines)
    return _check_keys(DataTable(name, rows, path), located or path, lines)


def _check_keys(table: DataTable, where: Path, lines: list[int]) -> DataTable:
    """Return `table`; raise BuildError at the first row whose key repeats an earlier one."""
    if len(table.by_key) == len(table.rows):
        return table
    seen: dict[str, int] = {}
    for row, line in zip(table.rows, lines, strict=True):
        key = _key(row[table.key])
        if key in seen:
            raise BuildError.at(where, line, f"the first column {table.key!r} repeats the value "
                                             f"{row[table.key]!r} (first on line {seen[key]})",
                                hint="the first column is the row key")
        seen[key] = line
    return table


def read_csv(path: Path, name: str, where: RowFilter | None = None) -> DataTable:
    """Return the CSV file at `path` as a table; raise BuildError on a malformed file."""
    text = read_source_text(path, "data file")
    reader = csv.reader(io.StringIO(text))
    rows: list[dict[str, Any]] = []
    lines: list[int] = []
    header: list[str] = []
    line_no = 1
    try:
        for cells in reader:
            line_no = reader.line_num
            if not cells or all(not c.strip() for c in cells):
                continue
            if not header:
                header = [c.strip() for c in cells]
                if len(set(header)) != len(header) or any(not h for h in header):
                    raise BuildError.at(path, line_no, "the header row needs distinct, non-empty "
                                                       "names")
                continue
            if len(cells) != len(header):
                raise BuildError.at(path, line_no, f"row has {len(cells)} cells, the header has "
                                                   f"{len(header)}")
            row = {h: parse_cell(c) for h, c in zip(header, cells, strict=True)}
            _check_row(row, path, line_no)
            rows.append(row)
            lines.append(line_no)
    except csv.Error as exc:
        raise BuildError.at(path, reader.line_num or line_no, f"CSV error: {exc}") from None
    if not rows:
        raise BuildError.at(path, 1, "the data file has no rows")
    return _table(name, rows, lines, path, where)


def read_structured(path: Path, name: str, where: RowFilter | None = None) -> DataTable:
    """Return a YAML or JSON list of mappings as a table."""
    if path.suffix == ".json":
        text = read_source_text(path, "data file")
        try:
            raw = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BuildError.at(path, exc.lineno, f"JSON syntax error: {exc.msg}") from None
        except RecursionError:
            raise BuildError.at(path, 1, "the JSON nests too deeply") from None
        lines = [1] * len(raw) if isinstance(raw, list) else []
    else:
        raw = load_yaml(path)
        lines = [raw.line_of(i) for i in range(len(raw))] if isinstance(raw, list) else []
    if not isinstance(raw, list) or not raw or not all(isinstance(r, dict) for r in raw):
        raise BuildError.at(path, 1, "a data file must be a non-empty list of mappings")
    for row, line in zip(raw, lines, strict=True):
        for column, value in row.items():
            if not isinstance(value, str | int | float | bool) and value is not None:
                raise BuildError.at(path, line, f"column {column!r} holds a "
                                                f"{type(value).__name__}; cells are numbers or "
                                                f"text")
        _check_row(row, path, line)
    return _table(name, [dict(r) for r in raw], lines, path, where)


SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db")

#: Rows one query may return, and SQLite virtual-machine steps it may take (a few seconds).
SQL_MAX_ROWS = 100_000
SQL_MAX_STEPS = 50_000_000
#: The longest string or blob a query may build, in bytes.
SQL_MAX_LENGTH = 10_000_000
_SQL_PROGRESS_EVERY = 10_000

#: What a query may do: read tables and call pure functions. Everything else (ATTACH, which
#: VACUUM INTO also asks for, PRAGMA, writes, DDL, transactions) is refused.
_SQL_ALLOWED = frozenset({sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION,
                          sqlite3.SQLITE_RECURSIVE})
_SQL_REFUSED_FUNCTIONS = frozenset({"load_extension", "randomblob", "random", "zeroblob",
                                    "fts3_tokenizer", "readfile", "writefile", "edit"})


class _QueryLimits:
    """The authorizer and progress handler of one read-only query."""

    def __init__(self) -> None:
        self.steps = 0
        self.refused: str | None = None

    def authorize(self, action: int, arg1: str | None, arg2: str | None, _db: str | None,
                  _trigger: str | None) -> int:
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in _SQL_REFUSED_FUNCTIONS:
            self.refused = f"the function {arg2}() is not allowed"
        elif action not in _SQL_ALLOWED:
            what = _SQL_ACTIONS.get(action, f"action {action}").replace("_", " ")
            self.refused = f"{what} {arg1 or ''}".strip() + " is not allowed (queries only read)"
        else:
            return sqlite3.SQLITE_OK
        return sqlite3.SQLITE_DENY

    def progress(self) -> int:
        self.steps += _SQL_PROGRESS_EVERY
        return 1 if self.steps > SQL_MAX_STEPS else 0


#: Authorizer action names by code (the module's other constants share these numbers).
_SQL_ACTIONS = {getattr(sqlite3, f"SQLITE_{name}"): name for name in (
    "CREATE_INDEX CREATE_TABLE CREATE_TEMP_INDEX CREATE_TEMP_TABLE CREATE_TEMP_TRIGGER "
    "CREATE_TEMP_VIEW CREATE_TRIGGER CREATE_VIEW DELETE DROP_INDEX DROP_TABLE DROP_TEMP_INDEX "
    "DROP_TEMP_TABLE DROP_TEMP_TRIGGER DROP_TEMP_VIEW DROP_TRIGGER DROP_VIEW INSERT PRAGMA READ "
    "SELECT TRANSACTION UPDATE ATTACH DETACH ALTER_TABLE REINDEX ANALYZE CREATE_VTABLE "
    "DROP_VTABLE FUNCTION SAVEPOINT RECURSIVE").split()}


def read_sqlite(path: Path, name: str, query: str, loc: tuple[Path, int],
                params: Mapping[str, Any] | None = None, row_filter: RowFilter | None = None,
                ) -> DataTable:
    """Return the rows of `query` run read-only on the SQLite database at `path`.

    The database is opened read-only (`mode=ro`), and an authorizer lets the query only read
    tables and call pure functions, so it can neither change the database nor reach another
    file (ATTACH, VACUUM INTO). A progress handler, a row limit and a length limit turn a
    runaway query into a located error. Errors are located at the `query:` line of report.yaml.
    """
    where, line = loc
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise BuildError.at(path, 1, f"cannot open SQLite database: {exc}") from None
    limits = _QueryLimits()
    connection.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
    connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, SQL_MAX_LENGTH)
    connection.set_authorizer(limits.authorize)
    connection.set_progress_handler(limits.progress, _SQL_PROGRESS_EVERY)
    try:
        # Report parameters are bound (`:region`), never formatted into the SQL text.
        cursor = connection.execute(query, dict(params)) if params else \
            connection.execute(query)
        columns = [d[0] for d in cursor.description or ()]
        fetched = cursor.fetchmany(SQL_MAX_ROWS + 1)
        if len(fetched) > SQL_MAX_ROWS:
            raise BuildError.at(where, line, f"the query of data source {name!r} returns more "
                                             f"than {SQL_MAX_ROWS:,} rows")
        rows = [dict(zip(columns, row, strict=True)) for row in fetched]
    except sqlite3.Error as exc:
        if limits.refused:
            message = f"SQL not allowed in data source {name!r}: {limits.refused}"
        elif limits.steps > SQL_MAX_STEPS:
            message = (f"the query of data source {name!r} runs too long (stopped after "
                       f"{SQL_MAX_STEPS:,} steps)")
        else:
            message = f"SQL error in data source {name!r}: {exc}"
        raise BuildError.at(where, line, message) from None
    finally:
        connection.close()
    if not columns:
        raise BuildError.at(where, line, f"the query of data source {name!r} returns no columns",
                            hint="use a SELECT statement")
    if not rows:
        raise BuildError.at(where, line, f"the query of data source {name!r} returns no rows")
    for row in rows:
        _check_row(row, where, line)
    return _table(name, rows, [line] * len(rows), path, row_filter, where)


def read_data_source(path: Path, name: str, query: str | None = None,
                     loc: tuple[Path, int] | None = None,
                     params: Mapping[str, Any] | None = None,
                     where: RowFilter | None = None) -> DataTable:
    """Return the data source at `path` by its file type (.csv, .yaml/.yml, .json, SQLite),
    with only the rows `where` keeps."""
    if query is not None or path.suffix in SQLITE_SUFFIXES:
        if not query:
            raise BuildError.at(loc[0] if loc else path, loc[1] if loc else 0,
                                f"data source {name!r} is a SQLite database and needs a query",
                                hint="write it as {file: …, query: SELECT …}")
        return read_sqlite(path, name, query, loc or (path, 0), params, where)
    if path.suffix == ".csv":
        return read_csv(path, name, where)
    if path.suffix in (".yaml", ".yml", ".json"):
        return read_structured(path, name, where)
    raise BuildError.at(path, 1, f"unsupported data file type {path.suffix!r}",
                        hint="use .csv, .yaml or .json")
