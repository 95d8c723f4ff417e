"""Flowchart layout: node boxes and orthogonal edge routes, computed before anything is drawn.

Layered (Sugiyama) placement comes from grandalf: rank assignment, dummy vertices for long
edges, crossing reduction and Brandes-Köpf coordinates, all in pure Python. Subgraphs are laid
out recursively (each in its own direction) and placed as one big vertex in their parent, so a
cluster box never contains a foreign node. Edges are routed orthogonally: along the node's
flow side, across in the free channel between two layers, and through the space grandalf
reserved for the edge's dummy vertices, so a route never runs through a node of its own level.

A wide top-down tree (the market-participant hierarchy) is laid out as an org chart instead
(`orgchart.py`). Boxes, routes and spacings are in `geometry.py`; edges that would still cross
a node are re-routed on a grid by `routing.py`.
"""

from __future__ import annotations

import bisect
import itertools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from grandalf.graphs import Edge, Vertex, graph_core
from grandalf.layouts import SugiyamaLayout
from grandalf.utils.poset import Poset

from builder.charts.geometry import (
    LOOP,
    MAX_CHUNKS,
    NORMAL,
    SUBGRAPH_OPTIONS,
    TURNED,
    Box,
    Layout,
    Point,
    Route,
    Spacing,
    simplify,
    straight,
)
from builder.charts.orgchart import org_chart
from builder.model.charts import FlowchartSpec


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
                     max_width: float, max_height: float = math.inf,
                     spacing: Spacing = NORMAL, cache: dict | None = None) -> Layout:
    """Return the layout of `spec` that fits best into `max_width` x `max_height`.

    `sizes` are node box sizes, `title_heights` cluster title heights and `label_sizes` edge
    label sizes by edge index. A level whose layers do not fit is folded into side-by-side
    columns (rows for LR/RL); subgraph blocks are tried unfolded and folded to a few aspect
    ratios, and the arrangement that needs the least shrinking on the page wins. `cache`
    (optional) keeps grandalf results between calls.
    """
    parent: dict[str, str | None] = {n.id: None for n in spec.nodes}
    for g in spec.subgraphs:
        parent.setdefault(g.id, None)
    for g in spec.subgraphs:
        for member in g.nodes:
            parent[member] = g.id
    directions = {g.id: g.direction for g in spec.subgraphs}
    if spec.direction in ("TB", "BT") and not spec.subgraphs:
        tree = org_chart(spec, sizes, max_width)
        if tree is not None:
            return tree
    label_gap = max((h for _, h in label_sizes.values()), default=0.0)
    best: tuple[float, _Block] | None = None
    for turn, aspect in SUBGRAPH_OPTIONS if spec.subgraphs else ((False, None),):
        ctx = _Context(spec, parent, sizes, title_heights, label_sizes, directions, label_gap,
                       (max_width, max_height), aspect, turn, spacing,
                       {} if cache is None else cache)
        block = _layout_level(None, ctx, spec.direction)
        fit = min(1.0, max_width / max(block.w, 1.0), max_height / max(block.h, 1.0))
        if best is None or fit > best[0] * 1.03:
            best = (fit, block)
    assert best is not None
    block = best[1]
    bands = {k: spacing.cluster + title_heights.get(k, 0.0) for k in block.clusters}
    return Layout(block.w, block.h, block.boxes, block.clusters, block.routes, bands)


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


@dataclass
class _Context:
    """What every level of one layout shares."""

    spec: FlowchartSpec
    parent: dict[str, str | None]
    sizes: dict[str, tuple[float, float]]
    title_heights: dict[str, float]
    label_sizes: dict[int, tuple[float, float]]
    directions: dict[str, str | None]
    label_gap: float
    page: tuple[float, float]
    aspect: float | None  # width/height a subgraph block folds towards; None: never fold one
    turn: bool  # lay out subgraphs without their own direction across the flow (TB -> LR)
    spacing: Spacing
    cache: dict  # grandalf results by level contents, shared by the arrangements tried


