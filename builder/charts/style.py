"""Chart style: theme colours, the bundled fonts and type sizes, shared by every chart renderer.

`chart_style(theme, lang)` registers the theme's TrueType files with matplotlib once and returns
a `Style`; `Style.rc()` is the rcParams block that `render.py` applies around drawing and saving,
so renderers never touch matplotlib's global defaults.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.locale.numbers import is_zh
from builder.themes import Colors, Theme

_REGISTERED: dict[Path, str] = {}


def _not_a_missing_bold_fallback(record: logging.LogRecord) -> bool:
    """Drop matplotlib's notice that a fallback face has no bold: the fallback faces are one
    weight by design, and their regular is what bold text falls back to."""
    return not str(record.msg).startswith("findfont: Failed to find font weight")


logging.getLogger("matplotlib.font_manager").addFilter(_not_a_missing_bold_fallback)


def register_font(path: Path) -> str:
    """Register a TrueType file with matplotlib (once) and return its family name."""
    if path not in _REGISTERED:
        from matplotlib import font_manager  # drawing only: reading specs stays light

        font_manager.fontManager.addfont(str(path))
        _REGISTERED[path] = font_manager.FontProperties(fname=str(path)).get_name()
    return _REGISTERED[path]


@dataclass(frozen=True)
class Style:
    """What a renderer needs besides the spec: colours, font families and sizes in points."""

    lang: str
    colors: Colors
    families: tuple[str, ...]
    width_in: float = 6.5
    title_pt: float = 10.5
    label_pt: float = 9.0
    tick_pt: float = 8.5
    small_pt: float = 8.0
    grid: str = "#E4E7EB"

    @property
    def zh(self) -> bool:
        """Return True for a Chinese edition (and for a bilingual chart, Chinese first)."""
        return is_zh(self.lang)

    @property
    def second_lang(self) -> str | None:
        """Return the language of the second text line of a bilingual chart, else None."""
        _, plus, second = self.lang.partition("+")
        return second if plus else None

    def series(self, index: int) -> str:
        """Return the colour of the `index`-th data series (the palette repeats)."""
        palette = self.colors.series
        return palette[index % len(palette)]

    def rc(self) -> dict[str, Any]:
        """Return the rcParams for drawing and saving a chart deterministically."""
        return {
            "font.family": list(self.families),
            "font.size": self.label_pt,
            "text.color": self.colors.text,
            "axes.edgecolor": self.colors.rule,
            "axes.labelcolor": self.colors.text,
            "axes.titlesize": self.title_pt,
            "axes.titleweight": "bold",
            "axes.unicode_minus": False,
            "text.parse_math": False,  # labels are literal text: "From $98 to $34" is money
            "xtick.color": self.colors.muted,
            "ytick.color": self.colors.muted,
            "xtick.labelcolor": self.colors.text,
            "ytick.labelcolor": self.colors.text,
            "xtick.labelsize": self.tick_pt,
            "ytick.labelsize": self.tick_pt,
            "legend.fontsize": self.small_pt + 0.5,
            "legend.frameon": False,
            "pdf.fonttype": 42,
            "svg.fonttype": "path",
            "svg.hashsalt": "report-builder",
            "path.simplify": True,
            "figure.dpi": 100,
        }


def chart_style(theme: Theme, lang: str) -> Style:
    """Return the chart style of `theme` for `lang`; CJK glyphs fall back to the CJK face.

    Chinese editions set all text in the CJK face (its Latin glyphs match the hanzi in weight);
    English editions use the Latin face and fall back to the CJK face for any Chinese character
    (a neutral label like a company name); symbols and emoji neither has come from the theme's
    fallback faces, in order, so no glyph is ever missing.
    """
    latin = register_font(theme.latin.regular)
    register_font(theme.latin.bold)
    cjk = register_font(theme.cjk.regular)
    register_font(theme.cjk.bold)
    extra = tuple(dict.fromkeys(register_font(path) for path in theme.fallbacks))
    families = ((cjk, latin) if is_zh(lang) else (latin, cjk)) + extra
    return Style(lang=lang, colors=theme.colors, families=families)


def draw_title(fig: Any, title: str | None, style: Style) -> None:
    """Draw the chart title left-aligned above everything (constrained layout makes room)."""
    if title:
        fig.suptitle(title, x=0.01, ha="left", fontsize=style.title_pt, fontweight="bold",
                     color=style.colors.primary)


def format_value(value: float, style: Style, number_format: str = "number",
                 scale: str = "one") -> str:
    """Return a data label per language: usd 472.4亿美元 / USD 47.24 billion, number, percent."""
    from builder.locale.numbers import format_money, format_number, format_percent, trim

    def one(lang: str) -> str:
        if number_format == "usd":
            return format_money(value, lang, "USD", scale)
        if number_format == "percent":
            return format_percent(value, lang)
        if scale == "one":
            return trim(value, 2) if abs(value) < 1e4 else format_number(value, lang)
        return format_number(value, lang, scale)

    first = one(style.lang.partition("+")[0])
    return _both(first, one(style.second_lang) if style.second_lang else first)


def _both(first: str, second: str) -> str:
    """Return a label in the chart's languages: one line when they write it alike."""
    return first if second == first else f"{first}\n{second}"


