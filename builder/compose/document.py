"""Compose: report records + data + terms -> one localized, numbered `Document` per edition.

This is the only stage that knows editions. It renders data expressions, parses inline Markdown,
numbers figures and tables, resolves cross-references and links, checks glyph coverage, and asks
the chart provider for each figure's image. Problems are collected as located diagnostics.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

import yaml

from builder.compose.coverage import theme_codepoints, uncovered
from builder.compose.formula import FormulaError, render_formula
from builder.compose.inline import to_inline
from builder.compose.text import (
    TextError,
    generated_spans,
    has_template,
    render_text,
    template_values,
    unmarked,
)
from builder.diagnostics import BuildError, Diagnostics
from builder.i18n.status import status_diagnostics
from builder.locale import EDITION_LANGS, LANG_TAGS, PAIRED, numbers, source_date_epoch
from builder.model.charts import spec_texts
from builder.model.document import (
    Block,
    Callout,
    Caption,
    ChartImage,
    CodeBlock,
    CodeKind,
    CodeToken,
    Document,
    EditorNote,
    Figure,
    Footnote,
    Formula,
    Heading,
    Inline,
    InlineMath,
    Kpi,
    KpiStrip,
    ListBlock,
    ListItem,
    Pair,
    Paragraph,
    Picture,
    Reference,
    References,
    Span,
    Table,
    Terms,
    plain_text,
)
from builder.readers.content import BlockRecord, Item, Loc, ReportRecord, Text, has_han
from builder.themes import I18N_DIR, Theme
from builder.themes.glyphs import font_codepoints

#: Link schemes that stay live in the outputs; any other (file:, javascript:, data:, …) is
#: printed as text, since a reader's click on it could open a local file or run code.
LIVE_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")

# Printed before the source text of a block that has no translation yet (never a silent fallback).
_FONT_HINT = "replace the character, or list a font that covers it in the theme's fonts.fallback"
UNTRANSLATED = {"zh": "[未翻译] ", "en": "[untranslated] "}


# A figure as tables print them: 31.7亿美元, USD 3.17 billion, $98/小时, 35%, 2.5x, -12.3万
_NUMERIC_CELL = re.compile(
    r"^(?:[A-Z]{3}\s)?[+\-−]?[$¥€£]?\d[\d,.]*\s*"
    r"(?:%|x|倍|[千万亿]*[美日欧港]?元|[千万亿]+|(?:thousand|million|billion|trillion))?"
    r"(?:/[^\s/]{1,3})?$")


_SOURCE_LINK = re.compile(r"^\s*(来源|资料来源|数据来源|Sources?)\s*[:：]")


def _char_list(chars: list[str]) -> str:
    """Return characters for a message: `'⇑' (U+21D1), '∰' (U+2230)`."""
    return ", ".join(f"{ch!r} (U+{ord(ch):04X})" for ch in chars)


def cited(spans: Inline, lang: str) -> Inline:
    """Return `spans` with an inline source set apart from the sentence it cites.

    "…达35% [来源：Credence Research](url)" ran on as "…35% 来源：Credence Research"; a link
    that names a source after other text is set in brackets: "…达35%（来源：Credence
    Research）" / "…35% (Source: Credence Research)". The content keeps what was written.
    """
    out = list(spans)
    for index in range(len(out) - 1, 0, -1):
        span = out[index]
        if not span.href or not _SOURCE_LINK.match(span.text):
            continue
        before = "".join(s.text for s in out[:index]).strip()
        if not before or before.endswith(("(", "（")):
            continue
        previous = out[index - 1]
        if lang == "zh":
            out[index - 1] = replace(previous, text=previous.text.rstrip())
            opening, closing = "（", "）"
        else:
            opening, closing = ("(" if previous.text.endswith(" ") else " ("), ")"
        after = out[index + 1].text if index + 1 < len(out) else ""
        if after.lstrip().startswith((")", "）")):
            continue
        out[index:index + 1] = [Span(opening), span, Span(closing)]
    return tuple(s for s in out if s.text or s.note is not None or s.math is not None)


def numeric_alignment(rows: tuple[tuple[Inline, ...], ...]) -> tuple[str, ...]:
    """Return the default alignment of a table's columns: right for a column (after the first,
    which names the rows) whose every filled cell is a figure, left for the others."""
    width = max((len(row) for row in rows), default=0)
    align = []
    for column in range(width):
        cells = [plain_text(row[column]).strip() for row in rows if column < len(row)]
        filled = [cell for cell in cells if cell and cell not in ("-", "—", "–", "n/a")]
        numeric = column > 0 and bool(filled) and all(_NUMERIC_CELL.match(c) for c in filled)
        align.append("right" if numeric else "left")
    return tuple(align)


class ChartProvider(Protocol):
    """What compose needs from the chart stage: read a figure's spec, render it, describe it."""

    def spec(self, fields: Mapping[str, Any], lang: str) -> Any:
        """Return the chart spec of a figure's fields in `lang`; raise BuildError when invalid."""

    def image(self, spec: Any, lang: str) -> ChartImage | None:
        """Return the rendered chart, or None when charts are not rendered (check mode)."""

    def describe(self, spec: Any, lang: str) -> str:
        """Return alt text describing the chart."""

    def paired_spec(self, fields: Mapping[str, Any]) -> Any:
        """Return the chart of a bilingual figure (Chinese over English), drawn as `PAIRED`."""


