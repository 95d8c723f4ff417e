"""The flowchart renderer: measured node boxes in their shapes, laid out by `layout.py`.

Labels are wrapped and measured first, the layout is computed in points, and the figure is made
exactly as large as the layout (shrinking the type down to 7.5 pt, and tightening gaps and node
padding, when a graph would be scaled down on the page). Nodes without incoming links are drawn
solid in the primary colour, the rest tinted. Registered in `kinds.KINDS`; `read()` reads its
YAML spec and `describe()` its alt text.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from builder.charts.describe import flat, listing
from builder.model.charts import (
    NODE_SHAPES,
    FlowchartSpec,
    FlowEdge,
    FlowNode,
    FlowSubgraph,
)
from builder.readers.chart_yaml import Node, SpecReader, colour

if TYPE_CHECKING:  # drawing imports matplotlib; reading and describing a spec do not
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

from builder.charts.geometry import COMPACT, NORMAL, Box, Layout
from builder.charts.layout import layout_flowchart
from builder.charts.routing import crosses_box, reroute
from builder.charts.style import Style, points_axes, tint
from builder.charts.text import LINE_SPACING, measure, wrap

MARGIN = 4.0
PAD_X, PAD_Y = 9.0, 6.0
COMPACT_PAD = (6.0, 3.5)  # node padding (x, y) with the tighter `layout.COMPACT` gaps
MAX_LABEL_PT = 150.0
MIN_FONT_PT = 7.5
CAP = 5.0  # the depth of a cylinder's top and bottom ellipses
EDGE_LABEL_DROP = 0.5  # edge labels are set this much smaller than node labels
#: The tallest a chart is placed in the PDF: `engines/pdf/blocks.py` caps charts at 42% of the
#: page height (A4: 842 pt). Taller layouts are folded into columns to fit.
MAX_HEIGHT_PT = 0.42 * 842


SPEC = FlowchartSpec


def read(r: SpecReader, root: Node) -> FlowchartSpec:
    """Read `kind: flowchart`."""
    f = root.mapping("flowchart", allowed=("kind", "title", "direction", "nodes", "edges",
                                            "subgraphs"), required=("nodes",))
    direction = f["direction"].word("direction", ("TB", "TD", "BT", "LR", "RL")) \
        if "direction" in f else "TB"
    nodes: dict[str, FlowNode] = {}
    for item in f["nodes"].items("nodes"):
        n = item.mapping("node", allowed=("id", "label", "shape", "fill", "stroke", "color"),
                         required=("id",))
        ident = n["id"].word("node id")
        if ident in nodes:
            raise n["id"].error(f"duplicate node id {ident!r}")
        shape = n["shape"].word("shape", NODE_SHAPES) if "shape" in n else "rect"
        colours = {k: colour(n[k], k) for k in ("fill", "stroke", "color") if k in n}
        nodes[ident] = FlowNode(ident, r.text(n["label"], "node label") if "label" in n
                                else ident, shape, **colours)
    subgraphs: list[FlowSubgraph] = []
    for item in f["subgraphs"].items("subgraphs") if "subgraphs" in f else []:
        s = item.mapping("subgraph", allowed=("id", "title", "nodes", "direction"),
                         required=("id", "nodes"))
        ident = s["id"].word("subgraph id")
        if ident in nodes or any(g.id == ident for g in subgraphs):
            raise s["id"].error(f"subgraph id {ident!r} is already used")
        members = tuple(m.word("subgraph node") for m in s["nodes"].items("subgraph nodes"))
        subgraphs.append(FlowSubgraph(
            ident, r.text(s["title"], "subgraph title") if "title" in s else ident,
            members, None,
            s["direction"].word("direction", ("TB", "BT", "LR", "RL"))  # type: ignore[arg-type]
            if "direction" in s else None))
    known = set(nodes) | {g.id for g in subgraphs}
    for g, item in zip(subgraphs, f["subgraphs"].items("subgraphs") if subgraphs else [],
                       strict=True):
        for member in g.nodes:
            if member not in known:
                raise item.error(f"subgraph {g.id!r} names unknown node {member!r}")
    edges: list[FlowEdge] = []
    for item in f["edges"].items("edges") if "edges" in f else []:
        e = item.mapping("edge", allowed=("from", "to", "label", "style", "arrow"),
                         required=("from", "to"))
        ends = []
        for key in ("from", "to"):
            ident = e[key].word(f"edge {key}")
            if ident not in known:
                raise e[key].error(f"edge {key} unknown node {ident!r}")
            ends.append(ident)
        edges.append(FlowEdge(
            ends[0], ends[1], r.optional_text(e, "label", "edge label"),
            e["style"].word("edge style", ("solid", "dotted", "thick", "invisible"))  # type: ignore[arg-type]
            if "style" in e else "solid",
            e["arrow"].boolean("arrow") if "arrow" in e else True))
    return FlowchartSpec(r.optional_text(f, "title", "title"),
                         "TB" if direction == "TD" else direction,  # type: ignore[arg-type]
                         tuple(nodes.values()), tuple(edges), _with_parents(subgraphs))


def _with_parents(subgraphs: list[FlowSubgraph]) -> tuple[FlowSubgraph, ...]:
    """Return the subgraphs with `parent` set from membership."""
    parent = {m: g.id for g in subgraphs for m in g.nodes}
    return tuple(FlowSubgraph(g.id, g.title, g.nodes, parent.get(g.id), g.direction)
                 for g in subgraphs)


def describe(spec: FlowchartSpec, zh: bool) -> tuple[str, str]:
    """Return the alt text's kind word and data: every edge (or every node when none)."""
    labels = {n.id: flat(n.label) for n in spec.nodes}
    labels.update({g.id: flat(g.title) for g in spec.subgraphs})
    links = [f"{labels.get(e.source, e.source)} → {labels.get(e.target, e.target)}"
             + (f" ({flat(e.label)})" if e.label else "") for e in spec.edges]
    data = listing(links, zh) if links else listing(list(labels.values()), zh)
    return ("流程图" if zh else "Diagram"), data


