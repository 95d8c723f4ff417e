"""Formulas: LaTeX math drawn by matplotlib's mathtext (no TeX installation) as an SVG.

The glyphs are written as paths (`svg.fonttype: path`), so the SVG needs no font to be shown:
the PDF engine draws it as vectors, the DOCX engine embeds it (with a PNG fallback). Letters
are in the theme's Latin face; symbols the face lacks come from matplotlib's STIX Sans. The SVG
is deterministic: no date, fixed ids. mathtext parses a subset of TeX and runs nothing.
"""

from __future__ import annotations

import io
import logging
import re
from functools import lru_cache
from pathlib import Path

from builder.themes import Theme

#: The longest formula (a formula, not a page of mathematics).
MAX_TEX = 2000
_DROP = re.compile(r"<!DOCTYPE[^>]*>|<metadata>.*?</metadata>", re.S)


class FormulaError(ValueError):
    """The LaTeX could not be read by mathtext; the message says why."""


def render_formula(tex: str, theme: Theme, size_pt: float) -> tuple[str, float, float, float]:
    """Return the SVG of `tex` (math, without `$`), its width and height in points, and its
    depth: how far below the text baseline it reaches (the SVG's baseline is that far above its
    bottom edge), as mathtext lays it out."""
    faces = (theme.latin.regular, theme.latin.italic, theme.latin.bold)
    return _render(tex.strip(), faces, size_pt)


@lru_cache(maxsize=512)
def _render(tex: str, faces: tuple[Path, Path, Path],
            size_pt: float) -> tuple[str, float, float, float]:
    import matplotlib

    matplotlib.use("agg")
    from matplotlib import font_manager
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties
    from matplotlib.mathtext import MathTextParser

    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    names = []
    for path in faces:
        font_manager.fontManager.addfont(str(path))
        names.append(font_manager.FontProperties(fname=str(path)).get_name())
    family = names[0]
    settings = {
        "svg.fonttype": "path", "svg.hashsalt": "report-builder", "text.usetex": False,
        "mathtext.fontset": "custom", "mathtext.rm": family, "mathtext.sf": family,
        "mathtext.tt": family, "mathtext.cal": family, "mathtext.it": f"{family}:italic",
        "mathtext.bf": f"{family}:bold", "mathtext.bfit": f"{family}:italic:bold",
        "mathtext.fallback": "stixsans",
    }
    source = f"${tex}$"
    with matplotlib.rc_context(settings):
        prop = FontProperties(family=family, size=size_pt)
        try:
            # as matplotlib's math_to_image: a figure of the formula's box, its baseline
            # `depth` above the bottom edge
            width, height, depth, _, _ = MathTextParser("path").parse(source, dpi=72, prop=prop)
            if width <= 0 or height <= 0:
                raise FormulaError("the formula draws nothing")
            figure = Figure(figsize=(width / 72, height / 72))
            figure.text(0, depth / height, source, fontproperties=prop)
            buffer = io.BytesIO()
            figure.savefig(buffer, format="svg", dpi=72, transparent=True,
                           metadata={"Date": None, "Creator": None})
        except ValueError as exc:
            message = str(exc).strip().splitlines()
            raise FormulaError(message[-1] if message else "mathtext cannot read it") from None
    svg = _DROP.sub("", buffer.getvalue().decode("utf-8"))
    return svg, float(width), float(height), float(depth)
