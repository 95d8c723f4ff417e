"""The frame around the body in the DOCX engine: cover, table of contents, header and footer,
core properties and editor comments.

The TOC is a real `TOC` field whose cached entries are written from the headings (each a
hyperlink to the heading bookmark with a `PAGEREF` page number), so it is right before Word
updates it. Pages are numbered from the one after the cover (the cover is page 0, which its
empty first-page footer never shows); the footer prints `PAGE` and, for the total, a `PAGEREF`
to a bookmark at the end of the body: `NUMPAGES` would count the cover too.
"""

from __future__ import annotations

import math

from docx.section import Section

from builder.engines.docx import ooxml
from builder.engines.docx.context import Context, bookmark_name
from builder.engines.docx.inline import add_text
from builder.engines.docx.ooxml import qn
from builder.engines.docx.package import fixed_datetime
from builder.model.document import (
    Block,
    Callout,
    Figure,
    Heading,
    KpiStrip,
    ListBlock,
    ListItem,
    Pair,
    Paragraph,
    Picture,
    References,
    Table,
    Terms,
    has_contents,
    plain_text,
)

COMMENT_AUTHOR = "report-builder"
COMMENT_INITIALS = "RB"
FIRST_BODY_PAGE = 2  # the cover is page 0, the contents 1, the body from 2 (1 without contents)
#: A bookmark at the end of the body: its page is the last page's number (the footer's total).
LAST_PAGE_BOOKMARK = "_LastPage"


def write_cover(ctx: Context) -> None:
    """Write the cover page: titles, organisation, date, confidentiality, then a page break."""
    doc = ctx.document
    lines: list[tuple[str, str]] = [("title", doc.title), ("subtitle", doc.subtitle)]
    if doc.secondary_title:
        lines.append(("title2", doc.secondary_title))
    if doc.secondary_subtitle:
        lines.append(("subtitle2", doc.secondary_subtitle))
    lines += [("cover_meta", doc.organisation), ("cover_meta", doc.date_display or doc.date)]
    if doc.confidentiality:
        lines.append(("cover_meta", doc.confidentiality))
    last = None
    for key, text in lines:
        if text:
            last = ctx.paragraph(key)
            runs = add_text(ctx, last, text)
            if key == "title":
                ctx.anchors.setdefault("", (runs[0], runs[-1]))
    if last is not None:
        ooxml.add_page_break(last)


def _headings(blocks: tuple[Block, ...]) -> list[Heading]:
    out = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(block)
        elif isinstance(block, Pair) and isinstance(block.first, Heading):
            out.append(block.first)
    return out


def _em_width(text: str) -> float:
    wide = ooxml.cjk_count(text)
    return wide + 0.55 * (len(text) - wide)


def _items_lines(items: tuple[ListItem, ...], per_line: float) -> float:
    return sum(math.ceil(_em_width(plain_text(i.text)) / per_line) + 0.3
               + _items_lines(i.children, per_line) for i in items)


def _block_lines(block: Block, ctx: Context, per_line: float) -> float:
    """Return a rough height of `block` in body lines, to guess TOC page numbers."""
    if isinstance(block, Pair):
        return _block_lines(block.first, ctx, per_line) + \
            0.9 * _block_lines(block.second, ctx, per_line)
    if isinstance(block, Heading):
        return 3.0 + (1.0 if block.secondary else 0.0)
    if isinstance(block, Paragraph):
        return math.ceil(_em_width(plain_text(block.text)) / per_line) + 0.6
    if isinstance(block, ListBlock | Callout):
        return _items_lines(block.items, per_line) + (2.0 if isinstance(block, Callout) else 0.5)
    if isinstance(block, Table):
        return (len(block.rows) + 1) * 1.8 + 3.0
    if isinstance(block, Figure):
        line_pt = ctx.text_height_pt / _lines_per_page(ctx)
        if isinstance(block.image, Picture):  # placed at its own size or width
            width = min(block.image.width_pt, ctx.text_width_pt)
            return width * block.image.height_pt / block.image.width_pt / line_pt + 4.0
        return ctx.text_width_pt * 0.6 / line_pt + 4.0 if block.image else 8.0
    if isinstance(block, KpiStrip):
        return 5.0
    if isinstance(block, References):
        return len(block.items) * 1.4
    return 1.0


def _lines_per_page(ctx: Context) -> float:
    theme_body = ctx.body_pt * ctx.leading
    return ctx.text_height_pt / theme_body


