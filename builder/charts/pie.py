"""The pie renderer: a ring chart, slices clockwise from twelve o'clock, labels outside.

Labels sit outside the ring with leader lines and are pushed apart vertically on each side, so
small neighbouring slices never print over each other. Registered in `kinds.KINDS`; `read()`
reads its YAML spec and `describe()` its alt text.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from builder.charts.describe import flat, listing, number
from builder.model.charts import (
    PieSlice,
    PieSpec,
)
from builder.readers.chart_yaml import Node, SpecReader, neutral_text

if TYPE_CHECKING:  # drawing imports matplotlib; reading and describing a spec do not
    from matplotlib.figure import Figure

from builder.charts.style import Style, draw_title, legible
from builder.locale.numbers import trim

OTHER_LABELS = {"其他", "其它", "其他厂商", "others", "other", "rest"}
LABEL_RADIUS = 1.18
OTHER_COLOUR = "#B8C2CC"  # "others" slices recede in grey
LINE_GAP = 0.2  # minimum vertical distance between two labels on one side, in radii


SPEC = PieSpec


def read(r: SpecReader, root: Node) -> PieSpec:
    """Read `kind: pie`."""
    f = root.mapping("pie", allowed=("kind", "title", "data", "show_data", "unit", "slices"),
                     required=("slices",))
    r.use_data(f)
    slices: list[PieSlice] = []
    for item in f["slices"].items("slices"):
        s = item.mapping("slice", allowed=("label", "value"), required=("label", "value"))
        value = s["value"].number("slice value")
        if value < 0:
            raise s["value"].error(f"slice value must not be negative: {neutral_text(value)}")
        slices.append(PieSlice(r.text(s["label"], "slice label"), value))
    if not slices:
        raise f["slices"].error("a pie needs at least one slice")
    if not any(s.value > 0 for s in slices):
        raise f["slices"].error("every slice of the pie is 0: there is nothing to draw")
    return PieSpec(
        title=r.optional_text(f, "title", "title"),
        slices=tuple(slices),
        show_data=f["show_data"].boolean("show_data") if "show_data" in f else False,
        unit=r.text(f["unit"], "unit") if "unit" in f else "",
    )


def describe(spec: PieSpec, zh: bool) -> tuple[str, str]:
    """Return the alt text's kind word and data: every slice with its value and share."""
    total = sum(s.value for s in spec.slices) or 1.0
    unit = spec.unit
    body = [f"{flat(s.label)} {number(s.value)}{unit} ({number(100 * s.value / total)}%)"
            if not unit == "%" else f"{flat(s.label)} {number(s.value)}%" for s in spec.slices]
    return ("饼图" if zh else "Pie chart"), listing(body, zh)


def _spread(items: list[tuple[float, int]], gap: float) -> dict[int, float]:
    """Return label heights for (wanted y, index) pairs, at least `gap` apart, centred."""
    items = sorted(items)
    placed: list[float] = []
    for wanted, _ in items:
        placed.append(max(wanted, placed[-1] + gap) if placed else wanted)
    overflow = (placed[-1] - 1.25) if placed else 0.0
    if overflow > 0:  # shift the stack down, then push up from the bottom again
        placed = [y - overflow for y in placed]
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - gap)
    return {index: y for (_, index), y in zip(items, placed, strict=True)}


def _decimals(text: str) -> int:
    return len(text.partition(".")[2])


def draw(fig: Figure, spec: PieSpec, style: Style) -> None:
    """Draw `spec` on `fig`."""
    fig.set_size_inches(style.width_in, 3.1)
    draw_title(fig, spec.title, style)
    ax = fig.add_subplot()
    ax.set_aspect("equal")
    ax.axis("off")
    values = [s.value for s in spec.slices]
    total = sum(values)
    colours = []
    palette_index = 0
    for s in spec.slices:
        if s.label.strip().lower() in OTHER_LABELS:
            colours.append(OTHER_COLOUR)
        else:
            colours.append(style.series(palette_index))
            palette_index += 1
    if total <= 0:
        ax.text(0, 0, "—", ha="center", va="center", color=style.colors.muted)
        ax.set_xlim(-1.5, 1.5)
        ax.set_ylim(-1.3, 1.3)
        return
    wedges, _ = ax.pie(values, colors=colours, startangle=90, counterclock=False,
                       wedgeprops={"width": 0.42, "edgecolor": "white", "linewidth": 1.5})
    anchors = []
    for index, wedge in enumerate(wedges):
        angle = math.radians((wedge.theta1 + wedge.theta2) / 2)
        anchors.append((math.cos(angle), math.sin(angle), index))
    right = _spread([(y * LABEL_RADIUS, i) for x, y, i in anchors if x >= 0], LINE_GAP * 1.7)
    left = _spread([(y * LABEL_RADIUS, i) for x, y, i in anchors if x < 0], LINE_GAP * 1.7)
    # one number format per chart: every value (and share) with as many decimals as the
    # most precise one needs (16.0% beside 20.2%, not 16%)
    value_digits = max(_decimals(trim(s.value, 2)) for s in spec.slices)
    share_digits = max(_decimals(trim(100 * s.value / total, 1)) for s in spec.slices)
    for x, y, index in anchors:
        s = spec.slices[index]
        side = 1 if x >= 0 else -1
        label_y = (right if side > 0 else left)[index]
        share = f"{100 * s.value / total:.{share_digits}f}%"
        if spec.show_data:
            value = f"{s.value:.{value_digits}f}" + (spec.unit or "")
            detail = value if spec.unit == "%" else f"{value} · {share}"
        else:
            detail = share
        text_x = side * 1.42
        ax.plot([x * 1.02, x * 1.12, side * 1.34], [y * 1.02, y * 1.12 if abs(label_y - y * 1.12)
                < 1e-9 else label_y, label_y], color=style.colors.muted, lw=0.7,
                solid_capstyle="round")
        ax.text(text_x, label_y, s.label, ha="left" if side > 0 else "right", va="bottom",
                fontsize=style.label_pt, color=style.colors.text)
        ax.text(text_x, label_y, detail, ha="left" if side > 0 else "right", va="top",
                fontsize=style.label_pt, fontweight="bold",
                color=legible(style.colors.muted if colours[index] == OTHER_COLOUR
                              else colours[index]))
    ax.set_xlim(-2.3, 2.3)
    ax.set_ylim(-1.3, 1.3)
