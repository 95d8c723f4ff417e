"""Pictures in the DOCX: image files, SVGs with their PNG fallback, inline formulas.

Shared by the block writers (`visuals`) and the inline writer (`inline`), so it imports neither.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import IO, Any

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from docx.oxml.shape import CT_Inline
from docx.shape import InlineShape
from docx.shared import Pt
from docx.text.paragraph import Paragraph as DocxParagraph

from builder.engines.docx import ooxml
from builder.engines.docx.context import Context
from builder.engines.docx.ooxml import qn
from builder.model.document import InlineMath, Picture

# A chart never takes more than this share of the text height, so its caption fits below.
MAX_FIGURE_HEIGHT_SHARE = 0.55


def figure_size_pt(ctx: Context, width_pt: float, height_pt: float) -> tuple[float, float]:
    """Return a figure's size: its own, narrowed to the text width and capped in height
    (keeping the aspect); never enlarged, so a chart's lettering stays the size it was drawn
    at (body text size) and an image is not blurred."""
    width = min(ctx.text_width_pt, width_pt) if width_pt > 0 else ctx.text_width_pt
    height = width * height_pt / width_pt if width_pt > 0 else width * 0.6
    cap = ctx.text_height_pt * MAX_FIGURE_HEIGHT_SHARE
    if height > cap:
        width, height = width * cap / height, cap
    return width, height


def add_picture(ctx: Context, p: DocxParagraph, path: str | IO[bytes], width_pt: float,
                 height_pt: float, *, chart: bool = False) -> InlineShape:
    """Return the picture at `path` added in a new run of `p`: `Run.add_picture`, shape id
    taken from `ctx` (the same number, without scanning the whole document each time).

    A `chart` picture is named by its kind and its pixels (`xychart-<sha1>.png`), not by its
    cache file, whose name hashes the drawing code: a new version of the tool that draws the
    same chart writes the same file."""
    part = ctx.doc.part
    r_id, image = part.get_or_add_image(path)
    cx, cy = image.scaled_dimensions(Pt(width_pt), Pt(height_pt))
    name = image.filename
    if chart:
        name = f"{name.split('-')[0]}-{image.sha1[:20]}{Path(name).suffix}"
    inline = CT_Inline.new_pic_inline(ctx.shape_id(), r_id, name, cx, cy)
    p.add_run()._r.add_drawing(inline)
    return InlineShape(inline)


#: The resolution of an SVG's PNG fallback, as the charts' PNGs.
SVG_FALLBACK_DPI = 220
_SVG_EXT = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"  # MS-ODRAWXML: the SVG blip extension
_ASVG = "http://schemas.microsoft.com/office/drawing/2016/SVG/main"


def add_image_file(ctx: Context, p: DocxParagraph, picture: Picture) -> InlineShape:
    """Return an image block's picture added to `p` at its placed size (capped to the page).

    A PNG or JPEG is embedded as it is. An SVG is embedded as SVG (Word 2016 and later,
    LibreOffice) with a PNG fallback that older readers show (`a:blip` + `asvg:svgBlip`).
    """
    width, height = figure_size_pt(ctx, picture.width_pt, picture.height_pt)
    if picture.format != "svg":
        return add_picture(ctx, p, str(picture.path), width, height)
    from builder.readers.images import REPORT_FONT, safe_svg

    family, files = ctx.svg_font
    svg = safe_svg(picture.path).replace(REPORT_FONT.encode(), family.encode() or b"sans-serif")
    return add_svg(ctx, p, svg, width, height, files)


def add_svg(ctx: Context, p: DocxParagraph, svg: bytes, width: float, height: float,
            fonts: tuple[Path, ...] = ()) -> InlineShape:
    """Return a checked SVG added to `p` as SVG with its PNG fallback (drawn with `fonts`)."""
    family = ctx.svg_font[0]
    shape = add_picture(ctx, p, io.BytesIO(_svg_png(svg, family, fonts, width)), width,
                         height)
    part = ctx.doc.part
    partname = part.package.next_partname("/word/media/image%d.svg")
    svg_part = Part(partname, "image/svg+xml", svg, part.package)
    r_id = part.relate_to(svg_part, RT.IMAGE)
    blip = shape._inline.find(".//" + qn("a:blip"))
    ext_list = blip.makeelement(qn("a:extLst"), {})
    ext = ext_list.makeelement(qn("a:ext"), {"uri": _SVG_EXT})
    svg_blip = ext.makeelement(f"{{{_ASVG}}}svgBlip", {qn("r:embed"): r_id},
                               nsmap={"asvg": _ASVG})
    ext.append(svg_blip)
    ext_list.append(ext)
    blip.append(ext_list)
    return shape


_ROOT_TAG = re.compile(r"<svg\b[^>]*>", re.S)
_SIZE_ATTR = re.compile(r'(\s)(width|height)="([^"]*)"')


def _px_size(svg: str) -> str:
    """Return `svg` with its root's width and height in CSS pixels (resvg reads no pt, mm)."""
    from builder.readers.images import length_pt

    def px(match: re.Match[str]) -> str:
        points = length_pt(match[3])
        value = f"{points * 4 / 3:.3f}" if points else match[3]
        return f'{match[1]}{match[2]}="{value}"'

    return _ROOT_TAG.sub(lambda tag: _SIZE_ATTR.sub(px, tag[0]), svg, count=1)