def node_size(node: FlowNode, text_w: float, text_h: float,
              pad: tuple[float, float] = (PAD_X, PAD_Y)) -> tuple[float, float]:
    """Return the box size that fits a label of `text_w` x `text_h` in the node's shape."""
    w, h = max(text_w + 2 * pad[0], 44.0), text_h + 2 * pad[1]
    if node.shape == "diamond":
        return w * 1.45 + 6, h * 1.6
    if node.shape in ("circle", "double-circle"):
        d = max(w, h) + (8 if node.shape == "double-circle" else 0)
        return d, d
    if node.shape in ("hexagon", "stadium", "asymmetric", "parallelogram", "parallelogram-alt",
                      "trapezoid", "trapezoid-alt"):
        return w + h * 0.6, h
    if node.shape == "cylinder":
        return w, h + 2 * CAP
    if node.shape == "subroutine":
        return w + 12, h
    return w, h


@dataclass
class _Measured:
    """The wrapped labels and text extents of one type size, measured once."""

    labels: dict[str, str]
    text: dict[str, tuple[float, float]]  # node label extents
    titles: dict[str, float]  # subgraph title heights (plus their gap)
    title_sizes: dict[str, tuple[float, float]]
    edge_labels: dict[int, tuple[float, float]]

    def sizes(self, spec: FlowchartSpec, pad: tuple[float, float]
              ) -> dict[str, tuple[float, float]]:
        out = {n.id: node_size(n, *self.text[n.id], pad) for n in spec.nodes}
        out.update(self.title_sizes)
        return out


def _measure_all(spec: FlowchartSpec, style: Style, size: float) -> _Measured:
    fam = style.families
    labels: dict[str, str] = {}
    text: dict[str, tuple[float, float]] = {}
    sources = {n.id for n in spec.nodes} - {e.target for e in spec.edges}
    for n in spec.nodes:
        bold = n.id in sources and len(spec.nodes) > 1
        labels[n.id] = wrap(n.label, MAX_LABEL_PT, fam, size, bold)
        text[n.id] = measure(labels[n.id], fam, size, bold)
    titles: dict[str, float] = {}
    title_sizes: dict[str, tuple[float, float]] = {}
    for g in spec.subgraphs:
        labels[g.id] = wrap(g.title, MAX_LABEL_PT * 1.5, fam, size, True)
        tw, th = measure(labels[g.id], fam, size, True)
        title_sizes[g.id] = (tw + 8, th)
        titles[g.id] = th + 4
    edge_labels = {i: measure(wrap(e.label, 110, fam, size - EDGE_LABEL_DROP), fam,
                                   size - EDGE_LABEL_DROP)
                   for i, e in enumerate(spec.edges) if e.label}
    return _Measured(labels, text, titles, title_sizes, edge_labels)


