"""The quadrant chart: a 2x2 matrix of two axes from low to high, with items placed on it.

The positioning chart of market reports (competitors by share and growth, risks by likelihood
and impact). Quadrants are named in mermaid's order (1 top right, 2 top left, 3 bottom left,
4 bottom right) and tinted from the theme's primary colour, the strongest in the top right.
Axis texts are set level, the vertical axis's beside each half, so Chinese is never turned on
its side. Each point's label goes below it, or above, right or left of it, wherever it covers
no other label, point or quadrant name. Registered in `kinds.KINDS`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from builder.charts.describe import flat, listing, number
from builder.model.charts import QuadrantPoint, QuadrantSpec
from builder.readers.chart_yaml import Node, SpecReader, colour
from builder.readers.mermaid_common import hex_colour

if TYPE_CHECKING:  # drawing imports matplotlib; reading and describing a spec do not
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from builder.charts.geometry import Extent, overlap_area
from builder.charts.style import Style, legible, points_axes, tint
from builder.charts.text import LINE_SPACING, measure, wrap

SPEC = QuadrantSpec

MARGIN = 4.0
AXIS_COLUMN = 64.0   # the vertical axis's texts, left of the plot
RADIUS = 4.5         # a point's default radius
PAD = 6.0            # inside a quadrant, around its name
TINTS = (0.16, 0.08, 0.035, 0.08)  # quadrants 1-4: the top right is the strongest
_QUADRANT_KEYS = ("top_right", "top_left", "bottom_left", "bottom_right")


def _axis(r: SpecReader, node: Node | None, what: str) -> tuple[tuple[str, str], float, float]:
    if node is None:
        return ("", ""), 0.0, 1.0
    f = node.mapping(what, allowed=("low", "high", "min", "max"))
    low = r.text(f["low"], f"{what}.low") if "low" in f else ""
    high = r.text(f["high"], f"{what}.high") if "high" in f else ""
    lo = f["min"].number(f"{what}.min") if "min" in f else 0.0
    hi = f["max"].number(f"{what}.max") if "max" in f else 1.0
    if hi <= lo:
        raise (f.get("max") or node).error(f"{what}: max must be greater than min")
    return (low, high), lo, hi


def read(r: SpecReader, root: Node) -> QuadrantSpec:
    """Read `kind: quadrant`; points are a list, or columns of the chart's `data` table."""
    f = root.mapping("quadrant", allowed=("kind", "title", "data", "x_axis", "y_axis",
                                          "quadrants", "points"), required=("points",))
    r.use_data(f)
    x_axis, x_lo, x_hi = _axis(r, f.get("x_axis"), "x_axis")
    y_axis, y_lo, y_hi = _axis(r, f.get("y_axis"), "y_axis")
    names = ["", "", "", ""]
    if "quadrants" in f:
        q = f["quadrants"].mapping("quadrants", allowed=_QUADRANT_KEYS)
        names = [r.text(q[k], f"quadrants.{k}") if k in q else "" for k in _QUADRANT_KEYS]

    def scaled(value: float, lo: float, hi: float, node: Node, what: str) -> float:
        if not lo <= value <= hi:
            raise node.error(f"{what} {number(value)} is outside the axis ({number(lo)} to "
                             f"{number(hi)})", hint="set the axis's min and max")
        return (value - lo) / (hi - lo)

    points: list[QuadrantPoint] = []
    node = f["points"]
    if node.is_mapping():  # columns of the data table
        cols = node.mapping("points", allowed=("label", "x", "y"), required=("label", "x", "y"))
        labels = r.labels(cols["label"], "points.label")
        xs, ys = r.numbers(cols["x"], "points.x"), r.numbers(cols["y"], "points.y")
        for label, x, y in zip(labels, xs, ys, strict=True):
            points.append(QuadrantPoint(label, scaled(x, x_lo, x_hi, cols["x"], "points.x"),
                                        scaled(y, y_lo, y_hi, cols["y"], "points.y")))
    else:
        for item in node.items("points"):
            p = item.mapping("point", allowed=("label", "x", "y", "color", "radius"),
                             required=("label", "x", "y"))
            radius = p["radius"].number("radius") if "radius" in p else None
            if radius is not None and not 0 < radius <= 40:
                raise p["radius"].error("radius must be more than 0 and at most 40 points")
            points.append(QuadrantPoint(
                r.text(p["label"], "point label"),
                scaled(p["x"].number("x"), x_lo, x_hi, p["x"], "x"),
                scaled(p["y"].number("y"), y_lo, y_hi, p["y"], "y"),
                hex_colour(colour(p["color"], "color")) if "color" in p else None, radius))
    return QuadrantSpec(r.optional_text(f, "title", "title"), x_axis, y_axis,
                        (names[0], names[1], names[2], names[3]), tuple(points))


