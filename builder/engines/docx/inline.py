"""Inline text for the DOCX engine: Spans become runs, hyperlinks and REF fields.

Bold and italic stay run properties; code and links use character styles; a run holding
Chinese gets only the East Asian font hint (fonts and languages come from the styles). Characters
the theme's Latin and CJK faces lack (symbols, arrows, emoji) get runs of their own naming the
fallback face that has them, as the PDF engine draws them.
"""

from __future__ import annotations

from dataclasses import replace

from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run

from builder.engines.docx import ooxml
from builder.engines.docx.context import Context, bookmark_name, language_bookmark
from builder.engines.docx.ooxml import qn
from builder.engines.docx.pictures import add_inline_math
from builder.locale.typography import typeset_pieces
from builder.model.document import Inline, Span


def add_text(ctx: Context, paragraph: DocxParagraph, text: str, *, bold: bool = False,
             italic: bool = False, style_key: str | None = None) -> list[Run]:
    """Append `text` as runs (one, unless some characters need a fallback face), marking a
    run East Asian when it holds Chinese; return them in order."""
    runs: list[Run] = []
    for piece, family in ctx.fallbacks.split(text) if text else [(text, None)]:
        run = ooxml.add_run(paragraph, piece)
        if bold:
            run.bold = True
        if italic:
            run.italic = True
        if style_key:
            run._r.get_or_add_rPr().style = ctx.style(style_key)
        if family is not None:
            ooxml.set_all_fonts(run._r.get_or_add_rPr(), family)
        elif ooxml.has_cjk(piece):
            ooxml.mark_run_east_asian(run)
        runs.append(run)
    return runs


def _span_runs(ctx: Context, paragraph: DocxParagraph, span: Span,
               style_key: str | None = None) -> list[Run]:
    return add_text(ctx, paragraph, span.text, bold=span.bold, italic=span.italic,
                    style_key="code" if span.code else style_key)


def add_inline(ctx: Context, paragraph: DocxParagraph, inline: Inline) -> list[Run]:
    """Append `inline` to `paragraph` and return the runs holding its text.

    Text generated from data goes into a content control locked against editing, titled
    with the terms' `generated` and tagged with the expression: an editor sees that the
    number comes from the data (and `import-docx` restores the expression).
    """
    runs: list[Run] = []
    # punctuation as the PDF sets it: “quotes” and （brackets） by the text's language rules
    if ctx.punctuation:
        texts = typeset_pieces([(span.text, span.code) for span in inline],
                               ctx.writing_chinese)
        inline = tuple(replace(span, text=text) if text != span.text else span
                       for span, text in zip(inline, texts, strict=True))
    for span in inline:
        if span.note is not None:
            _add_footnote(ctx, paragraph, span)
            continue
        if span.math is not None and span.math.svg:
            add_inline_math(ctx, paragraph, span.math)
            continue
        if span.generated is None:
            runs.extend(_add_span(ctx, paragraph, span))
            continue
        before = paragraph._p[-1] if len(paragraph._p) else None
        runs.extend(_add_span(ctx, paragraph, span))
        ooxml.wrap_in_content_control(ooxml.children_after(paragraph._p, before),
                                      ctx.terms.generated, span.generated)
    return runs


class _NoteStory:
    """What a paragraph of a footnote needs of its parent: the footnotes part it lives in."""

    def __init__(self, part: object) -> None:
        self.part = part


def _add_footnote(ctx: Context, paragraph: DocxParagraph, span: Span) -> None:
    """Append a real Word footnote: a `w:footnoteReference` run here (Word numbers it), the
    note's text in the footnotes part after a `w:footnoteRef` mark, in "footnote text"."""
    from docx.oxml import parse_xml
    from docx.text.paragraph import Paragraph as Para

    part, root = ooxml.footnotes_part(ctx.doc)
    ident = str(1 + max((int(n.get(qn("w:id"))) for n in root.iter(qn("w:footnote"))),
                        default=0))
    reference = ctx.style("footnote_ref")
    paragraph._p.append(parse_xml(
        f'<w:r {ooxml.NSDECL}><w:rPr><w:rStyle w:val="{reference}"/></w:rPr>'
        f'<w:footnoteReference w:id="{ident}"/></w:r>'))
    note = parse_xml(
        f'<w:footnote {ooxml.NSDECL} w:id="{ident}"><w:p><w:pPr><w:pStyle '
        f'w:val="{ctx.style("footnote")}"/></w:pPr><w:r><w:rPr><w:rStyle w:val="{reference}"/>'
        f'</w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> </w:t></w:r></w:p>'
        f'</w:footnote>')
    root.append(note)
    add_inline(ctx, Para(note[0], _NoteStory(part)), span.note or ())


def _add_span(ctx: Context, paragraph: DocxParagraph, span: Span) -> list[Run]:
    """Append one span: plain runs, a hyperlink, or a REF field; return its runs."""
    href = span.href
    if href and href.startswith("#") and href[1:] in ctx.targets:
        return _internal_link(ctx, paragraph, span, href[1:])
    if href and not href.startswith("#"):
        link = ooxml.add_external_hyperlink(paragraph, href)
        span_runs = _span_runs(ctx, paragraph, span, "hyperlink")
        ooxml.move_runs_into(link, span_runs)
        return span_runs
    return _span_runs(ctx, paragraph, span)  # plain text, or a link this edition lacks


def _internal_link(ctx: Context, paragraph: DocxParagraph, span: Span,
                   target: str) -> list[Run]:
    """Link to a block: a REF field when the link shows the target's label or title (it
    renumbers), else an internal hyperlink (a REF field would replace the author's text).

    The REF field's cached result is the link text, so readers that never update fields show
    the sentence as written; `\\h` makes it clickable.
    """
    name = bookmark_name(target)
    if span.text in ctx.targets[target]:
        if ctx.document.edition == "bilingual" and not ctx.writing_chinese:
            name = language_bookmark(target, "en")  # "Figure 5" for an English sentence
        return [ooxml.add_field(paragraph, f"REF {name} \\h", span.text,
                                style_id=ctx.style("hyperlink"), east_asian=True)]
    link = ooxml.add_internal_hyperlink(paragraph, name)
    runs = _span_runs(ctx, paragraph, span, "hyperlink")
    ooxml.move_runs_into(link, runs)
    return runs
