"""Figures, tables, KPI strips and captions for the DOCX engine.

Captions carry `SEQ` fields whose cached result is the number compose assigned, and the block
id bookmark wraps the caption label so a `REF` field to it reads "图 1" / "Figure 1". Charts are
the PNG renders sized to the text width; a chart that could not be rendered becomes a marked
placeholder. Tables use the theme's table style with a repeated header row.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from builder.engines.docx import ooxml
from builder.engines.docx.context import Context, language_id
from builder.engines.docx.inline import add_inline, add_text
from builder.engines.docx.pictures import (
    add_chart_drawing,
    add_image_file,
    add_picture,
    add_svg,
    figure_size_pt,
)
from builder.engines.recorded import load_drawing
from builder.model.document import (
    Caption,
    Figure,
    Formula,
    Inline,
    Kpi,
    KpiStrip,
    Lang,
    Picture,
    Table,
    plain_text,
)

_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
          "right": WD_ALIGN_PARAGRAPH.RIGHT}



def _separator(lang: Lang) -> str:
    return "\u3000" if lang == "zh-CN" else ": "


def write_caption(ctx: Context, caption: Caption, kind: Literal["figure", "table"],
                  block_id: str, lang: Lang, secondary: bool = False) -> DocxParagraph:
    """Write a caption: label, SEQ field (cached = the number), separator and text.

    The translation in a bilingual pair repeats the number with `SEQ … \\c`, so updating
    fields in Word does not count the figure twice.
    """
    p = ctx.paragraph("caption2nd" if secondary else "caption")
    number = str(caption.number)
    if caption.label.endswith(number):
        prefix = caption.label[: -len(number)]
        first = add_text(ctx, p, prefix)[0]
        seq = "Figure" if kind == "figure" else "Table"
        ooxml.add_field(p, f"SEQ {seq} \\* ARABIC" + (" \\c" if secondary else ""), number)
        # the label is what a REF field repeats: the English one has its own bookmark
        ctx.mark_runs(language_id(block_id, "en") if secondary else block_id, first, p._p[-1])
    else:  # a label compose did not number: keep it as text
        add_text(ctx, p, caption.label)
    add_text(ctx, p, _separator(lang))
    with ctx.unit(p, f"{block_id}/caption", lang):
        add_inline(ctx, p, caption.text)
    return p


def _write_source(ctx: Context, source: Inline, lang: Lang, block_id: str) -> DocxParagraph:
    p = ctx.paragraph("source")
    text = plain_text(source)
    term = ctx.terms.source
    if lang == ctx.document.lang and not text.startswith(term):
        add_text(ctx, p, term + ("：" if lang == "zh-CN" else ": "))
    with ctx.unit(p, f"{block_id}/source", lang):
        add_inline(ctx, p, source)
    return p


def write_formula(ctx: Context, formula: Formula) -> None:
    """Write a displayed formula: its SVG (glyphs as paths) with a PNG fallback, centred, its
    LaTeX as the alt text."""
    p = ctx.paragraph("figure")
    width, height = formula.width_pt, formula.height_pt
    if width > ctx.text_width_pt:
        width, height = ctx.text_width_pt, height * ctx.text_width_pt / width
    shape = add_svg(ctx, p, formula.svg.encode("utf-8"), width, height)
    shape._inline.docPr.set("descr", formula.tex)  # the LaTeX, for screen readers and editors


def write_figure(ctx: Context, figure: Figure, other: Figure | None = None) -> None:
    """Write the chart (or a placeholder), its caption(s) and source line(s)."""
    image = figure.image or (other.image if other is not None else None)
    alt = figure.alt if other is None else f"{figure.alt}\n{other.alt}"
    if isinstance(image, Picture):
        p = ctx.paragraph("figure")
        shape = add_image_file(ctx, p, image)
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", alt)
        doc_pr.set("title", plain_text(figure.caption.text))
    elif image is not None and (drawing := _drawing(image.drawing_path)) is not None:
        p = ctx.paragraph("figure")
        width, height = figure_size_pt(ctx, image.width_pt, image.height_pt)
        add_chart_drawing(ctx, p, drawing, image.png_path, width, height, alt,
                          plain_text(figure.caption.text))
    elif image is not None:
        p = ctx.paragraph("figure")
        width, height = figure_size_pt(ctx, image.width_pt, image.height_pt)
        shape = add_picture(ctx, p, str(image.png_path), width, height, chart=True)
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", alt)
        doc_pr.set("title", plain_text(figure.caption.text))
    else:
        p = ctx.paragraph("placeholder")
        add_text(ctx, p, f"[{ctx.terms.placeholder}]", bold=True)
        p.add_run().add_break()
        add_text(ctx, p, alt.replace("\n", " / "))
    last = write_caption(ctx, figure.caption, "figure", figure.id, figure.lang)
    second = other.caption if other is not None else figure.caption.secondary
    second_lang: Lang = other.lang if other is not None else "en"
    if second is not None:
        ooxml.set_keep_with_next(last)
        last = write_caption(ctx, second, "figure", figure.id, second_lang, secondary=True)
    sources = [(figure.caption.source, figure.lang)]
    if second is not None:
        sources.append((second.source, second_lang))
    for source, lang in sources:
        if source:
            ooxml.set_keep_with_next(last)
            last = _write_source(ctx, source, lang, figure.id)


def _drawing(path: Path | None) -> dict[str, Any] | None:
    """Return a chart's recorded drawing, or None (the PNG is placed) when it cannot be read."""
    if path is None:
        return None
    try:
        return load_drawing(path)
    except (OSError, ValueError):
        return None


