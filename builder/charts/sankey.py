"""The sankey diagram: flows between nodes as bands whose width is the flow's value.

Nodes stand in columns by their longest path from a source; nodes with no outflow stand in the
last column (mermaid's default alignment, "justify"). A node is as tall as the larger of its
in- and outflow; nodes of a column are moved towards the flows that join them (a few rounds of
relaxation, as d3-sankey does) and kept apart by at least a label's height, so labels never
overlap. Bands take their source's colour, translucent. Labels stand right of their node (left
in the last column) with the value after the name. Registered in `kinds.KINDS`.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from builder.charts.describe import flat, listing, number
from builder.model.charts import SankeyLink, SankeySpec
from builder.readers.chart_yaml import Node, SpecReader
from builder.readers.mermaid_sankey import find_cycle

if TYPE_CHECKING:  # drawing imports matplotlib; reading and describing a spec do not
    from matplotlib.figure import Figure

from builder.charts.geometry import overlap_area
from builder.charts.style import Style, points_axes
from builder.charts.text import LINE_SPACING, line_height, measure, wrap

SPEC = SankeySpec

MARGIN = 4.0
NODE_W = 9.0
ROUNDS = 6


def read(r: SpecReader, root: Node) -> SankeySpec:
    """Read `kind: sankey`: links as a list, or as columns of the chart's `data` table."""
    f = root.mapping("sankey", allowed=("kind", "title", "data", "links"), required=("links",))
    r.use_data(f)
    node = f["links"]
    links: list[SankeyLink] = []
    where: list[Node] = []
    if node.is_mapping():
        cols = node.mapping("links", allowed=("source", "target", "value"),
                            required=("source", "target", "value"))
        sources = r.labels(cols["source"], "links.source")
        targets = r.labels(cols["target"], "links.target")
        values = r.numbers(cols["value"], "links.value")
        for s, t, v in zip(sources, targets, values, strict=True):
            links.append(SankeyLink(s, t, v))
            where.append(cols["value"])
    else:
        for item in node.items("links"):
            k = item.mapping("link", allowed=("source", "target", "value"),
                             required=("source", "target", "value"))
            links.append(SankeyLink(r.text(k["source"], "source"), r.text(k["target"], "target"),
                                    k["value"].number("value")))
            where.append(item)
    if not links:
        raise node.error("a sankey needs at least one link")
    for link, at in zip(links, where, strict=True):
        if link.value <= 0:
            raise at.error(f"a flow value must be more than 0, not {number(link.value)}")
        if link.source == link.target:
            raise at.error(f"the flow {link.source} → {link.target} leads to itself")
    spec = SankeySpec(r.optional_text(f, "title", "title"), tuple(links))
    cycle = find_cycle(spec)
    if cycle is not None:
        raise where[cycle].error(f"the flow {links[cycle].source} → {links[cycle].target} "
                                 "closes a loop; a sankey diagram flows one way")
    return spec


def describe(spec: SankeySpec, zh: bool) -> tuple[str, str]:
    """Return the alt text's kind word and data: every flow with its value."""
    items = [f"{flat(k.source)} → {flat(k.target)} {number(k.value)}" for k in spec.links]
    return ("桑基图" if zh else "Sankey diagram"), listing(items, zh)


def columns(spec: SankeySpec) -> dict[str, int]:
    """Return each node's column: its longest path from a source; sinks in the last one."""
    out: dict[str, list[str]] = defaultdict(list)
    indegree = {n: 0 for n in spec.nodes}
    for link in spec.links:
        out[link.source].append(link.target)
        indegree[link.target] += 1
    depth = {n: 0 for n in spec.nodes}
    ready = [n for n in spec.nodes if indegree[n] == 0]
    while ready:
        node = ready.pop()
        for target in out[node]:
            depth[target] = max(depth[target], depth[node] + 1)
            indegree[target] -= 1
            if indegree[target] == 0:
                ready.append(target)
    last = max(depth.values(), default=0)
    return {n: (last if not out[n] else d) for n, d in depth.items()}