def plan(spec: FlowchartSpec, style: Style) -> tuple[Layout, dict[str, str], float]:
    """Return the layout, the wrapped labels and the font size that read largest on the page.

    The PDF engine scales a chart down to the text width and `MAX_HEIGHT_PT`; the type size
    (7.5 pt at the least) and the spacing are chosen so that the smallest text is as large as
    possible there. A chart that fits at the theme's type size keeps the normal spacing; one
    that does not is also tried with tighter gaps and node padding.
    """
    max_width = style.width_in * 72 - 2 * MARGIN
    best: tuple[float, Layout, dict[str, str], float] | None = None
    measured: dict[float, _Measured] = {}
    cache: dict = {}
    for spacing, pad in ((NORMAL, (PAD_X, PAD_Y)), (COMPACT, COMPACT_PAD)):
        size = style.label_pt
        while True:
            if size not in measured:
                measured[size] = _measure_all(spec, style, size)
            m = measured[size]
            layout = layout_flowchart(spec, m.sizes(spec, pad), m.titles, m.edge_labels,
                                      max_width, MAX_HEIGHT_PT, spacing, cache)
            fit = min(1.0, max_width / max(layout.width, 1.0),
                      MAX_HEIGHT_PT / max(layout.height + 2 * MARGIN, 1.0))
            smallest = (size - EDGE_LABEL_DROP if m.edge_labels else size) * fit
            improved = best is None or smallest > best[0] + 0.05
            if improved:
                best = (smallest, layout, m.labels, size)
            # Smaller type only helps while it still gains on the page.
            if fit >= 1.0 or size <= MIN_FONT_PT or not improved:
                break
            size = max(MIN_FONT_PT, round(size * max(0.85, fit), 2))
        if fit >= 1.0 and size == style.label_pt:
            break  # fits at full size with the normal gaps: nothing to gain
    assert best is not None
    reroute(spec, best[1])
    return best[1], best[2], best[3]


