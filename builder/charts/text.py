"""Text measuring and wrapping for chart renderers, in points, with the chart's own fonts.

Diagram renderers (timeline, flowchart) size boxes from their labels before drawing, so they
measure with matplotlib's Agg text engine (the same glyph metrics the PDF uses) and wrap long
labels: Latin text at spaces, Chinese text between any two characters except before closing
punctuation or after opening punctuation.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # matplotlib is imported only when text is measured
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

LINE_SPACING = 1.2  # pass as `linespacing` to every measured text
NO_LINE_START = set("，。、；：？！）》」』”’%)]}.,;:?!")
NO_LINE_END = set("（《「『“‘([{$")


@lru_cache(maxsize=1)
def _renderer() -> RendererAgg:
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(10, 10, 72)


def font(families: tuple[str, ...], size_pt: float, bold: bool = False) -> FontProperties:
    """Return the font properties for text in `families` at `size_pt`."""
    from matplotlib.font_manager import FontProperties

    return FontProperties(family=list(families), size=size_pt,
                          weight="bold" if bold else "normal")


@lru_cache(maxsize=4096)
def line_width(text: str, families: tuple[str, ...], size_pt: float, bold: bool = False) -> float:
    """Return the advance width of one line of text in points."""
    if not text:
        return 0.0
    width, _, _ = _renderer().get_text_width_height_descent(
        text, font(families, size_pt, bold), ismath=False)
    return float(width)


@lru_cache(maxsize=64)
def line_height(families: tuple[str, ...], size_pt: float, bold: bool = False) -> float:
    """Return the height matplotlib gives one line of text (its "lp" box) in points."""
    _, height, _ = _renderer().get_text_width_height_descent(
        "lp", font(families, size_pt, bold), ismath=False)
    return float(height)


def measure(text: str, families: tuple[str, ...], size_pt: float,
            bold: bool = False) -> tuple[float, float]:
    """Return (width, height) in points of possibly multi-line `text`, drawn with LINE_SPACING."""
    lines = text.split("\n")
    width = max(line_width(line, families, size_pt, bold) for line in lines)
    step = line_height(families, size_pt, bold)
    return width, step * (1 + LINE_SPACING * (len(lines) - 1))


def _is_cjk(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or "\u3000" <= ch <= "\u303f" \
        or "\uff00" <= ch <= "\uffef"


def _tokens(line: str) -> list[str]:
    """Split a line into unbreakable pieces: Latin words (with their space), single hanzi."""
    tokens: list[str] = []
    word = ""
    for ch in line:
        if _is_cjk(ch):
            if word:
                tokens.append(word)
                word = ""
            if tokens and ch in NO_LINE_START:
                tokens[-1] += ch
            elif tokens and tokens[-1] and tokens[-1][-1] in NO_LINE_END:
                tokens[-1] += ch
            else:
                tokens.append(ch)
        elif ch == " ":
            word += ch
            tokens.append(word)
            word = ""
        else:
            if word == "" and tokens and ch in NO_LINE_START:
                tokens[-1] += ch
            else:
                word += ch
    if word:
        tokens.append(word)
    return tokens


def wrap(text: str, max_width_pt: float, families: tuple[str, ...], size_pt: float,
         bold: bool = False) -> str:
    """Return `text` with line breaks so no line is wider than `max_width_pt` where possible."""
    out: list[str] = []
    for line in text.split("\n"):
        current = ""
        for token in _tokens(line):
            trial = current + token
            if current and line_width(trial.rstrip(), families, size_pt, bold) > max_width_pt:
                out.append(current.rstrip())
                current = token.lstrip()
            else:
                current = trial
        out.append(current.rstrip())
    return "\n".join(out)
