"""The YAML chart-spec reader: a `charts/*.yaml` file (bilingual labels, data columns) -> ChartSpec.

It walks PyYAML's node tree instead of plain Python values, so every problem is reported at the
line of the key or value that caused it (`path:line: error: …`). Texts are localized to one
language here; renderers only ever see plain strings.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from builder.diagnostics import BuildError
from builder.locale.numbers import MAX_PRINTABLE
from builder.model.charts import (
    ChartSpec,
)
from builder.readers.yamlsrc import check_expansion

_CONSTRUCTOR = yaml.constructor.SafeConstructor()


class Node:
    """A YAML node with its file and line, and typed accessors that raise located errors."""

    def __init__(self, node: yaml.Node, path: Path, line_offset: int = 0) -> None:
        self.node = node
        self.path = path
        self.line_offset = line_offset

    @property
    def line(self) -> int:
        """Return the 1-based line where this node starts."""
        return self.node.start_mark.line + 1 + self.line_offset

    def error(self, message: str, hint: str = "") -> BuildError:
        """Return a BuildError located at this node."""
        return BuildError.at(self.path, self.line, message, hint)

    def _wrap(self, node: yaml.Node) -> Node:
        return Node(node, self.path, self.line_offset)

    def is_mapping(self) -> bool:
        """Return True for a YAML mapping."""
        return isinstance(self.node, yaml.MappingNode)

    def mapping(self, what: str, allowed: tuple[str, ...] | None = None,
                required: tuple[str, ...] = ()) -> dict[str, Node]:
        """Return the mapping's values by key; unknown or missing keys are located errors."""
        if not isinstance(self.node, yaml.MappingNode):
            raise self.error(f"{what} must be a mapping")
        result: dict[str, Node] = {}
        for key_node, value_node in self.node.value:
            key = self._wrap(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                raise key.error(f"{what}: keys must be plain words")
            name = str(key_node.value)
            if allowed is not None and name not in allowed:
                raise key.error(f"{what}: unknown key {name!r}",
                                hint="expected one of: " + ", ".join(allowed))
            if name in result:
                raise key.error(f"{what}: duplicate key {name!r}")
            result[name] = self._wrap(value_node)
        for name in required:
            if name not in result:
                raise self.error(f"{what}: missing key {name!r}")
        return result

    def items(self, what: str) -> list[Node]:
        """Return the items of a YAML sequence."""
        if not isinstance(self.node, yaml.SequenceNode):
            raise self.error(f"{what} must be a list")
        return [self._wrap(n) for n in self.node.value]

    def value(self) -> Any:
        """Return the Python value of a scalar node (str, int, float, bool or None)."""
        if not isinstance(self.node, yaml.ScalarNode):
            return None
        try:
            return _CONSTRUCTOR.construct_object(self.node, deep=True)
        except yaml.YAMLError as exc:
            raise self.error(f"bad value: {exc}") from None

    def scalar(self, what: str) -> Any:
        """Return the value of a scalar node, or raise when the node is a list or mapping."""
        if not isinstance(self.node, yaml.ScalarNode):
            raise self.error(f"{what} must be a single value")
        return self.value()

    def word(self, what: str, choices: tuple[str, ...] | None = None) -> str:
        """Return a scalar as a string, optionally one of `choices`."""
        raw = self.scalar(what)
        if raw is None or isinstance(raw, bool) or raw == "":
            raise self.error(f"{what} must be a word")
        text = str(raw)
        if choices is not None and text not in choices:
            raise self.error(f"{what} must be one of {', '.join(choices)}, not {text!r}")
        return text

    def number(self, what: str) -> float:
        """Return a finite number."""
        raw = self.scalar(what)
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
            raise self.error(f"{what} must be a number, not {raw!r}")
        if abs(raw) >= MAX_PRINTABLE:
            raise self.error(f"{what} {raw:.3g} is outside what a chart can show "
                             f"(at most ±{MAX_PRINTABLE:.0e})")
        return float(raw)

    def boolean(self, what: str) -> bool:
        """Return a true/false value."""
        raw = self.scalar(what)
        if not isinstance(raw, bool):
            raise self.error(f"{what} must be true or false")
        return raw


def colour(node: Node, what: str) -> str:
    """Return a `#rgb` or `#rrggbb` colour as written, or raise a located error."""
    text = node.word(what)
    if not (len(text) in (4, 7) and text.startswith("#")
            and all(c in "0123456789abcdefABCDEF" for c in text[1:])):
        raise node.error(f"{what} must be a colour like #1F3A5F, not {text!r}")
    return text


def lang_key(lang: str) -> str:
    """Return the content key for `lang`: `zh` for any Chinese tag, otherwise `en`."""
    return "zh" if lang.lower().startswith("zh") else "en"


def neutral_text(raw: Any) -> str:
    """Return a scalar as display text: 2023 -> `2023`, 3.0 -> `3`."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


class SpecReader:
    """Reads one chart spec document; `data` maps data-source names to lists of row dicts."""

    def __init__(self, path: Path, lang: str, data: Mapping[str, Any]) -> None:
        self.path = path
        self.lang = lang
        self.key = lang_key(lang)
        self.data = data
        self.table: list[Mapping[str, Any]] | None = None
        self.table_name = ""

    def text(self, node: Node, what: str) -> str:
        """Return a localized text: a `{zh, en}` mapping or a language-neutral scalar."""
        if node.is_mapping():
            parts = node.mapping(what, allowed=("zh", "en"))
            if self.key not in parts:
                raise node.error(f"{what} has no {self.key!r} text")
            return self.text(parts[self.key], what)
        raw = node.scalar(what)
        if raw is None or isinstance(raw, bool):
            raise node.error(f"{what} must be a text")
        text = neutral_text(raw)
        if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
            raise node.error(f"{what} contains a control character")
        return text

    def optional_text(self, fields: dict[str, Node], key: str, what: str) -> str | None:
        """Return the localized text under `key`, or None when absent."""
        return self.text(fields[key], what) if key in fields else None

    def column(self, node: Node, what: str) -> list[Any]:
        """Return the cells of `{column: NAME}` from the spec's data source."""
        fields = node.mapping(what, allowed=("column",), required=("column",))
        name = fields["column"].word(f"{what}.column")
        if self.table is None:
            raise node.error(f"{what} reads a column but the chart has no 'data' source")
        if not self.table:
            raise node.error(f"data source {self.table_name!r} has no rows")
        if name not in self.table[0]:
            known = ", ".join(str(k) for k in self.table[0])
            raise fields["column"].error(f"unknown column {name!r} in {self.table_name!r}",
                                         hint=f"columns: {known}")
        return [row.get(name) for row in self.table]

    def labels(self, node: Node, what: str) -> tuple[str, ...]:
        """Return a list of texts, or a data column as texts; either may be given per language
        (`{zh: {column: name_zh}, en: {column: name_en}}`)."""
        if node.is_mapping():
            parts = node.mapping(what)
            if parts and set(parts) <= {"zh", "en"}:
                if self.key not in parts:
                    raise node.error(f"{what} has no {self.key!r} labels")
                return self.labels(parts[self.key], what)
            return tuple(neutral_text(c) for c in self.column(node, what))
        return tuple(self.text(item, what) for item in node.items(what))

    def numbers(self, node: Node, what: str) -> tuple[float, ...]:
        """Return a list of numbers, or a data column of numbers."""
        if node.is_mapping():
            cells = self.column(node, what)
            for i, cell in enumerate(cells):
                if isinstance(cell, bool) or not isinstance(cell, (int, float)) \
                        or not math.isfinite(cell):
                    raise node.error(f"{what}: row {i + 1} of {self.table_name!r} is not a "
                                     f"number: {cell!r}")
            return tuple(float(c) for c in cells)
        return tuple(item.number(what) for item in node.items(what))


    def read(self, root: Node, kinds: Mapping[str, Callable[[SpecReader, Node], ChartSpec]],
             ) -> ChartSpec:
        """Return the spec of the document `root`, read by the reader of its `kind`."""
        if not root.is_mapping():
            raise root.error("a chart spec must be a mapping with a 'kind'")
        kind_node = root.mapping("chart").get("kind")
        if kind_node is None:
            raise root.error("chart spec: missing key 'kind'", hint=", ".join(kinds))
        kind = kind_node.word("kind", tuple(kinds))
        return kinds[kind](self, root)

    def use_data(self, fields: dict[str, Node]) -> None:
        """Take the table named by the spec's `data:` field for `{column: …}` values."""
        if "data" not in fields:
            return
        name = fields["data"].word("data")
        if name not in self.data:
            known = ", ".join(sorted(self.data)) or "none"
            raise fields["data"].error(f"unknown data source {name!r}", hint=f"known: {known}")
        table = self.data[name]
        if not isinstance(table, list) or not all(isinstance(r, Mapping) for r in table):
            raise fields["data"].error(f"data source {name!r} is not a table of rows")
        self.table, self.table_name = table, name


def read_spec_text(text: str, path: Path, lang: str, data: Mapping[str, Any],
                   kinds: Mapping[str, Callable[[SpecReader, Node], ChartSpec]],
                   line_offset: int = 0) -> ChartSpec:
    """Return the spec in YAML `text`, read by `kinds[kind]`; raise BuildError in `path`."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else 0
        raise BuildError.at(path, line, f"invalid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise BuildError.at(path, 1, f"invalid YAML: {exc}") from None
    if root is None:
        raise BuildError.at(path, 1 + line_offset, "the chart spec is empty",
                            hint="start with `kind: xychart` (docs/charts.md)")
    check_expansion(root, path)
    return SpecReader(path, lang, data).read(Node(root, path, line_offset), kinds)
