"""Word styles derived from a Theme: the style sheet behind every DOCX the engine writes.

`reference.py` writes these into `templates/themes/<name>/reference.docx`; at render time
`ensure_styles()` adds any that a user's `--reference-docx` lacks, so a company template keeps
its own look and only gains the styles it does not define. `STYLE` maps the engine's logical
style keys to the style names it looks up in whatever reference is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml import etree

from builder.engines.docx import ooxml
from builder.engines.docx.fontnames import family_name
from builder.engines.docx.numbering import (
    NUM_BULLET,
    NUM_DECIMAL,
    NUM_FINDING,
    NUM_REFERENCE,
    abstract_numbering_xml,
)
from builder.engines.docx.ooxml import qn
from builder.themes import Theme, code_colors

#: The highlighting classes of code that get a character style ("Code Keyword", …).
CODE_KINDS = ("keyword", "name", "function", "string", "number", "comment", "operator")


# Logical key -> Word style name. Built-in names are the ones Word recognises in any locale.
STYLE: dict[str, str] = {
    "body": "Normal",
    "note": "Note",
    "title": "Title",
    "subtitle": "Subtitle",
    "title2": "Title Secondary",
    "subtitle2": "Subtitle Secondary",
    "cover_meta": "Cover Meta",
    "h1": "heading 1",
    "h2": "heading 2",
    "h3": "heading 3",
    "heading2nd": "Heading Secondary",
    "bullet": "List Bullet",
    "bullet2": "List Bullet 2",
    "number": "List Number",
    "number2": "List Number 2",
    "list2nd": "Bilingual Secondary List",
    "list2nd2": "Bilingual Secondary List 2",
    "secondary": "Bilingual Secondary",
    "caption": "caption",
    "caption2nd": "Caption Secondary",
    "source": "Figure Source",
    "figure": "Figure",
    "placeholder": "Figure Placeholder",
    "kf_title": "Key Findings Title",
    "kf": "Key Findings",
    "kf2nd": "Key Findings Secondary",
    "kpi_value": "KPI Value",
    "kpi_label": "KPI Label",
    "kpi_label2nd": "KPI Label Secondary",
    "cell": "Table Text",
    "cell_header": "Table Header",
    "cell2nd": "Table Text Secondary",
    "reference": "Reference",
    "reference2nd": "Reference Secondary",
    "toc_heading": "TOC Heading",
    "toc1": "toc 1",
    "toc2": "toc 2",
    "toc3": "toc 3",
    "header": "header",
    "footer": "footer",
    "comment": "annotation text",
    "hyperlink": "Hyperlink",
    "code": "Inline Code",
    "footnote": "footnote text",
    "footnote_ref": "footnote reference",
    "code_block": "Source Code",
    **{f"code_{kind}": f"Code {kind.title()}" for kind in CODE_KINDS},
    "comment_ref": "annotation reference",
    "table": "Report Table",
    "kpi_table": "KPI Table",
}

def _hex(color: str) -> str:
    return color.lstrip("#").upper()


def _tw(pt: float) -> int:
    """Return twentieths of a point (twips)."""
    return round(pt * 20)


@dataclass(frozen=True)
class StyleSpec:
    """One paragraph or character style; `None` fields inherit from the base style."""

    style_id: str
    name: str
    kind: str = "paragraph"
    based_on: str | None = "Normal"
    next_id: str | None = None
    size_pt: float | None = None
    bold: bool = False
    italic: bool = False
    color: str | None = None
    before_pt: float | None = None
    after_pt: float | None = None
    line_pt: float | None = None
    keep_next: bool = False
    keep_lines: bool = False
    align: str | None = None
    left_pt: float | None = None
    right_pt: float | None = None
    hanging_pt: float | None = None
    shading: str | None = None
    border_left: tuple[int, str, float] | None = None
    border_bottom: tuple[int, str] | None = None
    border_box: tuple[int, str, str, int] | None = None
    padding: tuple[str, float] | None = None  # (box colour, pt): shading's inner space
    num: tuple[int, int] | None = None
    outline: int | None = None
    tabs: tuple[tuple[str, float, str], ...] = ()
    underline: bool = False
    ui_priority: int | None = None
    mono: bool = False  # Latin text in the theme's monospaced face (code)
    superscript: bool = False
    quick: bool = True
    semi_hidden: bool = False


def _ppr(s: StyleSpec) -> str:
    parts: list[str] = []
    if s.keep_next:
        parts.append("<w:keepNext/>")
    if s.keep_lines:
        parts.append("<w:keepLines/>")
    if s.num is not None:
        parts.append(f'<w:numPr><w:ilvl w:val="{s.num[1]}"/><w:numId w:val="{s.num[0]}"/>'
                     "</w:numPr>")
    borders: list[str] = []
    if s.border_box is not None:
        sz, color, kind, space = s.border_box
        for side in ("top", "left", "bottom", "right"):
            borders.append(f'<w:{side} w:val="{kind}" w:sz="{sz}" w:space="{space}" '
                           f'w:color="{_hex(color)}"/>')
    if s.border_left is not None:
        sz, color, space = s.border_left
        borders.append(f'<w:left w:val="single" w:sz="{sz}" w:space="{round(space)}" '
                       f'w:color="{_hex(color)}"/>')
    if s.border_bottom is not None:
        borders.append(f'<w:bottom w:val="single" w:sz="{s.border_bottom[0]}" w:space="4" '
                       f'w:color="{_hex(s.border_bottom[1])}"/>')
    if s.padding is not None:
        # Borders in the box's own colour: Word and LibreOffice extend the shading over a
        # border's space, and draw one box for neighbours with the same borders.
        color, space = s.padding
        for side in ("top", "bottom", "right"):
            borders.append(f'<w:{side} w:val="single" w:sz="4" w:space="{round(space)}" '
                           f'w:color="{_hex(color)}"/>')
    if borders:
        order = {"top": 0, "left": 1, "bottom": 2, "right": 3, "between": 4, "bar": 5}
        borders.sort(key=lambda b: order[b[3:].split(" ", 1)[0]])
        parts.append("<w:pBdr>" + "".join(borders) + "</w:pBdr>")
    if s.shading:
        parts.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{_hex(s.shading)}"/>')
    if s.tabs:
        parts.append("<w:tabs>" + "".join(
            f'<w:tab w:val="{kind}" w:leader="{leader}" w:pos="{_tw(pos)}"/>'
            for kind, pos, leader in s.tabs) + "</w:tabs>")
    spacing = []
    if s.before_pt is not None:
        spacing.append(f'w:before="{_tw(s.before_pt)}"')
    if s.after_pt is not None:
        spacing.append(f'w:after="{_tw(s.after_pt)}"')
    if s.line_pt is not None:
        spacing.append(f'w:line="{_tw(s.line_pt)}" w:lineRule="atLeast"')
    if spacing:
        parts.append("<w:spacing " + " ".join(spacing) + "/>")
    ind = []
    if s.left_pt is not None:
        ind.append(f'w:left="{_tw(s.left_pt)}"')
    if s.right_pt is not None:
        ind.append(f'w:right="{_tw(s.right_pt)}"')
    if s.hanging_pt is not None:
        ind.append(f'w:hanging="{_tw(s.hanging_pt)}"')
    if ind:
        parts.append("<w:ind " + " ".join(ind) + "/>")
    if s.align:
        parts.append(f'<w:jc w:val="{s.align}"/>')
    if s.outline is not None:
        parts.append(f'<w:outlineLvl w:val="{s.outline}"/>')
    return "<w:pPr>" + "".join(parts) + "</w:pPr>" if parts else ""


def fonts_xml(theme: Theme) -> str:
    """Return the w:rFonts element naming the theme's Latin and East Asian families."""
    latin, cjk = quoteattr(family_name(theme.latin)), quoteattr(family_name(theme.cjk))
    return (f"<w:rFonts w:ascii={latin} w:hAnsi={latin} w:eastAsia={cjk} w:cs={latin}/>")