def load_terms(lang: str) -> Terms:
    """Return the localized engine terms for `lang` (`zh` or `en`)."""
    raw = yaml.safe_load((I18N_DIR / f"{lang}.yaml").read_text(encoding="utf-8"))
    return Terms(**raw)


def format_date(iso: str, lang: str) -> str:
    """Return the ISO date `iso` written for readers in `lang`; `iso` unchanged when not a date."""
    try:
        return numbers.format_date(iso, lang)
    except ValueError:
        return iso


def report_date(record: ReportRecord) -> str:
    """Return the report's ISO date: from the content, else SOURCE_DATE_EPOCH, else empty."""
    if record.date:
        return record.date
    epoch = source_date_epoch()
    return epoch.date().isoformat() if epoch else ""


@dataclass
class _Numbering:
    """Figure and table numbers by id, fixed before any text is composed."""

    figures: dict[str, int]
    tables: dict[str, int]
    headings: set[str]


def _number(record: ReportRecord) -> _Numbering:
    figures: dict[str, int] = {}
    tables: dict[str, int] = {}
    headings: set[str] = set()
    for section in record.sections:
        headings.add(section.id)
        for block in section.blocks:
            if block.kind == "figure":
                figures[block.id] = len(figures) + 1
            elif block.kind == "table":
                tables[block.id] = len(tables) + 1
            elif block.kind == "heading":
                headings.add(block.id)
    return _Numbering(figures, tables, headings)


