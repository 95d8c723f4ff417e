"""Import a Markdown report into a report folder; a reader that runs once, before the pipeline.

markdown-it-py (CommonMark + GFM tables) parses the file into tokens; this module maps them onto
the content format: `#` is the report title (a `title：subtitle` pair is split), every `##`
starts a section file, `###`/`####` are headings of level 2/3, paragraphs, nested lists, tables
with their alignment, block quotes (callouts), a bold lead-in such as `**关键发现：**` followed
by a list (a callout), and every ```mermaid block becomes `charts/<id>.mmd` shown by a figure.
What the format cannot hold (images, unreadable diagrams, code, HTML) becomes a visible note
paragraph plus a warning at its line: an import never fails on content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from builder.authoring.writeback import format_scalar
from builder.diagnostics import BuildError, Diagnostic, Diagnostics
from builder.output import write_atomic
from builder.readers.content import CONTROL_CHARS, has_han
from builder.readers.mermaid import read_mermaid
from builder.readers.yamlsrc import decode_source, read_source_bytes

PLACEHOLDER = {"zh": "[待补充]", "en": "[To do]"}
NOTE_TITLE = {"zh": "注", "en": "Note"}
INTRO_TITLE = {"zh": "概述", "en": "Overview"}
_ESCAPE = re.compile(r"([\\`*\[\]])")
_TEMPLATE = re.compile(r"\{[{%#]")
_LEAD_IN = re.compile(r"^\*\*([^*]+?)[:：]\*\*$")


@dataclass
class _Block:
    """A block being built: its YAML lines (without the leading `- `) and its id."""

    id: str
    lines: list[str]


@dataclass
class _Section:
    id: str
    title: str
    line: int
    blocks: list[_Block] = field(default_factory=list)


@dataclass
class ImportResult:
    """What an import wrote: section files, block and chart counts, and warnings."""

    sections: list[Path] = field(default_factory=list)
    blocks: int = 0
    charts: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)


def slug(text: str) -> str:
    """Return the ASCII id part of `text` (`Fireworks.ai 深度分析` -> `fireworks-ai`)."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:40].strip("-")


def _github_anchor(text: str) -> str:
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


