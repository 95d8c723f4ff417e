"""Chart drawings replayed onto a reportlab canvas: the PDF engine's half of `charts/vector.py`.

Paths are written as the recorded PDF path operators; text is set with the document's own
registered fonts (so a chart adds no font subsets of its own and its text stays searchable).
Characters are drawn as runs, and a run is broken wherever matplotlib's layout placed a
character more than `_TOLERANCE_PT` away from where the plain advance widths would put it
(kerning, ligatures, rises), so every character sits where matplotlib put it.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from reportlab.pdfgen.canvas import Canvas

from builder.engines.pdf.fonts import char_width, register_font

_TOLERANCE_PT = 0.05
_PAINT = {1: "S", 2: "f", 3: "B"}


def _colour(canvas: Canvas, rgba: list[float] | None, stroke: bool) -> None:
    if rgba is None:
        return
    r, g, b, alpha = rgba
    if stroke:
        canvas.setStrokeColorRGB(r, g, b)
        if alpha < 1:
            canvas.setStrokeAlpha(alpha)
    else:
        canvas.setFillColorRGB(r, g, b)
        if alpha < 1:
            canvas.setFillAlpha(alpha)


def _apply(canvas: Canvas, state: dict[str, Any]) -> None:
    """Set the clip, colours and line settings of one recorded graphics state."""
    code = canvas._code  # noqa: SLF001 - reportlab's content stream, as its own helpers use it
    if "clip" in state:
        x, y, w, h = state["clip"]
        code.append(f"{x} {y} {w} {h} re W n")
    if "clip_path" in state:
        code.append(f"{state['clip_path']} W n")
    if "stroke" in state:
        _colour(canvas, state["stroke"], stroke=True)
        canvas.setLineWidth(state["width"])
        canvas.setLineCap(state["cap"])
        canvas.setLineJoin(state["join"])
        if "dash" in state:
            dashes, offset = state["dash"]
            canvas.setDash(dashes, offset)
    if "fill" in state:
        _colour(canvas, state["fill"], stroke=False)


def _font_names(drawing: dict[str, Any], fallback: str) -> dict[str, str]:
    """Return reportlab font names for the drawing's font stems (the fallback when unreadable)."""
    names = {}
    for stem, path in drawing.get("fonts", {}).items():
        try:
            names[stem] = register_font(Path(path))
        except (OSError, ValueError):
            names[stem] = fallback
    return names


def _text(canvas: Canvas, op: list[Any], fonts: dict[str, str]) -> None:
    _, _, x, y, angle, size, runs = op
    if angle:
        a = math.radians(angle)
        canvas.transform(math.cos(a), math.sin(a), -math.sin(a), math.cos(a), x, y)
    else:
        canvas.translate(x, y)
    for stem, rise, chars in runs:
        name = fonts[stem]
        canvas.setFont(name, size)
        start, text, at = chars[0][0], "", chars[0][0]
        for char_x, char in chars:
            if text and abs(char_x - at) > _TOLERANCE_PT:
                canvas.drawString(start, rise, text)
                start, text, at = char_x, "", char_x
            text += char
            at += sum(char_width(name, c) for c in char) * size
        if text:
            canvas.drawString(start, rise, text)


def draw(canvas: Canvas, drawing: dict[str, Any], fallback_font: str) -> None:
    """Draw `drawing` with its origin at the canvas origin, in points."""
    fonts = _font_names(drawing, fallback_font)
    states = drawing["states"]
    code = canvas._code  # noqa: SLF001
    for op in drawing["ops"]:
        canvas.saveState()
        _apply(canvas, states[op[1]])
        if op[0] == "p":
            code.append(f"{op[2]} {_PAINT[op[3]]}")
        else:
            _text(canvas, op, fonts)
        canvas.restoreState()
