"""Boxed and decorative flowables of the PDF engine: callout panel, KPI strip, contents entry.

`blocks.py` composes these from `RichParagraph`s; each knows only its size and how to draw itself,
as platypus expects, and the panel can split across pages.
"""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from builder.engines.pdf.richtext import RichParagraph, draw_text_line
from builder.engines.pdf.styles import Styles
from builder.model.document import Inline


class Rule(Flowable):
    """A horizontal rule across the frame, `thickness` points thick."""

    def __init__(self, color: Color, thickness: float = 0.6, space_before: float = 0.0,
                 space_after: float = 0.0, width_fraction: float = 1.0) -> None:
        super().__init__()
        self.color = color
        self.thickness = thickness
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self.fraction = width_fraction

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """Return the frame width and the rule's thickness."""
        self.width, self.height = availWidth, self.thickness
        return self.width, self.height

    def draw(self) -> None:
        """Draw the rule."""
        canvas: Canvas = self.canv
        canvas.setStrokeColor(self.color)
        canvas.setLineWidth(self.thickness)
        y = self.thickness / 2
        canvas.line(0, y, self.width * self.fraction, y)


class Panel(Flowable):
    """A tinted box with an accent bar on the left holding a column of flowables."""

    def __init__(self, children: list[Flowable], background: Color, bar: Color, *,
                 padding: float = 12.0, space: float = 10.0, top_part: bool = True,
                 bottom_part: bool = True) -> None:
        super().__init__()
        self.children = children
        self.background = background
        self.bar = bar
        self.padding = padding
        self.spaceBefore = space if top_part else 0.0
        self.spaceAfter = space if bottom_part else 0.0
        self.top_part = top_part
        self.bottom_part = bottom_part
        self._sizes: list[float] = []

    def _inner(self, width: float) -> float:
        return width - 2 * self.padding - 3

    def _child_heights(self, width: float) -> list[float]:
        heights = []
        for index, child in enumerate(self.children):
            _, h = child.wrap(self._inner(width), 1e6)
            if index:
                h += child.getSpaceBefore()
            if index < len(self.children) - 1:
                h += child.getSpaceAfter()
            heights.append(h)
        return heights

    def _pads(self) -> float:
        return self.padding * (int(self.top_part) + int(self.bottom_part)) * 0.85

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """Return the frame width and the height of the children plus padding."""
        self._sizes = self._child_heights(availWidth)
        self.width = availWidth
        self.height = sum(self._sizes) + self._pads()
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        """Return two panels when the children do not fit: whole children first, then a split."""
        sizes = self._child_heights(availWidth)
        room = availHeight - self.padding * 0.85
        used, count = 0.0, 0
        while count < len(sizes) and used + sizes[count] <= room:
            used += sizes[count]
            count += 1
        if count == len(sizes):
            return [self]
        head, rest = self.children[:count], self.children[count:]
        parts = rest[0].split(self._inner(availWidth), room - used)
        if len(parts) == 2:
            head, rest = [*head, parts[0]], [parts[1], *rest[1:]]
        if not head:
            return []
        kwargs = {"padding": self.padding, "space": self.spaceBefore or self.spaceAfter}
        first = Panel(head, self.background, self.bar, top_part=self.top_part,
                      bottom_part=False, **kwargs)  # type: ignore[arg-type]
        second = Panel(rest, self.background, self.bar, top_part=False,
                       bottom_part=self.bottom_part, **kwargs)  # type: ignore[arg-type]
        first.spaceBefore, second.spaceAfter = self.spaceBefore, self.spaceAfter
        return [first, second]

    def draw(self) -> None:
        """Draw the box, the bar and each child top to bottom."""
        canvas: Canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(self.background)
        canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        canvas.setFillColor(self.bar)
        canvas.rect(0, 0, 3, self.height, stroke=0, fill=1)
        canvas.restoreState()
        y = self.height - (self.padding * 0.85 if self.top_part else 0.0)
        for index, child in enumerate(self.children):
            if index:
                y -= child.getSpaceBefore()
            _, h = child.wrap(self._inner(self.width), 1e6)
            y -= h
            child.drawOn(canvas, 3 + self.padding, y)
            y -= child.getSpaceAfter() if index < len(self.children) - 1 else 0.0