def quadrant_of(point: QuadrantPoint) -> int:
    """Return the quadrant (0-3 for mermaid's 1-4) that `point` lies in."""
    right, top = point.x >= 0.5, point.y >= 0.5
    return 0 if right and top else 1 if top else 2 if not right else 3


def describe(spec: QuadrantSpec, zh: bool) -> tuple[str, str]:
    """Return the alt text's kind word and data: each point, its place and its quadrant."""
    items = []
    for p in spec.points:
        name = flat(spec.quadrants[quadrant_of(p)])
        where = f"({number(p.x)}, {number(p.y)})"
        items.append(f"{flat(p.label)} {where}" + (f" {name}" if name and zh
                                                    else f", {name}" if name else ""))
    axes = [f"{flat(lo)} → {flat(hi)}".strip(" →") for lo, hi in (spec.x_axis, spec.y_axis)]
    lead = ("横轴" if zh else "x: ") + axes[0] + ("，纵轴" if zh else "; y: ") + axes[1] \
        if any(axes) else ""
    data = listing(items, zh)
    return ("象限图" if zh else "Quadrant chart"), \
        (f"{lead}{'；' if zh else '; '}{data}" if lead and data else lead or data)


def draw(fig: Figure, spec: QuadrantSpec, style: Style) -> None:
    """Draw `spec` on `fig`."""
    from matplotlib.patches import Circle, Rectangle

    fam, size = style.families, style.label_pt
    colors = style.colors
    width = style.width_in * 72
    top = MARGIN
    title = ""
    if spec.title:
        title = wrap(spec.title, width - 2 * MARGIN, fam, style.title_pt, True)
        top += measure(title, fam, style.title_pt, True)[1] + 8
    has_y = any(spec.y_axis)
    x0 = MARGIN + (AXIS_COLUMN if has_y else 0.0)
    x1 = width - MARGIN - 2
    plot_w = x1 - x0
    plot_h = round(min(plot_w * 0.62, 290.0))
    y0, y1 = top, top + plot_h
    half_w, half_h = plot_w / 2, plot_h / 2
    x_texts = [wrap(t, half_w - 8, fam, size) for t in spec.x_axis]
    x_text_h = max((measure(t, fam, size)[1] for t in x_texts if t), default=0.0)
    height = y1 + (10 + x_text_h if any(spec.x_axis) else 0.0) + MARGIN + 2
    ax = points_axes(fig, width, height)
    if title:
        ax.text(MARGIN, MARGIN, title, ha="left", va="top", fontsize=style.title_pt,
                fontweight="bold", color=colors.primary, linespacing=LINE_SPACING)

    # Quadrants: 1 top right, 2 top left, 3 bottom left, 4 bottom right.
    origins = ((x0 + half_w, y0), (x0, y0), (x0, y0 + half_h), (x0 + half_w, y0 + half_h))
    taken: list[Extent] = []
    fills = [tint(colors.primary, t) for t in TINTS]
    for (qx, qy), fill in zip(origins, fills, strict=True):
        ax.add_patch(Rectangle((qx, qy), half_w, half_h, fc=fill, ec="white", lw=1.5,
                               zorder=1))
    ax.add_patch(Rectangle((x0, y0), plot_w, plot_h, fc="none", ec=colors.rule, lw=0.8,
                           zorder=2))
    dots = [(x0 + p.x * plot_w, y1 - p.y * plot_h, p.radius if p.radius is not None else RADIUS)
            for p in spec.points]
    for name, (qx, qy), fill in zip(spec.quadrants, origins, fills, strict=True):
        if not name:
            continue
        text = wrap(name, half_w - 2 * PAD, fam, size, True)
        w, h = measure(text, fam, size, True)
        centre = qx + half_w / 2
        if dots:  # at the top of the quadrant, out of the points' way: centred, at either
            # corner, else at the bottom
            top_y, low_y = qy + PAD, qy + half_h - PAD - h
            options = [(centre, top_y), (qx + PAD + w / 2, top_y),
                       (qx + half_w - PAD - w / 2, top_y), (centre, low_y)]

            def hits(cx_: float, ty_: float, w: float = w, h: float = h) -> bool:
                box_ = (cx_ - w / 2, ty_, cx_ + w / 2, ty_ + h)
                return any(overlap_area(box_, (cx - r - 6, cy - r - 6, cx + r + 6, cy + r + 6))
                           for cx, cy, r in dots)

            centre, ty = next((o for o in options if not hits(*o)), options[0])
            taken.append((centre - w / 2, ty, centre + w / 2, ty + h))
            va = "top"
        else:
            ty, va = qy + half_h / 2, "center"
        ax.text(centre, ty, text, ha="center", va=va, fontsize=size, fontweight="bold",
                color=legible(colors.primary, fill), linespacing=LINE_SPACING, zorder=3)

    # The axes: arrows from low to high along the bottom and the left edge.
    if any(spec.x_axis):
        _arrow(ax, (x0, y1 + 5), (x1, y1 + 5), colors.muted)
        for text, cx in zip(x_texts, (x0 + half_w / 2, x0 + 1.5 * half_w), strict=True):
            if text:
                ax.text(cx, y1 + 9, text, ha="center", va="top", fontsize=size,
                        color=colors.text, linespacing=LINE_SPACING)
    if has_y:
        _arrow(ax, (x0 - 5, y1), (x0 - 5, y0), colors.muted)
        for text, cy in zip(spec.y_axis, (y0 + 1.5 * half_h, y0 + half_h / 2), strict=True):
            if text:
                ax.text(x0 - 10, cy, wrap(text, AXIS_COLUMN - 12, fam, size), ha="right",
                        va="center", fontsize=size, color=colors.text,
                        linespacing=LINE_SPACING)

    # Points, then their labels where they cover nothing drawn so far.
    for p, (cx, cy, radius) in zip(spec.points, dots, strict=True):
        ax.add_patch(Circle((cx, cy), radius, fc=p.color or style.series(0),
                            ec=p.stroke or "white", lw=p.stroke_width or 0.9, zorder=4))
    taken += [(cx - r, cy - r, cx + r, cy + r) for cx, cy, r in dots]
    for p, (cx, cy, radius) in zip(spec.points, dots, strict=True):
        _label(ax, p.label, cx, cy, radius, (x0, y0, x1, y1), taken, style)


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], colour: str) -> None:
    """Draw a thin line from `start` to `end` with a small filled head at `end`."""
    from matplotlib.patches import Polygon

    (ax_, ay), (bx, by) = start, end
    length = ((bx - ax_) ** 2 + (by - ay) ** 2) ** 0.5
    ux, uy = (bx - ax_) / length, (by - ay) / length
    head, half = 5.0, 2.2
    ax.plot([ax_, bx - ux * head], [ay, by - uy * head], color=colour, lw=0.8,
            solid_capstyle="butt")
    ax.add_patch(Polygon([(bx, by), (bx - ux * head - uy * half, by - uy * head + ux * half),
                          (bx - ux * head + uy * half, by - uy * head - ux * half)],
                         closed=True, fc=colour, ec="none"))


