"""Text blocks for the DOCX engine: headings, paragraphs, lists, key findings, references.

Each writer appends styled paragraphs to the body; `secondary=True` writes the English half of
a bilingual pair in the matching "… Secondary" style. Bookmarks are placed by the caller.
"""

from __future__ import annotations

from docx.text.paragraph import Paragraph as DocxParagraph

from builder.engines.docx import ooxml
from builder.engines.docx.context import Context, bookmark_name, language_id
from builder.engines.docx.inline import add_inline, add_text
from builder.engines.docx.ooxml import qn
from builder.model.document import (
    Callout,
    CodeBlock,
    Heading,
    Inline,
    ListBlock,
    ListItem,
    Paragraph,
    Reference,
    References,
    plain_text,
)

# A bilingual pair is kept on one page when the Chinese half is at most this many characters.
KEEP_TOGETHER_CHARS = 220


def write_heading(ctx: Context, heading: Heading, secondary: Inline | None = None) -> None:
    """Write a heading (levels beyond 3 use Heading 3) and its other-language line."""
    p = ctx.paragraph(f"h{min(max(heading.level, 1), 3)}")
    with ctx.unit(p, heading.id, heading.lang):
        add_inline(ctx, p, heading.text)
    other = secondary if secondary is not None else heading.secondary
    if other:
        p2 = _unit_paragraph(ctx, "heading2nd", heading.id, "en", other)
        # what an English sentence's REF field repeats
        ctx.mark_paragraphs(language_id(heading.id, "en"), p2._p, p2._p)


def write_paragraph(ctx: Context, paragraph: Paragraph, secondary: bool = False,
                    keep_with_next: bool = False) -> DocxParagraph:
    """Write a body or note paragraph; return it."""
    key = "secondary" if secondary else ("note" if paragraph.style == "note" else "body")
    p = ctx.paragraph(key)
    with ctx.unit(p, paragraph.id, paragraph.lang):
        add_inline(ctx, p, paragraph.text)
    # A lead-in ("技术优势：") stays on the page of the list it introduces.
    if keep_with_next or plain_text(paragraph.text).rstrip().endswith(("：", ":")):
        ooxml.set_keep_with_next(p)
    return p


def is_small(inline: Inline) -> bool:
    """Return True when a paragraph is short enough to keep with its translation."""
    return len(plain_text(inline)) <= KEEP_TOGETHER_CHARS


def restart_numbering(ctx: Context, style_key: str) -> int | None:
    """Return a new list instance restarting at 1 for the list style `style_key`.

    Numbered lists that share one instance continue each other's numbers; each ordered list
    of the content gets its own instance of the style's list definition.
    """
    style = ctx.doc.styles.element.get_by_id(ctx.style(style_key))
    num_id = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}") \
        if style is not None else None
    if num_id is None:
        return None
    numbering = ctx.doc.part.numbering_part.element
    num = numbering.num_having_numId(int(num_id.get(qn("w:val"))))
    new = numbering.add_num(num.abstractNumId.val)
    for level in range(2):
        new.add_lvlOverride(ilvl=level).add_startOverride(1)
    return new.numId


def _set_numbering(p: DocxParagraph, num_id: int, level: int) -> None:
    numpr = p._p.get_or_add_pPr().get_or_add_numPr()
    numpr.get_or_add_ilvl().val = level
    numpr.get_or_add_numId().val = num_id


def _list_key(ordered: bool, level: int, secondary: bool) -> str:
    if secondary:
        return "list2nd" if level == 0 else "list2nd2"
    if ordered:
        return "number" if level == 0 else "number2"
    return "bullet" if level == 0 else "bullet2"


def write_items(ctx: Context, items: tuple[ListItem, ...], ordered: bool, level: int = 0,
                secondary: bool = False, others: tuple[ListItem, ...] | None = None, *,
                block_id: str, lang: str, other_lang: str = "en") -> None:
    """Write list items with their children; `others` interleaves each item's translation.

    Levels deeper than two are drawn at level two: Word has List Bullet 2 but the content
    format does not nest further in practice.
    """
    num_id = restart_numbering(ctx, _list_key(True, level, False)) \
        if ordered and not secondary else None
    paired = others if others is not None and len(others) == len(items) else None
    for index, item in enumerate(items):
        p = ctx.paragraph(_list_key(ordered, level, secondary))
        if num_id is not None:
            _set_numbering(p, num_id, min(level, 1))
        with ctx.unit(p, f"{block_id}/{item.id}", lang):
            add_inline(ctx, p, item.text)
        ctx.mark_paragraphs(item.id, p._p, p._p)
        other = paired[index] if paired is not None else None
        if other is not None:
            ooxml.set_keep_with_next(p)
            _unit_paragraph(ctx, _list_key(False, level, True), f"{block_id}/{other.id}",
                            other_lang, other.text)
        if item.children:
            write_items(ctx, item.children, item.children_ordered, min(level + 1, 1),
                        secondary, other.children if other is not None else None,
                        block_id=block_id, lang=lang, other_lang=other_lang)
    if others is not None and paired is None:  # shapes differ: the translation follows
        write_items(ctx, others, ordered, level, secondary=True, block_id=block_id,
                    lang=other_lang)