def draw(fig: Figure, spec: SankeySpec, style: Style) -> None:
    """Draw `spec` on `fig`."""
    from matplotlib.patches import PathPatch, Rectangle
    from matplotlib.path import Path as MplPath

    fam, small = style.families, style.small_pt
    colors = style.colors
    width = style.width_in * 72
    nodes = spec.nodes
    column = columns(spec)
    count = max(column.values()) + 1
    inflow: dict[str, float] = defaultdict(float)
    outflow: dict[str, float] = defaultdict(float)
    for link in spec.links:
        outflow[link.source] += link.value
        inflow[link.target] += link.value
    value = {n: max(inflow[n], outflow[n]) for n in nodes}
    stacks: list[list[str]] = [[] for _ in range(count)]
    for n in nodes:
        stacks[column[n]].append(n)
    # A label may reach over the bands beside its node (on a pale ground): two columns'
    # spacing before it wraps, so a column of many nodes stays one line a node.
    spacing = (width - 2 * MARGIN - NODE_W) / max(count - 1, 1)
    wide = {n: wrap(f"{n} {number(value[n])}", max(2 * spacing - 16, 60), fam, small)
            for n in nodes}
    narrow = {n: wrap(f"{n} {number(value[n])}", max(spacing - NODE_W - 12, 50), fam, small)
              for n in nodes}
    gap = line_height(fam, small) + 3
    top = MARGIN
    title = ""
    if spec.title:
        title = wrap(spec.title, width - 2 * MARGIN, fam, style.title_pt, True)
        top += measure(title, fam, style.title_pt, True)[1] + 8
    x_of = {i: MARGIN + i * spacing for i in range(count)}
    links_of: dict[str, list[SankeyLink]] = defaultdict(list)
    for link in spec.links:
        links_of[link.source].append(link)
        links_of[link.target].append(link)
    texts = dict(wide)
    for attempt in range(2):  # labels that run into another node or label wrap narrower
        y, height, plot_h, ky = _arrange(stacks, value, texts, links_of, style, gap, top)
        boxes = {n: _label_box(n, texts[n], x_of[column[n]], y[n] + height[n] / 2,
                               column[n] == count - 1 and count > 1, style) for n in nodes}
        rects = {n: (x_of[column[n]], y[n], x_of[column[n]] + NODE_W, y[n] + height[n])
                 for n in nodes}
        clashing = {n for n in nodes
                    if any(overlap_area(boxes[n], rects[m]) or overlap_area(boxes[n], boxes[m])
                           for m in nodes if m != n)}
        if attempt or not clashing:
            break
        texts.update({n: narrow[n] for n in clashing})

    def centre(n: str) -> float:
        return y[n] + height[n] / 2

    # Where each band leaves and arrives: ordered by the other end's height.
    leave: dict[tuple[int, bool], float] = {}
    for n in nodes:
        offset = y[n]
        for i, link in sorted(((i, k) for i, k in enumerate(spec.links) if k.source == n),
                              key=lambda p: centre(p[1].target)):
            leave[i, True] = offset
            offset += link.value * ky
        offset = y[n]
        for i, link in sorted(((i, k) for i, k in enumerate(spec.links) if k.target == n),
                              key=lambda p: centre(p[1].source)):
            leave[i, False] = offset
            offset += link.value * ky
    total_h = top + plot_h + MARGIN
    ax = points_axes(fig, width, total_h)
    if title:
        ax.text(MARGIN, MARGIN, title, ha="left", va="top", fontsize=style.title_pt,
                fontweight="bold", color=colors.primary, linespacing=LINE_SPACING)
    colour = {n: style.series(i) for i, n in enumerate(nodes)}
    for i, link in enumerate(spec.links):
        x0 = x_of[column[link.source]] + NODE_W
        x1 = x_of[column[link.target]]
        t0, t1 = leave[i, True], leave[i, False]
        h = link.value * ky
        mid = (x0 + x1) / 2
        path = MplPath([(x0, t0), (mid, t0), (mid, t1), (x1, t1), (x1, t1 + h),
                        (mid, t1 + h), (mid, t0 + h), (x0, t0 + h), (x0, t0)],
                       [MplPath.MOVETO, MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4,
                        MplPath.LINETO, MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4,
                        MplPath.CLOSEPOLY])
        ax.add_artist(PathPatch(path, fc=colour[link.source], ec="none", alpha=0.32,
                                zorder=1))
    for n in nodes:
        x = x_of[column[n]]
        ax.add_artist(Rectangle((x, y[n]), NODE_W, height[n], fc=colour[n], ec="none",
                                zorder=2))
        last = column[n] == count - 1 and count > 1
        ax.text(x - 4 if last else x + NODE_W + 4, centre(n), texts[n],
                ha="right" if last else "left", va="center", fontsize=small, color=colors.text,
                linespacing=LINE_SPACING, zorder=3,
                bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none",
                      "alpha": 0.75})