class _Importer:
    def __init__(self, source: Path, out: Path, lang: str) -> None:
        self.source = source
        self.out = out
        self.lang = lang
        self.diag = Diagnostics()
        self.ids: set[str] = set()
        self.sections: list[_Section] = []
        self.title = ""
        self.subtitle = ""
        self.charts: dict[str, str] = {}
        self.assets: dict[str, bytes] = {}  # image files copied into the report, by path
        self.notes: list[str] = []  # footnotes' Markdown, set aside as marks before parsing
        self.anchors: dict[str, str] = {}
        self.last_heading = ""
        self.counts: dict[str, int] = {}
        self._href = ""

    # -- helpers -------------------------------------------------------------------------------
    def warn(self, line: int, message: str, hint: str = "") -> None:
        self.diag.warning(self.source, line, message, hint)

    def new_id(self, base: str) -> str:
        base = base.strip("-") or "block"
        ident, n = base, 1
        while ident in self.ids:
            n += 1
            ident = f"{base}-{n}"
        self.ids.add(ident)
        return ident

    def block_id(self, kind: str, text: str = "") -> str:
        section = self.section()
        self.counts[section.id + kind] = self.counts.get(section.id + kind, 0) + 1
        named = slug(text)
        if named and kind in ("h", "fig", "t"):
            return self.new_id(f"{'fig-' if kind == 'fig' else ''}{named}")
        return self.new_id(f"{section.id}-{kind}{self.counts[section.id + kind]}")

    def section(self, line: int = 1) -> _Section:
        if not self.sections:
            title = self.title or INTRO_TITLE[self.lang]
            self.sections.append(_Section(self.new_id(slug(title) or "introduction"), title,
                                          line))
        return self.sections[-1]

    def text(self, value: str, indent: str, key: str | None = None) -> list[str]:
        """Return YAML lines holding `value` in the source language (`lang: value`)."""
        line = f"{self.lang}: {format_scalar(value, flow=False)}"
        return [f"{indent}{key}:", f"{indent}  {line}"] if key else [f"{indent}{line}"]

    def cell(self, value: str) -> str:
        """Return a table cell: neutral when it holds no Chinese in a Chinese report."""
        if self.lang == "zh" and not has_han(value):
            return format_scalar(value, flow=True) if value else '""'
        return f"{{{self.lang}: {format_scalar(value, flow=True)}}}"

    # -- inline --------------------------------------------------------------------------------
    def inline(self, token: Token) -> str:
        """Return the inline Markdown of an `inline` token in the content's dialect."""
        out: list[str] = []
        line = (token.map[0] + 1) if token.map else 0
        children = token.children or []
        for i, child in enumerate(children):
            kind = child.type
            if kind == "text":
                value = CONTROL_CHARS.sub("", child.content)
                if value != child.content:
                    self.warn(line, "control characters removed from the text")
                out.append(_ESCAPE.sub(r"\\\1", value))
            elif kind == "softbreak":
                before = out[-1][-1:] if out and out[-1] else ""
                after = children[i + 1].content[:1] if i + 1 < len(children) else ""
                out.append("" if has_han(before) and has_han(after) else " ")
            elif kind == "hardbreak":
                out.append(" ")
            elif kind in ("strong_open", "strong_close"):
                out.append("**")
            elif kind in ("em_open", "em_close"):
                out.append("*")
            elif kind in ("s_open", "s_close"):
                pass  # strikethrough has no equivalent; the text stays
            elif kind == "code_inline":
                out.append(f"`{child.content}`")
            elif kind == "link_open":
                href = str(child.attrs.get("href", ""))
                if href.startswith("#"):
                    target = self.anchors.get(href[1:])
                    href = f"#{target}" if target else ""
                    if not target:
                        self.warn(line, f"link to unknown anchor {child.attrs.get('href')!r} "
                                        f"kept as text")
                out.append("[" if href else "")
                self._href = href
            elif kind == "link_close":
                out.append(f"]({self._href})" if self._href else "")
            elif kind == "image":
                alt = child.content or str(child.attrs.get("src", ""))
                self.warn(line, f"image {child.attrs.get('src')!r} imported as its alt text",
                          hint="images are not charts; draw it as a chart spec or mermaid")
                out.append(_ESCAPE.sub(r"\\\1", alt))
            elif kind in ("html_inline",):
                self.warn(line, f"inline HTML {child.content!r} dropped")
            else:
                out.append(_ESCAPE.sub(r"\\\1", child.content))
        text = "".join(out).strip()
        # A literal `{{` would be read as a data expression.
        text = _TEMPLATE.sub(lambda m: "{{ '" + m.group() + "' }}", text)
        return _NOTE_MARK.sub(lambda m: self._note(int(m[1]), line), text)

    def _note(self, index: int, line: int) -> str:
        """Return footnote `index` (set aside before parsing) as an inline note `^[…]`, its
        Markdown converted like any text."""
        if index >= len(self.notes):
            return ""  # the source's own private-use characters, not a mark of ours
        md = MarkdownIt("commonmark").enable(["strikethrough"])
        tokens = md.parseInline(self.notes[index])
        note = self.inline(tokens[0]) if tokens else ""
        return f"^[{note}]" if note else ""

    # -- blocks --------------------------------------------------------------------------------
    def run(self, text: str) -> None:
        md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
        tokens = md.parse(text)
        i = 0
        while i < len(tokens):
            i = self.token(tokens, i)

    def token(self, tokens: list[Token], i: int) -> int:
        t = tokens[i]
        line = (t.map[0] + 1) if t.map else 0
        if t.type == "heading_open":
            return self.heading(tokens, i, line)
        if t.type == "paragraph_open":
            inline = tokens[i + 1]
            nxt = tokens[i + 3] if i + 3 < len(tokens) else None
            lead = _LEAD_IN.match(inline.content.strip())
            if lead and nxt is not None and nxt.type in ("bullet_list_open",
                                                         "ordered_list_open"):
                end = _closing(tokens, i + 3)
                self.callout(lead.group(1), tokens[i + 4:end], line)
                return end + 1
            display = _DISPLAY_MATH.match(inline.content.strip())
            if display:
                self.formula(display[1].strip(), line)
                return i + 3
            images = [c for c in inline.children or [] if c.type == "image"]
            only_images = images and all(
                c.type == "image" or (c.type == "text" and not c.content.strip())
                or c.type == "softbreak" for c in inline.children or [])
            if only_images:
                for image in images:
                    self.image(image, line)
                return i + 3
            self.paragraph(self.inline(inline), line)
            return i + 3
        if t.type in ("bullet_list_open", "ordered_list_open"):
            end = _closing(tokens, i)
            section = self.section(line)
            ident = self.block_id("l")
            lines = [f"list: {ident}"]
            if t.type == "ordered_list_open":
                lines.append("  ordered: true")
            lines.append("  items:")
            lines += self.items(tokens[i + 1:end], ident, "    ")
            section.blocks.append(_Block(ident, lines))
            return end + 1
        if t.type == "table_open":
            end = _closing(tokens, i)
            self.table(tokens[i + 1:end], line)
            return end + 1
        if t.type == "blockquote_open":
            end = _closing(tokens, i)
            self.quote(tokens[i + 1:end], line)
            return end + 1
        if t.type in ("fence", "code_block"):
            info = (t.info or "").strip().split(None, 1)
            if info and info[0].lower() == "mermaid":
                self.mermaid(t.content, line + 1)
            else:
                self.code(t.content, info[0] if info else "", line)
            return i + 1
        if t.type == "hr":
            return i + 1
        if t.type == "html_block":
            self.warn(line, "HTML block dropped")
            return i + 1
        return i + 1

    def heading(self, tokens: list[Token], i: int, line: int) -> int:
        level = int(tokens[i].tag[1])
        text = self.inline(tokens[i + 1])
        anchor = _github_anchor(tokens[i + 1].content)
        if level == 1 and not self.title:
            pair = re.match(r"^(.+?)(?:：|: )(.+)$", text)
            self.title, self.subtitle = pair.groups() if pair else (text, "")
            return i + 3
        if level <= 2:
            ident = self.new_id(slug(text) or f"section-{len(self.sections) + 1}")
            self.sections.append(_Section(ident, text, line))
            self.anchors[anchor] = ident
            self.last_heading = text
            return i + 3
        if level > 4:
            self.warn(line, f"level-{level} heading imported as a level-3 heading")
        section = self.section(line)
        ident = self.block_id("h", text)
        self.anchors[anchor] = ident
        lines = [f"heading: {ident}"]
        if level >= 4:
            lines.append("  level: 3")
        lines += self.text(text, "  ")
        section.blocks.append(_Block(ident, lines))
        self.last_heading = text
        return i + 3

    def paragraph(self, text: str, line: int, note: bool = False) -> None:
        if not text:
            return
        section = self.section(line)
        ident = self.block_id("p")
        lines = [f"paragraph: {ident}"] + self.text(text, "  ")
        if note:
            lines.append("  style: note")
        section.blocks.append(_Block(ident, lines))

    def items(self, tokens: list[Token], parent: str, indent: str) -> list[str]:
        """Return the YAML lines of the list items in `tokens` (one list's content)."""
        out: list[str] = []
        i = 0
        number = 0
        while i < len(tokens):
            if tokens[i].type != "list_item_open":
                i += 1
                continue
            end = _closing(tokens, i)
            number += 1
            ident = self.new_id(f"{parent}-{number}")
            parts: list[str] = []
            children: list[str] = []
            j = i + 1
            while j < end:
                t = tokens[j]
                if t.type == "inline":
                    parts.append(self.inline(t))
                elif t.type in ("bullet_list_open", "ordered_list_open"):
                    close = _closing(tokens, j)
                    if t.type == "ordered_list_open":
                        children.append(f"{indent}  ordered: true")
                    children.append(f"{indent}  items:")
                    children += self.items(tokens[j + 1:close], ident, indent + "    ")
                    j = close
                elif t.type == "fence":
                    line = (t.map[0] + 1) if t.map else 0
                    self.warn(line, "code block inside a list item dropped")
                j += 1
            text = " ".join(p for p in parts if p) or PLACEHOLDER[self.lang]
            out.append(f"{indent}- id: {ident}")
            out += self.text(text, indent + "  ")
            out += children
            i = end + 1
        return out

    def callout(self, title: str, tokens: list[Token], line: int) -> None:
        section = self.section(line)
        ident = self.block_id("c", "")
        lines = [f"callout: {ident}"] + self.text(title.strip(), "  ", "title") + ["  items:"]
        lines += self.items(tokens, ident, "    ")
        section.blocks.append(_Block(ident, lines))

    def quote(self, tokens: list[Token], line: int) -> None:
        """A block quote becomes a callout: a bold lead-in (or `Note`) titles its paragraphs."""
        section = self.section(line)
        ident = self.block_id("q")
        title = NOTE_TITLE[self.lang]
        entries: list[str] = []
        for k, t in enumerate(tokens):
            if t.type != "inline":
                continue
            text = self.inline(t)
            lead = re.match(r"^\*\*([^*]+?)(?:[:：]\*\*|\*\*[:：]?)\s*", text)
            if k == 1 and lead:
                title, text = lead.group(1), text[lead.end():]
            if text:
                entries.append(text)
        if not entries:
            entries = [PLACEHOLDER[self.lang]]
        lines = [f"callout: {ident}"] + self.text(title, "  ", "title") + ["  items:"]
        for n, text in enumerate(entries, start=1):
            lines.append(f"    - id: {self.new_id(f'{ident}-{n}')}")
            lines += self.text(text, "      ")
        section.blocks.append(_Block(ident, lines))

    def table(self, tokens: list[Token], line: int) -> None:
        rows: list[list[str]] = []
        aligns: list[str] = []
        for t in tokens:
            if t.type == "tr_open":
                rows.append([])
            elif t.type in ("th_open", "td_open"):
                style = str(t.attrs.get("style", ""))
                if t.type == "th_open":
                    aligns.append(style.split(":", 1)[1] if "text-align:" in style else "left")
            elif t.type == "inline":
                rows[-1].append(self.inline(t))
        if not rows:
            return
        section = self.section(line)
        ident = self.block_id("t", "")
        header, body = rows[0], rows[1:]
        width = len(header)
        lines = [f"table: {ident}", f"  align: [{', '.join(aligns)}]"]
        if body and all(_wholly_bold(row[0]) for row in body if row):
            # Every row starts with a bold name: the first column heads the rows, which the
            # table's style sets in bold (`row_headers`), not each cell's own markup.
            lines.append("  row_headers: true")
            body = [[row[0][2:-2], *row[1:]] if row else row for row in body]
        lines.append(f"  header: [{', '.join(self.cell(c) for c in header)}]")
        if not body:
            self.warn(line, "table without rows: an empty row added")
            body = [[""] * width]
        lines.append("  rows:")
        for row in body:
            row = (row + [""] * width)[:width]
            lines.append(f"    - [{', '.join(self.cell(c) for c in row)}]")
        section.blocks.append(_Block(ident, lines))

    def mermaid(self, source: str, line: int) -> None:
        section = self.section(line)
        try:
            spec = read_mermaid(source, self.source, line)
        except BuildError as exc:
            first = exc.diagnostics[0] if exc.diagnostics else None
            reason = first.message if first else "unreadable diagram"
            self.warn(first.line if first and first.line else line,
                      f"mermaid diagram not imported as a chart: {reason}; a placeholder "
                      f"paragraph stands in for it",
                      hint="redraw it as a supported diagram or a chart spec")
            kind = source.strip().split(None, 1)[0] if source.strip() else "mermaid"
            ident = self.block_id("fig")
            name = f"charts/{ident}.mmd.txt"
            self.charts[name] = source
            label = {"zh": f"[图表占位：{kind} 图表未导入，源码见 {name}]",
                     "en": f"[Chart placeholder: {kind} diagram not imported; "
                           f"source kept in {name}]"}[self.lang]
            block = _Block(ident, [f"paragraph: {ident}"] + self.text(_escape(label), "  ")
                           + ["  style: note",
                              "  note: " + format_scalar(
                                  f"Diagram at {self.source.name}:{line} could not be "
                                  f"imported ({reason}).", False)])
            section.blocks.append(block)
            return
        title = getattr(spec, "title", "") or self.last_heading or \
            f"{'图' if self.lang == 'zh' else 'Figure'} {len(self.charts) + 1}"
        ident = self.block_id("fig", slug(title) if slug(title) else "")
        name = f"charts/{ident}.mmd"
        self.charts[name] = source
        section.blocks.append(_Block(ident, [f"figure: {ident}", f"  chart: {name}"]
                                     + self.text(_escape(title), "  ", "caption")))

    def image(self, image: Token, line: int) -> None:
        src = str(image.attrs.get("src", ""))
        alt = image.content or src
        copied = self._copy_image(src, line)
        if copied is not None:
            title = str(image.attrs.get("title") or "") or alt or Path(src).stem
            section = self.section(line)
            ident = self.block_id("fig", slug(title) if slug(title) else "")
            lines = [f"image: {ident}", f"  file: {format_scalar(copied, flow=False)}"]
            lines += self.text(_escape(title), "  ", "caption")
            if alt:
                lines += self.text(alt, "  ", "alt")
            section.blocks.append(_Block(ident, lines))
            return
        self.warn(line, f"image {src!r} imported as a placeholder paragraph",
                  hint="only PNG, JPEG and SVG files beside the Markdown file are placed")
        label = {"zh": f"[图片占位：{alt}]", "en": f"[Image placeholder: {alt}]"}[self.lang]
        section = self.section(line)
        ident = self.block_id("img")
        section.blocks.append(_Block(ident, [f"paragraph: {ident}"]
                                     + self.text(_escape(label), "  ")
                                     + ["  style: note", f"  note: {format_scalar(src, False)}"]))

    def formula(self, tex: str, line: int) -> None:
        """Add a formula block for display math (`$$…$$` as a paragraph of its own)."""
        section = self.section(line)
        ident = self.block_id("eq")
        section.blocks.append(_Block(ident, [f"formula: {ident}",
                                             f"  tex: {format_scalar(tex, flow=False)}"]))

    def code(self, text: str, language: str, line: int) -> None:
        """Add a code block; a language Pygments does not know is imported as plain text."""
        from builder.readers.content import lexer_exists

        text = text.expandtabs(4).rstrip("\n")
        if not text.strip():
            return
        section = self.section(line)
        ident = self.block_id("code")
        lines = [f"code: {ident}"]
        if language and lexer_exists(language):
            lines.append(f"  language: {format_scalar(language.lower(), flow=False)}")
        elif language:
            self.warn(line, f"code language {language!r} is not one Pygments knows; imported "
                            f"without highlighting")
        lines += _literal_field("text", text, "  ")
        section.blocks.append(_Block(ident, lines))

    def _copy_image(self, src: str, line: int) -> str | None:
        """Copy a local image the Markdown shows into the report's images/ folder; return its
        path there, or None (with a warning) when it is remote, outside the Markdown file's
        folder, missing, or not a readable PNG, JPEG or SVG."""
        from urllib.parse import unquote

        from builder.readers.content import inside_folder
        from builder.readers.images import image_format, read_image

        if not src or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", src) or src.startswith("/"):
            return None  # a URL (http:, data:, …) or an absolute path
        folder = self.source.parent.resolve()
        path = (folder / unquote(src.split("#")[0].split("?")[0])).resolve()
        if not inside_folder(path, folder) or image_format(path) is None or not path.is_file():
            return None
        try:
            read_image(path)
        except BuildError as exc:
            self.warn(line, f"image {src!r} cannot be placed: {exc.diagnostics[0].message}")
            return None
        stem = slug(path.stem) or "image"
        name = f"images/{stem}{path.suffix.lower()}"
        n = 1
        while name in self.assets and self.assets[name] != path.read_bytes():
            n += 1
            name = f"images/{stem}-{n}{path.suffix.lower()}"
        self.assets[name] = path.read_bytes()
        return name

    # -- output --------------------------------------------------------------------------------
    def write(self, report_id: str) -> ImportResult:
        result = ImportResult()
        origin = self.source.name
        files: dict[str, str] = {}
        names = []
        for n, section in enumerate(self.sections, start=1):
            name = f"sections/{n:02d}-{section.id}.yaml"[:60]
            names.append(name)
            body = [f"# Imported from {origin}:{section.line} by `report-builder "
                    f"import-markdown`.", f"id: {section.id}"]
            body += self.text(section.title, "", "title")
            body.append("blocks:" if section.blocks else "blocks: []")
            for block in section.blocks:
                body.append(f"  - {block.lines[0]}")
                body += [f"  {rest}" for rest in block.lines[1:]]
                body.append("")
                result.blocks += 1
            files[name] = "\n".join(body).rstrip("\n") + "\n"
        title = self.title or self.source.stem
        report = [
            f"# Imported from {origin} by `report-builder import-markdown`; the format is",
            "# described in docs/content-format.md. The other language is added by a",
            "# translator: `report-builder i18n export` / `i18n import`.",
            f"id: {report_id}",
            f"source_lang: {self.lang}",
        ]
        report += self.text(title, "", "title")
        if self.subtitle:
            report += self.text(self.subtitle, "", "subtitle")
        report += ["editions: [zh, en, bilingual]", "sections:"]
        report += [f"  - {name}" for name in names]
        files["report.yaml"] = "\n".join(report) + "\n"
        files.update(self.charts)
        for name, content in files.items():
            write_atomic(self.out / name, content.encode("utf-8"))
        for name, payload in self.assets.items():
            write_atomic(self.out / name, payload)
        result.sections = [self.out / name for name in names]
        result.charts = sum(1 for name in self.charts if name.endswith(".mmd"))
        result.diagnostics = self.diag.items
        return result


