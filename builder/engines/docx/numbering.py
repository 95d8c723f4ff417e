"""List numbering definitions (`w:abstractNum` bodies) of the DOCX engine, one per list kind.

Used both by `reference.py`, which writes them into a theme's reference document, and by
`styles.py`, which adds them to a user's reference document that lacks them.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from builder.engines.docx.fontnames import family_name
from builder.themes import Theme

#: numbering.xml ids used by the list styles of the generated reference documents.
NUM_BULLET, NUM_DECIMAL, NUM_FINDING, NUM_REFERENCE = 1, 2, 3, 4


def twips(pt: float) -> int:
    """Return `pt` points in twentieths of a point, the unit of most OOXML lengths."""
    return round(pt * 20)


def _level(ilvl: int, fmt: str, text: str, left_pt: float, hanging_pt: float,
           color: str | None = None, font: str | None = None) -> str:
    rpr = ""
    if color or font:
        rpr = "<w:rPr>" + (f"<w:rFonts w:ascii={quoteattr(font)} w:hAnsi={quoteattr(font)}/>"
                           if font else "") + \
              (f'<w:color w:val="{color.lstrip("#")}"/>' if color else "") + "</w:rPr>"
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f"<w:lvlText w:val={quoteattr(text)}/><w:lvlJc w:val=\"left\"/>"
            f'<w:pPr><w:ind w:left="{twips(left_pt)}" w:hanging="{twips(hanging_pt)}"/></w:pPr>'
            f"{rpr}</w:lvl>")


def abstract_numbering_xml(theme: Theme) -> dict[int, str]:
    """Return the list definitions (`w:abstractNum` bodies) keyed by their numbering id."""
    latin = family_name(theme.latin)
    cjk = family_name(theme.cjk)  # the square bullet is not in Noto Sans/Serif
    accent = theme.colors.accent
    return {
        NUM_BULLET: '<w:multiLevelType w:val="hybridMultilevel"/>'
        + _level(0, "bullet", "\u2022", 18, 12, font=latin)
        + _level(1, "bullet", "\u2013", 36, 12, font=latin),
        NUM_DECIMAL: '<w:multiLevelType w:val="hybridMultilevel"/>'
        + _level(0, "decimal", "%1.", 18, 14)
        + _level(1, "lowerLetter", "%2)", 36, 14),
        # level 1 is an empty marker: translations line up with the findings and the box's
        # left rule stays straight (borders follow the first-line position)
        NUM_FINDING: '<w:multiLevelType w:val="hybridMultilevel"/>'
        + _level(0, "bullet", "\u25A0", 28, 14, color=accent, font=cjk)
        + _level(1, "none", "", 28, 14),
        NUM_REFERENCE: '<w:multiLevelType w:val="singleLevel"/>'
        + _level(0, "decimal", "[%1]", 24, 24),
    }