class Composer:
    """Composes the editions of one report; collects diagnostics across them."""

    def __init__(self, record: ReportRecord, data: Mapping[str, Any], theme: Theme,
                 charts: ChartProvider, strict_translations: bool = False) -> None:
        self.record = record
        # Plain values only reach templates; the report's parameters as `params`.
        self.data = template_values({**data, "params": dict(record.param_values)})
        self.theme = theme
        self.charts = charts
        self.diag = Diagnostics()
        self.numbering = _number(record)
        self.covered = theme_codepoints(theme)
        self.terms = {lang: load_terms(lang) for lang in ("zh", "en")}
        self._seen: set[tuple[str, int, str]] = set()
        self.strict_translations = strict_translations
        self._block_id = ""
        self._untranslated: dict[str, str] = {}
        self._status_done: set[str] = set()
        self._note_count = 0  # footnotes so far in the edition being composed
        self._footnotes: list[Footnote] = []

    # -- diagnostics, once each even when several editions meet the same problem ---------------
    def _report(self, kind: str, loc: Loc, message: str, hint: str = "") -> None:
        key = (str(loc.path), loc.line, message)
        if key in self._seen:
            return
        self._seen.add(key)
        if kind == "error":
            self.diag.error(loc.path, loc.line, message, hint)
        else:
            self.diag.warning(loc.path, loc.line, message, hint)

    # -- text ----------------------------------------------------------------------------------
    def raw(self, text: Text, lang: str, what: str = "text") -> str:
        """Return `text` in `lang` with data expressions rendered; report problems."""
        return self._render(text, lang, what)[1]

    def _render(self, text: Text, lang: str, what: str, mark: bool = False) -> tuple[str, str]:
        """Return the template of `text` in `lang` and its rendering; report problems.

        With `mark`, expressions' output is marked (`text.generated_spans` splits it off).
        """
        value = text.get(lang)
        if value is None:
            have = next(iter(text.values), None)
            if self.strict_translations or have is None:
                self._report("error", text.loc, f"missing {lang} translation of {what}",
                             hint=f"add `{lang}:` next to `{have}:`" if have else "")
                return "", ""
            self._report("warning", text.loc, f"missing {lang} translation of {what}; built "
                                              f"with the {have} text marked untranslated",
                         hint=f"add `{lang}:` next to `{have}:`")
            self._untranslated.setdefault(self._block_id, lang)
            value, lang = text.values[have], have
        if text.neutral and lang == "en" and has_han(value):
            self._report("error", text.loc, f"language-neutral {what} contains Chinese, so it "
                                            f"would appear in the English edition",
                         hint="write it as {zh: …, en: …}")
        where = text.loc_of(lang)
        source = value
        try:
            value = render_text(value, lang, self.data, mark)
        except TextError as exc:
            self._report("error", Loc(where.path, where.line + exc.line_offset), str(exc))
            return source, value
        missing = uncovered(unmarked(value) if mark else value, self.covered)
        if missing:
            chars = _char_list(missing)
            self._report("error", where, f"no font of the theme covers {chars}",
                         hint=_FONT_HINT)
        return source, value

    def _kpi(self, value: Text, label: Text, lang: str) -> Kpi:
        source, shown = self._render(value, lang, "KPI value")
        return Kpi(shown, self.inline(label, lang, "KPI label"),
                   source.strip() if has_template(source) else None)

    def inline(self, text: Text, lang: str, what: str = "text") -> Inline:
        """Return `text` in `lang` as spans with links resolved."""
        source, rendered = self._render(text, lang, what, mark=True)
        spans = to_inline(rendered)
        if has_template(source):
            spans = generated_spans(spans, source)
        if not text.neutral and lang not in text.values and text.values:
            spans = (Span(UNTRANSLATED[lang], bold=True, italic=True), *spans)
        # Links are reported once per text (at its block), not once per language.
        linked = cited(tuple(self._link(span, text.loc, lang) for span in spans), lang)
        if any(span.note is not None or span.math is not None for span in linked):
            linked = tuple(self._footnote(span, text.loc, lang) if span.note is not None
                           else self._math(span, text.loc_of(lang)) if span.math is not None
                           else span for span in linked)
        return linked

    def _math(self, span: Span, loc: Loc) -> Span:
        """Return inline math drawn by mathtext, its box in em; LaTeX mathtext cannot read is
        a located error (the span then prints its `$…$` as text)."""
        assert span.math is not None
        size = self.theme.type.body_pt
        try:
            svg, width, height, depth = render_formula(span.math.tex, self.theme, size)
        except FormulaError as exc:
            self._report("error", loc, f"math ${span.math.tex}$: {exc}",
                         hint="write LaTeX math as matplotlib's mathtext reads it, or \\$ "
                              "for a dollar sign")
            return Span(f"${span.math.tex}$", span.bold, span.italic, href=span.href)
        return replace(span, math=InlineMath(span.math.tex, svg, width / size, height / size,
                                             depth / size))

    def _footnote(self, span: Span, loc: Loc, lang: str) -> Span:
        """Return a footnote reference numbered in document order, its note kept for the
        document's list (its links resolved like any text's)."""
        self._note_count += 1
        note = tuple(self._math(s, loc) if s.math is not None else self._link(s, loc, lang)
                     for s in span.note or ())
        self._footnotes.append(Footnote(self._note_count, note, LANG_TAGS[lang]))
        return replace(span, note=note, note_number=self._note_count)

    def _link(self, span: Span, loc: Loc, lang: str) -> Span:
        href = span.href
        if href is None:
            return span
        if href.startswith("#"):
            target = href[1:]
            terms = self.terms[lang]
            if target in self.numbering.figures:
                label = f"{terms.figure} {self.numbering.figures[target]}"
            elif target in self.numbering.tables:
                label = f"{terms.table} {self.numbering.tables[target]}"
            elif target in self.numbering.headings:
                label = ""
            elif target in self.record.all_ids:
                # The target's block exists but could not be read: that is reported already.
                return replace(span, href=None)
            else:
                self._report("error", loc, f"cross-reference to unknown id {target!r}")
                return replace(span, href=None)
            if not span.text:
                if not label:
                    self._report("error", loc, f"a link to heading {target!r} needs a label")
                return replace(span, text=label)
            return span
        scheme = _SCHEME.match(href)
        if scheme:
            if scheme.group(1).lower() not in LIVE_SCHEMES:
                self._report("warning", loc, f"link {href!r} is printed as text: only http, "
                                             f"https and mailto links stay live")
                return replace(span, href=None, text=span.text or href)
            if not span.text:
                return replace(span, text=href)
            return span
        # A relative link: it must name a file inside the report folder.
        path_part = href.split("#", 1)[0]
        target_path = (loc.path.parent / path_part).resolve()
        root = self.record.root
        if not str(target_path).startswith(str(root)) or not target_path.exists():
            self._report("warning", loc, f"link target {href!r} does not exist; "
                                         f"printed as text without a link")
            return replace(span, href=None)
        return replace(span, href=target_path.as_uri())

    # -- blocks --------------------------------------------------------------------------------
    def items(self, items: tuple[Item, ...], lang: str, what: str) -> tuple[ListItem, ...]:
        return tuple(
            ListItem(item.id, self.inline(item.text, lang, f"{what} entry {item.id!r}"),
                     self.items(item.children, lang, what), item.children_ordered)
            for item in items)

    def caption(self, block: BlockRecord, lang: str, numbers: dict[str, int],
                term: str) -> Caption | None:
        fields = block.fields
        if "caption" not in fields and block.kind == "table":
            return None
        number = numbers[block.id]
        label = f"{term} {number}"
        text = self.inline(fields["caption"], lang, f"{block.kind} {block.id!r} caption") \
            if fields.get("caption") else ()
        source = None
        if fields.get("source"):
            source = self.inline(fields["source"], lang, f"{block.kind} {block.id!r} source")
        return Caption(label, number, text, source)

    def block(self, block: BlockRecord, lang: str, draw: bool = True) -> Block | None:
        """Return the model block of `block` in `lang`, or None when it cannot be built."""
        f = block.fields
        tag = LANG_TAGS[lang]
        where = f"{block.kind} {block.id!r}"
        self._block_id = block.id
        if block.kind == "heading":
            return Heading(block.id, f["level"], self.inline(f["text"], lang, where), tag)
        if block.kind == "paragraph":
            untranslated = f["text"] is not None and f["text"].get(lang) is None
            return Paragraph(block.id, self.inline(f["text"], lang, where), tag,
                             "note" if untranslated else f["style"])
        if block.kind == "list":
            return ListBlock(block.id, self.items(f["items"], lang, "list"), f["ordered"], tag)
        if block.kind == "callout":
            title = self.inline(f["title"], lang, f"{where} title") if f.get("title") else ()
            return Callout(block.id, title, self.items(f["items"], lang, "callout"), tag)
        if block.kind == "kpis":
            return KpiStrip(block.id, tuple(self._kpi(value, label, lang)
                                            for value, label in f["items"]), tag)
        if block.kind == "references":
            refs = []
            for item in f["items"]:
                text = self.inline(item.text, lang, f"reference {item.id!r}")
                link = self._link(Span("x", href=item.target), item.loc, lang) \
                    if item.target else Span("x")
                refs.append(Reference(item.id, text, link.href, item.target or ""))
            return References(block.id, tuple(refs), tag)
        if block.kind == "table":
            if any(cell is None for cell in f["header"]) or any(
                    cell is None for row in f["rows"] for cell in row):
                return None
            header = tuple(self.inline(cell, lang, f"{where} header") for cell in f["header"])
            rows = tuple(tuple(self.inline(cell, lang, f"{where} cell") for cell in row)
                         for row in f["rows"])
            caption = self.caption(block, lang, self.numbering.tables, self.terms[lang].table)
            align = f["align"] or numeric_alignment(rows)
            return Table(block.id, header, rows, align, tag, caption,
                         bool(f.get("row_headers", False)))
        if block.kind == "figure":
            return self.figure(block, lang, draw)
        if block.kind == "code":
            return self.code(block)
        if block.kind == "formula":
            return self.formula(block)
        raise AssertionError(f"unhandled block kind {block.kind}")

    def code(self, block: BlockRecord) -> CodeBlock:
        """Return the code block highlighted (the same in every edition); report characters no
        font of the theme has."""
        text, language = block.fields["code"], block.fields["language"]
        missing = uncovered(text, self.covered)
        if missing:
            chars = _char_list(missing)
            self._report("error", block.loc, f"no font of the theme covers {chars} in code "
                                             f"{block.id!r}", hint=_FONT_HINT)
        return CodeBlock(block.id, language, highlight(text, language))

    def formula(self, block: BlockRecord) -> Formula | None:
        """Return the formula drawn by mathtext; a LaTeX it cannot read is a located error."""
        tex = block.fields["tex"]
        try:
            svg, width, height, _ = render_formula(tex, self.theme,
                                                   self.theme.type.body_pt * 1.15)
        except FormulaError as exc:
            self._report("error", block.loc, f"formula {block.id!r}: {exc}",
                         hint="write LaTeX math as matplotlib's mathtext reads it (docs/"
                              "content-format.md)")
            return None
        return Formula(block.id, tex, svg, width, height)

    def figure(self, block: BlockRecord, lang: str, draw: bool = True) -> Figure | None:
        """Return the figure in `lang`; with `draw=False` only its caption and alt text."""
        f = block.fields
        caption = self.caption(block, lang, self.numbering.figures, self.terms[lang].figure)
        assert caption is not None
        image = None
        alt = self.raw(f["alt"], lang, f"figure {block.id!r} alt") if f.get("alt") else ""
        if "image_file" in f:
            image = self._picture(block)
        elif "chart_file" in f or "chart_mermaid" in f:
            try:
                spec = self.charts.spec(f, lang)
                self._check_chart_glyphs(spec, f)
                image = self.charts.image(spec, lang) if draw else None
                if not alt:
                    alt = self.charts.describe(spec, lang)
            except BuildError as exc:
                for d in exc.diagnostics:
                    self._report(d.severity, Loc(Path(d.path), d.line), d.message, d.hint)
        if not alt:
            alt = plain_text(caption.text)
        return Figure(block.id, caption, alt, LANG_TAGS[lang], image)

    def _picture(self, block: BlockRecord) -> Picture:
        """Return the image of an image block placed in the text width: at its requested width
        (a share of the text width, or a length), else at its own size, never wider than the
        text or taller than `MAX_PICTURE_HEIGHT` of the page. Shown larger than its own size,
        a raster image is a warning: it prints blurred."""
        info = block.fields["image_file"]
        page = self.theme.page
        text_width = page.text_width_pt
        requested = block.fields.get("image_width")
        if requested is None:
            width = min(info.width_pt, text_width)
        else:
            kind, amount = requested
            width = min(amount * text_width if kind == "share" else amount, text_width)
        height = width * info.height_pt / info.width_pt
        cap = page.height_pt * MAX_PICTURE_HEIGHT
        if height > cap:
            width, height = width * cap / height, cap
        if info.format != "svg" and width > info.width_pt * 1.01:
            dpi = info.width_px / (width / 72)
            self._report("warning", block.loc,
                         f"image {block.id!r} is shown {width / info.width_pt:.1f}× larger than "
                         f"its own size ({info.width_px} px across {width * 25.4 / 72:.0f} mm, "
                         f"{dpi:.0f} dpi), so it prints blurred",
                         hint="use a larger image, or a smaller width")
        missing = uncovered(info.text, font_codepoints(self.theme.cjk.regular))
        if missing:  # an SVG's text is drawn in one face, the theme's CJK one
            chars = _char_list(missing)
            face = self.theme.cjk.regular.stem
            self._report("error", block.loc, f"the text of image {block.id!r} has {chars}, "
                                             f"which the theme's font {face} lacks",
                         hint="turn that text into outlines in the SVG, or write it without them")
        return Picture(info.path, info.format, width, height, info.width_pt, info.height_pt)

    def _paired_image(self, block: BlockRecord) -> ChartImage | Picture | None:
        """Return the chart of a bilingual figure, or None (no chart, an error, check mode);
        an image block's image (it is the same in both languages)."""
        f = block.fields
        if "image_file" in f:
            return self._picture(block)
        if not ("chart_file" in f or "chart_mermaid" in f):
            return None
        try:
            return self.charts.image(self.charts.paired_spec(f), PAIRED)
        except BuildError:
            return None  # reported where the spec was read in each language

    def _check_chart_glyphs(self, spec: Any, fields: Mapping[str, Any]) -> None:
        """Report chart text no font of the theme covers, where the chart is written."""
        missing = uncovered("".join(spec_texts(spec)), self.covered)
        if not missing:
            return
        if "chart_file" in fields:
            where = Loc(fields["chart_file"], 1)
        else:
            _, line, path = fields["chart_mermaid"]
            where = Loc(path, line)
        chars = _char_list(missing)
        self._report("error", where, f"no font of the theme covers {chars} in the chart",
                     hint=_FONT_HINT)

    # -- editions ------------------------------------------------------------------------------
    def blocks(self, edition: str) -> tuple[Block, ...]:
        langs = EDITION_LANGS[edition]
        out: list[Block] = []
        for section in self.record.sections:
            self._block_id = section.id
            titles = [self.inline(section.title, lang, "section title") for lang in langs]
            out.append(Heading(section.id, 1, titles[0], LANG_TAGS[langs[0]],
                               secondary=titles[1] if len(titles) > 1 else None))
            for record in section.blocks:
                if record.kind in ("code", "formula"):  # the same in both languages: once
                    built_once = self.block(record, langs[0])
                    if built_once is not None:
                        out.append(built_once)
                    continue
                # A bilingual figure shows one chart drawn with both languages' texts, not the
                # chart of either language.
                built = [self.block(record, lang, draw=len(langs) == 1) for lang in langs]
                if any(b is None for b in built):
                    continue
                if len(built) == 1:
                    out.append(built[0])  # type: ignore[arg-type]
                elif isinstance(built[0], Heading) and isinstance(built[1], Heading):
                    out.append(replace(built[0], secondary=built[1].text))
                elif isinstance(built[0], Figure) and isinstance(built[1], Figure):
                    # One chart, its texts in both languages, with both captions.
                    zh, en = built[0], built[1]
                    out.append(replace(zh, caption=replace(zh.caption, secondary=en.caption),
                                       image=self._paired_image(record)))
                else:
                    out.append(Pair(record.id, built[0], built[1]))  # type: ignore[arg-type]
        return tuple(out)

    def document(self, edition: str) -> Document:
        """Return the Document of `edition` (`zh`, `en` or `bilingual`)."""
        langs = EDITION_LANGS[edition]
        main = langs[0]
        second = langs[1] if len(langs) > 1 else None
        rec = self.record

        def meta(text: Text | None, lang: str | None, what: str) -> str:
            if text is None or lang is None:
                return ""
            return plain_text(self.inline(text, lang, what))

        for lang in langs:
            if lang != rec.source_lang and lang not in self._status_done:
                self._status_done.add(lang)
                for d in status_diagnostics(rec, lang).items:
                    self._report(d.severity, Loc(Path(d.path), d.line), d.message, d.hint)
        self._untranslated = {}
        self._block_id = ""
        self._note_count, self._footnotes = 0, []
        blocks = self.blocks(edition)
        notes = tuple(EditorNote(b.id, b.fields["note"]) for s in rec.sections
                      for b in s.blocks if "note" in b.fields)
        notes += tuple(EditorNote(block_id, f"Untranslated: no {lang} translation yet; the "
                                            f"{rec.source_lang} source text is shown.")
                       for block_id, lang in self._untranslated.items())
        iso = report_date(rec)
        return Document(
            report_id=rec.id,
            edition=edition,  # type: ignore[arg-type]
            lang=LANG_TAGS[main],  # type: ignore[arg-type]
            title=meta(rec.title, main, "title"),
            subtitle=meta(rec.subtitle, main, "subtitle"),
            secondary_title=meta(rec.title, second, "title") or None,
            secondary_subtitle=meta(rec.subtitle, second, "subtitle") or None,
            date=iso,
            organisation=meta(rec.organisation, main, "organisation"),
            authors=rec.authors,
            keywords=rec.keywords.get(main, ()),
            blocks=blocks,
            terms=self.terms[main],
            notes=notes,
            confidentiality=meta(rec.confidentiality, main, "confidentiality"),
            date_display=format_date(iso, main) if iso else "",
            footnotes=tuple(self._footnotes),
        )


