"""Chart embedding for the PDF engine: a chart's recorded drawing replayed as vector on the page.

The chart cache holds each chart as a drawing (`charts/vector.py`); `drawing.py` replays it
with the document's fonts, so the chart stays vector, its text searchable and in the report's
typefaces, and it adds no font subsets of its own. When the drawing cannot be read, the
chart's PNG is drawn instead.
"""

from __future__ import annotations

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepTogether
from reportlab.platypus.flowables import _listWrapOn

from builder.engines.pdf import drawing
from builder.model.document import ChartImage


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
            recorded = drawing.load_drawing(self.image.drawing_path)
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