def format_values(values: Sequence[float], style: Style, number_format: str = "number",
                  scale: str = "one") -> list[str]:
    """Return the data labels of one chart: as `format_value`, but with a scale every label
    of a language names the one unit its value axis counts in, the largest the data reach
    (USD 1.9 billion, USD 0.6 billion, never USD 600 million beside them; 19亿美元, 6亿美元)."""
    from builder.locale.numbers import SCALES, shared_magnitude, with_currency

    if number_format == "percent" or scale == "one":  # plain amounts: each as it is
        return [format_value(v, style, number_format, scale) for v in values]
    amounts = [v * SCALES[scale] for v in values]

    def labels(lang: str) -> list[str]:
        words = shared_magnitude(amounts, lang)
        return [with_currency(w, lang) for w in words] if number_format == "usd" else words

    first = labels(style.lang.partition("+")[0])
    second = labels(style.second_lang) if style.second_lang else first
    return [_both(a, b) for a, b in zip(first, second, strict=True)]


def points_axes(fig: Any, width_pt: float, height_pt: float) -> Any:
    """Size `fig` to the given points and return an invisible axes whose units are points.

    Diagram renderers lay out boxes in points with y growing downwards (like a page); one data
    unit is one point on paper, so font sizes and box sizes share a unit.
    """
    fig.set_layout_engine("none")
    fig.set_size_inches(width_pt / 72, height_pt / 72)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width_pt)
    ax.set_ylim(height_pt, 0)
    ax.axis("off")
    return ax


def tint(colour: str, amount: float) -> str:
    """Return `#RRGGBB` `colour` mixed with white; `amount` 0 is white, 1 the colour itself."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    mix = [round(255 - (255 - c) * amount) for c in (r, g, b)]
    return "#" + "".join(f"{c:02X}" for c in mix)


def _luminance(colour: str) -> float:
    """Return the relative luminance of `#RRGGBB` (WCAG 2)."""
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str = "#FFFFFF") -> float:
    """Return the WCAG contrast ratio of two `#RRGGBB` colours (1 to 21)."""
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def legible(colour: str, background: str = "#FFFFFF", ratio: float = 4.5) -> str:
    """Return `colour`, darkened just enough to stand at `ratio` against `background`
    (WCAG AA for text): a series colour such as a light orange stays recognisable as itself."""
    if contrast(colour, background) >= ratio:
        return colour
    channels = [int(colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)]
    for step in range(1, 101):
        darker = "#" + "".join(f"{round(c * (1 - step / 100)):02X}" for c in channels)
        if contrast(darker, background) >= ratio:
            return darker
    return "#000000"
