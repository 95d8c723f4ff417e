"""Block-to-flowable conversion of the PDF engine: each model block becomes platypus flowables.

`render()` calls `build_story()` once per layout pass; the story is the contents, then every block
in order. Headings carry their anchor and outline entry and are kept with what follows; bilingual
`Pair`s are set stacked (default) or side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from reportlab.lib.colors import white
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer, TableStyle
from reportlab.platypus import Table as PlatypusTable

from builder.engines.pdf.code import CodeFlowable
from builder.engines.pdf.figures import (
    ChartFlowable,
    FigureFloat,
    FormulaFlowable,
    PictureFlowable,
)
from builder.engines.pdf.pages import Anchor, FlushFloats, LayoutState, printed_page
from builder.engines.pdf.panels import KpiStrip, Panel, PlaceholderBox, Rule, TocEntry
from builder.engines.pdf.richtext import RichParagraph, rich_width
from builder.engines.pdf.styles import Styles, TextStyle
from builder.model.document import (
    Block,
    Callout,
    Caption,
    CodeBlock,
    Document,
    Figure,
    Formula,
    Heading,
    Inline,
    ListBlock,
    ListItem,
    Pair,
    Paragraph,
    Picture,
    References,
    Span,
    Table,
    has_contents,
    plain_text,
)
from builder.model.document import (
    KpiStrip as KpiStripBlock,
)
from builder.themes import code_colors

BilingualLayout = Literal["stacked", "columns"]


@dataclass
class Context:
    """Everything block conversion needs: styles, the anchors that exist, the layout state."""

    document: Document
    styles: Styles
    state: LayoutState
    anchors: frozenset[str]
    toc_pages: dict[str, int]  # pages found by the previous layout pass
    layout: BilingualLayout = "stacked"

    def para(self, spans: Inline, style: TextStyle, *, zh: bool, **kw: object) -> RichParagraph:
        """Return a RichParagraph of `spans` in `style`."""
        return RichParagraph(spans, style, self.styles.fonts, zh=zh, link_color=self.styles.link,
                             anchors=self.anchors, **kw)  # type: ignore[arg-type]


def collect_anchors(blocks: tuple[Block, ...]) -> frozenset[str]:
    """Return the ids that internal links may point to: headings, figures and tables."""
    ids: set[str] = set()
    for block in blocks:
        inner = block.first if isinstance(block, Pair) else block
        if isinstance(inner, Heading | Figure | Table):
            ids.add(inner.id)
    return frozenset(ids)


def _zh(block: Block) -> bool:
    return getattr(block, "lang", "en") == "zh-CN"


def _secondary(style: TextStyle, ctx: Context) -> TextStyle:
    """Return `style` in the muted, smaller secondary look of the other language."""
    s = ctx.styles.secondary
    return style.but(size=style.size * s.size / ctx.styles.body.size,
                     leading=style.leading * s.size / ctx.styles.body.size, color=s.color)


# -- headings ----------------------------------------------------------------------------------
def heading(block: Heading, ctx: Context) -> list[Flowable]:
    """Return the anchor, the heading and (bilingual) its other-language line."""
    styles = ctx.styles
    style = styles.heading(block.level)
    title = plain_text(block.text)
    out: list[Flowable] = [
        Anchor(block.id, ctx.state, outline=title, level=block.level - 1,
               section=title if block.level == 1 else None),
    ]
    out.append(ctx.para(block.text, style, zh=_zh(block)))
    if block.secondary:
        sec = styles.heading_secondary.but(size=max(style.size * 0.62, styles.body.size),
                                           space_before=-style.space_after * 0.6)
        out.append(ctx.para(block.secondary, sec, zh=False))
    if block.level == 1:
        out.append(Rule(styles.rule, 0.6, space_before=1, space_after=styles.body.size * 0.6))
    return out


def _height(flowables: list[Flowable], width: float) -> float:
    total = 0.0
    for flowable in flowables:
        if isinstance(flowable, KeepTogether):
            total += _height(flowable._content, width)
            continue
        total += flowable.wrap(width, 1e6)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    return total


def _lead_height(flowables: list[Flowable], width: float, ctx: Context) -> float:
    """Return how much of the block after a heading must fit under it: 3 lines or a small box."""
    if not flowables:
        return 0.0
    first = flowables[0]
    if isinstance(first, PairTogether):  # its Chinese half may end a page on its own
        return min(_height(first.first, width), ctx.styles.theme.page.height_pt * 0.35)
    if isinstance(first, RichParagraph):
        first.wrap(width, 1e6)
        return min(len(first.lines), 3) * first.style.leading + first.getSpaceBefore()
    return min(_height(flowables[:2], width), ctx.styles.theme.page.height_pt * 0.35)


# -- text blocks ---------------------------------------------------------------------------------
def paragraph(block: Paragraph, ctx: Context, secondary: bool = False) -> list[Flowable]:
    """Return the paragraph in body or note style."""
    style = ctx.styles.note if block.style == "note" else ctx.styles.body
    if secondary:
        style = _secondary(style, ctx)
    return [ctx.para(block.text, style, zh=_zh(block))]


def _items(items: tuple[ListItem, ...], ordered: bool, level: int, ctx: Context, zh: bool,
           style: TextStyle) -> list[Flowable]:
    out: list[Flowable] = []
    indent = style.size * 1.5
    for number, item in enumerate(items, 1):
        bullet = f"{number}." if ordered else ("•" if level == 0 else "–")
        left = indent * (level + 1)
        item_style = style.but(left_indent=left, space_before=0, space_after=style.size * 0.3)
        out.append(ctx.para(item.text, item_style, zh=zh, bullet=bullet,
                            bullet_x=left - indent * 0.85))
        if item.children:
            out += _items(item.children, item.children_ordered, level + 1, ctx, zh, style)
    return out


def list_block(block: ListBlock, ctx: Context, secondary: bool = False) -> list[Flowable]:
    """Return one paragraph per item with a hanging bullet or number; nested items indent."""
    style = ctx.styles.body.but(align="left")
    if secondary:
        style = _secondary(style, ctx)
    out = _items(block.items, block.ordered, 0, ctx, _zh(block), style)
    out.append(Spacer(1, style.size * 0.5))
    return out


def references(block: References, ctx: Context, secondary: bool = False) -> list[Flowable]:
    """Return the references as a list; a missing target is plain text, never a dead link."""
    items = tuple(
        ListItem(ref.id, ref.text if ref.href else tuple(
            Span(s.text, s.bold, s.italic, s.code, None) for s in ref.text))
        for ref in block.items
    )
    linked = tuple(
        ListItem(item.id, tuple(Span(s.text, s.bold, s.italic, s.code, s.href or ref.href)
                                for s in item.text) if ref.href else item.text)
        for item, ref in zip(items, block.items, strict=True)
    )
    return list_block(ListBlock(block.id, linked, True, block.lang), ctx, secondary)


def callout(block: Callout, ctx: Context, other: Callout | None = None) -> list[Flowable]:
    """Return the key-findings box: a title and the findings (and their translation)."""
    styles = ctx.styles
    title_style = styles.h3.but(color=styles.primary, space_before=0, space_after=4)
    item_style = styles.body.but(align="left", space_after=2)
    children: list[Flowable] = [ctx.para(block.title, title_style, zh=_zh(block))]
    children += _items(block.items, False, 0, ctx, _zh(block), item_style)
    if other is not None:
        sec = _secondary(item_style, ctx)
        children.append(ctx.para(other.title, sec.but(bold=True, space_before=6, space_after=2),
                                 zh=False))
        children += _items(other.items, False, 0, ctx, False, sec)
    return [Panel(children, styles.callout_background, styles.accent)]


def kpi_strip(block: KpiStripBlock, ctx: Context, other: KpiStripBlock | None = None
              ) -> list[Flowable]:
    """Return the strip of big numbers with their labels (and translated labels)."""
    styles = ctx.styles
    label_style = styles.small.but(size=styles.theme.type.caption_pt + 0.5, align="center",
                                   leading=(styles.theme.type.caption_pt + 0.5) * 1.4)
    second_value = styles.small.but(size=styles.theme.type.caption_pt + 1.5, align="center",
                                    leading=(styles.theme.type.caption_pt + 1.5) * 1.35,
                                    color=styles.accent, bold=True)
    labels: list[list[RichParagraph]] = []
    for index, kpi in enumerate(block.items):
        group = [ctx.para(kpi.label, label_style.but(color=styles.body.color), zh=_zh(block))]
        if other is not None and index < len(other.items):
            translated = other.items[index]
            if translated.value.strip() != kpi.value.strip():  # 472.4亿美元 / USD 47.24 billion
                group.insert(0, ctx.para((Span(translated.value),), second_value, zh=False))
            group.append(ctx.para(translated.label, label_style, zh=False))
        labels.append(group)
    values = [(Span(kpi.value, bold=True),) for kpi in block.items]
    return [KpiStrip(values, labels, styles, zh=_zh(block))]


# -- captions, figures and tables ------------------------------------------------------------
def caption(cap: Caption, ctx: Context, zh: bool, secondary: bool = False) -> list[Flowable]:
    """Return the numbered caption line and, when given, its source line."""
    styles = ctx.styles
    style = styles.caption if not secondary else _secondary(styles.caption, ctx)
    label = Span(cap.label + "\u2002", bold=True)
    out: list[Flowable] = [ctx.para((label, *cap.text), style.but(space_before=4), zh=zh)]
    if cap.source:
        out.append(ctx.para(cap.source, styles.source, zh=zh))
    return out


def figure(block: Figure, ctx: Context, other: Figure | None = None) -> list[Flowable]:
    """Return the chart (vector) or a placeholder box, then the caption(s); kept together."""
    styles = ctx.styles
    zh = _zh(block)
    parts: list[Flowable] = [Anchor(block.id, ctx.state), Spacer(1, 4)]
    chart = None
    if isinstance(block.image, Picture):
        chart = PictureFlowable(block.image, styles.theme.page.height_pt * 0.5, styles.fonts)
        parts.append(chart)
    elif block.image is not None:
        chart = ChartFlowable(block.image, styles.theme.page.height_pt * 0.42,
                              styles.fonts.cjk if zh else styles.fonts.latin)
        parts.append(chart)
    else:
        alt = ctx.para((Span(block.alt),), styles.source.but(align="center"), zh=zh)
        parts.append(PlaceholderBox(ctx.document.terms.placeholder, alt, styles, 150))
    second = other.caption if other is not None else block.caption.secondary
    first = caption(block.caption, ctx, zh)
    if second is None:
        parts += first
    else:
        # Both captions first, then both source lines, so each language reads as a unit.
        other_parts = caption(second, ctx, False, secondary=True)
        parts += first[:1] + other_parts[:1] + first[1:] + other_parts[1:]
    parts.append(Spacer(1, styles.body.size))
    return [FigureFloat(parts, chart, min_scale=styles.theme.layout.figure_min_scale,
                        may_float=True)]


#: The smallest text size, as a share of the theme's cell size, a wide table shrinks to.
MIN_TABLE_SCALE = 0.6


def _column_widths(cells: list[list[list[Inline]]], ctx: Context,
                   pad: float) -> tuple[list[float], float]:
    """Return column widths from content (minimum word widths plus a share of the rest) and the
    text scale: below 1 when even the minimum widths do not fit, so the table shrinks to fit.
    """
    styles = ctx.styles
    ncols = len(cells[0])
    mins, nats = [0.0] * ncols, [0.0] * ncols
    for row in cells:
        for col in range(ncols):
            for text in row[col]:
                style = styles.header_cell if row is cells[0] else styles.cell
                lo, hi = rich_width(text, style, styles.fonts, zh=True)
                mins[col] = max(mins[col], lo + pad)
                nats[col] = max(nats[col], hi + pad)
    avail = styles.text_width
    if sum(nats) <= avail:
        return [n * avail / sum(nats) for n in nats], 1.0
    if sum(mins) >= avail:
        # Text, padding and so every minimum width shrink together, down to MIN_TABLE_SCALE;
        # past that, words may break inside a cell, but no cell is narrower than its padding.
        scale = max(MIN_TABLE_SCALE, avail / sum(mins))
        return [m * avail / sum(mins) for m in mins], scale
    spare = avail - sum(mins)
    flex = [n - m for n, m in zip(nats, mins, strict=True)]
    return [m + spare * f / (sum(flex) or 1) for m, f in zip(mins, flex, strict=True)], 1.0


def table(block: Table, ctx: Context, other: Table | None = None) -> list[Flowable]:
    """Return the caption, the styled table (header repeated on split) and the source line."""
    styles = ctx.styles
    zh = _zh(block)
    pad = 6.0
    rows: list[list[list[Inline]]] = [[[cell] for cell in block.header]]
    rows += [[[cell] for cell in row] for row in block.rows]
    if other is not None:  # bilingual: each cell holds the zh text over its en translation
        for r, other_row in enumerate([other.header, *other.rows]):
            for c, cell in enumerate(other_row):
                if plain_text(cell) != plain_text(rows[r][c][0]):
                    rows[r][c].append(cell)
    widths, scale = _column_widths(rows, ctx, 2 * pad)
    pad = min(pad * scale, min(widths) / 2 - 0.5)  # never more padding than the cell is wide
    data: list[list[list[Flowable]]] = []
    for r, row in enumerate(rows):
        line: list[list[Flowable]] = []
        for c, texts in enumerate(row):
            base = styles.header_cell if r == 0 else styles.cell
            base = base.but(align=block.align[c] if c < len(block.align) else "left")
            if c == 0 and block.row_headers:  # the first column names the rows
                base = base.but(bold=True)
            if scale < 1:
                base = base.but(size=base.size * scale, leading=base.leading * scale)
            cell = [ctx.para(texts[0], base, zh=zh)]
            for extra in texts[1:]:
                sec = _secondary(base, ctx)
                cell.append(ctx.para(extra, sec.but(color=white) if r == 0 else sec, zh=False))
            line.append(cell)
        data.append(line)
    grid = PlatypusTable(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    grid.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), styles.primary),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [white, styles.zebra]),
        ("FONT", (0, 0), (-1, -1), styles.fonts.latin, styles.cell.size * scale),  # not Helvetica
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, styles.rule),
        ("LINEBELOW", (0, -1), (-1, -1), 0.9, styles.primary),
    ]))
    out: list[Flowable] = [Anchor(block.id, ctx.state)]
    if block.caption is not None:
        out += caption(block.caption, ctx, zh)[:1]
        if other is not None and other.caption is not None:
            out += caption(other.caption, ctx, False, secondary=True)[:1]
    head = _height(out, styles.text_width)
    grid.wrap(styles.text_width, 1e6)
    first_rows = sum(grid._rowHeights[:3])  # header and two rows stay with the caption
    out.insert(0, CondPageBreak(head + first_rows + 8))
    out.append(Spacer(1, 4))
    out.append(grid)
    for cap in (block.caption, other.caption if other else None):
        if cap is not None and cap.source:
            out.append(ctx.para(cap.source, styles.source.but(space_before=3), zh=_zh(block)))
    out.append(Spacer(1, styles.body.size))
    return out


# -- bilingual pairs and the story ---------------------------------------------------------
def single(block: Block, ctx: Context, secondary: bool = False) -> list[Flowable]:
    """Return the flowables of one (non-pair) block."""
    if isinstance(block, Heading):
        return heading(block, ctx)
    if isinstance(block, Paragraph):
        return paragraph(block, ctx, secondary)
    if isinstance(block, ListBlock):
        return list_block(block, ctx, secondary)
    if isinstance(block, References):
        return references(block, ctx, secondary)
    if isinstance(block, Callout):
        return callout(block, ctx)
    if isinstance(block, KpiStripBlock):
        return kpi_strip(block, ctx)
    if isinstance(block, Figure):
        return figure(block, ctx)
    if isinstance(block, Table):
        return table(block, ctx)
    if isinstance(block, Pair):
        return pair(block, ctx)
    if isinstance(block, CodeBlock):
        return code(block, ctx)
    if isinstance(block, Formula):
        size = ctx.styles.body.size
        return [Anchor(block.id, ctx.state), Spacer(1, size * 0.4),
                FormulaFlowable(block, ctx.styles.fonts.latin), Spacer(1, size)]
    raise TypeError(f"unknown block {type(block).__name__}")


def code(block: CodeBlock, ctx: Context) -> list[Flowable]:
    """Return the code panel with the space after it."""
    styles = ctx.styles
    panel = CodeFlowable(block, styles.fonts, code_colors(styles.theme), styles.body.size)
    return [Anchor(block.id, ctx.state), panel, Spacer(1, styles.body.size)]


def pair(block: Pair, ctx: Context) -> list[Flowable]:
    """Return a zh block with its en counterpart: merged for boxes, stacked or in two columns."""
    first, second = block.first, block.second
    if isinstance(first, Callout) and isinstance(second, Callout):
        return callout(first, ctx, second)
    if isinstance(first, KpiStripBlock) and isinstance(second, KpiStripBlock):
        return kpi_strip(first, ctx, second)
    if isinstance(first, Figure) and isinstance(second, Figure):
        return figure(first, ctx, second)
    if isinstance(first, Table) and isinstance(second, Table):
        return table(first, ctx, second)
    zh_part = single(first, ctx)
    en_part = single(second, ctx, secondary=True)
    if ctx.layout == "columns":
        width = ctx.styles.text_width
        grid = PlatypusTable([[zh_part, en_part]], colWidths=[width * 0.54, width * 0.46],
                             hAlign="LEFT", splitInRow=1)
        grid.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), ctx.styles.fonts.latin, ctx.styles.body.size),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (0, -1), 12),
            ("RIGHTPADDING", (1, 0), (1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ("LINEBEFORE", (1, 0), (1, -1), 0.4, ctx.styles.rule),
            ("LEFTPADDING", (1, 0), (1, -1), 8),
        ]))
        return [grid, Spacer(1, ctx.styles.body.size * 0.6)]
    if _height(zh_part + en_part, ctx.styles.text_width) < ctx.styles.theme.page.height_pt * 0.3:
        return [PairTogether(zh_part, en_part)]
    return zh_part + en_part


class PairTogether(KeepTogether):
    """A short block in both languages, kept on one page; when the pair does not fit what is
    left of the page but the Chinese half does, the English half follows on the next page
    rather than leaving the rest of this one empty."""

    def __init__(self, first: list[Flowable], second: list[Flowable]) -> None:
        super().__init__(first + second)
        self.first = first
        self.second = second

    def split(self, aW: float, aH: float) -> list[Flowable]:  # noqa: N803
        """Split between the halves when only the first fits; else as KeepTogether does."""
        frame = getattr(self, "_frame", None)
        at_top = bool(getattr(frame, "_atTop", False))
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        if not at_top and self._H > aH and _height(self.first, aW) <= aH:
            return [*self.first, *self.second]  # the first half fits as it is
        return super().split(aW, aH)  # type: ignore[no-any-return]


def contents(ctx: Context) -> list[Flowable]:
    """Return the table of contents: level 1 and 2 headings with pages from the last pass."""
    styles = ctx.styles
    document = ctx.document
    zh = document.lang == "zh-CN"
    out: list[Flowable] = [
        ctx.para((Span(document.terms.contents),), styles.h1.but(space_after=6), zh=zh),
        Rule(styles.rule, 0.6, space_after=styles.body.size),
    ]
    for block in document.blocks:
        if isinstance(block, Heading) and block.level <= 2:
            style = styles.toc1 if block.level == 1 else styles.toc2
            page = ctx.toc_pages.get(block.id)
            page = printed_page(page) if page else None
            text = block.text
            if block.secondary:
                # Bilingual edition: both titles on one entry, so either reader finds the page.
                text = (*text, Span("\u2003"), *block.secondary)
            title = ctx.para(text, style, zh=_zh(block))
            out.append(TocEntry(title, str(page) if page else "", block.id, styles))
    return out


def is_lead_in(block: object) -> bool:
    """Return True for a paragraph that introduces what follows (it ends with a colon).

    Like a heading, it must never be stranded at the bottom of a page.
    """
    if isinstance(block, Pair):
        block = block.first
    if not isinstance(block, Paragraph):
        return False
    text = plain_text(block.text).rstrip()
    return text.endswith(("：", ":"))


def build_story(ctx: Context) -> list[Flowable]:
    """Return the whole story: cover break, contents, then every block with headings kept."""
    from reportlab.platypus import NextPageTemplate

    width = ctx.styles.text_width
    story: list[Flowable] = [Spacer(1, 1), NextPageTemplate("body"), PageBreak()]
    if has_contents(ctx.document):
        story += contents(ctx)
        story.append(PageBreak())
    pending: list[Flowable] = []  # headings waiting for the block they must stay with
    lead_in = False  # the block before is a paragraph leading into the next ("如下图：")
    blocks = ctx.document.blocks
    for index, block in enumerate(blocks):
        flowables = single(block, ctx)
        if isinstance(block, Heading) or is_lead_in(block):
            if not pending and isinstance(block, Heading):
                story.append(FlushFloats())  # waiting figures stay in their section
            pending += flowables
            lead_in = is_lead_in(block)
            continue
        if len(flowables) == 1 and isinstance(flowables[0], FigureFloat) and lead_in:
            flowables[0].may_float = False  # "as the figure shows:" is followed by the figure
        if pending:
            lead = _lead_height(flowables, width, ctx)
            if len(flowables) == 1 and isinstance(flowables[0], FigureFloat):
                lead = _figure_lead(flowables[0], blocks[index + 1:], width, ctx)
            story.append(CondPageBreak(_height(pending, width) + lead))
            story += pending
            pending = []
        lead_in = False
        story += flowables
    story += pending
    story.append(FlushFloats())
    return story


def _figure_lead(figure: FigureFloat, after: tuple[Block, ...], width: float,
                 ctx: Context) -> float:
    """Return how much must fit under a heading whose first block is `figure`.

    When text follows the figure in the same section, the figure may float to the next page and
    the first lines of that text stay with the heading; otherwise the figure, shrunk as far as
    the theme allows, must fit under it.
    """
    following = after[0].first if after and isinstance(after[0], Pair) else \
        (after[0] if after else None)
    follows = following is not None and not isinstance(following, Heading | Figure)
    if follows:
        return 3 * ctx.styles.body.leading
    figure.may_float = False
    return figure.fitted_height(width, 0.0)  # at its smallest
