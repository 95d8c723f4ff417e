"""Charts as DrawingML in the DOCX: the recorded chart drawing as a group of Word shapes.

The PDF engine replays a chart's recorded drawing (`charts/vector.py`) onto its page; this
module turns the same recording into a Word 2010 drawing group (`wpg:wgp`) placed inline: each
run of paths that share a line and fill becomes one shape with a custom geometry, and each
line of text a borderless text box holding real text in the document's fonts. The chart is then
sharp at any zoom and in print, and its words can be searched and corrected. Readers without
Word 2010 shapes get the PNG (an `mc:AlternateContent` fallback).

Geometry: the group and every path shape span the whole chart (EMU, y downwards), so path
points need no per-shape offsets. A text box is placed so its line's baseline is where
matplotlib put the text's, and is kept inside the chart (LibreOffice shrinks a group whose
shapes reach past its frame). Turned text (a vertical axis title) is drawn as glyph outlines:
LibreOffice turns neither a text box's text with the box nor by a vertical text direction, so
real text there would lie flat; such a title is not searchable in the DOCX (it is in the PDF).
Clips are not carried over (DrawingML has none): data past an axis limit (a radar value above
its maximum), which the PDF clips at the axes, shows in full in Word.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

EMU_PER_PT = 12700
#: A text box's line height as a multiple of its font size, and where the baseline sits in it
#: (from the line's top): Word and LibreOffice put an exact line's baseline at its height less
#: the font's descent (Noto's descent is 0.293 em).
LINE = 1.2
DESCENT = 0.293
BASELINE = LINE - DESCENT

#: The namespace of Word 2010 drawing groups (the graphic data URI of a chart's group).
GROUP_URI = "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"
_NS = (f'xmlns:wpg="{GROUP_URI}" '
       'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
       'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"')


def _emu(points: float) -> int:
    return round(points * EMU_PER_PT)


def _colour(rgba: list[float]) -> str:
    r, g, b, alpha = rgba
    hex_ = f"{round(r * 255):02X}{round(g * 255):02X}{round(b * 255):02X}"
    if alpha >= 1:
        return f'<a:srgbClr val="{hex_}"/>'
    return f'<a:srgbClr val="{hex_}"><a:alpha val="{round(alpha * 100000)}"/></a:srgbClr>'


@lru_cache(maxsize=16)
def _font(path: str) -> Any:
    """Return the font in a file (read whole: no file stays open), or None."""
    from fontTools.ttLib import TTFont, TTLibError

    try:
        return TTFont(io.BytesIO(Path(path).read_bytes()), lazy=True)
    except (OSError, KeyError, ValueError, AssertionError, TTLibError):
        return None


@lru_cache(maxsize=16)
def _glyphs(path: str) -> tuple[Any, dict[int, str], float] | None:
    """Return a font file's glyph set, cmap and units per em (None when it cannot be read)."""
    font = _font(path)
    try:
        return font.getGlyphSet(), font.getBestCmap(), float(font["head"].unitsPerEm)
    except (AttributeError, KeyError, ValueError, AssertionError):
        return None


