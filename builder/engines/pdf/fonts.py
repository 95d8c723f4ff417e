"""Font registration and per-character font choice for the PDF engine.

The theme names TrueType files; this module registers each file once per process as a subset-
embedded reportlab `TTFont` and answers, per character, which face draws it: Han and CJK
punctuation in the CJK face, everything else in the Latin face unless the Latin face lacks it,
and a character neither has (a symbol, an arrow, an emoji) in the first fallback face that has it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from weakref import WeakKeyDictionary

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont

from builder.engines.pdf.linebreak import is_cjk
from builder.themes import Theme
from builder.themes.glyphs import first_covering

# In Chinese text these are set full-width from the CJK face; in English from the Latin face.
_CJK_CONTEXT_CHARS = frozenset("“”‘’—…·")


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """Return reportlab's ToUnicode CMap for a font subset, with UTF-16 values.

    reportlab 4.x–5.x writes each value as `<%04X>`, so a character beyond the BMP (an emoji
    such as U+1F680) becomes five hex digits, which readers take as U+1F68 plus garbage:
    pdftotext and copy-and-paste lose every emoji. The PDF reference wants UTF-16BE, i.e. a
    surrogate pair for those characters; BMP characters are unchanged.
    """
    entries = [f"<{i:02X}> <{chr(code).encode('utf-16-be').hex().upper()}>"
               for i, code in enumerate(subset)]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>", "endcodespacerange", f"{len(subset)} beginbfchar",
        *entries, "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end",
        "end"])


ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # type: ignore[attr-defined]


@cache
def register_font(path: Path) -> str:
    """Return the reportlab name of the TrueType file at `path`, registering it on first use."""
    name = "RB-" + path.stem
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


#: Full-width closing marks whose glyph sits in the left half of the em box.
CLOSING_MARKS = frozenset("，。、；：？！）》」』”’】〕")


@cache
def half_width(name: str) -> str:
    """Return a face like `name` whose closing marks advance half an em (标点挤压).

    The copy shares the font file and glyphs; only the advance widths written to the PDF
    differ, so a compressed mark's box ends where its glyph does and text extraction keeps it
    on its line (moving the next glyph into the mark's box instead makes poppler read the two as
    separate lines).
    """
    half = name + "-half"
    if half not in pdfmetrics.getRegisteredFontNames():
        original = pdfmetrics.getFont(name)
        font = copy.copy(original)
        font.fontName = half
        font.state = WeakKeyDictionary()
        font.face = copy.copy(original.face)  # type: ignore[attr-defined]
        # a face name of its own: reportlab maps a second font of one face to the first
        font.face.name = ttfonts.TTFNameBytes(  # type: ignore[attr-defined]
            bytes(original.face.name) + b"-Half")  # type: ignore[attr-defined]
        widths = dict(original.face.charWidths)  # type: ignore[attr-defined]
        for mark in CLOSING_MARKS:
            if ord(mark) in widths:
                widths[ord(mark)] = widths[ord(mark)] / 2
        font.face.charWidths = widths  # type: ignore[attr-defined]
        pdfmetrics.registerFont(font)
    return half


@cache
def _glyphs(name: str) -> frozenset[int]:
    """Return the code points the registered font `name` has glyphs for."""
    font = pdfmetrics.getFont(name)
    return frozenset(font.face.charToGlyph)  # type: ignore[attr-defined]


@lru_cache(maxsize=200_000)
def char_width(name: str, char: str) -> float:
    """Return the advance width of `char` in font `name` at 1 pt."""
    return pdfmetrics.stringWidth(char, name, 1.0)


@dataclass(frozen=True)
class FontSet:
    """The registered font names of a theme: four Latin styles and CJK regular and bold."""

    latin: str
    latin_bold: str
    latin_italic: str
    latin_bold_italic: str
    cjk: str
    cjk_bold: str
    #: Fallback font files, registered with reportlab only when a character first needs one.
    fallbacks: tuple[Path, ...] = ()
    #: The monospaced face of code, regular and bold ("" when the theme has none).
    mono: str = ""
    mono_bold: str = ""

    def font_for(self, char: str, *, bold: bool, italic: bool, zh: bool,
                 code: bool = False) -> str:
        """Return the font that draws `char`; CJK has no italic, so italic CJK stays upright.
        Code is set in the monospaced face where it has the character."""
        cjk = is_cjk(char) or (zh and char in _CJK_CONTEXT_CHARS)
        if code and self.mono and not is_cjk(char):
            name = self.mono_bold if bold else self.mono
            if ord(char) in _glyphs(name) or char in " \u00a0":
                return name
        if not cjk:
            if bold:
                name = self.latin_bold_italic if italic else self.latin_bold
            else:
                name = self.latin_italic if italic else self.latin
            if ord(char) in _glyphs(name) or char in " \u00a0":
                return name
        cjk_name = self.cjk_bold if bold else self.cjk
        if cjk or ord(char) in _glyphs(cjk_name):
            return cjk_name
        path = first_covering(char, self.fallbacks)
        return register_font(path) if path is not None else cjk_name


def register_fonts(theme: Theme) -> FontSet:
    """Return the theme's fonts registered with reportlab (once per process per file)."""
    return FontSet(
        latin=register_font(theme.latin.regular),
        latin_bold=register_font(theme.latin.bold),
        latin_italic=register_font(theme.latin.italic),
        latin_bold_italic=register_font(theme.latin.bold_italic),
        cjk=register_font(theme.cjk.regular),
        cjk_bold=register_font(theme.cjk.bold),
        fallbacks=theme.fallbacks,
        mono=register_font(theme.mono.regular) if theme.mono else "",
        mono_bold=register_font(theme.mono.bold) if theme.mono else "",
    )