@dataclass
class _Fold:
    """Columns (or rows) of consecutive layers placed side by side, in grandalf space.

    grandalf space has `cross` across the flow and `main` along it. Layer runs between `cuts`
    (main positions) become chunks; chunk `c` is moved to start at main `top` and cross `x0[c]`.
    An edge that crosses a cut leaves its chunk on the far side, runs along a lane below it,
    through the gap to the next chunk, along a lane above that one and into the next chunk.
    """

    cuts: list[float]
    lo: list[float]
    cmin: list[float]
    x0: list[float]
    bottom: list[float]
    gap: list[float]
    top: float
    lanes: dict[tuple[int, int], int]
    counts: list[int]
    cross_ext: float
    main_ext: float
    spacing: Spacing

    def chunk(self, main: float) -> int:
        return bisect.bisect(self.cuts, main)

    def cross(self, value: float, chunk: int) -> float:
        return value - self.cmin[chunk] + self.x0[chunk]

    def main(self, value: float, chunk: int) -> float:
        return value - self.lo[chunk] + self.top

    def detour(self, link: int, cut: int, x_from: float, x_to: float) -> list[Point]:
        """Return the lane points of `link` from chunk `cut` (at x_from) into chunk `cut + 1`."""
        t, n = self.lanes[(link, cut)], self.counts[cut]
        lane, pad = self.spacing.lane, self.spacing.lane_pad
        below = self.bottom[cut] + pad + t * lane
        across = self.gap[cut] + pad + t * lane
        above = self.top - pad - (n - 1 - t) * lane
        return [(x_from, below), (across, below), (across, above), (x_to, above)]


def _path(j: int, a: str, b: str, ranks: dict[str, int], centres: dict[str, Point],
          dummies: dict[tuple[int, int], Point]) -> list[tuple[int, Point]]:
    """Return the (rank, (cross, main)) points of link `j` from `a` to `b` through its dummies."""
    ra, rb = ranks[a], ranks[b]
    step = 1 if rb >= ra else -1
    inner = [(r, dummies[(j, r)]) for r in range(ra + step, rb, step)]
    return [(ra, centres[a]), *inner, (rb, centres[b])]


def _fold(cuts: list[float], centres: dict[str, Point], gsize: dict[str, tuple[float, float]],
          dummies: dict[tuple[int, int], Point], paths: dict[int, list[tuple[int, Point]]],
          sp: Spacing) -> _Fold | None:
    """Return the fold of a level at `cuts`, or None when a layer step would skip a chunk."""
    count = len(cuts) + 1
    inf = float("inf")
    lo, hi, cmin, cmax = [inf] * count, [-inf] * count, [inf] * count, [-inf] * count
    items = [(c, m, gsize[k][0] / 2, gsize[k][1] / 2) for k, (c, m) in centres.items()]
    items += [(c, m, 3.0, 3.0) for c, m in dummies.values()]
    for c, m, half_c, half_m in items:
        k = bisect.bisect(cuts, m)
        lo[k], hi[k] = min(lo[k], m - half_m), max(hi[k], m + half_m)
        cmin[k], cmax[k] = min(cmin[k], c - half_c), max(cmax[k], c + half_c)
    if any(v == inf for v in lo):
        return None
    crossing: list[list[tuple[float, int]]] = [[] for _ in cuts]
    for j, path in paths.items():
        for (_, (c0, m0)), (_, (c1, m1)) in itertools.pairwise(path):
            k0, k1 = bisect.bisect(cuts, m0), bisect.bisect(cuts, m1)
            if abs(k0 - k1) > 1:
                return None
            if k0 != k1:
                crossing[min(k0, k1)].append((c0 if k0 < k1 else c1, j))
    lanes: dict[tuple[int, int], int] = {}
    for cut, edges in enumerate(crossing):
        for t, (_, j) in enumerate(sorted(edges, key=lambda item: -item[0])):
            lanes[(j, cut)] = t
    counts = [len(edges) for edges in crossing]
    widest = max(counts, default=0)
    top = sp.lane_pad + (widest - 1) * sp.lane + 2 if widest else 0.0
    x0, gap, bottom = [], [], []
    x = 0.0
    main_ext = 0.0
    for k in range(count):
        x0.append(x)
        x += cmax[k] - cmin[k]
        bottom.append(top + hi[k] - lo[k])
        lanes_below = (sp.lane_pad + (counts[k] - 1) * sp.lane + 2
                       if k < len(cuts) and counts[k] else 0)
        main_ext = max(main_ext, bottom[k] + lanes_below)
        if k < len(cuts):
            gap.append(x)
            x += max(sp.component, 2 * sp.lane_pad + (counts[k] - 1) * sp.lane)
    return _Fold(list(cuts), lo, cmin, x0, bottom, gap, top, lanes, counts, x, main_ext, sp)