def _outline_xml(op: list[Any], fonts: dict[str, str], height: float) -> str | None:
    """Return `a:path` commands drawing the glyphs of text op `op` as outlines, placed and
    turned as matplotlib placed them; None when a font file cannot be read."""
    from fontTools.pens.basePen import BasePen

    _, _, x0, y0, angle, size, runs = op
    a = math.radians(angle)
    cos, sin = math.cos(a), math.sin(a)
    out: list[str] = []

    class Pen(BasePen):  # type: ignore[misc]
        def __init__(self, glyph_set: Any, scale: float, dx: float, dy: float) -> None:
            super().__init__(glyph_set)
            self.scale, self.dx, self.dy = scale, dx, dy

        def pt(self, p: tuple[float, float]) -> str:
            tx, ty = self.dx + p[0] * self.scale, self.dy + p[1] * self.scale
            x, y = x0 + tx * cos - ty * sin, y0 + tx * sin + ty * cos
            return f'<a:pt x="{_emu(x)}" y="{_emu(height - y)}"/>'

        def _moveTo(self, p: tuple[float, float]) -> None:  # noqa: N802 - fontTools' names
            out.append(f"<a:moveTo>{self.pt(p)}</a:moveTo>")

        def _lineTo(self, p: tuple[float, float]) -> None:  # noqa: N802
            out.append(f"<a:lnTo>{self.pt(p)}</a:lnTo>")

        def _curveToOne(self, p1: tuple[float, float], p2: tuple[float, float],  # noqa: N802
                        p3: tuple[float, float]) -> None:
            out.append(f"<a:cubicBezTo>{self.pt(p1)}{self.pt(p2)}{self.pt(p3)}</a:cubicBezTo>")

        def _qCurveToOne(self, p1: tuple[float, float],  # noqa: N802
                         p2: tuple[float, float]) -> None:
            out.append(f"<a:quadBezTo>{self.pt(p1)}{self.pt(p2)}</a:quadBezTo>")

        def _closePath(self) -> None:  # noqa: N802
            out.append("<a:close/>")

    for stem, rise, chars in runs:
        font = _glyphs(fonts[stem]) if stem in fonts else None
        if font is None:
            return None
        glyph_set, cmap, upem = font
        scale = size / upem
        for x, text in chars:
            advance = 0.0
            for char in text:
                name = cmap.get(ord(char))
                if name is None or name not in glyph_set:
                    continue
                glyph = glyph_set[name]
                glyph.draw(Pen(glyph_set, scale, x + advance, rise))
                advance += glyph.width * scale
    return "".join(out)


def _path_xml(ops: str, height: float) -> str:
    """Return `a:path` commands for recorded PDF path operators (points, y up)."""
    out: list[str] = []
    stack: list[str] = []

    def point(x: str, y: str) -> str:
        return f'<a:pt x="{_emu(float(x))}" y="{_emu(height - float(y))}"/>'

    for token in ops.split():
        if token == "m":
            out.append(f"<a:moveTo>{point(*stack[-2:])}</a:moveTo>")
        elif token == "l":
            out.append(f"<a:lnTo>{point(*stack[-2:])}</a:lnTo>")
        elif token == "c":
            x1, y1, x2, y2, x3, y3 = stack[-6:]
            out.append(f"<a:cubicBezTo>{point(x1, y1)}{point(x2, y2)}{point(x3, y3)}"
                       "</a:cubicBezTo>")
        elif token == "h":
            out.append("<a:close/>")
        else:
            stack.append(token)
            continue
        stack.clear()
    return "".join(out)


def _line_xml(state: dict[str, Any]) -> str:
    if "stroke" not in state or state["stroke"] is None:
        return "<a:ln><a:noFill/></a:ln>"
    width = max(state["width"], 0.0)
    cap = ("flat", "rnd", "sq")[state.get("cap", 0)]
    join = ("<a:miter/>", "<a:round/>", "<a:bevel/>")[state.get("join", 0)]
    dash = ""
    if "dash" in state and width > 0:
        dashes = state["dash"][0]
        pairs = [(dashes[i], dashes[i + 1] if i + 1 < len(dashes) else dashes[i])
                 for i in range(0, len(dashes), 2)]
        dash = "<a:custDash>" + "".join(
            f'<a:ds d="{round(d / width * 100000)}" sp="{round(s / width * 100000)}"/>'
            for d, s in pairs) + "</a:custDash>"
    return (f'<a:ln w="{_emu(width)}" cap="{cap}"><a:solidFill>{_colour(state["stroke"])}'
            f"</a:solidFill>{dash}{join}</a:ln>")


