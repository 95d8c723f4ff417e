"""Read a report folder (`report.yaml` + section files) into located records; first pipeline stage.

The reader checks the shape of the content (known kinds, required and unknown fields, ids) and
records every text as a `Text` with its `file:line`. It does not localize, template or render:
that is compose's job. Problems are collected, not raised one at a time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.diagnostics import BuildError, Diagnostics, display_path
from builder.locale import LANGS
from builder.readers.yamlsrc import LDict, LList, load_yaml

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
# Invisible or direction-changing characters (bidi overrides and isolates among them). The zero
# width joiner U+200D is allowed: it joins emoji sequences such as 👨‍💻.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\u200c\u200e\u200f\u2028\u2029"
                           r"\ufeff\u202a-\u202e\u2066-\u2069]")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


@dataclass(frozen=True)
class Loc:
    """Where a record stands: a file and a 1-based line."""

    path: Path
    line: int


@dataclass(frozen=True)
class Text:
    """A text in both languages, or one language-neutral string used by every edition.

    `values` maps `zh`/`en` to the raw text (inline Markdown and jinja expressions included);
    a language missing from `values` is a missing translation unless `neutral` is set.
    """

    values: dict[str, str]
    neutral: bool
    loc: Loc
    lines: dict[str, int] = field(default_factory=dict)

    def loc_of(self, lang: str) -> Loc:
        """Return where the `lang` text is written (the text's own location as a fallback)."""
        line = self.lines.get(lang)
        return Loc(self.loc.path, line) if line else self.loc

    def get(self, lang: str) -> str | None:
        """Return the raw text for `lang` (`zh` or `en`), or None when it is missing."""
        if self.neutral:
            return self.values["*"]
        return self.values.get(lang)


@dataclass(frozen=True)
class Item:
    """A list, callout or references entry: an id, its text and optional nested entries."""

    id: str
    text: Text
    loc: Loc
    children: tuple[Item, ...] = ()
    children_ordered: bool = False
    target: str | None = None


@dataclass(frozen=True)
class BlockRecord:
    """One content block as written: `kind`, `id`, its fields (already typed) and location."""

    kind: str
    id: str
    loc: Loc
    fields: dict[str, Any]


@dataclass(frozen=True)
class SectionRecord:
    """A chapter: its heading id and title, and its blocks."""

    id: str
    title: Text
    blocks: tuple[BlockRecord, ...]
    loc: Loc


@dataclass(frozen=True)
class ParamRef:
    """A `where:` value that names a report parameter (`{{ params.region }}`)."""

    name: str


@dataclass(frozen=True)
class DataSourceRecord:
    """A declared data source: a name, a file inside the report folder, and for a SQLite
    database the query whose rows form the table (`None` for CSV, YAML and JSON files)."""

    name: str
    path: Path
    loc: Loc
    query: str | None = None
    #: `where:` conditions, column -> a literal value or `Param(name)`; `where_loc` is their line.
    where: tuple[tuple[str, Any], ...] = ()
    where_loc: Loc | None = None


@dataclass(frozen=True)
class ReportRecord:
    """Everything read from a report folder."""

    root: Path
    id: str
    source_lang: str
    title: Text
    subtitle: Text | None
    date: str
    organisation: Text | None
    authors: tuple[str, ...]
    keywords: dict[str, tuple[str, ...]]
    confidentiality: Text | None
    editions: tuple[str, ...]
    data: tuple[DataSourceRecord, ...]
    sections: tuple[SectionRecord, ...]
    loc: Loc
    all_ids: dict[str, Loc] = field(default_factory=dict)
    editions_line: int = 1  # where `editions:` stands in report.yaml (1 when it is left out)
    # Declared parameters (builder.readers.params.Param) and the values this build uses.
    params: tuple[Any, ...] = ()
    param_values: dict[str, Any] = field(default_factory=dict)


# Fields per block kind: (required, optional). Texts are read by `_text`, items by `_items`.
BLOCK_FIELDS: dict[str, tuple[set[str], set[str]]] = {
    "heading": ({"zh", "en"}, {"level", "note"}),
    "paragraph": ({"zh", "en"}, {"style", "note"}),
    "list": ({"items"}, {"ordered", "note"}),
    "callout": ({"title", "items"}, {"note"}),
    "kpis": ({"items"}, {"note"}),
    "table": ({"header", "rows"}, {"align", "caption", "source", "note", "row_headers"}),
    "figure": ({"chart", "caption"}, {"source", "alt", "note", "width"}),
    "image": ({"file", "caption"}, {"source", "alt", "note", "width"}),
    "code": ({"text"}, {"language", "note"}),
    "formula": ({"tex"}, {"note"}),
    "references": ({"items"}, {"note"}),
}
TEXT_BLOCKS = {"heading", "paragraph"}
#: The most columns a table may have: at the smallest text size a wide table shrinks to, about
#: this many narrow columns fit the text width of an A4 or Letter page.
MAX_TABLE_COLUMNS = 24
#: The deepest a list may nest: Word numbering has nine levels, and so do both engines.
MAX_LIST_DEPTH = 9
NEUTRAL_OK_KINDS = {"paragraph"}  # a paragraph may be one neutral string via `text:`


class ContentReader:
    """Collects diagnostics while turning parsed YAML into records."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.diag = Diagnostics()
        self.ids: dict[str, Loc] = {}

    # -- small helpers -------------------------------------------------------------------------
    def loc(self, path: Path, node: Any, key: Any = None) -> Loc:
        """Return the location of `node` (or of its `key`) in `path`."""
        if isinstance(node, LDict) and key is not None:
            return Loc(path, node.line_of(key))
        return Loc(path, getattr(node, "line", 0))

    def error(self, loc: Loc, message: str, hint: str = "") -> None:
        self.diag.error(loc.path, loc.line, message, hint)

    def claim_id(self, ident: Any, loc: Loc) -> str:
        """Register a block id, reporting malformed and duplicate ids."""
        if not isinstance(ident, str | int) or isinstance(ident, bool):
            self.error(loc, f"id must be a text, not {type(ident).__name__}")
            return f"invalid-{loc.line}"
        ident = str(ident)
        if not ID_PATTERN.match(ident):
            self.error(loc, f"invalid id {ident!r}",
                       hint="use lowercase letters, digits, '-', '_' or '.'")
        elif ident in self.ids:
            first = self.ids[ident]
            self.error(loc, f"duplicate id {ident!r} (first used at "
                            f"{display_path(first.path)}:{first.line})")
        else:
            self.ids[ident] = loc
        return ident

    def check_string(self, value: str, loc: Loc) -> str:
        """Reject control characters, which no engine can print."""
        bad = CONTROL_CHARS.search(value)
        if bad:
            self.error(loc, f"control character U+{ord(bad.group()):04X} in text",
                       hint="remove it; use a plain space or line break")
            return CONTROL_CHARS.sub("", value)
        return value

    def text(self, path: Path, node: Any, loc: Loc, what: str) -> Text | None:
        """Return a Text from `{zh, en}` or a neutral scalar; report other shapes."""
        if isinstance(node, bool) or node is None:
            self.error(loc, f"{what} must be a text")
            return None
        if isinstance(node, str | int | float):
            value = self.check_string(str(node), loc)
            return Text({"*": value}, True, loc)
        if isinstance(node, LDict):
            unknown = set(node) - set(LANGS)
            for key in sorted(map(str, unknown)):
                self.error(self.loc(path, node, key), f"unknown language {key!r} in {what}",
                           hint="texts hold zh and en")
            values: dict[str, str] = {}
            for lang in LANGS:
                if lang in node:
                    raw = node[lang]
                    if not isinstance(raw, str | int | float) or isinstance(raw, bool):
                        self.error(self.loc(path, node, lang), f"{what}.{lang} must be a text")
                        continue
                    values[lang] = self.check_string(str(raw), self.loc(path, node, lang))
            lines = {lang: node.line_of(lang) for lang in values}
            return Text(values, False, Loc(path, node.line), lines)
        self.error(loc, f"{what} must be a text or a mapping of zh and en, "
                        f"not a {type(node).__name__}")
        return None

    def block_text(self, path: Path, node: LDict, what: str) -> Text | None:
        """Return the `zh`/`en` text held directly by a block or list item."""
        values = LDict({k: node[k] for k in LANGS if k in node})
        values.line = node.line
        values.key_lines = {k: node.line_of(k) for k in values}
        if "text" in node:
            return self.text(path, node["text"], self.loc(path, node, "text"), what)
        if not values:
            self.error(self.loc(path, node), f"{what} has no zh or en text")
            return None
        return self.text(path, values, self.loc(path, node), what)

    # -- items ---------------------------------------------------------------------------------
    def items(self, path: Path, node: Any, loc: Loc, what: str, allow_children: bool = True,
              need_target: bool = False, depth: int = 1) -> tuple[Item, ...]:
        if not isinstance(node, LList) or not node:
            self.error(loc, f"{what} must be a non-empty list")
            return ()
        if depth > MAX_LIST_DEPTH:
            self.error(loc, f"{what} nests {depth} levels deep; at most {MAX_LIST_DEPTH} levels "
                            f"can be printed", hint="flatten the inner levels")
            return ()
        result = []
        for index, raw in enumerate(node):
            item_loc = Loc(path, node.line_of(index))
            if not isinstance(raw, LDict):
                self.error(item_loc, f"{what} entry must be a mapping with id, zh and en")
                continue
            allowed = {"id", "zh", "en", "text"}
            if allow_children:
                allowed |= {"items", "ordered"}
            if need_target:
                allowed |= {"target"}
            for key in raw:
                if key not in allowed:
                    self.error(self.loc(path, raw, key), f"unknown field {key!r} in {what} entry",
                               hint="allowed: " + ", ".join(sorted(allowed)))
            if "id" not in raw:
                self.error(item_loc, f"{what} entry has no id")
                continue
            ident = self.claim_id(raw["id"], self.loc(path, raw, "id"))
            text = self.block_text(path, raw, f"{what} entry {ident!r}")
            children: tuple[Item, ...] = ()
            if allow_children and "items" in raw:
                children = self.items(path, raw["items"], self.loc(path, raw, "items"), what,
                                      depth=depth + 1)
            target = None
            if need_target:
                # A reference may name a document that is not online: no target, plain text.
                target = raw.get("target")
                if target is not None and (not isinstance(target, str) or not target.strip()):
                    self.error(self.loc(path, raw, "target"),
                               f"reference {ident!r} target must be a URL or a relative path")
                    target = None
            if text is not None:
                result.append(Item(ident, text, item_loc, children,
                                   bool(raw.get("ordered", False)), target))
        return tuple(result)

    # -- blocks --------------------------------------------------------------------------------
    def block(self, path: Path, node: Any, loc: Loc) -> BlockRecord | None:
        if not isinstance(node, LDict) or not node:
            self.error(loc, "a block must be a mapping whose first key names its kind",
                       hint="e.g. `- paragraph: my-id`")
            return None
        kind = next(iter(node))
        record = self._block(path, node, kind)
        # A block whose required parts could not be read is reported (by _block) and left out:
        # compose and the engines only ever see complete blocks. Other problems (a bad id, an
        # unknown field) keep the block, so compose can still report what else is wrong in it.
        return record if record is not None and _complete(record) else None

    def _block(self, path: Path, node: LDict, kind: str) -> BlockRecord | None:
        if kind not in BLOCK_FIELDS:
            self.error(self.loc(path, node, kind), f"unknown block kind {kind!r}",
                       hint="kinds: " + ", ".join(sorted(BLOCK_FIELDS)))
            return None
        ident = self.claim_id(node[kind], self.loc(path, node, kind))
        required, optional = BLOCK_FIELDS[kind]
        present = set(node) - {kind}
        if kind in TEXT_BLOCKS and "text" in present:
            required = set()
            optional = optional | {"text"}
        for key in sorted(present - required - optional, key=str):
            self.error(self.loc(path, node, key), f"unknown field {key!r} in {kind} {ident!r}",
                       hint="allowed: " + ", ".join(sorted(required | optional)))
        missing = [k for k in sorted(required) if k not in node and k not in LANGS]
        for key in missing:
            self.error(self.loc(path, node, kind), f"{kind} {ident!r} has no {key!r}")
        fields: dict[str, Any] = {}
        where = f"{kind} {ident!r}"
        if kind in TEXT_BLOCKS:
            fields["text"] = self.block_text(path, node, where)
        if kind == "heading":
            level = node.get("level", 2)
            if level not in (2, 3):
                self.error(self.loc(path, node, "level"), "heading level must be 2 or 3",
                           hint="level 1 is the section title")
                level = 2
            fields["level"] = level
        if kind == "paragraph":
            style = node.get("style", "body")
            if style not in ("body", "note"):
                self.error(self.loc(path, node, "style"), "paragraph style must be body or note")
                style = "body"
            fields["style"] = style
        if kind == "list":
            fields["items"] = self.items(path, node.get("items"), self.loc(path, node, "items"),
                                         "list")
            fields["ordered"] = bool(node.get("ordered", False))
        if kind == "callout":
            fields["title"] = self.text(path, node.get("title"), self.loc(path, node, "title"),
                                        f"{where} title")
            fields["items"] = self.items(path, node.get("items"), self.loc(path, node, "items"),
                                         "callout")
        if kind == "references":
            fields["items"] = self.items(path, node.get("items"), self.loc(path, node, "items"),
                                         "references", allow_children=False, need_target=True)
        if kind == "kpis":
            fields["items"] = self.kpis(path, node.get("items"), self.loc(path, node, "items"))
        if kind == "table":
            self.table(path, node, fields, where)
        if kind == "figure":
            self.figure(path, node, fields, where)
        if kind == "image":
            self.image(path, node, fields, where)
        if kind == "code":
            self.code(path, node, fields, where)
        if kind == "formula":
            tex = node.get("tex")
            if not isinstance(tex, str) or not tex.strip() or len(tex) > 2000:
                self.error(self.loc(path, node, "tex"), f"{where} tex must be LaTeX math of at "
                                                        f"most 2,000 characters, without $")
            else:
                fields["tex"] = tex.strip().strip("$").strip()
        for key in ("caption", "source", "alt"):
            if key in node and kind in ("table", "figure", "image"):
                fields[key] = self.text(path, node[key], self.loc(path, node, key),
                                        f"{where} {key}")
        if "note" in node:
            note = node["note"]
            if not isinstance(note, str):
                self.error(self.loc(path, node, "note"), "note must be a text")
            else:
                fields["note"] = note
        if kind == "paragraph" and (tex := _display_math(fields.get("text"))) is not None:
            # a paragraph that is only `$$…$$` (the same in every language) is a formula
            return BlockRecord("formula", ident, self.loc(path, node, kind), {"tex": tex})
        # An image is a figure: numbered, captioned and cross-referenced with the charts.
        return BlockRecord("figure" if kind == "image" else kind, ident,
                           self.loc(path, node, kind), fields)

    def kpis(self, path: Path, node: Any, loc: Loc) -> tuple[tuple[Text, Text], ...]:
        if not isinstance(node, LList) or not node:
            self.error(loc, "kpis items must be a non-empty list")
            return ()
        result = []
        for index, raw in enumerate(node):
            item_loc = Loc(path, node.line_of(index))
            if not isinstance(raw, LDict) or "value" not in raw or "label" not in raw:
                self.error(item_loc, "a KPI needs a value and a label")
                continue
            for key in raw:
                if key not in ("value", "label"):
                    self.error(self.loc(path, raw, key), f"unknown field {key!r} in KPI")
            value = self.text(path, raw["value"], self.loc(path, raw, "value"), "KPI value")
            label = self.text(path, raw["label"], self.loc(path, raw, "label"), "KPI label")
            if value and label:
                result.append((value, label))
        return tuple(result)

    def table(self, path: Path, node: LDict, fields: dict[str, Any], where: str) -> None:
        header = node.get("header")
        rows = node.get("rows")
        if not isinstance(header, LList) or not header:
            self.error(self.loc(path, node, "header"), f"{where} header must be a list of cells")
            return
        width = len(header)
        if width > MAX_TABLE_COLUMNS:
            self.error(self.loc(path, node, "header"), f"{where} has {width} columns; at most "
                                                       f"{MAX_TABLE_COLUMNS} fit a page",
                       hint="split it into two tables, or move columns into rows")
            return
        fields["header"] = tuple(
            self.text(path, cell, Loc(path, header.line_of(i)), f"{where} header cell")
            for i, cell in enumerate(header))
        parsed_rows = []
        if not isinstance(rows, LList) or not rows:
            self.error(self.loc(path, node, "rows"), f"{where} rows must be a list of rows")
        else:
            for r, row in enumerate(rows):
                row_loc = Loc(path, rows.line_of(r))
                if not isinstance(row, LList):
                    self.error(row_loc, f"{where} row {r + 1} must be a list of cells")
                    continue
                if len(row) != width:
                    self.error(row_loc, f"{where} row {r + 1} has {len(row)} cells, "
                                        f"the header has {width}")
                    continue
                parsed_rows.append(tuple(
                    self.text(path, cell, Loc(path, row.line_of(c)), f"{where} cell")
                    for c, cell in enumerate(row)))
        fields["rows"] = tuple(parsed_rows)
        align = node.get("align")
        if align is None:  # compose aligns numeric columns right, the others left
            fields["align"] = None
        elif (not isinstance(align, list) or len(align) != width
                or any(a not in ("left", "center", "right") for a in align)):
            self.error(self.loc(path, node, "align"),
                       f"{where} align must list left, center or right for each of {width} columns")
            fields["align"] = None
        else:
            fields["align"] = tuple(align)
        row_headers = node.get("row_headers", False)
        if not isinstance(row_headers, bool):
            self.error(self.loc(path, node, "row_headers"),
                       f"{where} row_headers must be true or false")
            row_headers = False
        fields["row_headers"] = row_headers

    def figure(self, path: Path, node: LDict, fields: dict[str, Any], where: str) -> None:
        chart = node.get("chart")
        loc = self.loc(path, node, "chart")
        if isinstance(chart, str):
            target = (path.parent / chart) if chart.startswith(".") else (self.root / chart)
            target = target.resolve()
            if not inside_folder(target, self.root):
                self.error(loc, f"chart {chart!r} is outside the report folder")
            elif not target.is_file():
                self.error(loc, f"unknown chart file {chart!r}",
                           hint="chart paths are relative to the report folder")
            else:
                fields["chart_file"] = target
        elif isinstance(chart, LDict) and isinstance(chart.get("mermaid"), str):
            fields["chart_mermaid"] = (chart["mermaid"], chart.line_of("mermaid") + 1, path)
        else:
            self.error(loc, f"{where} chart must be a file path or a `mermaid:` block")
        width = node.get("width", 1.0)
        if not isinstance(width, int | float) or not 0.2 <= float(width) <= 1.0:
            self.error(self.loc(path, node, "width"), "figure width is a fraction from 0.2 to 1")
            width = 1.0
        fields["width"] = float(width)

    def code(self, path: Path, node: LDict, fields: dict[str, Any], where: str) -> None:
        """Read `text:` (the code, the same in every language) and `language:` (a Pygments
        lexer name such as python, sql or yaml; without it the code is not highlighted)."""
        text = node.get("text")
        if not isinstance(text, str) or not text.strip():
            self.error(self.loc(path, node, "text"), f"{where} text must be the code, e.g. a "
                                                     f"`|` block")
        elif len(text) > MAX_CODE_CHARS or text.count("\n") > MAX_CODE_LINES:
            self.error(self.loc(path, node, "text"),
                       f"{where} has more than {MAX_CODE_LINES:,} lines or "
                       f"{MAX_CODE_CHARS:,} characters", hint="put long listings in an annex file")
        else:
            bad = next((ch for ch in text if ord(ch) < 32 and ch not in "\n\t"), None)
            if bad is not None:
                self.error(self.loc(path, node, "text"),
                           f"{where} text holds the control character U+{ord(bad):04X}")
            else:
                fields["code"] = text.expandtabs(4).rstrip("\n")
        language = node.get("language")
        if language is None:
            fields["language"] = ""
        elif not isinstance(language, str) or not lexer_exists(language):
            self.error(self.loc(path, node, "language"),
                       f"{where} language {language!r} is not one Pygments knows",
                       hint="e.g. python, sql, yaml, json, bash, text")
        else:
            fields["language"] = language.strip().lower()

    def image(self, path: Path, node: LDict, fields: dict[str, Any], where: str) -> None:
        """Read `file:` (a PNG, JPEG or SVG inside the report folder) and `width:` (a fraction
        of the text width, or a length in mm) of an image block."""
        from builder.readers.images import image_format, read_image

        file = node.get("file")
        loc = self.loc(path, node, "file")
        if isinstance(file, str) and file.strip():
            target = ((path.parent / file) if file.startswith(".") else (self.root / file))
            target = target.resolve()
            if not inside_folder(target, self.root):
                self.error(loc, f"image {file!r} is outside the report folder")
            elif image_format(target) is None:
                self.error(loc, f"image {file!r} is not a PNG, JPEG or SVG file",
                           hint="use .png, .jpg or .svg")
            elif not target.is_file():
                self.error(loc, f"image file not found: {file}",
                           hint="image paths are relative to the report folder")
            else:
                try:
                    fields["image_file"] = read_image(target)
                except BuildError as exc:
                    self.diag.items.extend(exc.diagnostics)
        elif "file" in node:
            self.error(loc, f"{where} file must be a path to a PNG, JPEG or SVG file")
        if "width" in node:
            width = _image_width(node.get("width"))
            if width is None:
                self.error(self.loc(path, node, "width"),
                           f"{where} width is a fraction of the text width from 0.1 to 1, or "
                           f"a length such as 60mm")
            else:
                fields["image_width"] = width

    # -- files ---------------------------------------------------------------------------------
    def section(self, path: Path) -> SectionRecord | None:
        try:
            node = load_yaml(path)
        except BuildError as exc:
            self.diag.items.extend(exc.diagnostics)
            return None
        if not isinstance(node, LDict):
            self.error(Loc(path, 1), "a section file must be a mapping with id, title and blocks")
            return None
        for key in node:
            if key not in ("id", "title", "blocks", "note"):
                self.error(self.loc(path, node, key), f"unknown field {key!r} in section",
                           hint="allowed: id, title, blocks")
        if "id" not in node or "title" not in node:
            self.error(Loc(path, node.line), "a section needs an id and a title")
            return None
        ident = self.claim_id(node["id"], self.loc(path, node, "id"))
        title = self.text(path, node["title"], self.loc(path, node, "title"), "section title")
        blocks_node = node.get("blocks", LList())
        blocks = []
        if not isinstance(blocks_node, LList):
            self.error(self.loc(path, node, "blocks"), "blocks must be a list")
        else:
            for index, raw in enumerate(blocks_node):
                record = self.block(path, raw, Loc(path, blocks_node.line_of(index)))
                if record:
                    blocks.append(record)
        if title is None:
            return None
        return SectionRecord(ident, title, tuple(blocks), self.loc(path, node, "id"))


def _complete(record: BlockRecord) -> bool:
    """Return True when every part compose needs of the block was read."""
    f = record.fields
    if record.kind in TEXT_BLOCKS:
        return f.get("text") is not None
    if record.kind in ("list", "callout", "references", "kpis"):
        return bool(f.get("items")) and (record.kind != "callout" or f.get("title") is not None)
    if record.kind == "table":
        cells = [*f.get("header", ()), *(c for row in f.get("rows", ()) for c in row)]
        return "header" in f and bool(f.get("rows")) and None not in cells
    if record.kind == "figure":
        return f.get("caption") is not None
    if record.kind == "code":
        return "code" in f and "language" in f
    if record.kind == "formula":
        return "tex" in f
    return True


_DISPLAY = re.compile(r"^\s*\$\$(.+?)\$\$\s*$", re.S)


def _display_math(text: Text | None) -> str | None:
    """Return the LaTeX of a text that is only `$$…$$`, the same in every language."""
    if text is None or not text.values:
        return None
    found = {m[1].strip() if (m := _DISPLAY.match(v)) else None for v in text.values.values()}
    if len(found) != 1:
        return None
    tex = found.pop()
    return tex if tex and len(tex) <= 2000 else None


#: The longest code block: a listing of an appendix, not a source tree.
MAX_CODE_LINES = 2000
MAX_CODE_CHARS = 200_000


def lexer_exists(name: str) -> bool:
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        get_lexer_by_name(name.strip().lower())
    except ClassNotFound:
        return False
    return True


_MM = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*mm\s*$")


def _image_width(value: Any) -> tuple[str, float] | None:
    """Return an image width as ("share", 0.1–1) or ("pt", points), or None when invalid."""
    if isinstance(value, int | float) and not isinstance(value, bool) and 0.1 <= value <= 1:
        return ("share", float(value))
    if isinstance(value, str):
        match = _MM.match(value)
        if match and 5 <= float(match[1]) <= 1000:
            return ("pt", float(match[1]) * 72 / 25.4)
    return None


def inside_folder(path: Path, root: Path) -> bool:
    """Return True when `path` lies inside `root` (both resolved)."""
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def has_han(text: str) -> bool:
    """Return True when `text` holds Chinese characters or CJK punctuation."""
    return bool(HAN.search(text))