def _literal_field(key: str, text: str, indent: str) -> list[str]:
    """Return YAML lines `key: |-` with `text` as a literal block (as written, one line per
    line), or a quoted scalar when a literal block could not hold it exactly."""
    import yaml

    body = [f"{indent}  {line}" if line else "" for line in text.split("\n")]
    lines = [f"{indent}{key}: |-", *body]
    alone = "\n".join(line.removeprefix(indent) for line in lines)  # as a document of its own
    try:
        if yaml.safe_load(alone) == {key: text}:
            return lines
    except yaml.YAMLError:
        pass
    return [f"{indent}{key}: {format_scalar(text, flow=False)}"]


_DISPLAY_MATH = re.compile(r"^\$\$(.+?)\$\$$", re.S)
_NOTE_MARK = re.compile("\ue000(\\d+)\ue001")
_FOOTNOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]*(.*)$")


def _inline_footnotes(text: str, importer: _Importer) -> str:
    """Return `text` with each footnote definition (`[^id]: note`, continued by indented
    lines) removed and each reference `[^id]` replaced by the inline note `^[note]`, which is
    how the content format writes footnotes. A reference to no definition stays as written,
    with a warning."""
    lines = text.split("\n")
    notes: dict[str, str] = {}
    kept: list[str] = []
    i = 0
    while i < len(lines):
        match = _FOOTNOTE_DEF.match(lines[i])
        if not match:
            kept.append(lines[i])
            i += 1
            continue
        body = [match[2].strip()]
        i += 1
        while i < len(lines) and lines[i].startswith(("    ", "\t")) and lines[i].strip():
            body.append(lines[i].strip())
            i += 1
        kept.append("")  # the definition's line stays, empty, so later lines keep their numbers
        kept.extend([""] * (len(body) - 1))
        notes[match[1]] = " ".join(part for part in body if part)
    if not notes and "[^" not in text and "^[" not in text:
        return text

    def mark(note: str) -> str:
        importer.notes.append(note)
        return f"\ue000{len(importer.notes) - 1}\ue001"

    def reference(match: re.Match[str]) -> str:
        note = notes.get(match[1])
        if note is None:
            line = text.count("\n", 0, match.start()) + 1
            importer.warn(line, f"footnote [^{match[1]}] has no definition; kept as text")
            return match[0]
        return mark(note)

    joined = re.sub(r"\[\^([^\]\s]+)\](?!:)", reference, "\n".join(kept))
    # inline notes `^[…]` (pandoc's), with brackets balanced inside
    out, i = [], 0
    while (start := joined.find("^[", i)) >= 0:
        depth, end = 0, start + 2
        while end < len(joined) and (joined[end] != "]" or depth):
            depth += {"[": 1, "]": -1}.get(joined[end], 0)
            end += 1
        if end >= len(joined) or "\n\n" in joined[start:end]:
            break
        out += [joined[i:start], mark(joined[start + 2:end])]
        i = end + 1
    return "".join(out) + joined[i:]


