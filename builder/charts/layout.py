"""Flowchart layout: node boxes and orthogonal edge routes, computed before anything is drawn.

Layered (Sugiyama) placement comes from grandalf: rank assignment, dummy vertices for long
edges, crossing reduction and Brandes-Köpf coordinates, all in pure Python. Subgraphs are laid
out recursively (each in its own direction) and placed as one big vertex in their parent, so a
cluster box never contains a foreign node. Edges are routed orthogonally: along the node's
flow side, across in the free channel between two layers, and through the space grandalf
reserved for the edge's dummy vertices, so a route never runs through a node of its own level.

A wide top-down tree (the market-participant hierarchy) is laid out as an org chart instead:
the last level of each branch is stacked vertically under its parent, which keeps the chart
within a page width at a readable type size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from grandalf.graphs import Edge, Graph, Vertex
from grandalf.layouts import SugiyamaLayout

from builder.model.charts import FlowchartSpec

Point = tuple[float, float]
LAYER_GAP = 30.0
NODE_GAP = 16.0
CLUSTER_PAD = 9.0
COMPONENT_GAP = 24.0


@dataclass
class Box:
    """A node (or cluster) box in points: centre `x`, `y` (y grows downwards), size `w`, `h`."""

    x: float
    y: float
    w: float
    h: float

    @property
    def left(self) -> float:
        return self.x - self.w / 2

    @property
    def right(self) -> float:
        return self.x + self.w / 2

    @property
    def top(self) -> float:
        return self.y - self.h / 2

    @property
    def bottom(self) -> float:
        return self.y + self.h / 2

    def overlaps(self, other: Box, gap: float = 0.0) -> bool:
        """Return True when the boxes (grown by `gap`) overlap."""
        return (self.left - gap < other.right and other.left - gap < self.right
                and self.top - gap < other.bottom and other.top - gap < self.bottom)


@dataclass
class Route:
    """The polyline of one edge (index into `spec.edges`), from source side to target side."""

    edge: int
    points: list[Point]


@dataclass
class Layout:
    """Everything a flowchart drawer needs: boxes by node id, clusters by subgraph id, routes."""

    width: float
    height: float
    boxes: dict[str, Box] = field(default_factory=dict)
    clusters: dict[str, Box] = field(default_factory=dict)
    routes: list[Route] = field(default_factory=list)


@dataclass
class _Block:
    """A laid-out level: size and contents relative to its top-left corner."""

    w: float
    h: float
    boxes: dict[str, Box]
    clusters: dict[str, Box]
    routes: list[Route]

    def shifted(self, dx: float, dy: float) -> _Block:
        move = lambda b: Box(b.x + dx, b.y + dy, b.w, b.h)  # noqa: E731
        return _Block(self.w, self.h, {k: move(b) for k, b in self.boxes.items()},
                      {k: move(b) for k, b in self.clusters.items()},
                      [Route(r.edge, [(x + dx, y + dy) for x, y in r.points])
                       for r in self.routes])


class _View:
    def __init__(self, w: float, h: float) -> None:
        self.w, self.h = w, h
        self.xy = (0.0, 0.0)

    def setpath(self, points: list[Point]) -> None:
        self.path = points


def layout_flowchart(spec: FlowchartSpec, sizes: dict[str, tuple[float, float]],
                     title_heights: dict[str, float], label_sizes: dict[int, tuple[float, float]],
                     max_width: float) -> Layout:
    """Return the layout of `spec`; `sizes` are node box sizes, `title_heights` cluster titles."""
    parent: dict[str, str | None] = {n.id: None for n in spec.nodes}
    for g in spec.subgraphs:
        parent.setdefault(g.id, None)
    for g in spec.subgraphs:
        for member in g.nodes:
            parent[member] = g.id
    directions = {g.id: g.direction for g in spec.subgraphs}
    if spec.direction in ("TB", "BT") and not spec.subgraphs:
        tree = _org_chart(spec, sizes, max_width)
        if tree is not None:
            return tree
    label_gap = max((h for _, h in label_sizes.values()), default=0.0)
    block = _layout_level(None, spec, parent, sizes, title_heights, directions,
                          spec.direction, label_gap)
    return Layout(block.w, block.h, block.boxes, block.clusters, block.routes)


def _rep(node: str, level: str | None, parent: dict[str, str | None]) -> str | None:
    """Return the ancestor of `node` (or `node`) directly inside `level`, or None."""
    current: str | None = node
    seen = 0
    while current is not None and seen < 1000:
        if parent.get(current) == level:
            return current
        current = parent.get(current)
        seen += 1
    return None


def _layout_level(level: str | None, spec: FlowchartSpec, parent: dict[str, str | None],
                  sizes: dict[str, tuple[float, float]], title_heights: dict[str, float],
                  directions: dict[str, str | None], direction: str,
                  label_gap: float) -> _Block:
    members = [k for k, p in parent.items() if p == level]
    inner: dict[str, _Block] = {}
    member_size: dict[str, tuple[float, float]] = {}
    for m in members:
        if m in directions:  # a subgraph: lay it out first, then treat it as one vertex
            block = _layout_level(m, spec, parent, sizes, title_heights, directions,
                                  directions[m] or direction, label_gap)
            title_h = title_heights.get(m, 0.0)
            inner[m] = block
            member_size[m] = (max(block.w, sizes.get(m, (0.0, 0.0))[0]) + 2 * CLUSTER_PAD,
                              block.h + title_h + 2 * CLUSTER_PAD)
        else:
            member_size[m] = sizes[m]
    links = []
    for index, e in enumerate(spec.edges):
        a, b = _rep(e.source, level, parent), _rep(e.target, level, parent)
        if a is not None and b is not None and a != b:
            links.append((index, a, b))
    vertical = direction in ("TB", "BT")
    flip = direction in ("BT", "RL")
    # grandalf lays out top-down; for LR/RL the vertices are given rotated sizes.
    gsize = {m: (w, h) if vertical else (h, w) for m, (w, h) in member_size.items()}
    has_labels = any(spec.edges[i].label for i, _, _ in links)
    gap_main = LAYER_GAP + (label_gap + 6 if has_labels else 0)
    centres, ranks, dummies = _sugiyama(members, [(a, b) for _, a, b in links], gsize, gap_main)
    # Back to real coordinates: (cross, main) -> (x, y).
    def real(cross: float, main: float) -> Point:
        main = -main if flip else main
        return (cross, main) if vertical else (main, cross)

    boxes: dict[str, Box] = {}
    for m, (cx, cy) in centres.items():
        x, y = real(cx, cy)
        boxes[m] = Box(x, y, *member_size[m])
    xs = [b.left for b in boxes.values()] + [b.right for b in boxes.values()]
    ys = [b.top for b in boxes.values()] + [b.bottom for b in boxes.values()]
    min_x, min_y = min(xs, default=0.0), min(ys, default=0.0)
    width, height = max(xs, default=0.0) - min_x, max(ys, default=0.0) - min_y

    def shift(p: Point) -> Point:
        return (p[0] - min_x, p[1] - min_y)

    result = _Block(width, height, {}, {}, [])
    for m, b in boxes.items():
        b = Box(b.x - min_x, b.y - min_y, b.w, b.h)
        if m in inner:
            result.clusters[m] = b
            title_h = title_heights.get(m, 0.0)
            sub = inner[m].shifted(b.left + (b.w - inner[m].w) / 2,
                                   b.top + CLUSTER_PAD + title_h)
            result.boxes.update(sub.boxes)
            result.clusters.update(sub.clusters)
            result.routes.extend(sub.routes)
        else:
            result.boxes[m] = b
    # Layer extents along the main axis (in grandalf space) give the channels between layers.
    extent: dict[int, tuple[float, float]] = {}
    for m, r in ranks.items():
        main = centres[m][1]
        half = gsize[m][1] / 2
        lo, hi = extent.get(r, (main - half, main + half))
        extent[r] = (min(lo, main - half), max(hi, main + half))

    def channel(r: int) -> float:  # between rank r and r + 1, in grandalf main coordinates
        return (extent[r][1] + extent[r + 1][0]) / 2

    for j, (index, a, b) in enumerate(links):
        e = spec.edges[index]
        src = result.boxes.get(e.source) or result.clusters[e.source]
        dst = result.boxes.get(e.target) or result.clusters[e.target]
        ra, rb = ranks[a], ranks[b]
        step = 1 if rb > ra else -1
        if ra == rb:
            result.routes.append(Route(index, _straight(src, dst)))
            continue

        def cross_of(box: Box) -> float:
            return box.x if vertical else box.y

        def main_edge(box: Box, downstream: bool) -> float:
            # The side of `box` facing the flow (downstream) or against it, in grandalf space.
            lo, hi = (box.top, box.bottom) if vertical else (box.left, box.right)
            lo, hi = (lo + (min_y if vertical else min_x), hi + (min_y if vertical else min_x))
            if flip:
                lo, hi = -hi, -lo
            return hi if downstream else lo

        crosses = [cross_of(src) + (min_x if vertical else min_y)]
        chans = []
        for r in range(ra, rb, step):
            chans.append(channel(min(r, r + step)))
            if r + step != rb:
                crosses.append(dummies[(j, r + step)])
        crosses.append(cross_of(dst) + (min_x if vertical else min_y))
        pts = [(crosses[0], main_edge(src, step > 0))]
        for i, ch in enumerate(chans):
            pts.append((crosses[i], ch))
            pts.append((crosses[i + 1], ch))
        pts.append((crosses[-1], main_edge(dst, step < 0)))
        result.routes.append(Route(index, _simplify([shift(real(c, m)) for c, m in pts])))
    return result


def _straight(a: Box, b: Box) -> list[Point]:
    if abs(a.y - b.y) < 1e-6 or abs(a.x - b.x) > abs(a.y - b.y):
        sa = a.right if b.x > a.x else a.left
        sb = b.left if b.x > a.x else b.right
        return [(sa, a.y), (sb, b.y)]
    sa = a.bottom if b.y > a.y else a.top
    sb = b.top if b.y > a.y else b.bottom
    return [(a.x, sa), (b.x, sb)]


def _simplify(points: list[Point]) -> list[Point]:
    """Drop repeated and collinear points (an elbow with no offset becomes a straight line)."""
    out: list[Point] = []
    for p in points:
        if out and abs(out[-1][0] - p[0]) < 0.5 and abs(out[-1][1] - p[1]) < 0.5:
            continue
        out.append(p)
    i = 1
    while i < len(out) - 1:
        (x0, y0), (x1, y1), (x2, y2) = out[i - 1], out[i], out[i + 1]
        vertical = abs(x0 - x1) < 0.5 and abs(x1 - x2) < 0.5
        horizontal = abs(y0 - y1) < 0.5 and abs(y1 - y2) < 0.5
        if vertical or horizontal:
            del out[i]
        else:
            i += 1
    return out


def _sugiyama(members: list[str], links: list[tuple[str, str]],
              size: dict[str, tuple[float, float]], gap_main: float
              ) -> tuple[dict[str, Point], dict[str, int], dict[tuple[int, int], float]]:
    """Return centres (cross, main), ranks and dummy cross positions keyed by (link, rank)."""
    vertices = {m: Vertex(m) for m in members}
    for m, v in vertices.items():
        v.view = _View(*size[m])
    edges = []
    for a, b in links:
        e = Edge(vertices[a], vertices[b])
        e.view = _View(0, 0)
        edges.append(e)
    graph = Graph(list(vertices.values()), edges)
    centres: dict[str, Point] = {}
    ranks: dict[str, int] = {}
    dummies: dict[tuple[int, int], float] = {}
    offset = 0.0
    for number, component in enumerate(graph.C):
        base = number * 100_000  # ranks of different components never share a layer
        sug = SugiyamaLayout(component)
        sug.xspace, sug.yspace = NODE_GAP, gap_main
        sug.dw, sug.dh = 6.0, 6.0
        roots = [v for v in component.sV if not v.e_in()]
        sug.init_all(roots=roots or None)
        sug.draw(3)
        xs = [v.view.xy[0] - v.view.w / 2 for v in component.sV] + \
             [d.view.xy[0] for c in sug.ctrls.values() for d in c.values()]
        shift = offset - min(xs)
        for v in component.sV:
            centres[v.data] = (v.view.xy[0] + shift, v.view.xy[1])
            ranks[v.data] = base + sug.grx[v].rank
        edge_index = {id(e): i for i, e in enumerate(edges)}
        for e, ctrl in sug.ctrls.items():
            for r, d in ctrl.items():
                if getattr(d, "dummy", 0):
                    dummies[(edge_index[id(e)], base + r)] = d.view.xy[0] + shift
        right = max(v.view.xy[0] + v.view.w / 2 for v in component.sV) + shift
        offset = right + COMPONENT_GAP
    return centres, ranks, dummies


def _org_chart(spec: FlowchartSpec, sizes: dict[str, tuple[float, float]],
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
                                _simplify([(centre, top + h), (centre, channel),
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