def _display_width(inline: Inline) -> int:
    text = plain_text(inline)
    return sum(2 if ooxml.has_cjk(ch) else 1 for ch in text)


def _column_widths(ctx: Context, table: Table) -> list[int]:
    """Return column widths in twips, shared by content length within sensible bounds."""
    columns = len(table.header)
    need = [max([_display_width(row[i]) for row in (table.header, *table.rows)
                 if i < len(row)] or [1]) for i in range(columns)]
    need = [min(max(n, 6), 40) for n in need]
    total = round(ctx.text_width_pt * 20)
    widths = [total * n // sum(need) for n in need]
    widths[-1] += total - sum(widths)
    return widths


def _fill_cell(ctx: Context, cell: _Cell, inline: Inline, key: str, align: str,
               other: Inline | None, other_key: str, unit: tuple[str, str, str]) -> None:
    """Fill `cell`; `unit` is the cell's content address and the languages of its texts."""
    alignment = _ALIGN.get(align, WD_ALIGN_PARAGRAPH.LEFT) if align != "left" else None
    p = cell.paragraphs[0]
    _cell_paragraph(p, ctx.style(key), alignment)
    with ctx.unit(p, unit[0], unit[1]):
        add_inline(ctx, p, inline)
    if other is not None:
        p2 = cell.add_paragraph()
        _cell_paragraph(p2, ctx.style(other_key), alignment)
        with ctx.unit(p2, unit[0], unit[2]):
            add_inline(ctx, p2, other)


def _cell_paragraph(p: DocxParagraph, style: str, alignment: WD_ALIGN_PARAGRAPH | None) -> None:
    """Give a cell's new paragraph its style and alignment: the XML of `pPr.style = …` and
    `paragraph.alignment = …`; a w:pPr that holds only the style takes its w:jc last,
    without python-docx's search of the child order (a third of a 400-row table's render)."""
    ppr = ooxml.set_paragraph_style(p._p, style)
    if alignment is None:
        return
    if len(ppr) == 1:
        ppr.append(ooxml.element("w:jc", val=alignment.xml_value))
    else:
        p.alignment = alignment


def _same_shape(a: Table, b: Table) -> bool:
    return len(a.header) == len(b.header) and len(a.rows) == len(b.rows) and all(
        len(x) == len(y) for x, y in zip(a.rows, b.rows, strict=True))


def write_table(ctx: Context, table: Table, other: Table | None = None,
                secondary: bool = False) -> None:
    """Write a captioned table; in a pair each cell holds both languages when shapes match."""
    merged = other if other is not None and _same_shape(table, other) else None
    second = merged.caption if merged is not None else (
        table.caption.secondary if table.caption is not None else None)
    if table.caption is not None:
        cap = write_caption(ctx, table.caption, "table", table.id, table.lang, secondary)
        ooxml.set_keep_with_next(cap)
        if second is not None:
            cap = write_caption(ctx, second, "table", table.id,
                                merged.lang if merged is not None else "en", True)
            ooxml.set_keep_with_next(cap)
    grid = ctx.doc.add_table(rows=1 + len(table.rows), cols=len(table.header))
    tbl = grid._tbl
    tbl.tblPr.style = ctx.style("table")
    ooxml.set_table_look(tbl, first_row=True, banded_rows=True, first_column=table.row_headers)
    ooxml.set_table_width_pct(tbl, _column_widths(ctx, table))
    rows = (table.header, *table.rows)
    other_rows = (merged.header, *merged.rows) if merged is not None else None
    for r, (row, tr) in enumerate(zip(rows, grid.rows, strict=True)):
        key = "cell_header" if r == 0 else "cell"
        other_key = "cell_header" if r == 0 else "cell2nd"
        for c, cell in enumerate(tr.cells):
            inline = row[c] if c < len(row) else ()
            align = table.align[c] if c < len(table.align) else "left"
            other_inline = other_rows[r][c] if other_rows is not None else None
            address = f"{table.id}/h{c + 1}" if r == 0 else f"{table.id}/r{r}c{c + 1}"
            _fill_cell(ctx, cell, inline, key, align, other_inline, other_key,
                       (address, table.lang, merged.lang if merged is not None else "en"))
        if r == 0:
            ooxml.set_repeat_header(tr._tr)
        else:
            ooxml.set_cant_split(tr._tr)
    sources = [(table.caption.source if table.caption else None, table.lang)]
    if second is not None:
        sources.append((second.source, merged.lang if merged is not None else "en"))
    for source, lang in sources:
        if source:
            _write_source(ctx, source, lang, table.id)
    if other is not None and merged is None:  # different shapes: the translation follows
        write_table(ctx, other, secondary=True)


def _kpi_value(ctx: Context, p: DocxParagraph, kpi: Kpi, bold: bool = False) -> None:
    """Write a KPI's value; one that data printed is locked as generated text."""
    runs = add_text(ctx, p, kpi.value, bold=bold)
    if kpi.generated is not None:
        ooxml.wrap_in_content_control([r._r for r in runs], ctx.terms.generated, kpi.generated)


def write_kpis(ctx: Context, strip: KpiStrip, other: KpiStrip | None = None) -> None:
    """Write a KPI strip: one borderless row of big numbers with their labels."""
    columns = max(len(strip.items), 1)
    grid = ctx.doc.add_table(rows=1, cols=columns)
    tbl = grid._tbl
    tbl.tblPr.style = ctx.style("kpi_table")
    ooxml.set_table_look(tbl, first_row=False, banded_rows=False)
    total = round(ctx.text_width_pt * 20)
    widths = [total // columns] * columns
    widths[-1] += total - sum(widths)
    ooxml.set_table_width_pct(tbl, widths)
    others = other.items if other is not None and len(other.items) == len(strip.items) else None
    for index, (kpi, cell) in enumerate(zip(strip.items, grid.rows[0].cells, strict=False)):
        value = cell.paragraphs[0]
        value._p.get_or_add_pPr().style = ctx.style("kpi_value")
        address = f"{strip.id}/k{index + 1}"
        other_lang = other.lang if other is not None else "en"
        with ctx.unit(value, address, strip.lang):
            _kpi_value(ctx, value, kpi)
        if others is not None and others[index].value.strip() != kpi.value.strip():
            value2 = cell.add_paragraph()  # 472.4亿美元, then USD 47.24 billion
            value2._p.get_or_add_pPr().style = ctx.style("kpi_label2nd")
            with ctx.unit(value2, address, other_lang):
                _kpi_value(ctx, value2, others[index], bold=True)
        label = cell.add_paragraph()
        label._p.get_or_add_pPr().style = ctx.style("kpi_label")
        with ctx.unit(label, f"{address}-label", strip.lang):
            add_inline(ctx, label, kpi.label)
        if others is not None:
            label2 = cell.add_paragraph()
            label2._p.get_or_add_pPr().style = ctx.style("kpi_label2nd")
            with ctx.unit(label2, f"{address}-label", other_lang):
                add_inline(ctx, label2, others[index].label)
    ooxml.set_cant_split(grid.rows[0]._tr)
