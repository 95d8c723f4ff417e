"""Chart embedding for the PDF engine: a chart's recorded drawing replayed as vector on the page.

The chart cache holds each chart as a drawing (`charts/vector.py`); `drawing.py` replays it
with the document's fonts, so the chart stays vector, its text searchable and in the report's
typefaces, and it adds no font subsets of its own. When the drawing cannot be read, the
chart's PNG is drawn instead.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from reportlab.graphics.shapes import Drawing
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether
from reportlab.platypus.flowables import _listWrapOn

from builder.engines.pdf import drawing
from builder.engines.pdf.fonts import FontSet
from builder.engines.recorded import load_drawing
from builder.model.document import ChartImage, Formula, Picture


class ChartFlowable(Flowable):
    """A chart scaled to fit the text width (and at most `max_height`), centred, drawn as vector."""

    def __init__(self, image: ChartImage, max_height: float, fallback_font: str) -> None:
        super().__init__()
        self.image = image
        self.max_height = max_height
        self.fallback_font = fallback_font
        self.draw_width = self.draw_height = 0.0
        self.shrink = 1.0  # set by FigureFloat to fit the figure in what is left of a page

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """Return the scaled size of the chart."""
        scale = self.shrink * min(1.0, availWidth / self.image.width_pt,
                                  self.max_height / self.image.height_pt)
        self.draw_width = self.image.width_pt * scale
        self.draw_height = self.image.height_pt * scale
        self.width = availWidth
        self.height = self.draw_height
        return availWidth, self.draw_height

    def draw(self) -> None:
        """Draw the chart's recorded drawing, or its PNG if the drawing cannot be read."""
        canvas: Canvas = self.canv
        if getattr(canvas, "dry", False):
            return  # a layout-only pass: the chart's size is all that matters
        x = (self.width - self.draw_width) / 2
        try:
            if self.image.drawing_path is None:
                raise OSError("no drawing")
            recorded = load_drawing(self.image.drawing_path)
            width, height = float(recorded["width_pt"]), float(recorded["height_pt"])
        except (OSError, ValueError, KeyError, TypeError):
            canvas.drawImage(ImageReader(str(self.image.png_path)), x, 0, self.draw_width,
                             self.draw_height)
            return
        canvas.saveState()
        canvas.translate(x, 0)
        canvas.scale(self.draw_width / width, self.draw_height / height)
        canvas._code.append(f"0 0 {width} {height} re W n")  # noqa: SLF001 - clip to the figure
        drawing.draw(canvas, recorded, self.fallback_font)
        canvas.restoreState()


class FigureFloat(KeepTogether):
    """A chart with its caption and source, kept together; it may shrink down to `min_scale`
    to fit what is left of a page, and (when `may_float`) the document template may move it to
    the top of the next page while the text after it fills this one."""

    def __init__(self, content: list[Flowable], chart: ChartFlowable | None, *,
                 min_scale: float, may_float: bool) -> None:
        super().__init__(content)
        self.chart = chart
        self.min_scale = min_scale
        self.may_float = may_float

    def _content_height(self, width: float) -> float:
        return float(_listWrapOn(self._content, width, getattr(self, "canv", None))[1])

    def fitted_height(self, width: float, height: float) -> float:
        """Shrink the chart (within `min_scale`) so the figure fits `height` if it can; return
        the figure's height then."""
        if self.chart is None:
            return self._content_height(width)
        self.chart.shrink = 1.0
        total = self._content_height(width)
        if total > height and self.min_scale < 1.0:
            chart_height = self.chart.draw_height
            if chart_height > 0:
                wanted = (chart_height - (total - height)) / chart_height
                self.chart.shrink = max(self.min_scale, min(1.0, wanted))
                total = self._content_height(width)
        return total

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:  # noqa: N803
        """Fit the chart to `aH` where it can, then wrap as KeepTogether does."""
        self.fitted_height(aW, aH)
        return super().wrap(aW, aH)  # type: ignore[no-any-return]