def _partitions(intervals: list[tuple[float, float]]) -> dict[int, list[float]]:
    """Return, per chunk count, the cuts that make the longest chunk as short as possible."""
    n = len(intervals)
    limits = sorted({intervals[j][1] - intervals[i][0] for i in range(n) for j in range(i, n)})
    best: dict[int, list[float]] = {}
    for limit in limits:
        cuts: list[float] = []
        start = intervals[0][0]
        for i in range(1, n):
            if intervals[i][1] - start > limit:
                cuts.append((intervals[i - 1][1] + intervals[i][0]) / 2)
                start = intervals[i][0]
        if len(cuts) < MAX_CHUNKS:
            best.setdefault(len(cuts) + 1, cuts)
    return best


def _choose_fold(centres: dict[str, Point], gsize: dict[str, tuple[float, float]],
                 dummies: dict[tuple[int, int], Point], paths: dict[int, list[tuple[int, Point]]],
                 score: Callable[[float, float], float] | None, sp: Spacing) -> _Fold:
    """Return the fold with the best `score(cross_ext, main_ext)`; fewer chunks on a near tie."""
    best = _fold([], centres, gsize, dummies, paths, sp)
    assert best is not None
    if score is None or not centres:
        return best
    spans = [(m - gsize[k][1] / 2, m + gsize[k][1] / 2) for k, (_, m) in centres.items()]
    spans += [(m - 3.0, m + 3.0) for _, m in dummies.values()]
    merged: list[tuple[float, float]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    options = [(score(best.cross_ext, best.main_ext), 0, 1, best)]
    for count, cuts in sorted(_partitions(merged).items()):
        fold = _fold(cuts, centres, gsize, dummies, paths, sp) if count > 1 else None
        if fold is not None:
            options.append((score(fold.cross_ext, fold.main_ext), sum(fold.counts), count, fold))
    top = max(option[0] for option in options)
    # Among the near-best folds, the one with the fewest connectors between columns.
    near = [option for option in options if option[0] >= top * 0.97]
    return min(near, key=lambda option: (option[1], option[2]))[3]


def _layout_level(level: str | None, ctx: _Context, direction: str) -> _Block:
    spec = ctx.spec
    members = [k for k, p in ctx.parent.items() if p == level]
    inner: dict[str, _Block] = {}
    member_size: dict[str, tuple[float, float]] = {}
    for m in members:
        if m in ctx.directions:  # a subgraph: lay it out first, then treat it as one vertex
            inherited = TURNED[direction] if ctx.turn else direction
            block = _layout_level(m, ctx, ctx.directions[m] or inherited)
            title_h = ctx.title_heights.get(m, 0.0)
            inner[m] = block
            pad = ctx.spacing.cluster
            member_size[m] = (max(block.w, ctx.sizes.get(m, (0.0, 0.0))[0]) + 2 * pad,
                              block.h + title_h + 2 * pad)
        else:
            member_size[m] = ctx.sizes[m]
    links = []
    loops: list[int] = []
    for index, e in enumerate(spec.edges):
        a, b = _rep(e.source, level, ctx.parent), _rep(e.target, level, ctx.parent)
        if a is not None and b is not None and a != b:
            links.append((index, a, b))
        elif e.source == e.target and a == e.source and e.source not in ctx.directions:
            loops.append(index)
    vertical = direction in ("TB", "BT")
    flip = direction in ("BT", "RL")
    # grandalf lays out top-down; for LR/RL the vertices are given rotated sizes.
    gsize = {m: (w, h) if vertical else (h, w) for m, (w, h) in member_size.items()}
    for index in loops:  # room for the loop (and its label) on both sides keeps the centre
        node = spec.edges[index].source
        lw, lh = ctx.label_sizes.get(index, (0.0, 0.0))
        extra = LOOP + 2 + ((lw if vertical else lh) + 4 if spec.edges[index].label else 0)
        gsize[node] = (gsize[node][0] + 2 * extra, gsize[node][1])
    has_labels = any(spec.edges[i].label for i, _, _ in links)
    sp = ctx.spacing
    gap_main = sp.layer
    if has_labels:
        # A label sits on its edge in the gap: its extent along the flow plus arrow room.
        along = max(ctx.label_sizes[i][1 if vertical else 0] for i, _, _ in links
                    if spec.edges[i].label)
        gap_main = (sp.layer + ctx.label_gap + 6 if sp.stack_labels
                    else max(sp.layer, along + 16))
    key = (tuple(members), tuple(links), tuple(sorted(gsize.items())), gap_main, sp)
    if key not in ctx.cache:  # the same level recurs in every arrangement tried
        ctx.cache[key] = _sugiyama(members, [(a, b) for _, a, b in links], gsize, gap_main, sp)
    centres, ranks, dummies = ctx.cache[key]
    shapes = {n.id: n.shape for n in spec.nodes}
    _even_ranks(members, member_size, gsize, centres, ranks, inner, vertical, sp.node, shapes)
    paths = {j: _path(j, a, b, ranks, centres, dummies) for j, (_, a, b) in enumerate(links)}
    score: Callable[[float, float], float] | None = None
    if level is None:
        page_w, page_h = ctx.page

        def score(cross: float, main: float) -> float:
            w, h = (cross, main) if vertical else (main, cross)
            return min(1.0, page_w / max(w, 1.0), page_h / max(h, 1.0))
    elif ctx.aspect is not None:
        aspect = ctx.aspect

        def score(cross: float, main: float) -> float:
            w, h = (cross, main) if vertical else (main, cross)
            return min(aspect / max(w, 1.0), 1.0 / max(h, 1.0))
    fold = _choose_fold(centres, gsize, dummies, paths, score, ctx.spacing)
    rank_main: dict[int, float] = {}
    extent: dict[int, tuple[float, float]] = {}
    spans = [(ranks[k], m, gsize[k][1] / 2) for k, (_, m) in centres.items()]
    spans += [(r, m, 3.0) for (_, r), (_, m) in dummies.items()]
    for r, m, half in spans:
        rank_main[r] = m
        low, high = extent.get(r, (m - half, m + half))
        extent[r] = (min(low, m - half), max(high, m + half))

    def real(cross: float, main: float) -> Point:
        main = fold.main_ext - main if flip else main
        return (cross, main) if vertical else (main, cross)

    def folded(point: Point) -> Point:
        k = fold.chunk(point[1])
        return fold.cross(point[0], k), fold.main(point[1], k)

    width, height = (fold.cross_ext, fold.main_ext) if vertical else (fold.main_ext,
                                                                      fold.cross_ext)
    result = _Block(width, height, {}, {}, [])
    for m, centre in centres.items():
        b = Box(*real(*folded(centre)), *member_size[m])
        if m in inner:
            result.clusters[m] = b
            title_h = ctx.title_heights.get(m, 0.0)
            sub = inner[m].shifted(b.left + (b.w - inner[m].w) / 2,
                                   b.top + ctx.spacing.cluster + title_h)
            result.boxes.update(sub.boxes)
            result.clusters.update(sub.clusters)
            result.routes.extend(sub.routes)
        else:
            result.boxes[m] = b

    def chunk_of_rank(r: int) -> int:
        return fold.chunk(rank_main[r])

    def channel(r: int, k: int) -> float:  # between rank r and r + 1, folded into chunk k
        return fold.main((extent[r][1] + extent[r + 1][0]) / 2, k)

    def ends(box: Box) -> tuple[float, float, float]:
        """Return a box's cross centre and its main extent (lo, hi) in folded grandalf space."""
        cross = box.x if vertical else box.y
        lo, hi = (box.top, box.bottom) if vertical else (box.left, box.right)
        if flip:
            lo, hi = fold.main_ext - hi, fold.main_ext - lo
        return cross, lo, hi

    for j, (index, a, b) in enumerate(links):
        e = spec.edges[index]
        src = result.boxes.get(e.source) or result.clusters[e.source]
        dst = result.boxes.get(e.target) or result.clusters[e.target]
        if ranks[a] == ranks[b]:
            result.routes.append(Route(index, straight(src, dst)))
            continue
        seq = [r for r, _ in paths[j]]
        step = 1 if seq[-1] > seq[0] else -1
        (sc, s_lo, s_hi), (dc, d_lo, d_hi) = ends(src), ends(dst)
        crosses = [sc] + [fold.cross(p[0], chunk_of_rank(r)) for r, p in paths[j][1:-1]] + [dc]
        pts = [(crosses[0], s_hi if step > 0 else s_lo)]
        for i, (r0, r1) in enumerate(itertools.pairwise(seq)):
            k0, k1 = chunk_of_rank(r0), chunk_of_rank(r1)
            if k0 == k1:
                ch = channel(min(r0, r1), k0)
                pts += [(crosses[i], ch), (crosses[i + 1], ch)]
            elif k0 < k1:
                pts += fold.detour(j, k0, crosses[i], crosses[i + 1])
            else:
                pts += fold.detour(j, k1, crosses[i + 1], crosses[i])[::-1]
        pts.append((crosses[-1], d_lo if step > 0 else d_hi))
        result.routes.append(Route(index, simplify([real(c, m) for c, m in pts])))
    for index in loops:
        b = result.boxes[spec.edges[index].source]
        if vertical:
            q = min(b.h * 0.3, 7.0)
            pts = [(b.right, b.y - q), (b.right + LOOP, b.y - q), (b.right + LOOP, b.y + q),
                   (b.right, b.y + q)]
        else:
            q = min(b.w * 0.3, 9.0)
            pts = [(b.x - q, b.bottom), (b.x - q, b.bottom + LOOP), (b.x + q, b.bottom + LOOP),
                   (b.x + q, b.bottom)]
        result.routes.append(Route(index, pts))
    return result


def _even_ranks(members: list[str], member_size: dict[str, tuple[float, float]],
                gsize: dict[str, tuple[float, float]], centres: dict[str, Point],
                ranks: dict[str, int], inner: dict[str, _Block], vertical: bool,
                gap: float, shapes: dict[str, str]) -> None:
    """Give the boxes of one shape in one rank one size, in place: along the flow always (a
    rank's band is as deep as its deepest box already), across it as far as the gaps to the
    neighbours allow (each side keeps three quarters of the node spacing). A row of boxes then
    starts and ends on one line, and a column of an LR chart has one width; a cylinder or a
    diamond, taller by its shape, leaves the boxes beside it as they are."""
    rows: dict[int, list[str]] = {}
    for m in members:
        if m not in inner and m in centres:
            rows.setdefault(ranks[m], []).append(m)
    for row in rows.values():
        row.sort(key=lambda m: centres[m][0])  # neighbours across the flow, of any shape
        groups: dict[str, list[str]] = {}
        for m in row:
            groups.setdefault(shapes.get(m, "rect"), []).append(m)
        for group in groups.values():
            if len(group) < 2:
                continue
            deep = max(gsize[m][1] for m in group)
            wide = max(gsize[m][0] for m in group)
            for m in group:
                i = row.index(m)
                cross, along = gsize[m]
                room = [wide]
                for j in (i - 1, i + 1):
                    if 0 <= j < len(row):
                        other = row[j]
                        room.append(2 * (abs(centres[other][0] - centres[m][0])
                                         - gsize[other][0] / 2 - 0.75 * gap))
                new_cross = max(cross, min(room))
                grow_cross, grow_along = new_cross - cross, deep - along
                gsize[m] = (new_cross, deep)
                w, h = member_size[m]
                member_size[m] = (w + grow_cross, h + grow_along) if vertical else \
                    (w + grow_along, h + grow_cross)


class _Conflicts(list):  # type: ignore[type-arg]
    """grandalf's list of alignment conflicts, asked `in` for every median of every layer in
    each of its four passes: a set beside it answers at once (a 1,000-node chart spent 1.4 s
    scanning the list)."""

    def __init__(self, items: Iterable[Any] = ()) -> None:
        super().__init__(items)
        self._members = set(self)

    def append(self, item: Any) -> None:
        super().append(item)
        self._members.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._members


class _Layout(SugiyamaLayout):  # type: ignore[misc]
    """grandalf's layered layout, with its conflicts in a `_Conflicts`."""

    @property
    def conflicts(self) -> _Conflicts:
        return self._conflicts

    @conflicts.setter
    def conflicts(self, value: Iterable[Any]) -> None:
        self._conflicts = _Conflicts(value)


def _components(vertices: list[Vertex], edges: list[Edge]) -> list[graph_core]:
    """Return the connected parts of the graph, as grandalf's `Graph(vertices, edges).C`
    gives them (in the same order, with their vertices in the same order), without its list
    scans per edge (quadratic: 0.65 s of a 1,000-node chart), and with each part's edges in
    the order given."""
    members: dict[int, list[Vertex]] = {id(v): [v] for v in vertices}
    owner = {id(v): id(v) for v in vertices}
    for e in edges:
        x, y = e.v[0], e.v[1]
        e.attach()
        cx, cy = owner[id(x)], owner[id(y)]
        if cx != cy:  # y's part joins x's, after its vertices; x's part keeps its place
            merged = members.pop(cy)
            members[cx].extend(merged)
            for z in merged:
                owner[id(z)] = cx
    # Each part's edges in the order given: grandalf collects them in a set, whose order
    # follows the objects' addresses, so a large chart came out differently run to run.
    touching: dict[int, list[Edge]] = {key: [] for key in members}
    for e in edges:
        touching[owner[id(e.v[0])]].append(e)
    parts = []
    for key, part in members.items():  # in the order of each part's first-placed vertex
        if len(part) > 1:
            # graph_core unites the vertices' sets edge by edge, then compares every vertex's
            # set with the whole one (a set comparison each: quadratic); given the part
            # already united, it has nothing to unite, and compares one object with itself
            united = _Part(part)
            for v in part:
                v.c = united
        parts.append(graph_core(part, touching[key], True))
    return parts


class _Part(Poset):  # type: ignore[misc]
    """The vertices of a connected part, already united: equal to itself at once."""

    def __ne__(self, other: object) -> bool:
        return self is not other and bool(Poset.__ne__(self, other))

    def __eq__(self, other: object) -> bool:
        return self is other or bool(Poset.__eq__(self, other))


def _sugiyama(members: list[str], links: list[tuple[str, str]],
              size: dict[str, tuple[float, float]], gap_main: float, sp: Spacing
              ) -> tuple[dict[str, Point], dict[str, int], dict[tuple[int, int], Point]]:
    """Return centres (cross, main), ranks and dummy positions keyed by (link, rank)."""
    vertices = {m: Vertex(m) for m in members}
    for m, v in vertices.items():
        v.view = _View(*size[m])
    edges = []
    for a, b in links:
        e = Edge(vertices[a], vertices[b])
        e.view = _View(0, 0)
        edges.append(e)
    components = _components(list(vertices.values()), edges)
    centres: dict[str, Point] = {}
    ranks: dict[str, int] = {}
    dummies: dict[tuple[int, int], Point] = {}
    offset = 0.0
    for number, component in enumerate(components):
        base = number * 100_000  # ranks of different components never share a layer
        sug = _Layout(component)
        sug.xspace, sug.yspace = sp.node, gap_main
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
                    dummies[(edge_index[id(e)], base + r)] = (d.view.xy[0] + shift,
                                                              d.view.xy[1])
        right = max(v.view.xy[0] + v.view.w / 2 for v in component.sV) + shift
        offset = right + sp.component
    return centres, ranks, dummies