class _Shapes:
    """The shapes of one group, numbered by `new_id` (the document's shape ids)."""

    def __init__(self, new_id: Callable[[], int], width: float) -> None:
        self._id = new_id
        self.width = width
        self.xml: list[str] = []

    def path(self, paths: list[str], state: dict[str, Any], paint: int, height: float) -> None:
        w, h = _emu(self.width), _emu(height)
        no_fill = "" if paint & 2 else ' fill="none"'
        geometry = "".join(f'<a:path w="{w}" h="{h}"{no_fill}>{p}</a:path>' for p in paths)
        fill = f"<a:solidFill>{_colour(state['fill'])}</a:solidFill>" \
            if paint & 2 and state.get("fill") else "<a:noFill/>"
        line = _line_xml(state) if paint & 1 else "<a:ln><a:noFill/></a:ln>"
        ident = self._id()
        self.xml.append(
            f'<wps:wsp><wps:cNvPr id="{ident}" name="Path {ident}"/><wps:cNvSpPr/><wps:spPr>'
            f'<a:xfrm><a:off x="0" y="0"/><a:ext cx="{w}" cy="{h}"/></a:xfrm>'
            '<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/>'
            f'<a:rect l="0" t="0" r="r" b="b"/><a:pathLst>{geometry}</a:pathLst></a:custGeom>'
            f"{fill}{line}</wps:spPr><wps:bodyPr/></wps:wsp>")

    def text(self, op: list[Any], state: dict[str, Any], fonts: dict[str, str],
             families: dict[str, tuple[str | None, bool, bool]], height: float) -> None:
        _, _, x, y, angle, size, runs = op
        if round(angle % 360, 3) != 0 and (outline := _outline_xml(op, fonts, height)):
            # LibreOffice does not turn the text of a drawing's text box (neither by the box's
            # rotation nor by a vertical text direction): turned lettering is drawn as outlines
            self.path([outline], {"fill": state.get("fill") or [0, 0, 0, 1]}, 2, height)
            return
        first_x = runs[0][2][0][0]
        _, _, last_chars = runs[-1]
        # The last character's advance is taken as an em per character (no glyph of a text
        # face is wider), plus an em of slack: LibreOffice wraps a text box's line (whatever
        # its wrap setting) when its own advances come out a little wider than matplotlib's,
        # as they do in mixed Han and Latin text.
        end_x = last_chars[-1][0] + size * len(last_chars[-1][1])
        box_w, box_h = end_x - first_x + size, size * LINE
        # The text's own frame: x along the baseline from the origin, y up. Its box runs from
        # (first_x, -descent) to (end_x, line - descent); its centre, turned by the angle
        # about the origin, is the centre of the text box, which Word turns about it.
        cx, cy = first_x + box_w / 2, box_h / 2 - (LINE - BASELINE) * size
        a = math.radians(angle)
        centre_x = x + cx * math.cos(a) - cy * math.sin(a)
        centre_y = y + cx * math.sin(a) + cy * math.cos(a)
        ext_w, ext_h = box_w, box_h
        left, top = centre_x - ext_w / 2, height - (centre_y + ext_h / 2)
        rot = round(-angle * 60000) % 21600000  # a font that cannot be read: the box turns
        line_pt = size * LINE
        if not rot:
            # Keep the box inside the chart: LibreOffice shrinks a group whose shapes reach
            # past its frame to fit it, which would move every stroke. The slack on the right
            # gives way first; a box poking out at the top starts lower with a shorter line
            # (the baseline stays a line's height less the descent below the box's top).
            ext_w = max(min(ext_w, self.width - left), 1.0)
            if top < 0:
                line_pt += top
                ext_h += top
                top = 0.0
            ext_h = max(min(ext_h, height - top), 1.0)
        colour = state.get("fill") or [0, 0, 0, 1]
        hex_ = _colour([*colour[:3], 1]).split('"')[1]
        line = round(line_pt * 20)
        half = round(size * 2)
        runs_xml = []
        for stem, rise, chars in runs:
            family, bold, italic = families.get(stem, (None, False, False))
            text = "".join(c for _, c in chars)
            props = []
            if family:
                props.append(f"<w:rFonts w:ascii={quoteattr(family)} w:hAnsi={quoteattr(family)} "
                             f"w:eastAsia={quoteattr(family)} w:cs={quoteattr(family)}/>")
            elif any(ord(c) > 0x2E7F for c in text):
                props.append('<w:rFonts w:hint="eastAsia"/>')
            if bold:
                props.append("<w:b/><w:bCs/>")
            if italic:
                props.append("<w:i/><w:iCs/>")
            props.append(f'<w:color w:val="{hex_}"/><w:sz w:val="{half}"/>'
                         f'<w:szCs w:val="{half}"/>')
            if rise:
                props.append(f'<w:position w:val="{round(rise * 2)}"/>')
            runs_xml.append(f"<w:r><w:rPr>{''.join(props)}</w:rPr>"
                            f'<w:t xml:space="preserve">{escape(text)}</w:t></w:r>')
        ident = self._id()
        self.xml.append(
            f'<wps:wsp><wps:cNvPr id="{ident}" name="Text {ident}"/><wps:cNvSpPr txBox="1"/>'
            f'<wps:spPr><a:xfrm{f" rot={quoteattr(str(rot))}" if rot else ""}>'
            f'<a:off x="{_emu(left)}" y="{_emu(top)}"/>'
            f'<a:ext cx="{_emu(ext_w)}" cy="{_emu(ext_h)}"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln>'
            "</wps:spPr><wps:txbx><w:txbxContent>"
            '<w:p><w:pPr><w:spacing w:before="0" w:after="0" '
            f'w:line="{line}" w:lineRule="exact"/><w:ind w:left="0" w:right="0" '
            'w:firstLine="0"/><w:jc w:val="left"/></w:pPr>'
            f"{''.join(runs_xml)}</w:p></w:txbxContent></wps:txbx>"
            '<wps:bodyPr rot="0" vert="horz" wrap="none" lIns="0" tIns="0" rIns="0" bIns="0" '
            'anchor="t" anchorCtr="0"><a:noAutofit/></wps:bodyPr></wps:wsp>')


