"""Flowchart geometry shared by layout, org charts and routing: boxes, routes, spacings."""

from __future__ import annotations

from dataclasses import dataclass, field

Point = tuple[float, float]
#: A label's or node's extent as x0, y0, x1, y1 in points (y down), where no Box is needed.
Extent = tuple[float, float, float, float]
LAYER_GAP = 30.0
NODE_GAP = 16.0
CLUSTER_PAD = 9.0
COMPONENT_GAP = 24.0
LANE = 7.0  # between parallel connector lanes around a fold
LANE_PAD = 10.0  # from a column's edge to its first lane


@dataclass(frozen=True)
class Spacing:
    """The gaps of one layered layout, in points."""

    layer: float = LAYER_GAP  # between layers (plus room for edge labels)
    node: float = NODE_GAP  # between neighbours in a layer
    cluster: float = CLUSTER_PAD  # inside a subgraph box
    component: float = COMPONENT_GAP  # between unconnected parts and folded columns
    lane: float = LANE
    lane_pad: float = LANE_PAD
    #: True: a layer gap with edge labels grows by the label height; False: it is at least the
    #: label height plus room for the arrowheads (labels sit in the middle of the gap).
    stack_labels: bool = True


#: The gaps of a chart that fits the page at full type size (the seed charts).
NORMAL = Spacing()
#: Tighter gaps for a chart that would otherwise be scaled down on the page.
COMPACT = Spacing(layer=18.0, node=10.0, cluster=6.0, component=14.0, lane=5.0, lane_pad=7.0,
                  stack_labels=False)
LOOP = 12.0  # how far a self-loop reaches out of its node
MAX_CHUNKS = 6
#: Subgraph arrangements tried, in order of preference: (turned across the flow, fold aspect).
SUBGRAPH_OPTIONS: tuple[tuple[bool, float | None], ...] = (
    (False, 0.6), (False, None), (False, 1.2), (False, 2.4), (True, None), (True, 2.4),
    (True, 4.0))
TURNED = {"TB": "LR", "BT": "LR", "LR": "TB", "RL": "TB"}


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
    #: Per cluster, the depth of the band at its top that holds its title; no edge runs along it.
    bands: dict[str, float] = field(default_factory=dict)


def straight(a: Box, b: Box) -> list[Point]:
    if abs(a.y - b.y) < 1e-6 or abs(a.x - b.x) > abs(a.y - b.y):
        sa = a.right if b.x > a.x else a.left
        sb = b.left if b.x > a.x else b.right
        return [(sa, a.y), (sb, b.y)]
    sa = a.bottom if b.y > a.y else a.top
    sb = b.top if b.y > a.y else b.bottom
    return [(a.x, sa), (b.x, sb)]


def simplify(points: list[Point]) -> list[Point]:
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




def overlap_area(a: Extent, b: Extent) -> float:
    """Return the area two extents share (0 when they only touch or are apart)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0