def write_list(ctx: Context, block: ListBlock, secondary: bool = False,
               other: ListBlock | None = None) -> None:
    """Write a bullet or numbered list, interleaving `other` (its translation) when given."""
    write_items(ctx, block.items, block.ordered, 0, secondary,
                other.items if other is not None else None, block_id=block.id,
                lang=block.lang, other_lang=other.lang if other is not None else "en")


def write_callout(ctx: Context, callout: Callout, secondary: bool = False,
                  other: Callout | None = None) -> None:
    """Write a key-findings box: a title and one bulleted paragraph per finding.

    The paragraphs share shading and a left rule, so Word and LibreOffice draw one box.
    """
    title = ctx.paragraph("kf2nd" if secondary else "kf_title")
    with ctx.unit(title, f"{callout.id}/title", callout.lang):
        add_inline(ctx, title, callout.title)
    if other is not None:
        ooxml.set_keep_with_next(title)
        _unit_paragraph(ctx, "kf2nd", f"{other.id}/title", other.lang, other.title)
    pairs = other.items if other is not None and len(other.items) == len(callout.items) else None
    for index, item in enumerate(_flatten(callout.items)):
        p = ctx.paragraph("kf2nd" if secondary else "kf")
        with ctx.unit(p, f"{callout.id}/{item.id}", callout.lang):
            add_inline(ctx, p, item.text)
        ctx.mark_paragraphs(item.id, p._p, p._p)
        if other is not None and pairs is not None and index < len(pairs):
            ooxml.set_keep_with_next(p)
            _unit_paragraph(ctx, "kf2nd", f"{other.id}/{pairs[index].id}", other.lang,
                            pairs[index].text)
    if other is not None and pairs is None:
        for item in _flatten(other.items):
            _unit_paragraph(ctx, "kf2nd", f"{other.id}/{item.id}", other.lang, item.text)


def _unit_paragraph(ctx: Context, style_key: str, key: str, lang: str,
                    inline: Inline) -> DocxParagraph:
    """Append a paragraph of style `style_key` holding the content text `key`."""
    p = ctx.paragraph(style_key)
    with ctx.unit(p, key, lang):
        add_inline(ctx, p, inline)
    return p


def _flatten(items: tuple[ListItem, ...]) -> list[ListItem]:
    out: list[ListItem] = []
    for item in items:
        out.append(item)
        out.extend(_flatten(item.children))
    return out


def _reference_paragraph(ctx: Context, ref: Reference, key: str, unit: str,
                         lang: str) -> DocxParagraph:
    p = ctx.paragraph(key)
    with ctx.unit(p, unit, lang):
        _reference_text(ctx, p, ref)
    return p


def _reference_text(ctx: Context, p: DocxParagraph, ref: Reference) -> None:
    if ref.href is None:  # the target is missing: print the text, never a dead link
        add_inline(ctx, p, ref.text)
    else:
        if ref.href.startswith("#"):
            link = ooxml.add_internal_hyperlink(p, bookmark_name(ref.href[1:]))
        else:
            link = ooxml.add_external_hyperlink(p, ref.href)
        runs = [run for span in ref.text
                for run in add_text(ctx, p, span.text, bold=span.bold, italic=span.italic,
                                    style_key="hyperlink")]
        ooxml.move_runs_into(link, runs)


def write_references(ctx: Context, refs: References, secondary: bool = False,
                     other: References | None = None) -> None:
    """Write a numbered reference list; missing targets print as plain text."""
    pairs = other.items if other is not None and len(other.items) == len(refs.items) else None
    for index, ref in enumerate(refs.items):
        p = _reference_paragraph(ctx, ref, "reference2nd" if secondary else "reference",
                                 f"{refs.id}/{ref.id}", refs.lang)
        ctx.mark_paragraphs(ref.id, p._p, p._p)
        if other is not None and pairs is not None:
            ooxml.set_keep_with_next(p)
            _reference_paragraph(ctx, pairs[index], "reference2nd",
                                 f"{other.id}/{pairs[index].id}", other.lang)
    if other is not None and pairs is None:
        for ref in other.items:
            _reference_paragraph(ctx, ref, "reference2nd", f"{other.id}/{ref.id}", other.lang)


def write_code(ctx: Context, block: CodeBlock) -> None:
    """Write a code block as one "Source Code" paragraph, its lines joined by line breaks and
    each highlighted token in its "Code …" character style (editors restyle code there)."""
    p = ctx.paragraph("code_block")
    for number, line in enumerate(block.lines):
        if number:
            p.add_run().add_break()
        for token in line:
            key = None if token.kind == "text" else f"code_{token.kind}"
            add_text(ctx, p, token.text, style_key=key)