def _families(drawing: dict[str, Any], theme_families: set[str]) -> dict[str,
                                                                          tuple[str | None,
                                                                                bool, bool]]:
    """Return, per font stem of the drawing: the family to name (None: the style's), bold,
    italic."""
    from builder.engines.docx.fontnames import family_of_file

    out = {}
    for stem, path in drawing.get("fonts", {}).items():
        family = family_of_file(Path(path)) or stem.split("-")[0]
        style = stem.split("-", 1)[1].lower() if "-" in stem else ""
        out[stem] = (None if family in theme_families else family, "bold" in style,
                     "italic" in style)
    return out


def group_xml(drawing: dict[str, Any], scale: float, theme_families: set[str],
              new_id: Callable[[], int]) -> str:
    """Return the `wpg:wgp` of `drawing` drawn at `scale`, its shapes numbered by `new_id`.

    Only the group's own size scales (Word scales its children with it): paths and text
    are written at the drawing's size.
    """
    width, height = drawing["width_pt"], drawing["height_pt"]
    states, fonts = drawing["states"], drawing.get("fonts", {})
    families = _families(drawing, theme_families)
    shapes = _Shapes(new_id, width)
    pending: list[str] = []
    key: tuple[int, int] | None = None

    def flush() -> None:
        if pending and key is not None:
            shapes.path(pending, states[key[0]], key[1], height)
        pending.clear()

    for op in drawing["ops"]:
        if op[0] == "p":
            if key != (op[1], op[3]):
                flush()
                key = (op[1], op[3])
            pending.append(_path_xml(op[2], height))
        else:
            flush()
            key = None
            shapes.text(op, states[op[1]], fonts, families, height)
    flush()
    w, h = _emu(width), _emu(height)
    cw, ch = _emu(width * scale), _emu(height * scale)
    return (f"<wpg:wgp {_NS}><wpg:cNvGrpSpPr/><wpg:grpSpPr><a:xfrm>"
            f'<a:off x="0" y="0"/><a:ext cx="{cw}" cy="{ch}"/>'
            f'<a:chOff x="0" y="0"/><a:chExt cx="{w}" cy="{h}"/></a:xfrm></wpg:grpSpPr>'
            f"{''.join(shapes.xml)}</wpg:wgp>")

