"""Code blocks in the PDF: monospaced, highlighted, on a shaded panel, never past the margin.

The code is set in the theme's monospaced face (Han and what it lacks from the CJK face and the
fallback chain) at a little under body size. A listing wider than the text shrinks, down to
85 % of its size (never below `MIN_SIZE`); a line still too long then wraps at a character, its
continuation indented and marked with ↳. A long listing breaks across pages between lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import Color, HexColor
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from builder.engines.pdf.fonts import FontSet, char_width
from builder.model.document import CodeBlock

#: The smallest code size in points (legible in print), and the share of body size code is set
#: at when it fits.
MIN_SIZE = 6.5
SIZE_SHARE = 0.86
PAD = 6.0  # panel padding in points
MAX_SHRINK = 0.85  # a listing shrinks at most to this share of its size to fit, then wraps


@dataclass(frozen=True)
class _Run:
    text: str
    font: str
    colour: Color
    width: float  # at 1 pt


def _append(runs: list[_Run], char: str, font: str, colour: Color) -> None:
    """Add `char` to the last run when it has the same font and colour, else start a run."""
    width = char_width(font, char)
    if runs and runs[-1].font == font and runs[-1].colour == colour:
        last = runs[-1]
        runs[-1] = _Run(last.text + char, font, colour, last.width + width)
    else:
        runs.append(_Run(char, font, colour, width))


Row = tuple[tuple[_Run, ...], bool]  # the runs of one printed line; True: a continuation


class CodeFlowable(Flowable):
    """One code block (or the part of it a page holds, after `split`)."""

    def __init__(self, block: CodeBlock, fonts: FontSet, colours: dict[str, str],
                 body_size: float, rows: list[Row] | None = None, size: float = 0.0) -> None:
        super().__init__()
        self.block = block
        self.fonts = fonts
        self.colours = colours
        self.body_size = body_size
        self._rows = rows
        self._size = size
        self._lines = [self._runs(line) for line in block.lines] if rows is None else []

    def _runs(self, tokens: tuple) -> list[_Run]:  # type: ignore[type-arg]
        runs: list[_Run] = []
        for token in tokens:
            colour = HexColor(self.colours.get(token.kind, self.colours["text"]))
            for char in token.text:
                font = self.fonts.font_for(char, bold=False, italic=False, zh=True, code=True)
                _append(runs, char, font, colour)
        return runs

    @property
    def leading(self) -> float:
        return self._size * 1.35

    def _layout(self, width: float) -> None:
        """Choose the size (shrunk to fit the widest line, not below MIN_SIZE) and the rows."""
        if self._rows is not None:
            return
        inner = width - 2 * PAD
        widest = max((sum(r.width for r in line) for line in self._lines), default=0.0)
        size = self.body_size * SIZE_SHARE
        if widest * size > inner:
            # shrink a little to fit; a line much longer than the rest wraps instead
            size = max(MIN_SIZE, size * MAX_SHRINK, inner / widest)
        self._size = size
        rows: list[Row] = []
        for line in self._lines:
            rows.extend(self._wrap(line, inner / size))
        self._rows = rows

    def _wrap(self, line: list[_Run], limit: float) -> list[Row]:
        """Return the printed rows of one line: as it is when it fits `limit` (in 1-pt widths),
        else cut at characters, each continuation indented by two spaces' width."""
        if sum(r.width for r in line) <= limit:
            return [(tuple(line), False)]
        indent = 2 * char_width(self.fonts.mono or self.fonts.latin, " ")
        rows: list[Row] = []
        current: list[_Run] = []
        used = 0.0
        room = limit
        for run in line:
            for char in run.text:
                w = char_width(run.font, char)
                if used + w > room and current:
                    rows.append((tuple(current), bool(rows)))
                    current, used, room = [], indent, limit
                _append(current, char, run.font, run.colour)
                used += w
        rows.append((tuple(current), bool(rows)))
        return rows

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """Return the panel's size: its rows at the chosen size, plus padding."""
        self._layout(availWidth)
        self.width = availWidth
        self.height = len(self._rows or ()) * self.leading + 2 * PAD
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        """Break between rows: the rows that fit this page, then the rest (at least two rows
        on each side, so no page holds a lone line of the listing)."""
        self._layout(availWidth)
        rows = self._rows or []
        fit = min(int((availHeight - 2 * PAD) // self.leading), len(rows) - 2)
        if fit < 2:
            return []
        first = CodeFlowable(self.block, self.fonts, self.colours, self.body_size,
                             rows[:fit], self._size)
        rest = CodeFlowable(self.block, self.fonts, self.colours, self.body_size,
                            rows[fit:], self._size)
        return [first, rest]

    def _continuation_mark(self, canvas: Canvas, right: float, y: float, size: float) -> None:
        """Draw ↳ (as lines, in every theme's fonts alike) ending at `right` on baseline `y`."""
        colour = HexColor(self.colours["comment"])
        top, mid, left = y + size * 0.7, y + size * 0.3, right - size * 0.75
        canvas.setStrokeColor(colour)
        canvas.setLineWidth(max(0.4, size * 0.07))
        path = canvas.beginPath()
        path.moveTo(left, top)
        path.lineTo(left, mid)
        path.lineTo(right, mid)
        path.moveTo(right - size * 0.25, mid + size * 0.2)
        path.lineTo(right, mid)
        path.lineTo(right - size * 0.25, mid - size * 0.2)
        canvas.drawPath(path, stroke=1, fill=0)

    def draw(self) -> None:
        """Draw the shaded panel, then each row's runs."""
        canvas: Canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(HexColor(self.colours["background"]))
        canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        if getattr(canvas, "dry", False):
            canvas.restoreState()
            return
        size = self._size
        indent = 2 * char_width(self.fonts.mono or self.fonts.latin, " ") * size
        y = self.height - PAD - size
        for runs, continued in self._rows or []:
            x = PAD + (indent if continued else 0.0)
            if continued:
                self._continuation_mark(canvas, PAD + indent - size * 0.25, y, size)
            for run in runs:
                canvas.setFont(run.font, size)
                canvas.setFillColor(run.colour)
                canvas.drawString(x, y, run.text)
                x += run.width * size
            y -= self.leading
        canvas.restoreState()