def draw(fig: Figure, spec: FlowchartSpec, style: Style) -> None:
    """Draw `spec` on `fig`.

    Shapes go in with `add_artist`, not `add_patch`: the axes' limits are set already, and
    updating them per patch was a tenth of the drawing time of a 500-node chart."""
    from matplotlib.patches import FancyBboxPatch

    layout, labels, size = plan(spec, style)
    fam = style.families
    title_h = 0.0
    title = ""
    if spec.title:
        title = wrap(spec.title, max(layout.width, 300), fam, style.title_pt, True)
        title_h = measure(title, fam, style.title_pt, True)[1] + 8
    width = max(layout.width, measure(title, fam, style.title_pt, True)[0] if title else 0)
    ax = points_axes(fig, width + 2 * MARGIN, layout.height + 2 * MARGIN + title_h)
    if title:
        ax.text(MARGIN, MARGIN, title, ha="left", va="top", fontsize=style.title_pt,
                fontweight="bold", color=style.colors.primary)
    dx = MARGIN + (width - layout.width) / 2
    dy = MARGIN + title_h
    for g in sorted(spec.subgraphs, key=lambda g: _depth(spec, g.id)):
        b = layout.clusters.get(g.id)
        if b is None:
            continue
        depth = _depth(spec, g.id)
        ax.add_artist(FancyBboxPatch((b.left + dx, b.top + dy), b.w, b.h,
                                    boxstyle="round,pad=0,rounding_size=5",
                                    fc=tint(style.colors.primary, 0.04 + 0.03 * depth),
                                    ec=style.colors.rule, lw=0.9, zorder=1))
        left = _title_left(b, measure(labels[g.id], fam, size, True), layout)
        ax.text(left + dx, b.top + dy + 6, labels[g.id], ha="left", va="top",
                fontsize=size, fontweight="bold", color=style.colors.muted, zorder=2)
    sources = {n.id for n in spec.nodes} - {e.target for e in spec.edges}
    for n in spec.nodes:
        b = layout.boxes[n.id]
        solid = n.id in sources and len(spec.nodes) > 1
        fill = n.fill or (style.colors.primary if solid else tint(style.colors.primary, 0.08))
        stroke = n.stroke or style.colors.primary
        colour = n.color or ("white" if solid and not n.fill else style.colors.text)
        _shape(ax, n.shape, Box(b.x + dx, b.y + dy, b.w, b.h), fill, stroke)
        # A cylinder's label sits below its top ellipse.
        ax.text(b.x + dx, b.y + dy + (CAP / 2 if n.shape == "cylinder" else 0), labels[n.id],
                ha="center", va="center", fontsize=size,
                fontweight="bold" if solid else "normal", color=colour, linespacing=LINE_SPACING,
                zorder=6)
    taken = [Box(b.x + dx, b.y + dy, b.w, b.h) for b in layout.boxes.values()]
    runs = [[(x + dx, y + dy) for x, y in r.points] for r in layout.routes]
    # every arrowhead, so no label covers one
    taken += [Box(run[-1][0], run[-1][1], 14, 14) for run in runs if len(run) > 1]
    for route in layout.routes:
        edge = spec.edges[route.edge]
        if edge.style == "invisible" or len(route.points) < 2:
            continue
        pts = [(x + dx, y + dy) for x, y in route.points]
        lw = 2.0 if edge.style == "thick" else 1.0
        ax.plot([p[0] for p in pts], [p[1] for p in pts], color=style.colors.muted, lw=lw,
                linestyle=(0, (2.5, 2)) if edge.style == "dotted" else "-", zorder=3,
                solid_joinstyle="miter", solid_capstyle="butt")
        if edge.arrow:
            _arrowhead(ax, pts[-2], pts[-1], style.colors.muted, 4.5 + lw)
        if edge.label:
            small = size - EDGE_LABEL_DROP
            text = wrap(edge.label, 110, fam, small)
            w, h = measure(text, fam, small)
            others = [seg for other, run in zip(layout.routes, runs, strict=True)
                      if other is not route for seg in itertools.pairwise(run)]
            ground = 2 * 0.2 * small + 1.5  # the white ground's padding, both sides
            x, y = _label_spot(pts, w + ground, h + ground, taken, others)
            taken.append(Box(x, y, w + ground, h + ground))
            ax.text(x, y, text, ha="center", va="center", fontsize=small,
                    color=style.colors.text, zorder=7,
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none"})


Segment = tuple[tuple[float, float], tuple[float, float]]


def _shares(spot: tuple[float, float], others: list[Segment]) -> bool:
    """Return True when another edge's segment runs through `spot` (a shared trunk)."""
    x, y = spot
    for (ax_, ay), (bx, by) in others:
        if abs(ax_ - bx) < 1e-6 and abs(x - ax_) < 1.0 and min(ay, by) - 1 <= y <= max(ay, by) + 1:
            return True
        if abs(ay - by) < 1e-6 and abs(y - ay) < 1.0 and min(ax_, bx) - 1 <= x <= max(ax_, bx) + 1:
            return True
    return False


def _label_spot(pts: list[tuple[float, float]], w: float, h: float, taken: list[Box],
                others: list[Segment]) -> tuple[float, float]:
    """Return where an edge label of size w x h stands on its route: on a stretch the edge
    has to itself (not a trunk it shares with other edges), at the middle of its longest
    segment, else a third or two thirds along, else on a shorter segment; the first such
    spot that covers no node and no label placed before, else the one that covers least."""
    segments = sorted(itertools.pairwise(pts), key=lambda s: -math.dist(s[0], s[1]))
    spots = [((a[0] + (b[0] - a[0]) * t), (a[1] + (b[1] - a[1]) * t))
             for a, b in segments for t in (0.5, 0.3, 0.7)]

    def cover(spot: tuple[float, float]) -> float:
        box = Box(spot[0], spot[1], w, h)
        return sum(max(0.0, min(box.right, o.right) - max(box.left, o.left))
                   * max(0.0, min(box.bottom, o.bottom) - max(box.top, o.top)) for o in taken)

    return min(spots, key=lambda spot: (cover(spot) > 0, _shares(spot, others), cover(spot)))


def _title_left(b: Box, text: tuple[float, float], layout: Layout) -> float:
    """Return where a cluster title starts: top left, else the first spot (top right, centre,
    beside an edge) that no edge runs through."""
    tw, th = text
    top = b.top + 6
    segments = [(p, q) for r in layout.routes for p, q in itertools.pairwise(r.points)]
    beside = sorted(p[0] + 4 for p, q in segments if abs(p[0] - q[0]) < 1e-6
                    and min(p[1], q[1]) < top + th and max(p[1], q[1]) > top)
    spots = [b.left + 7, b.right - 7 - tw, b.x - tw / 2, *beside]
    for left in spots:
        if left < b.left + 4 or left + tw > b.right - 4:
            continue
        spot = Box(left + tw / 2, top + th / 2, tw + 4, th + 2)
        if not any(crosses_box(spot, p, q, inset=0.0) for p, q in segments):
            return left
    return spots[0]


def _depth(spec: FlowchartSpec, ident: str) -> int:
    parents = {g.id: g.parent for g in spec.subgraphs}
    depth, current = 0, parents.get(ident)
    while current is not None and depth < 100:
        depth, current = depth + 1, parents.get(current)
    return depth


def _arrowhead(ax: Axes, a: tuple[float, float], b: tuple[float, float], colour: str,
               length: float) -> None:
    angle = math.atan2(b[1] - a[1], b[0] - a[0])
    half = length * 0.45
    back = (b[0] - length * math.cos(angle), b[1] - length * math.sin(angle))
    left = (back[0] + half * math.sin(angle), back[1] - half * math.cos(angle))
    right = (back[0] - half * math.sin(angle), back[1] + half * math.cos(angle))
    from matplotlib.patches import Polygon

    ax.add_artist(Polygon([b, left, right], closed=True, fc=colour, ec="none", zorder=4))


def _shape(ax: Axes, shape: str, b: Box, fill: str, stroke: str) -> None:
    from matplotlib.patches import Circle, Ellipse, FancyBboxPatch, Polygon

    kw = {"fc": fill, "ec": stroke, "lw": 1.0, "zorder": 5}
    l, r, t, btm, x, y = b.left, b.right, b.top, b.bottom, b.x, b.y  # noqa: E741
    slant = b.h * 0.3
    polygons = {
        "diamond": [(x, t), (r, y), (x, btm), (l, y)],
        "hexagon": [(l + slant, t), (r - slant, t), (r, y), (r - slant, btm), (l + slant, btm),
                    (l, y)],
        "asymmetric": [(l, t), (r, t), (r, btm), (l, btm), (l + slant, y)],
        "parallelogram": [(l + slant, t), (r, t), (r - slant, btm), (l, btm)],
        "parallelogram-alt": [(l, t), (r - slant, t), (r, btm), (l + slant, btm)],
        "trapezoid": [(l + slant, t), (r - slant, t), (r, btm), (l, btm)],
        "trapezoid-alt": [(l, t), (r, t), (r - slant, btm), (l + slant, btm)],
    }
    if shape in polygons:
        ax.add_artist(Polygon(polygons[shape], closed=True, joinstyle="miter", **kw))
    elif shape in ("circle", "double-circle"):
        ax.add_artist(Circle((x, y), b.w / 2, **kw))
        if shape == "double-circle":
            ax.add_artist(Circle((x, y), b.w / 2 - 3.5, fc="none", ec=stroke, lw=1.0, zorder=5))
    elif shape == "cylinder":
        cap = CAP
        ax.add_artist(Ellipse((x, btm - cap), b.w, 2 * cap, **kw))
        ax.add_artist(FancyBboxPatch((l, t + cap), b.w, b.h - 2 * cap, boxstyle="square,pad=0",
                                    fc=fill, ec="none", zorder=5))
        ax.plot([l, l], [t + cap, btm - cap], color=stroke, lw=1.0, zorder=5)
        ax.plot([r, r], [t + cap, btm - cap], color=stroke, lw=1.0, zorder=5)
        ax.add_artist(Ellipse((x, t + cap), b.w, 2 * cap, **kw))
    else:
        rounding = {"round": 6.0, "stadium": b.h / 2}.get(shape, 2.5)
        ax.add_artist(FancyBboxPatch((l, t), b.w, b.h,
                                    boxstyle=f"round,pad=0,rounding_size={rounding}", **kw))
        if shape == "subroutine":
            for xx in (l + 6, r - 6):
                ax.plot([xx, xx], [t, btm], color=stroke, lw=1.0, zorder=5)
