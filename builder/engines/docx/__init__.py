"""The DOCX engine: turns one finished `Document` (an edition) into the bytes of a Word file.

It renders into a copy of a reference document (the theme's `reference.docx`, or the user's
`--reference-docx`, as pandoc's `--reference-doc`), so every paragraph uses a real Word style.
Order of work: styles and fonts, cover, table of contents, body blocks, header and footer,
comments, core properties, the record of text units (`units`), then a repeatable repackaging
of the zip.
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.document import Document as DocxDocument

from builder.engines import libreoffice
from builder.engines.docx import blocks, embedding, frame, ooxml, units, visuals
from builder.engines.docx.context import Context, link_targets, resolve_styles
from builder.engines.docx.fontnames import fallbacks, family_name
from builder.engines.docx.ooxml import qn
from builder.engines.docx.package import fixed_datetime, normalize_package
from builder.engines.docx.styles import prepare_styles, set_default_language
from builder.model.document import (
    Block,
    Callout,
    CodeBlock,
    Document,
    Figure,
    Formula,
    Heading,
    KpiStrip,
    ListBlock,
    Pair,
    Paragraph,
    References,
    Table,
    has_contents,
)
from builder.themes import Theme

__all__ = ["render"]


def _reference_bytes(theme: Theme, reference_docx: Path | None) -> bytes:
    """Return the reference document: the user's, the theme's committed one, or a fresh one."""
    if reference_docx is not None:
        return Path(reference_docx).read_bytes()
    committed = theme.path.parent / "reference.docx"
    if committed.is_file():
        return committed.read_bytes()
    from builder.engines.docx.reference import build_reference  # only when none is committed

    return build_reference(theme)


def _ensure_paragraph_between_tables(ctx: Context) -> None:
    """Add an empty paragraph when the body ends in a table: adjacent tables would merge."""
    body = ctx.doc.element.body
    if len(body) >= 2 and body[-2].tag == qn("w:tbl"):
        ctx.paragraph("body")


def _write_block(ctx: Context, block: Block, secondary: bool = False) -> None:
    """Write one block; `secondary` writes it as the English half of a bilingual pair."""
    if isinstance(block, Table | KpiStrip):
        _ensure_paragraph_between_tables(ctx)
    with ctx.block(block.id):
        if isinstance(block, Heading):
            blocks.write_heading(ctx, block)
        elif isinstance(block, Paragraph):
            blocks.write_paragraph(ctx, block, secondary)
        elif isinstance(block, ListBlock):
            blocks.write_list(ctx, block, secondary)
        elif isinstance(block, Callout):
            blocks.write_callout(ctx, block, secondary)
        elif isinstance(block, References):
            blocks.write_references(ctx, block, secondary)
        elif isinstance(block, Table):
            visuals.write_table(ctx, block, secondary=secondary)
        elif isinstance(block, Figure):
            visuals.write_figure(ctx, block)
        elif isinstance(block, KpiStrip):
            visuals.write_kpis(ctx, block)
        elif isinstance(block, Pair):
            _write_pair(ctx, block)
        elif isinstance(block, CodeBlock):
            blocks.write_code(ctx, block)
        elif isinstance(block, Formula):
            visuals.write_formula(ctx, block)


def _write_pair(ctx: Context, pair: Pair) -> None:
    """Write the Chinese block and, right after it, its English counterpart."""
    zh, en = pair.first, pair.second
    if isinstance(zh, Table | KpiStrip):
        _ensure_paragraph_between_tables(ctx)
    with ctx.block(pair.id):
        if isinstance(zh, Heading) and isinstance(en, Heading):
            blocks.write_heading(ctx, zh, secondary=en.text)
        elif isinstance(zh, Paragraph) and isinstance(en, Paragraph):
            blocks.write_paragraph(ctx, zh, keep_with_next=blocks.is_small(zh.text))
            blocks.write_paragraph(ctx, en, secondary=True)
        elif isinstance(zh, ListBlock) and isinstance(en, ListBlock):
            blocks.write_list(ctx, zh, other=en)
        elif isinstance(zh, Callout) and isinstance(en, Callout):
            blocks.write_callout(ctx, zh, other=en)
        elif isinstance(zh, References) and isinstance(en, References):
            blocks.write_references(ctx, zh, other=en)
        elif isinstance(zh, Table) and isinstance(en, Table):
            visuals.write_table(ctx, zh, other=en)
        elif isinstance(zh, Figure) and isinstance(en, Figure):
            visuals.write_figure(ctx, zh, other=en)
        elif isinstance(zh, KpiStrip) and isinstance(en, KpiStrip):
            visuals.write_kpis(ctx, zh, other=en)
        else:  # mismatched kinds: each half on its own
            _write_block(ctx, zh)
            _write_block(ctx, en, secondary=True)


def render(document: Document, theme: Theme, reference_docx: Path | None = None,
           embed_fonts: bool = True, font_cache: Path | None = None,
           paginate: str | None = None) -> bytes:
    """Return the .docx bytes of `document` styled by `theme` (or by `reference_docx`).

    `reference_docx` is a Word file whose styles, page setup and numbering are used, like
    pandoc's `--reference-doc`; styles it lacks are added from `theme`. The same inputs give
    byte-identical output. `paginate` is LibreOffice's program: the contents then show the
    pages LibreOffice lays the file out on (engines/libreoffice.py), not an estimate; a build
    of several files passes none and lays them all out in one run (`libreoffice.paginate`).
    """
    doc = docx.Document(io.BytesIO(_reference_bytes(theme, reference_docx)))
    body = doc.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    prepare_styles(doc, theme)
    set_default_language(doc, document.terms.latin_language)
    section = doc.sections[0]
    mm = 72 / 25.4
    width_pt = (section.page_width - section.left_margin - section.right_margin) / 12700 \
        if section.page_width else theme.page.text_width_pt
    height_pt = (section.page_height - section.top_margin - section.bottom_margin) / 12700 \
        if section.page_height else theme.page.height_pt - 50 * mm
    ctx = Context(doc=doc, document=document, style_ids=resolve_styles(doc),
                  fallbacks=fallbacks(theme),
                  text_width_pt=width_pt, text_height_pt=height_pt,
                  body_pt=theme.type.body_pt, leading=theme.type.leading,
                  targets=link_targets(document), punctuation=theme.layout.punctuation,
                  svg_font=(family_name(theme.cjk), (theme.cjk.regular, theme.cjk.bold)),
                  theme_families=frozenset({family_name(theme.latin), family_name(theme.cjk)}))

    frame.write_cover(ctx)
    if has_contents(document):
        frame.write_toc(ctx)
    for block in document.blocks:
        _write_block(ctx, block)
    frame.mark_last_page(ctx)
    frame.write_header_footer(ctx, section)
    frame.add_comments(ctx)
    frame.set_core_properties(ctx)
    # What each text bookmark holds, so an editor's file can be imported back (import-docx).
    units.add_record_part(doc.part, units.record_xml(document.report_id, document.edition,
                                                     ctx.text_units))
    if embed_fonts:  # the faces travel with the file, subset to its characters
        embedding.embed_fonts(doc, theme, font_cache)
    # The contents' page numbers are estimates: Word may update them on opening (it asks
    # first), unless LibreOffice's layout replaces them.
    ooxml.set_update_fields_on_open(doc.settings.element)
    data = _save(doc, document)
    if paginate and ctx.page_results:
        return libreoffice.paginate([data], paginate)[0]
    return data


def _save(doc: DocxDocument, document: Document) -> bytes:
    out = io.BytesIO()
    doc.save(out)
    return normalize_package(out.getvalue(), fixed_datetime(document.date))