class KpiStrip(Flowable):
    """A row of boxes, each a big number over its label (and the other language's label)."""

    def __init__(self, values: list[Inline], labels: list[list[RichParagraph]], styles: Styles,
                 *, zh: bool, gap: float = 8.0) -> None:
        super().__init__()
        self.value_text = values
        self.labels = labels
        self.styles = styles
        self.zh = zh
        self.gap = gap
        self.spaceBefore = 6.0
        self.spaceAfter = 12.0
        self._box_width = 0.0
        self.values: list[RichParagraph] = []

    def _inner(self) -> float:
        return self._box_width - 16

    def _value(self, text: Inline, scale: float = 1.0) -> RichParagraph:
        """Return the big number at `scale` of the KPI size."""
        styles = self.styles
        size = styles.theme.type.kpi_pt * scale
        style = styles.h1.but(size=size, leading=size * 1.2, color=styles.accent, align="center",
                              space_before=0, space_after=0)
        return RichParagraph(text, style, styles.fonts, zh=self.zh, link_color=styles.link)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """Return the frame width and the tallest box.

        Every value of a strip is set at one size, on one baseline: when one does not fit its
        box, the whole strip shrinks (down to 70 %), not that card alone.
        """
        n = max(len(self.value_text), 1)
        self._box_width = (availWidth - self.gap * (n - 1)) / n
        natural = max((self._value(text).rich.natural_width() for text in self.value_text),
                      default=0.0)
        scale = max(0.7, min(1.0, self._inner() / natural)) if natural else 1.0
        self.values = [self._value(text, scale) for text in self.value_text]
        tallest = 0.0
        for value, labels in zip(self.values, self.labels, strict=True):
            h = value.wrap(self._inner(), 1e6)[1] + 4
            h += sum(label.wrap(self._inner(), 1e6)[1] for label in labels)
            tallest = max(tallest, h)
        self.width, self.height = availWidth, tallest + 22
        return self.width, self.height

    def draw(self) -> None:
        """Draw each box with an accent bar on top."""
        canvas: Canvas = self.canv
        styles = self.styles
        for index, (value, labels) in enumerate(zip(self.values, self.labels, strict=True)):
            x = index * (self._box_width + self.gap)
            canvas.saveState()
            canvas.setFillColor(styles.callout_background)
            canvas.rect(x, 0, self._box_width, self.height, stroke=0, fill=1)
            canvas.setFillColor(styles.accent)
            canvas.rect(x, self.height - 2.5, self._box_width, 2.5, stroke=0, fill=1)
            canvas.restoreState()
            y = self.height - 11
            _, h = value.wrap(self._inner(), 1e6)
            y -= h
            value.drawOn(canvas, x + 8, y)
            y -= 4
            for label in labels:
                _, h = label.wrap(self._inner(), 1e6)
                y -= h
                label.drawOn(canvas, x + 8, y)


class TocEntry(Flowable):
    """One contents line: the title (wrapped), a dotted leader and the page, linked to `key`."""

    def __init__(self, title: RichParagraph, page: str, key: str, styles: Styles) -> None:
        super().__init__()
        self.title = title
        self.page = page
        self.key = key
        self.styles = styles
        self.spaceBefore = title.style.space_before
        self.number_width = 34.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """Return the frame width and the title's height."""
        _, h = self.title.wrap(availWidth - self.number_width, availHeight)
        self.width, self.height = availWidth, h
        return self.width, self.height

    def draw(self) -> None:
        """Draw title, leader dots, page number and the link rectangle."""
        canvas: Canvas = self.canv
        title, styles = self.title, self.styles
        title.drawOn(canvas, 0, 0)
        style = title.style
        y = title.baseline(len(title.lines) - 1)
        start = style.left_indent + title.last_line_width() + 6
        end = self.width - self.number_width + 4
        if not getattr(canvas, "dry", False):  # a layout-only pass skips the leader
            # One dotted line (zero-length dashes with round caps) instead of a circle per dot:
            # the same look, one drawing operator instead of ~100.
            dot = start + (4 - start % 4)
            if dot < end:
                canvas.saveState()
                canvas.setStrokeColor(styles.rule)
                canvas.setLineWidth(0.9)
                canvas.setLineCap(1)
                canvas.setDash([0, 4])
                canvas.line(dot, y + style.size * 0.18, end, y + style.size * 0.18)
                canvas.restoreState()
        draw_text_line(canvas, self.width, y, self.page, style.size, style.color,
                       styles.fonts, zh=False, bold=style.bold, align="right")
        canvas.linkRect("", self.key, (0, 0, self.width, self.height), relative=1, thickness=0)


class PlaceholderBox(Flowable):
    """A dashed box marking a chart that could not be rendered, with the term and the alt text."""

    def __init__(self, label: str, alt: RichParagraph, styles: Styles, height: float) -> None:
        super().__init__()
        self.label = label
        self.alt = alt
        self.styles = styles
        self.box_height = height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """Return the frame width and the box height (taller if the alt text needs it)."""
        _, alt_h = self.alt.wrap(availWidth - 60, 1e6)
        self.width, self.height = availWidth, max(self.box_height, alt_h + 60)
        return self.width, self.height

    def draw(self) -> None:
        """Draw the dashed frame, the placeholder term and the alt text."""
        canvas: Canvas = self.canv
        styles = self.styles
        canvas.saveState()
        canvas.setFillColor(styles.zebra)
        canvas.setStrokeColor(styles.muted)
        canvas.setDash(4, 3)
        canvas.setLineWidth(0.8)
        canvas.rect(0.5, 0.5, self.width - 1, self.height - 1, stroke=1, fill=1)
        canvas.restoreState()
        size = styles.theme.type.h3_pt
        draw_text_line(canvas, self.width / 2, self.height / 2 + 10, self.label, size,
                       styles.muted, styles.fonts, zh=True, bold=True, align="center")
        self.alt.drawOn(canvas, 30, self.height / 2 - 8 - self.alt.height)