#: Pygments token types by the class the engines colour, most specific first.
_CODE_KINDS: tuple[tuple[str, CodeKind], ...] = (
    ("Comment", "comment"), ("Literal.String", "string"), ("Literal.Number", "number"),
    ("Keyword", "keyword"), ("Name.Function", "function"), ("Name.Class", "function"),
    ("Name.Builtin", "name"), ("Name.Decorator", "name"), ("Name.Tag", "keyword"),
    ("Name.Attribute", "name"), ("Operator.Word", "keyword"), ("Operator", "operator"),
)


def highlight(text: str, language: str) -> tuple[tuple[CodeToken, ...], ...]:
    """Return `text` as lines of highlighted tokens (Pygments' lexer for `language`; one
    plain token per line when it is "")."""
    if not language:
        return tuple((CodeToken(line),) if line else () for line in text.split("\n"))
    from pygments.lexers import get_lexer_by_name

    lexer = get_lexer_by_name(language, stripnl=False, ensurenl=False)
    lines: list[list[CodeToken]] = [[]]
    for token_type, value in lexer.get_tokens(text):
        name = str(token_type).removeprefix("Token.")
        kind = next((k for prefix, k in _CODE_KINDS if name == prefix
                     or name.startswith(prefix + ".")), "text")
        for i, part in enumerate(value.split("\n")):
            if i:
                lines.append([])
            if part:
                current = lines[-1]
                if current and current[-1].kind == kind:
                    current[-1] = CodeToken(current[-1].text + part, kind)
                else:
                    current.append(CodeToken(part, kind))
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    return tuple(tuple(line) for line in lines)


#: The tallest an image is placed, as a share of the page height (a portrait photo).
MAX_PICTURE_HEIGHT = 0.5


def compose_documents(record: ReportRecord, data: Mapping[str, Any], theme: Theme,
                      charts: ChartProvider, editions: tuple[str, ...],
                      progress: Callable[[str], None] | None = None,
                      strict_translations: bool = False,
                      on_document: Callable[[str, Document], None] | None = None,
                      ) -> tuple[dict[str, Document], Diagnostics]:
    """Return the Document of each edition and the problems found composing them.

    With `strict_translations` (what `check` asks for) a missing translation is an error; a
    build instead warns and prints the source text behind a visible "untranslated" marker.
    `on_document(edition, document)` is called as each edition is done (the build starts
    rendering it while the next edition is composed).
    """
    composer = Composer(record, data, theme, charts, strict_translations)
    documents: dict[str, Document] = {}
    for edition in editions:
        if progress:
            progress(f"compose {edition}")
        documents[edition] = composer.document(edition)
        if on_document is not None:
            on_document(edition, documents[edition])
    return documents, composer.diag