def estimate_pages(ctx: Context) -> tuple[dict[str, int], int]:
    """Return a guess of each heading's page and of the page count.

    Only the cached TOC and NUMPAGES results use it; Word recomputes them on open
    (`w:updateFields`) and LibreOffice lays the PAGEREF fields out itself.
    """
    per_line = ctx.text_width_pt / ctx.body_pt
    per_page = _lines_per_page(ctx)
    first = FIRST_BODY_PAGE if has_contents(ctx.document) else FIRST_BODY_PAGE - 1
    used, pages = 0.0, {}
    for block in ctx.document.blocks:
        lines = _block_lines(block, ctx, per_line)
        heading = block if isinstance(block, Heading) else (
            block.first if isinstance(block, Pair) and isinstance(block.first, Heading) else None)
        if heading is not None:
            pages[heading.id] = first + int((used + lines) // per_page)
        used += lines
    return pages, first + int(used // per_page)


def write_toc(ctx: Context) -> None:
    """Write the contents heading and a TOC field pre-filled with the real entries."""
    add_text(ctx, ctx.paragraph("toc_heading"), ctx.terms.contents)
    headings = [h for h in _headings(ctx.document.blocks) if h.level <= 3]
    pages, _ = estimate_pages(ctx)
    ctx.toc_pages = {bookmark_name(h.id): pages.get(h.id, FIRST_BODY_PAGE) for h in headings}
    instruction = 'TOC \\o "1-3" \\h \\z \\u'
    if not headings:
        p = ctx.paragraph("toc1")
        ooxml.field_begin(p._p, instruction)
        ooxml.field_end(p._p)
        ooxml.add_page_break(p)
        return
    for index, heading in enumerate(headings):
        p = ctx.paragraph(f"toc{max(heading.level, 1)}")
        if index == 0:
            ooxml.field_begin(p._p, instruction)
        name = bookmark_name(heading.id)
        link = ooxml.add_internal_hyperlink(p, name)
        runs = add_text(ctx, p, plain_text(heading.text))
        tab = p.add_run()
        tab.add_tab()
        runs.append(tab)
        ooxml.move_runs_into(link, runs)
        ooxml.field_begin(link, f"PAGEREF {name} \\h")
        page = p.add_run(str(ctx.toc_pages[name]))
        ctx.page_results.setdefault(name, []).append(page)
        ooxml.move_runs_into(link, [page])
        ooxml.field_end(link)
        if index == len(headings) - 1:
            ooxml.field_end(p._p)
            ooxml.add_page_break(p)


def mark_last_page(ctx: Context) -> None:
    """Put the last-page bookmark around the runs of the body's last paragraph with text.

    LibreOffice cannot resolve a PAGEREF to an empty bookmark, so it holds the runs.
    """
    last = None
    for p in ooxml.body_paragraphs(ctx.doc.element.body):
        if p.find(qn("w:r")) is not None:
            last = p
    if last is None:
        last = ctx.doc.add_paragraph()._p
        last.append(ooxml.element("w:r"))
    runs = last.findall(qn("w:r"))
    ident = ctx.bookmark_id()
    runs[0].addprevious(ooxml.element("w:bookmarkStart", id=str(ident), name=LAST_PAGE_BOOKMARK))
    runs[-1].addnext(ooxml.element("w:bookmarkEnd", id=str(ident)))


def page_pattern(terms: Terms) -> str:
    """Return the footer text with `{page}` and `{total}` slots, e.g. `Page {page} of {total}`."""
    pattern = terms.page_format
    if "{page}" not in pattern:
        return f"{terms.page} {{page}} {terms.of} {{total}}"
    return pattern


def write_header_footer(ctx: Context, section: Section) -> None:
    """Write the running header (report title) and footer (confidentiality, page X of Y).

    The cover page has neither: the section uses a different, empty first-page header. The
    cover is page 0, so numbering starts on the page after it.
    """
    _, total = estimate_pages(ctx)
    section.different_first_page_header_footer = True
    ooxml.set_page_number_start(section._sectPr, 0)
    for part in (section.first_page_header, section.first_page_footer):
        part.is_linked_to_previous = False
        for empty in part.paragraphs:  # no header rule on the cover
            empty._p.get_or_add_pPr().style = ctx.style("body")
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p._p.get_or_add_pPr().style = ctx.style("header")
    add_text(ctx, p, ctx.document.title)
    if ctx.document.organisation:
        p.add_run().add_tab()
        p.add_run().add_tab()
        add_text(ctx, p, ctx.document.organisation)
    footer = section.footer
    footer.is_linked_to_previous = False
    f = footer.paragraphs[0]
    f._p.get_or_add_pPr().style = ctx.style("footer")
    if ctx.document.confidentiality:
        add_text(ctx, f, ctx.document.confidentiality)
    f.add_run().add_tab()
    f.add_run().add_tab()
    pattern = page_pattern(ctx.terms)
    before, _, rest = pattern.partition("{page}")
    middle, _, after = rest.partition("{total}")
    add_text(ctx, f, before)
    ooxml.add_field(f, "PAGE \\* ARABIC", "1")
    add_text(ctx, f, middle)
    if "{total}" in rest:
        run = ooxml.add_field(f, f"PAGEREF {LAST_PAGE_BOOKMARK}", str(total))
        ctx.page_results.setdefault(LAST_PAGE_BOOKMARK, []).append(run)
    if after:
        add_text(ctx, f, after)


def set_core_properties(ctx: Context) -> None:
    """Set title, author, subject, keywords, language and dates derived from the document."""
    doc = ctx.document
    props = ctx.doc.core_properties
    when = fixed_datetime(doc.date).replace(tzinfo=None)
    author = ", ".join(doc.authors) or doc.organisation
    props.title = doc.title
    props.subject = doc.subtitle
    props.author = author
    props.last_modified_by = author
    props.keywords = ", ".join(doc.keywords)
    props.language = doc.lang
    props.identifier = f"{doc.report_id}.{doc.edition}"
    props.category = ""
    props.comments = ""
    props.content_status = ""
    props.revision = 1
    props.created = when
    props.modified = when


def add_comments(ctx: Context) -> None:
    """Attach each editor note as a Word comment on the block it names (else on the title)."""
    when = fixed_datetime(ctx.document.date)
    for note in ctx.document.notes:
        anchor = ctx.anchors.get(note.block_id)
        text = note.text
        if anchor is None:
            anchor = ctx.anchors.get("")
            text = f"[{note.block_id}] {note.text}"
        if anchor is None:
            continue
        comment = ctx.doc.add_comment(list(anchor), text=text, author=COMMENT_AUTHOR,
                                      initials=COMMENT_INITIALS)
        comment._comment_elm.date = when
        for paragraph in comment.paragraphs:
            for run in paragraph.runs:
                if ooxml.has_cjk(run.text):
                    ooxml.mark_run_east_asian(run)
