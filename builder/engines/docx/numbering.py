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


def _levels(kinds: list[tuple[str, str, str | None]], step: float, hanging: float,
            color: str | None = None) -> str:
    """Return all nine levels (Word defines 0-8): `kinds` gives (format, text, font) per
    level and repeats from the start when shorter; each level indents `step` more."""
    return "".join(_level(i, *kinds[i % len(kinds)][:2], step * (i + 1), hanging,
                          color=color, font=kinds[i % len(kinds)][2]) for i in range(9))


def abstract_numbering_xml(theme: Theme) -> dict[int, str]:
    """Return the list definitions (`w:abstractNum` bodies) keyed by their numbering id.

    Multi-level lists define all nine levels, so a list an editor indents further in Word
    still has a marker and an indent at every level.
    """
    latin = family_name(theme.latin)
    cjk = family_name(theme.cjk)  # the square bullet is not in Noto Sans/Serif
    accent = theme.colors.accent
    multi = '<w:multiLevelType w:val="hybridMultilevel"/>'
    return {
        NUM_BULLET: multi + _levels([("bullet", "\u2022", latin), ("bullet", "\u2013", latin),
                                     ("bullet", "\u25AA", cjk)], 18, 12),
        NUM_DECIMAL: multi + "".join(
            _level(i, fmt, f"%{i + 1}{'.' if fmt != 'lowerLetter' else ')'}", 18 * (i + 1), 14)
            for i, fmt in enumerate(["decimal", "lowerLetter", "lowerRoman"] * 3)),
        # level 1 is an empty marker: translations line up with the findings and the box's
        # left rule stays straight (borders follow the first-line position)
        NUM_FINDING: multi
        + _level(0, "bullet", "\u25A0", 28, 14, color=accent, font=cjk)
        + _level(1, "none", "", 28, 14)
        + "".join(_level(i, "bullet", "\u2013", 28 + 14 * (i - 1), 14, font=latin)
                  for i in range(2, 9)),
        NUM_REFERENCE: '<w:multiLevelType w:val="singleLevel"/>'
        + _level(0, "decimal", "[%1]", 24, 24),
    }
