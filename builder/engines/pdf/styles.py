"""Paragraph styles of the PDF engine, derived from the theme's type scale and palette.

`blocks.py` and `pages.py` take every size, colour and spacing from `Styles`; nothing else in the
engine hard-codes a look, so a second theme restyles the whole PDF.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Literal

from reportlab.lib.colors import Color, HexColor

from builder.engines.pdf.fonts import FontSet, register_fonts
from builder.themes import Theme

TextAlign = Literal["left", "center", "right", "justify"]


@dataclass(frozen=True)
class TextStyle:
    """How one paragraph is set: size and leading in points, colour, weight and alignment."""

    size: float
    leading: float
    color: Color
    bold: bool = False
    italic: bool = False
    align: TextAlign = "justify"
    left_indent: float = 0.0
    space_before: float = 0.0
    space_after: float = 0.0
    punctuation: bool = True  # set punctuation by the rules (builder.locale.typography)
    hyphenate: bool = True  # hyphenate justified English text (engines/pdf/hyphenation.py)
    han_latin_space: float = 0.25  # em between Han and Latin letters or digits (clreq)
    compress_punctuation: bool = True  # 标点挤压: two full-width marks take 1.5 em, not 2

    def but(self, **changes: object) -> TextStyle:
        """Return a copy with `changes` applied."""
        return replace(self, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Styles:
    """All styles of one render: fonts, colours and the paragraph styles built from a theme."""

    theme: Theme
    fonts: FontSet
    body: TextStyle
    secondary: TextStyle
    note: TextStyle
    h1: TextStyle
    h2: TextStyle
    h3: TextStyle
    heading_secondary: TextStyle
    caption: TextStyle
    source: TextStyle
    cell: TextStyle
    header_cell: TextStyle
    toc1: TextStyle
    toc2: TextStyle
    small: TextStyle
    primary: Color
    accent: Color
    muted: Color
    rule: Color
    link: Color
    callout_background: Color
    zebra: Color

    @property
    def text_width(self) -> float:
        """Return the width of the text block in points."""
        return self.theme.page.text_width_pt

    def heading(self, level: int) -> TextStyle:
        """Return the style of a heading of `level` (1 = chapter)."""
        return {1: self.h1, 2: self.h2}.get(level, self.h3)


def build_styles(theme: Theme) -> Styles:
    """Return the styles of `theme`, registering its fonts."""
    t, c = theme.type, theme.colors
    text, muted, primary = HexColor(c.text), HexColor(c.muted), HexColor(c.primary)
    body_leading = t.body_pt * t.leading
    body = TextStyle(t.body_pt, body_leading, text, space_after=t.body_pt * 0.75)
    secondary_pt = t.body_pt * 0.9
    styles = Styles(
        theme=theme,
        fonts=register_fonts(theme),
        body=body,
        secondary=TextStyle(secondary_pt, secondary_pt * 1.55, muted,
                            space_after=t.body_pt * 0.9),
        note=TextStyle(t.small_pt + 0.5, (t.small_pt + 0.5) * 1.6, muted, italic=True,
                       align="left", space_before=t.body_pt * 0.5, space_after=t.body_pt * 0.5),
        h1=TextStyle(t.h1_pt, t.h1_pt * 1.3, primary, bold=True, align="left",
                     space_before=t.body_pt * 1.2, space_after=t.body_pt * 0.8),
        h2=TextStyle(t.h2_pt, t.h2_pt * 1.35, primary, bold=True, align="left",
                     space_before=t.body_pt * 1.1, space_after=t.body_pt * 0.5),
        h3=TextStyle(t.h3_pt, t.h3_pt * 1.4, text, bold=True, align="left",
                     space_before=t.body_pt * 0.8, space_after=t.body_pt * 0.4),
        heading_secondary=TextStyle(t.body_pt, t.body_pt * 1.4, muted, align="left",
                                    space_after=t.body_pt * 0.6),
        caption=TextStyle(t.caption_pt + 0.5, (t.caption_pt + 0.5) * 1.5, text, align="left"),
        source=TextStyle(t.caption_pt, t.caption_pt * 1.5, muted, align="left"),
        cell=TextStyle(t.body_pt - 1, (t.body_pt - 1) * 1.45, text, align="left"),
        header_cell=TextStyle(t.body_pt - 1, (t.body_pt - 1) * 1.45,
                              HexColor(c.table_header_text), bold=True, align="left"),
        toc1=TextStyle(t.body_pt + 0.5, (t.body_pt + 0.5) * 1.5, text, bold=True, align="left",
                       space_before=t.body_pt * 0.6),
        toc2=TextStyle(t.body_pt, t.body_pt * 1.5, text, align="left", left_indent=t.body_pt * 1.6),
        small=TextStyle(t.small_pt, t.small_pt * 1.3, muted, align="left"),
        primary=primary,
        accent=HexColor(c.accent),
        muted=muted,
        rule=HexColor(c.rule),
        link=HexColor(c.link),
        callout_background=HexColor(c.callout_background),
        zebra=HexColor(c.zebra),
    )
    layout = theme.layout
    rules = {"punctuation": layout.punctuation, "hyphenate": layout.hyphenation,
             "han_latin_space": layout.han_latin_space,
             "compress_punctuation": layout.compress_punctuation}
    return replace(styles, **{f.name: getattr(styles, f.name).but(**rules)
                              for f in fields(styles) if isinstance(getattr(styles, f.name),
                                                                    TextStyle)})