# The styles that name fonts and languages (with the document defaults); every other style
# inherits them, so changing Normal's (or Heading 1's) East Asian font changes all text of it.
FONT_STYLES = frozenset({"Normal", "Title", "Heading1", "Heading2", "Heading3"})


def mono_fonts_xml(theme: Theme) -> str:
    """Return the w:rFonts of code: the monospaced family for Latin (East Asian inherited)."""
    mono = quoteattr(family_name(theme.mono) if theme.mono else "Courier New")
    return f"<w:rFonts w:ascii={mono} w:hAnsi={mono} w:cs={mono}/>"


def _rpr(s: StyleSpec, theme: Theme) -> str:
    parts = [fonts_xml(theme)] if s.style_id in FONT_STYLES else []
    if s.mono:
        parts.append(mono_fonts_xml(theme))
    if s.bold:
        parts.append("<w:b/><w:bCs/>")
    if s.italic:
        parts.append("<w:i/><w:iCs/>")
    if s.color:
        parts.append(f'<w:color w:val="{_hex(s.color)}"/>')
    if s.size_pt is not None:
        half = round(s.size_pt * 2)
        parts.append(f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>')
    if s.underline:
        parts.append('<w:u w:val="single"/>')
    if s.superscript:
        parts.append('<w:vertAlign w:val="superscript"/>')
    if s.style_id in FONT_STYLES:
        parts.append('<w:lang w:eastAsia="zh-CN"/>')
    return "<w:rPr>" + "".join(parts) + "</w:rPr>"


def style_xml(s: StyleSpec, theme: Theme) -> str:
    """Return the `w:style` element for `s` as XML text."""
    head = f'<w:style w:type="{s.kind}" w:customStyle="{0 if s.ui_priority else 1}" ' \
           f'w:styleId="{s.style_id}">'
    if s.style_id in BUILT_IN_IDS:
        head = f'<w:style w:type="{s.kind}" w:styleId="{s.style_id}">'
    body = [f"<w:name w:val={quoteattr(s.name)}/>"]
    if s.based_on:
        body.append(f'<w:basedOn w:val="{s.based_on}"/>')
    if s.next_id:
        body.append(f'<w:next w:val="{s.next_id}"/>')
    if s.ui_priority is not None:
        body.append(f'<w:uiPriority w:val="{s.ui_priority}"/>')
    if s.semi_hidden:
        body.append("<w:semiHidden/><w:unhideWhenUsed/>")
    if s.quick:
        body.append("<w:qFormat/>")
    if s.kind == "paragraph":
        body.append(_ppr(s))
    body.append(_rpr(s, theme))
    return head + "".join(body) + "</w:style>"


BUILT_IN_IDS = {
    "Normal", "Title", "Subtitle", "Heading1", "Heading2", "Heading3", "ListBullet",
    "ListBullet2", "ListNumber", "ListNumber2", "Caption", "TOCHeading", "TOC1", "TOC2", "TOC3",
    "Header", "Footer", "CommentText", "CommentReference", "Hyperlink", "FootnoteText",
    "FootnoteReference",
}


def style_specs(theme: Theme) -> list[StyleSpec]:
    """Return every paragraph and character style of the engine, derived from `theme`."""
    c, t = theme.colors, theme.type
    colours = code_colors(theme)
    body_line = t.body_pt * t.leading
    text_w = theme.page.text_width_pt
    indent = 18.0
    box = {"shading": c.callout_background, "border_left": (24, c.accent, 8.0),
           "left_pt": 14.0, "right_pt": 10.0, "padding": (c.callout_background, 6.0)}
    return [
        StyleSpec("Normal", "Normal", based_on=None, after_pt=t.body_pt * 0.6,
                  line_pt=body_line, ui_priority=0),
        StyleSpec("Note", "Note", size_pt=t.small_pt, color=c.muted, before_pt=t.body_pt,
                  line_pt=t.small_pt * t.leading),
        StyleSpec("Title", "Title", next_id="Subtitle", size_pt=t.title_pt, bold=True,
                  color=c.primary, before_pt=120, after_pt=10, line_pt=t.title_pt * 1.25,
                  border_bottom=(18, c.accent), ui_priority=10),
        StyleSpec("Subtitle", "Subtitle", size_pt=t.subtitle_pt, color=c.muted, after_pt=6,
                  line_pt=t.subtitle_pt * 1.35, ui_priority=11),
        StyleSpec("TitleSecondary", "Title Secondary", size_pt=(t.title_pt + t.subtitle_pt) / 2,
                  bold=True, color=c.primary, before_pt=14, after_pt=4,
                  line_pt=t.title_pt * 0.9),
        StyleSpec("SubtitleSecondary", "Subtitle Secondary", size_pt=t.body_pt + 1,
                  color=c.muted, italic=True, after_pt=6),
        StyleSpec("CoverMeta", "Cover Meta", size_pt=t.body_pt, color=c.muted, before_pt=2,
                  after_pt=2),
        *[StyleSpec(f"Heading{n}", f"heading {n}", next_id="Normal", size_pt=size, bold=True,
                    color=c.primary if n < 3 else c.text, before_pt=before, after_pt=after,
                    line_pt=size * 1.3, keep_next=True, keep_lines=True, outline=n - 1,
                    border_bottom=(6, c.rule) if n == 1 else None, ui_priority=9)
          for n, size, before, after in ((1, t.h1_pt, 22, 10), (2, t.h2_pt, 16, 6),
                                         (3, t.h3_pt, 12, 4))],
        StyleSpec("HeadingSecondary", "Heading Secondary", size_pt=t.body_pt + 1,
                  color=c.muted, before_pt=0, after_pt=8, keep_next=True, keep_lines=True),
        StyleSpec("ListBullet", "List Bullet", num=(NUM_BULLET, 0), after_pt=3, ui_priority=36),
        StyleSpec("ListBullet2", "List Bullet 2", num=(NUM_BULLET, 1), after_pt=3,
                  ui_priority=36),
        StyleSpec("ListNumber", "List Number", num=(NUM_DECIMAL, 0), after_pt=3,
                  ui_priority=36),
        StyleSpec("ListNumber2", "List Number 2", num=(NUM_DECIMAL, 1), after_pt=3,
                  ui_priority=36),
        StyleSpec("BilingualSecondary", "Bilingual Secondary", size_pt=t.body_pt - 1,
                  color=c.muted, after_pt=t.body_pt * 0.9, line_pt=(t.body_pt - 1) * t.leading),
        StyleSpec("BilingualSecondaryList", "Bilingual Secondary List",
                  based_on="BilingualSecondary", left_pt=indent, after_pt=4),
        StyleSpec("BilingualSecondaryList2", "Bilingual Secondary List 2",
                  based_on="BilingualSecondary", left_pt=indent * 2, after_pt=4),
        StyleSpec("Caption", "caption", size_pt=t.caption_pt, bold=True, color=c.text,
                  before_pt=4, after_pt=4, line_pt=t.caption_pt * 1.4, ui_priority=35),
        StyleSpec("CaptionSecondary", "Caption Secondary", based_on="Caption", bold=False,
                  color=c.muted, before_pt=0),
        StyleSpec("FigureSource", "Figure Source", size_pt=t.small_pt, color=c.muted,
                  after_pt=12, line_pt=t.small_pt * 1.4),
        StyleSpec("Figure", "Figure", align="center", keep_next=True, before_pt=8, after_pt=4,
                  line_pt=0),
        StyleSpec("FigurePlaceholder", "Figure Placeholder", align="center", keep_next=True,
                  color=c.muted, shading=c.callout_background,
                  border_box=(8, c.muted, "dashed", 14), before_pt=22, after_pt=18,
                  left_pt=36, right_pt=36),
        StyleSpec("KeyFindingsTitle", "Key Findings Title", bold=True, color=c.primary,
                  size_pt=t.body_pt + 1, before_pt=8, after_pt=4, keep_next=True, **box),
        StyleSpec("KeyFindings", "Key Findings", num=(NUM_FINDING, 0), after_pt=3,
                  **{**box, "left_pt": 28.0, "hanging_pt": 14.0}),
        StyleSpec("KeyFindingsSecondary", "Key Findings Secondary", size_pt=t.body_pt - 1,
                  color=c.muted, after_pt=5, line_pt=(t.body_pt - 1) * t.leading,
                  num=(NUM_FINDING, 1), **{**box, "left_pt": 28.0, "hanging_pt": 14.0}),
        StyleSpec("KPIValue", "KPI Value", size_pt=t.kpi_pt, bold=True, color=c.accent,
                  align="center", before_pt=6, after_pt=0, line_pt=t.kpi_pt * 1.2,
                  keep_next=True),
        StyleSpec("KPILabel", "KPI Label", size_pt=t.small_pt + 0.5, color=c.muted,
                  align="center", after_pt=6, line_pt=t.small_pt * 1.4),
        StyleSpec("KPILabelSecondary", "KPI Label Secondary", based_on="KPILabel",
                  size_pt=t.small_pt, italic=True),
        StyleSpec("TableText", "Table Text", size_pt=t.body_pt - 0.5, before_pt=2, after_pt=2,
                  line_pt=(t.body_pt - 0.5) * 1.35),
        StyleSpec("TableHeader", "Table Header", based_on="TableText", bold=True,
                  color=c.table_header_text),
        StyleSpec("TableTextSecondary", "Table Text Secondary", based_on="TableText",
                  size_pt=t.small_pt, color=c.muted, before_pt=0),
        StyleSpec("Reference", "Reference", num=(NUM_REFERENCE, 0), after_pt=3),
        StyleSpec("ReferenceSecondary", "Reference Secondary", based_on="BilingualSecondary",
                  left_pt=indent + 6, after_pt=5),
        StyleSpec("TOCHeading", "TOC Heading", based_on="Heading1", next_id="Normal",
                  outline=9, ui_priority=39),
        *[StyleSpec(f"TOC{n}", f"toc {n}", next_id="Normal", bold=n == 1, before_pt=6 if n == 1
                    else 1, after_pt=2, left_pt=(n - 1) * 14.0,
                    tabs=(("right", text_w, "dot"),), ui_priority=39, quick=False)
          for n in (1, 2, 3)],
        StyleSpec("Header", "header", size_pt=t.small_pt, color=c.muted, after_pt=0,
                  line_pt=t.small_pt * 1.3, border_bottom=(4, c.rule),
                  tabs=(("center", text_w / 2, "none"), ("right", text_w, "none")),
                  ui_priority=99, quick=False),
        StyleSpec("Footer", "footer", size_pt=t.small_pt, color=c.muted, after_pt=0,
                  line_pt=t.small_pt * 1.3,
                  tabs=(("center", text_w / 2, "none"), ("right", text_w, "none")),
                  ui_priority=99, quick=False),
        StyleSpec("CommentText", "annotation text", size_pt=10, after_pt=0, line_pt=12,
                  quick=False, semi_hidden=True, ui_priority=99),
        StyleSpec("CommentReference", "annotation reference", kind="character",
                  based_on="DefaultParagraphFont", size_pt=8, quick=False, semi_hidden=True,
                  ui_priority=99),
        StyleSpec("Hyperlink", "Hyperlink", kind="character", based_on="DefaultParagraphFont",
                  color=c.link, underline=True, ui_priority=99, quick=False),
        StyleSpec("FootnoteText", "footnote text", size_pt=t.small_pt, after_pt=2,
                  line_pt=t.small_pt * 1.3, ui_priority=99, quick=False, semi_hidden=True),
        StyleSpec("FootnoteReference", "footnote reference", kind="character",
                  based_on="DefaultParagraphFont", superscript=True, ui_priority=99,
                  quick=False, semi_hidden=True),
        StyleSpec("InlineCode", "Inline Code", kind="character",
                  based_on="DefaultParagraphFont", color=c.primary, mono=True),
        StyleSpec("SourceCode", "Source Code", size_pt=t.body_pt * 0.86, before_pt=0,
                  after_pt=t.body_pt, line_pt=t.body_pt * 0.86 * 1.35, color=colours["text"],
                  shading=colours["background"], padding=(colours["background"], 6),
                  mono=True, next_id="Normal"),
        *(StyleSpec(f"Code{kind.title()}", f"Code {kind.title()}", kind="character",
                    based_on="DefaultParagraphFont", color=colours[kind], quick=False)
          for kind in CODE_KINDS),
    ]


def table_styles_xml(theme: Theme) -> list[str]:
    """Return the table styles: the banded report table and the borderless KPI strip."""
    c = theme.colors
    rule = _hex(c.rule)
    report = (
        '<w:style w:type="table" w:customStyle="1" w:styleId="ReportTable">'
        '<w:name w:val="Report Table"/><w:basedOn w:val="TableNormal"/>'
        '<w:uiPriority w:val="59"/><w:qFormat/>'
        '<w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr>'
        '<w:tblPr><w:tblStyleRowBandSize w:val="1"/><w:tblBorders>'
        f'<w:top w:val="single" w:sz="8" w:space="0" w:color="{_hex(c.primary)}"/>'
        f'<w:bottom w:val="single" w:sz="8" w:space="0" w:color="{_hex(c.primary)}"/>'
        f'<w:insideH w:val="single" w:sz="4" w:space="0" w:color="{rule}"/>'
        '</w:tblBorders><w:tblCellMar><w:top w:w="40" w:type="dxa"/>'
        '<w:left w:w="100" w:type="dxa"/><w:bottom w:w="40" w:type="dxa"/>'
        '<w:right w:w="100" w:type="dxa"/></w:tblCellMar></w:tblPr>'
        '<w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/>'
        f'<w:color w:val="{_hex(c.table_header_text)}"/></w:rPr><w:tblPr/><w:trPr>'
        '<w:tblHeader/></w:trPr><w:tcPr>'
        f'<w:shd w:val="clear" w:color="auto" w:fill="{_hex(c.primary)}"/></w:tcPr>'
        "</w:tblStylePr>"
        # the row names of a table with row_headers (tblLook firstColumn)
        '<w:tblStylePr w:type="firstCol"><w:rPr><w:b/><w:bCs/></w:rPr></w:tblStylePr>'
        '<w:tblStylePr w:type="band2Horz"><w:tblPr/><w:tcPr>'
        f'<w:shd w:val="clear" w:color="auto" w:fill="{_hex(c.zebra)}"/></w:tcPr>'
        "</w:tblStylePr></w:style>"
    )
    kpi = (
        '<w:style w:type="table" w:customStyle="1" w:styleId="KPITable">'
        '<w:name w:val="KPI Table"/><w:basedOn w:val="TableNormal"/>'
        '<w:uiPriority w:val="59"/><w:tblPr><w:tblBorders>'
        f'<w:top w:val="single" w:sz="4" w:space="0" w:color="{rule}"/>'
        f'<w:bottom w:val="single" w:sz="4" w:space="0" w:color="{rule}"/>'
        f'<w:insideV w:val="single" w:sz="4" w:space="0" w:color="{rule}"/>'
        "</w:tblBorders></w:tblPr></w:style>"
    )
    return [report, kpi]


def base_styles_xml() -> list[str]:
    """Return the styles every Word document needs: default fonts, tables and lists."""
    return [
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        "<w:unhideWhenUsed/></w:style>",
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
        '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>'
        '<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr></w:style>",
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList">'
        '<w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/>'
        "<w:unhideWhenUsed/></w:style>",
    ]


def doc_defaults_xml(theme: Theme) -> str:
    """Return `w:docDefaults`: theme fonts named explicitly, zh-CN for East Asian text."""
    half = round(theme.type.body_pt * 2)
    return (
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        f"{fonts_xml(theme)}"
        f'<w:color w:val="{_hex(theme.colors.text)}"/>'
        f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
        '<w:lang w:val="en-GB" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'
        "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
        "</w:pPr></w:pPrDefault></w:docDefaults>"
    )


_W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _parse(xml: str) -> BaseOxmlElement:
    """Return an element from XML text that uses the `w:` prefix without declaring it."""
    head, _, rest = xml.partition(" ")
    return parse_xml(f"{head} {_W_NS} {rest}")


def _add_numbering(doc: DocxDocument, theme: Theme, wanted: set[int]) -> dict[int, int]:
    """Append our list definitions to a foreign numbering part; return old id -> new numId."""

    numbering = doc.part.numbering_part.element
    defs = abstract_numbering_xml(theme)
    abstract_ids = [int(a.get(qn("w:abstractNumId"))) for a in
                    numbering.findall(qn("w:abstractNum"))]
    next_abstract = max(abstract_ids, default=0) + 1
    mapping: dict[int, int] = {}
    for old in sorted(wanted):
        abstract = _parse(f'<w:abstractNum w:abstractNumId="{next_abstract}">{defs[old]}'
                          "</w:abstractNum>")
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            numbering.append(abstract)
        mapping[old] = numbering.add_num(next_abstract).numId
        next_abstract += 1
    return mapping


def _ensure_east_asian(rpr: BaseOxmlElement, font: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    has_font = fonts is not None and fonts.get(qn("w:eastAsia"))
    ooxml.set_east_asian(rpr, fonts.get(qn("w:eastAsia")) if has_font else font)


def set_default_language(doc: DocxDocument, latin: str) -> None:
    """Set the document defaults' language of Latin-script text (Word's proofing language)."""
    rpr = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is None:
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = _parse("<w:lang/>")
        rpr.append(lang)
    lang.set(qn("w:val"), latin)


def prepare_styles(doc: DocxDocument, theme: Theme) -> None:
    """Make the styles of `doc` ready for rendering.

    Theme font attributes are removed everywhere; the document defaults get an East Asian
    font (kept when the reference names one) and `w:lang w:eastAsia`, which every style
    that names no East Asian font of its own inherits; styles the engine needs but the
    reference lacks are added from `theme` (only Normal, Title and the headings name fonts).
    """
    root = doc.styles.element
    ooxml.strip_theme_fonts(root)
    cjk = family_name(theme.cjk)
    defaults = root.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = _parse("<w:docDefaults><w:rPrDefault><w:rPr/></w:rPrDefault></w:docDefaults>")
        root.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = _parse("<w:rPrDefault><w:rPr/></w:rPrDefault>")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = _parse("<w:rPr/>")
        rpr_default.append(rpr)
    _ensure_east_asian(rpr, cjk)

    known = {s.find(qn("w:name")).get(qn("w:val")).lower()
             for s in root.findall(qn("w:style")) if s.find(qn("w:name")) is not None}
    missing = [spec for spec in style_specs(theme) if spec.name.lower() not in known]
    remap = _add_numbering(doc, theme, {s.num[0] for s in missing if s.num}) \
        if any(s.num for s in missing) else {}
    for spec in missing:
        xml = style_xml(spec, theme)
        if spec.num is not None:
            xml = xml.replace(f'<w:numId w:val="{spec.num[0]}"/>',
                              f'<w:numId w:val="{remap[spec.num[0]]}"/>')
        root.append(_parse(xml))
    for xml in table_styles_xml(theme):
        name = xml.split('<w:name w:val="', 1)[1].split('"', 1)[0]
        if name.lower() not in known:
            root.append(_parse(xml))
    link_theme_fonts(doc)


_A_NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
#: Styles whose fonts are the theme's heading fonts (the others take its body fonts).
_MAJOR_STYLES = frozenset({"Title", "Heading1", "Heading2", "Heading3"})


def _theme_typefaces(doc: DocxDocument) -> dict[str, tuple[str, str]]:
    """Return the (latin, East Asian) typefaces of the file's theme, for "major" and "minor"."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    theme = next((rel.target_part for rel in doc.part.rels.values()
                  if rel.reltype == RT.THEME and not rel.is_external), None)
    if theme is None:
        return {}
    root = etree.fromstring(theme.blob)
    out = {}
    for kind in ("major", "minor"):
        scheme = root.find(f".//a:{kind}Font", _A_NS)
        if scheme is None:
            continue
        latin, ea = scheme.find("a:latin", _A_NS), scheme.find("a:ea", _A_NS)
        out[kind] = (latin.get("typeface", "") if latin is not None else "",
                     ea.get("typeface", "") if ea is not None else "")
    return out


def link_theme_fonts(doc: DocxDocument) -> None:
    """Point the font-naming styles at the theme's fonts where they name the same faces.

    The document defaults and Normal take the theme's body fonts (`minorHAnsi`,
    `minorEastAsia`), Title and the headings its heading fonts (`major…`), so Word's Design ▸
    Fonts changes them all. The explicit names stay beside them for readers without themes; a
    reference whose theme names other faces is left as its styles say.
    """
    faces = _theme_typefaces(doc)
    root = doc.styles.element
    targets: list[tuple[BaseOxmlElement, str]] = []
    defaults = root.find(qn("w:docDefaults"))
    if defaults is not None:
        targets += [(f, "minor") for f in defaults.iter(qn("w:rFonts"))]
    for style in root.findall(qn("w:style")):
        style_id = style.get(qn("w:styleId"))
        if style_id in FONT_STYLES:
            kind = "major" if style_id in _MAJOR_STYLES else "minor"
            targets += [(f, kind) for f in style.iter(qn("w:rFonts"))]
    for fonts, kind in targets:
        latin, east_asian = faces.get(kind, ("", ""))
        if latin and fonts.get(qn("w:ascii")) == latin == fonts.get(qn("w:hAnsi")):
            fonts.set(qn("w:asciiTheme"), f"{kind}HAnsi")
            fonts.set(qn("w:hAnsiTheme"), f"{kind}HAnsi")
        if east_asian and fonts.get(qn("w:eastAsia")) == east_asian:
            fonts.set(qn("w:eastAsiaTheme"), f"{kind}EastAsia")
