"""Org-chart layout for a wide top-down tree: each branch's last level stacked under its parent,
which keeps the market-participant hierarchy within a page width at a readable type size."""

from __future__ import annotations

from collections.abc import Callable

from builder.charts.geometry import (
    LAYER_GAP,
    NODE_GAP,
    Box,
    Layout,
    Point,
    Route,
    simplify,
)
from builder.model.charts import FlowchartSpec


def org_chart(spec: FlowchartSpec, sizes: dict[str, tuple[float, float]],
               max_width: float) -> Layout | None:
    """Return an org-chart layout for a wide top-down tree, or None when it does not apply."""
    children: dict[str, list[str]] = {n.id: [] for n in spec.nodes}
    parents: dict[str, str] = {}
    for e in spec.edges:
        if e.target in parents or e.source == e.target or e.label:
            return None
        parents[e.target] = e.source
        children[e.source].append(e.target)
    roots = [n.id for n in spec.nodes if n.id not in parents]
    if len(roots) != 1 or len(parents) != len(spec.nodes) - 1:
        return None
    leaf_parents = [p for p, kids in children.items()
                    if len(kids) > 1 and all(not children[k] for k in kids)]
    if not leaf_parents:
        return None
    # Only worth it when the plain layered layout would be too wide.
    widest_layer = _layer_widths(roots[0], children, sizes)
    if widest_layer <= max_width:
        return None
    boxes: dict[str, Box] = {}
    routes: list[Route] = []
    indent = 14.0
    edge_of = {(e.source, e.target): i for i, e in enumerate(spec.edges)}

    def place(node: str, left: float, top: float) -> float:
        """Place the subtree of `node` at (left, top); return its width."""
        w, h = sizes[node]
        kids = children[node]
        if not kids:
            boxes[node] = Box(left + w / 2, top + h / 2, w, h)
            return w
        if all(not children[k] for k in kids):  # stack the leaves under their parent
            width = max(w, indent + max(sizes[k][0] for k in kids))
            boxes[node] = Box(left + width / 2, top + h / 2, width, h)
            spine_x = left + indent / 2
            y = top + h + 10
            for k in kids:
                kh = sizes[k][1]
                boxes[k] = Box(left + indent + (width - indent) / 2, y + kh / 2, width - indent, kh)
                routes.append(Route(edge_of[(node, k)], [(spine_x, top + h), (spine_x, y + kh / 2),
                                                         (left + indent, y + kh / 2)]))
                y += kh + 7
            return width
        x = left
        gap_y = top + h + LAYER_GAP
        for k in kids:
            x += place(k, x, gap_y) + NODE_GAP
        width = max(x - NODE_GAP - left, w)
        centre = left + width / 2
        boxes[node] = Box(centre, top + h / 2, w, h)
        channel = top + h + LAYER_GAP / 2
        for k in kids:
            kb = boxes[k]
            routes.append(Route(edge_of[(node, k)],
                                simplify([(centre, top + h), (centre, channel),
                                           (kb.x, channel), (kb.x, kb.top)])))
        return width

    width = place(roots[0], 0.0, 0.0)
    height = max(b.bottom for b in boxes.values())
    if spec.direction == "BT":
        flip: Callable[[Point], Point] = lambda p: (p[0], height - p[1])  # noqa: E731
        boxes = {k: Box(b.x, height - b.y, b.w, b.h) for k, b in boxes.items()}
        routes = [Route(r.edge, [flip(p) for p in r.points]) for r in routes]
    return Layout(width, height, boxes, {}, routes)


def _layer_widths(root: str, children: dict[str, list[str]],
                  sizes: dict[str, tuple[float, float]]) -> float:
    layer, widest = [root], 0.0
    while layer:
        widest = max(widest, sum(sizes[n][0] for n in layer) + NODE_GAP * (len(layer) - 1))
        layer = [k for n in layer for k in children[n]]
    return widest