def _arrange(stacks: list[list[str]], value: dict[str, float], texts: dict[str, str],
             links_of: dict[str, list[SankeyLink]], style: Style, gap: float, top: float,
             ) -> tuple[dict[str, float], dict[str, float], float, float]:
    """Return node tops, node heights, the plot's height and points per unit of value."""
    fam, small = style.families, style.small_pt
    text_h = {n: measure(t, fam, small)[1] for n, t in texts.items()}
    tallest = max(len(s) for s in stacks)
    plot_h = min(max(tallest * 26.0, 170.0), 380.0)
    ky = min((plot_h - gap * (len(s) - 1)) / sum(value[n] for n in s) for s in stacks if s)
    ky = max(ky, 1e-9)
    height = {n: max(v * ky, 1.0) for n, v in value.items()}
    # Room for each node's label: nodes stand at least a label's height apart (centre to
    # centre), so a column can be taller than plot_h when it has many small nodes.
    need = {n: max(height[n], text_h[n]) for n in value}
    span = max(sum(need[n] for n in s) + gap * (len(s) - 1) for s in stacks if s)
    plot_h = max(plot_h, span)
    y: dict[str, float] = {}  # node top
    for stack in stacks:
        used = sum(need[n] for n in stack) + gap * (len(stack) - 1)
        cursor = top + (plot_h - used) / 2
        for n in stack:
            y[n] = cursor + (need[n] - height[n]) / 2
            cursor += need[n] + gap

    def centre(n: str) -> float:
        return y[n] + height[n] / 2

    for turn in range(ROUNDS):  # move nodes towards their neighbours, then apart again
        order = stacks if turn % 2 == 0 else stacks[::-1]
        for stack in order:
            for n in stack:
                weights = [(link.value, centre(link.target if link.source == n else link.source))
                           for link in links_of[n]]
                total = sum(w for w, _ in weights)
                if total:
                    wanted = sum(w * c for w, c in weights) / total
                    y[n] += (wanted - centre(n)) * 0.5
            _separate(stack, y, height, need, gap, top, top + plot_h)
    return y, height, plot_h, ky


Box = tuple[float, float, float, float]


def _label_box(name: str, text: str, x: float, mid: float, last: bool, style: Style) -> Box:
    w, h = measure(text, style.families, style.small_pt)
    x0 = x - 4 - w if last else x + NODE_W + 4
    return (x0, mid - h / 2, x0 + w, mid + h / 2)


def _separate(stack: list[str], y: dict[str, float], height: dict[str, float],
              need: dict[str, float], gap: float, top: float, bottom: float) -> None:
    """Keep a column's nodes in their order by height, `gap` apart and inside top..bottom."""
    stack.sort(key=lambda n: y[n] + height[n] / 2)
    cursor = top
    for n in stack:  # push down
        slot = y[n] - (need[n] - height[n]) / 2
        slot = max(slot, cursor)
        y[n] = slot + (need[n] - height[n]) / 2
        cursor = slot + need[n] + gap
    cursor = bottom
    for n in reversed(stack):  # then up from the bottom
        slot = y[n] - (need[n] - height[n]) / 2
        slot = min(slot, cursor - need[n])
        y[n] = slot + (need[n] - height[n]) / 2
        cursor = slot - gap