def _svg_png(svg: bytes, family: str, fonts: tuple[Path, ...], width_pt: float) -> bytes:
    """Return the PNG fallback of a checked SVG: drawn by resvg with the theme's fonts only
    (never the machine's), `width_pt` wide at SVG_FALLBACK_DPI."""
    import resvg_py

    from builder.readers.images import REPORT_FONT

    text = _px_size(svg.decode("utf-8").replace(REPORT_FONT, family or "sans-serif"))
    pixels = max(1, round(width_pt / 72 * SVG_FALLBACK_DPI))
    return bytes(resvg_py.svg_to_bytes(
        svg_string=text, width=pixels, skip_system_fonts=True,
        font_files=[str(f) for f in dict.fromkeys(fonts)], font_family=family or None,
        sans_serif_family=family or None, serif_family=family or None,
        monospace_family=family or None))


def add_inline_math(ctx: Context, p: DocxParagraph, math: InlineMath) -> None:
    """Add an inline formula to `p`: its SVG (with PNG fallback) at body size, lowered so its
    baseline sits on the line's, the LaTeX as its alt text."""
    size = ctx.body_pt
    shape = add_svg(ctx, p, math.svg.encode("utf-8"), math.width * size, math.height * size)
    shape._inline.docPr.set("descr", math.tex)
    run = shape._inline.getparent().getparent()  # w:r > w:drawing > wp:inline
    rpr = run.get_or_add_rPr()
    position = rpr.makeelement(qn("w:position"), {qn("w:val"): str(-round(math.depth * size * 2))})
    rpr.append(position)



def add_chart_drawing(ctx: Context, p: DocxParagraph, drawing: dict[str, Any],
                      png: Path, width_pt: float, height_pt: float, alt: str,
                      title: str) -> None:
    """Add a chart to `p` as Word shapes drawn from its recording (`engines/docx/drawing.py`),
    with its PNG as the fallback of readers that do not read Word 2010 drawing groups."""
    from docx.oxml import parse_xml

    from builder.engines.docx.drawing import GROUP_URI, group_xml

    fallback = add_picture(ctx, p, str(png), width_pt, height_pt, chart=True)._inline
    doc_pr = fallback.docPr
    doc_pr.set("descr", alt)
    doc_pr.set("title", title)
    run = fallback.getparent().getparent()
    ident = ctx.shape_id()
    group = group_xml(drawing, width_pt / drawing["width_pt"], set(ctx.theme_families),
                      ctx.drawing_shape_id)
    extent = fallback.find(qn("wp:extent"))
    choice = parse_xml(
        # the Choice's Requires names a prefix, which must be declared where it stands
        f'<mc:AlternateContent xmlns:mc="{ooxml.MC}" xmlns:wpg="{GROUP_URI}" '
        'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
        '<mc:Choice Requires="wpg"><w:drawing><wp:inline distT="0" distB="0" distL="0" '
        f'distR="0"><wp:extent cx="{extent.get("cx")}" cy="{extent.get("cy")}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{ident}" name="Chart {ident}"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic><a:graphicData uri="{GROUP_URI}">{group}</a:graphicData></a:graphic>'
        "</wp:inline></w:drawing></mc:Choice><mc:Fallback/></mc:AlternateContent>")
    inline = choice.find(f".//{qn('wp:inline')}")
    choice_pr = inline.find(qn("wp:docPr"))
    choice_pr.set("descr", alt)
    choice_pr.set("title", title)
    drawing_el = fallback.getparent()
    run.replace(drawing_el, choice)
    choice.find(f"{{{ooxml.MC}}}Fallback").append(drawing_el)