def _escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def _closing(tokens: list[Token], i: int) -> int:
    """Return the index of the token closing the one opened at `i`."""
    depth = 0
    for j in range(i, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def import_markdown(source: Path, out: Path, lang: str | None = None) -> ImportResult:
    """Write the report folder `out` from the Markdown file `source`; return what was written.

    `lang` is the language of the Markdown (default: zh when it holds Chinese, else en). Raise
    BuildError when the file cannot be read or `out` already exists.
    """
    if out.exists():
        raise BuildError.at(out, 0, "the output folder already exists; nothing was written")
    # Bounded read: a device such as /dev/zero, or a huge file, is refused instead of read
    # forever.
    text = decode_source(read_source_bytes(source, "Markdown file"), source, "Markdown file")
    importer = _Importer(source, out, lang or ("zh" if has_han(text) else "en"))
    lines_with_controls: dict[int, str] = {}
    for match in CONTROL_CHARS.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        lines_with_controls.setdefault(line, f"U+{ord(match.group()):04X}")
    for line, char in lines_with_controls.items():
        importer.warn(line, f"control character {char} removed")
    text = CONTROL_CHARS.sub("", text)
    if "\ufffd" in text:
        importer.warn(text.split("\ufffd")[0].count("\n") + 1, "replacement character U+FFFD "
                      "removed (the file was damaged by a wrong encoding)")
        text = text.replace("\ufffd", "")
    text = _inline_footnotes(text, importer)
    importer.run(text)
    if not importer.sections:
        importer.section(1)
        importer.paragraph(PLACEHOLDER[importer.lang], 1)
    report_id = slug(out.name) or "report"
    return importer.write(report_id)



def _wholly_bold(cell: str) -> bool:
    """Return True for a cell that is one bold text (`**成本**`), nothing around it."""
    inner = cell[2:-2]
    return (len(cell) > 4 and cell.startswith("**") and cell.endswith("**")
            and "**" not in inner and inner.strip() == inner)