class PictureFlowable(ChartFlowable):
    """An image block's picture at its placed size (shrunk only to fit the page, as a chart
    is: `ChartFlowable.wrap`), centred: a PNG or JPEG as an image, an SVG as vectors (svglib)
    with its text in the theme's fonts."""

    def __init__(self, picture: Picture, max_height: float, fonts: FontSet) -> None:
        super().__init__(picture, max_height, fonts.cjk)  # type: ignore[arg-type]
        self.picture = picture
        self.fonts = fonts

    def draw(self) -> None:
        """Draw the image, or the SVG's vectors."""
        canvas: Canvas = self.canv
        if getattr(canvas, "dry", False):
            return
        x = (self.width - self.draw_width) / 2
        if self.picture.format != "svg":
            canvas.drawImage(ImageReader(str(self.picture.path)), x, 0, self.draw_width,
                             self.draw_height, mask="auto")
            return
        from reportlab.graphics import renderPDF

        svg = svg_drawing(self.picture.path, self.fonts)
        canvas.saveState()
        canvas.translate(x, 0)
        canvas.scale(self.draw_width / svg.width, self.draw_height / svg.height)
        renderPDF.draw(svg, canvas, 0, 0)
        canvas.restoreState()


def svg_drawing(path: Path, fonts: FontSet) -> Drawing:
    """Return the SVG at `path` as a reportlab Drawing (checked and with its text in the theme's
    fonts: `readers.images.safe_svg`), read once per file and font set in a process."""
    stat = path.stat()
    return _svg_drawing(str(path), stat.st_size, stat.st_mtime_ns, fonts.cjk, fonts.cjk_bold)


@lru_cache(maxsize=64)
def _svg_drawing(path: str, _size: int, _mtime: int, regular: str, bold: str) -> Drawing:
    import io

    from svglib.fonts import FontMap
    from svglib.svglib import SvgRenderer, load_svg_file

    from builder.readers.images import safe_svg

    class ThemeFonts(FontMap):  # type: ignore[misc]
        """Every SVG text in the theme's CJK face (it covers Latin): never a font looked up on
        the machine (svglib would ask fontconfig), so every machine draws the same PDF."""

        def find_font(self, font_name: str, weight: str = "normal",
                      style: str = "normal") -> tuple[str, bool]:
            del font_name, style  # CJK faces have no italic
            return (bold if str(weight).lower() in ("bold", "bolder", "600", "700", "800",
                                                    "900") else regular), True

    source = Path(path)
    root = load_svg_file(io.BytesIO(safe_svg(source)), resolve_entities=False)
    if root is None:
        raise ValueError(f"{path}: svglib could not read the SVG")
    # External references were refused by safe_svg; svglib is told the same.
    renderer = SvgRenderer(path, font_map=ThemeFonts(),
                           external_reference_root=str(source.parent))
    drawing_: Drawing = renderer.render(root)
    # reportlab starts a drawing in its initial font (Helvetica, which the PDF would then name
    # without embedding it): start it in the theme's.
    drawing_.__dict__["initialFontName"] = regular
    return drawing_


class FormulaFlowable(ChartFlowable):
    """A displayed formula, centred, drawn as vectors; narrowed to the text width if wider
    (`ChartFlowable.wrap`, with no height limit)."""

    def __init__(self, formula: Formula, font: str) -> None:
        super().__init__(formula, float("inf"), font)  # type: ignore[arg-type]
        self.formula = formula
        self.font = font  # the drawing's initial font (it has no text: never Helvetica)

    def draw(self) -> None:
        """Draw the formula's SVG (its glyphs are paths)."""
        canvas: Canvas = self.canv
        if getattr(canvas, "dry", False):
            return
        from reportlab.graphics import renderPDF

        svg = formula_drawing(self.formula.svg)
        svg.__dict__["initialFontName"] = self.font
        canvas.saveState()
        canvas.translate((self.width - self.draw_width) / 2, 0)
        canvas.scale(self.draw_width / svg.width, self.draw_height / svg.height)
        renderPDF.draw(svg, canvas, 0, 0)
        canvas.restoreState()


@lru_cache(maxsize=512)
def formula_drawing(svg: str) -> Drawing:
    import io

    from svglib.svglib import SvgRenderer, load_svg_file

    root = load_svg_file(io.BytesIO(svg.encode("utf-8")), resolve_entities=False)
    if root is None:
        raise ValueError("svglib could not read the formula")
    drawing_: Drawing = SvgRenderer("formula.svg").render(root)
    return drawing_
