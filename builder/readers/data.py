"""Read a report's data sources (CSV, YAML, JSON) into keyed tables for text templates and charts.

A table is a list of rows (dicts) in file order, addressable by the value of its first column:
`market_size[2032].usd_billion`. Cells that look like numbers become numbers.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from builder.diagnostics import BuildError
from builder.readers.yamlsrc import load_yaml


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


def read_csv(path: Path, name: str) -> DataTable:
    """Return the CSV file at `path` as a table; raise BuildError on a malformed file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BuildError.at(path, 0, f"not UTF-8 text ({exc.reason})") from None
    reader = csv.reader(io.StringIO(text))
    rows: list[dict[str, Any]] = []
    header: list[str] = []
    for line_no, cells in enumerate(reader, start=1):
        if not cells or all(not c.strip() for c in cells):
            continue
        if not header:
            header = [c.strip() for c in cells]
            if len(set(header)) != len(header) or any(not h for h in header):
                raise BuildError.at(path, line_no, "the header row needs distinct, non-empty names")
            continue
        if len(cells) != len(header):
            raise BuildError.at(path, line_no, f"row has {len(cells)} cells, the header has "
                                               f"{len(header)}")
        rows.append({h: parse_cell(c) for h, c in zip(header, cells, strict=True)})
    if not rows:
        raise BuildError.at(path, 1, "the data file has no rows")
    table = DataTable(name, rows, path)
    if len(table.by_key) != len(rows):
        raise BuildError.at(path, 0, f"the first column {table.key!r} has repeated values",
                            hint="the first column is the row key")
    return table


def read_structured(path: Path, name: str) -> DataTable:
    """Return a YAML or JSON list of mappings as a table."""
    if path.suffix == ".json":
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise BuildError.at(path, exc.lineno, f"JSON syntax error: {exc.msg}") from None
    else:
        raw = load_yaml(path)
    if not isinstance(raw, list) or not raw or not all(isinstance(r, dict) for r in raw):
        raise BuildError.at(path, 1, "a data file must be a non-empty list of mappings")
    return DataTable(name, [dict(r) for r in raw], path)


def read_data_source(path: Path, name: str) -> DataTable:
    """Return the data source at `path` by its file type (.csv, .yaml/.yml, .json)."""
    if path.suffix == ".csv":
        return read_csv(path, name)
    if path.suffix in (".yaml", ".yml", ".json"):
        return read_structured(path, name)
    raise BuildError.at(path, 0, f"unsupported data file type {path.suffix!r}",
                        hint="use .csv, .yaml or .json")