def _label(ax: Axes, label: str, cx: float, cy: float, radius: float, plot: Extent,
           taken: list[Extent], style: Style) -> None:
    """Place `label` beside its point: the first of below, above, right and left that stays
    inside the plot and covers nothing in `taken`, else the one that covers least."""
    fam, size = style.families, style.small_pt
    text = wrap(label, 110, fam, size)
    w, h = measure(text, fam, size)
    gap = radius + 2
    own = (cx - radius, cy - radius, cx + radius, cy + radius)
    options = [
        ((cx - w / 2, cy + gap, cx + w / 2, cy + gap + h), (cx, cy + gap, "center", "top")),
        ((cx - w / 2, cy - gap - h, cx + w / 2, cy - gap), (cx, cy - gap, "center", "bottom")),
        ((cx + gap, cy - h / 2, cx + gap + w, cy + h / 2), (cx + gap, cy, "left", "center")),
        ((cx - gap - w, cy - h / 2, cx - gap, cy + h / 2), (cx - gap, cy, "right", "center")),
    ]

    def cost(box: Extent) -> float:
        outside = 0.0 if (box[0] >= plot[0] + 1 and box[2] <= plot[2] - 1
                          and box[1] >= plot[1] + 1 and box[3] <= plot[3] - 1) else 1e6
        return outside + sum(overlap_area(box, other) for other in taken if other != own)

    box, (tx, ty, ha, va) = min(options, key=lambda o: (cost(o[0]) > 0, cost(o[0])))
    taken.append(box)
    ax.text(tx, ty, text, ha=ha, va=va, fontsize=size, color=style.colors.text,
            linespacing=LINE_SPACING, zorder=5)
