"""Chart specs: the typed, localized description of one diagram, between reading and rendering.

Readers (`builder.charts` for YAML specs, `builder.readers.mermaid` for mermaid source) produce a
`ChartSpec`; `builder.charts.render_chart` draws it. Every text is a plain `str` in one language.
Frozen dataclasses from the standard library only; `to_json()` is the `diagram --dump` contract.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, ClassVar, Literal

Orientation = Literal["vertical", "horizontal"]
SeriesType = Literal["bar", "line"]
Direction = Literal["TB", "BT", "LR", "RL"]
EdgeStyle = Literal["solid", "dotted", "thick", "invisible"]
NumberFormat = Literal["usd", "number", "percent"]

#: Node shapes a flowchart renderer can draw; mermaid's other shapes are mapped onto these.
NODE_SHAPES: tuple[str, ...] = (
    "rect", "round", "stadium", "subroutine", "cylinder", "circle", "double-circle",
    "diamond", "hexagon", "asymmetric", "parallelogram", "parallelogram-alt",
    "trapezoid", "trapezoid-alt",
)


@dataclass(frozen=True)
class PieSlice:
    """One slice: its label and a non-negative value."""

    label: str
    value: float


@dataclass(frozen=True)
class PieSpec:
    """A pie chart. `show_data` prints the values next to the labels; `unit` follows them."""

    kind: ClassVar[str] = "pie"
    title: str | None
    slices: tuple[PieSlice, ...]
    show_data: bool = False
    unit: str = ""

    def to_json(self) -> dict[str, Any]:
        """Return the `--dump` form: kind, title and slices."""
        return {
            "kind": self.kind,
            "title": self.title,
            "slices": [{"label": s.label, "value": s.value} for s in self.slices],
            "show_data": self.show_data,
        }


@dataclass(frozen=True)
class XAxis:
    """The category axis. `categories` is empty for a numeric axis from `range_min`..`range_max`.

    Categories that are numbers or dates (years) stand at proportional distances unless
    `categorical` keeps them evenly spaced."""

    title: str | None = None
    categories: tuple[str, ...] = ()
    range_min: float | None = None
    range_max: float | None = None
    categorical: bool = False


@dataclass(frozen=True)
class YAxis:
    """The value axis; `None` bounds are derived from the data."""

    title: str | None = None
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class XYSeries:
    """One data series drawn as bars or a line; one value per category."""

    type: SeriesType
    title: str | None
    values: tuple[float, ...]


@dataclass(frozen=True)
class ValueLabels:
    """Value labels on bars, formatted per language (`usd` 472.4亿美元 / USD 47.24 billion)."""

    format: NumberFormat = "number"
    scale: str = "one"


@dataclass(frozen=True)
class XYChartSpec:
    """A bar and/or line chart over categories, vertical or horizontal (bars grow to the right)."""

    kind: ClassVar[str] = "xychart"
    title: str | None
    orientation: Orientation
    x_axis: XAxis
    y_axis: YAxis
    series: tuple[XYSeries, ...]
    value_labels: ValueLabels | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the `--dump` form: orientation, both axes and the series."""
        x_axis: dict[str, Any] = {"title": self.x_axis.title,
                                  "categories": list(self.x_axis.categories)}
        if self.x_axis.range_min is not None or self.x_axis.range_max is not None:
            x_axis["min"] = self.x_axis.range_min
            x_axis["max"] = self.x_axis.range_max
        return {
            "kind": self.kind,
            "title": self.title,
            "orientation": self.orientation,
            "x_axis": x_axis,
            "y_axis": {"title": self.y_axis.title, "min": self.y_axis.min, "max": self.y_axis.max},
            "series": [{"type": s.type, "title": s.title, "values": list(s.values)}
                       for s in self.series],
        }


@dataclass(frozen=True)
class RadarAxis:
    """One spoke of a radar chart."""

    id: str
    label: str


@dataclass(frozen=True)
class RadarSeries:
    """One curve of a radar chart: one value per axis, in axis order."""

    id: str
    label: str
    values: tuple[float, ...]


@dataclass(frozen=True)
class RadarSpec:
    """A radar (spider) chart; values are scaled from `min` (centre) to `max` (rim)."""

    kind: ClassVar[str] = "radar"
    title: str | None
    axes: tuple[RadarAxis, ...]
    series: tuple[RadarSeries, ...]
    min: float
    max: float
    graticule: Literal["circle", "polygon"] = "polygon"
    ticks: int = 5
    show_legend: bool = True

    def to_json(self) -> dict[str, Any]:
        """Return the `--dump` form: axes, series (values in axis order), min and max."""
        return {
            "kind": self.kind,
            "title": self.title,
            "axes": [{"id": a.id, "label": a.label} for a in self.axes],
            "series": [{"id": s.id, "label": s.label, "values": list(s.values)}
                       for s in self.series],
            "min": self.min,
            "max": self.max,
        }


@dataclass(frozen=True)
class TimelinePeriod:
    """One time period with its events; `section` groups consecutive periods."""

    label: str
    events: tuple[str, ...]
    section: str | None = None


@dataclass(frozen=True)
class TimelineSpec:
    """A timeline: periods from left to right, events listed under each."""

    kind: ClassVar[str] = "timeline"
    title: str | None
    periods: tuple[TimelinePeriod, ...]

    def to_json(self) -> dict[str, Any]:
        """Return the `--dump` form: title and periods."""
        return {
            "kind": self.kind,
            "title": self.title,
            "periods": [{"label": p.label, "section": p.section, "events": list(p.events)}
                        for p in self.periods],
        }


@dataclass(frozen=True)
class FlowNode:
    """A flowchart node. `fill`, `stroke` and `color` are `#RRGGBB` overrides or `None`."""

    id: str
    label: str
    shape: str = "rect"
    fill: str | None = None
    stroke: str | None = None
    color: str | None = None


@dataclass(frozen=True)
class FlowEdge:
    """A link from `source` to `target`; `arrow` is False for an open link (`---`)."""

    source: str
    target: str
    label: str | None = None
    style: EdgeStyle = "solid"
    arrow: bool = True


@dataclass(frozen=True)
class FlowSubgraph:
    """A titled group of nodes; `nodes` are direct members, `parent` the enclosing subgraph."""

    id: str
    title: str
    nodes: tuple[str, ...]
    parent: str | None = None
    direction: Direction | None = None


@dataclass(frozen=True)
class FlowchartSpec:
    """A directed graph of shaped nodes, drawn with a layered layout in `direction`."""

    kind: ClassVar[str] = "flowchart"
    title: str | None
    direction: Direction
    nodes: tuple[FlowNode, ...]
    edges: tuple[FlowEdge, ...]
    subgraphs: tuple[FlowSubgraph, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Return the `--dump` form; `nodes` excludes subgraph ids, `edges` is every link."""
        return {
            "kind": self.kind,
            "title": self.title,
            "direction": self.direction,
            "nodes": [{"id": n.id, "label": n.label, "shape": n.shape} for n in self.nodes],
            "edges": [{"from": e.source, "to": e.target, "label": e.label, "style": e.style}
                      for e in self.edges],
            "subgraphs": [{"id": s.id, "title": s.title, "nodes": list(s.nodes)}
                          for s in self.subgraphs],
        }


@dataclass(frozen=True)
class QuadrantPoint:
    """One plotted item: its label and place, `x` and `y` from 0 to 1 across the axes.

    `color` and `stroke` are `#RRGGBB` or None (the theme's); `radius` and `stroke_width` are in
    points or None."""

    label: str
    x: float
    y: float
    color: str | None = None
    radius: float | None = None
    stroke: str | None = None
    stroke_width: float | None = None


@dataclass(frozen=True)
class QuadrantSpec:
    """A 2x2 matrix: two axes from low to high, four named quadrants and the points on them.

    `quadrants` are in mermaid's order: top right, top left, bottom left, bottom right; empty
    texts are unnamed quadrants. Axis texts are `(low, high)`, empty where not given."""

    kind: ClassVar[str] = "quadrant"
    title: str | None
    x_axis: tuple[str, str]
    y_axis: tuple[str, str]
    quadrants: tuple[str, str, str, str]
    points: tuple[QuadrantPoint, ...]

    def to_json(self) -> dict[str, Any]:
        """Return the `--dump` form: axes, quadrants and points."""
        return {
            "kind": self.kind,
            "title": self.title,
            "x_axis": list(self.x_axis),
            "y_axis": list(self.y_axis),
            "quadrants": list(self.quadrants),
            "points": [{"label": p.label, "x": p.x, "y": p.y}
                       | {k: v for k, v in (("color", p.color), ("radius", p.radius),
                                            ("stroke", p.stroke),
                                            ("stroke_width", p.stroke_width)) if v is not None}
                       for p in self.points],
        }


@dataclass(frozen=True)
class GanttTask:
    """One bar of a plan: `start` and `end` are ISO dates (`2025-01-06`) or date-times
    (`2025-01-06T09:30`); `tags` are any of `done`, `active`, `crit` and `vert` (a vertical
    marker line at its start, not a bar), in mermaid's order; a milestone is drawn as a point
    at its start."""

    label: str
    start: str
    end: str
    section: str | None = None
    id: str | None = None
    tags: tuple[str, ...] = ()
    milestone: bool = False


@dataclass(frozen=True)
class GanttSpec:
    """A plan on a time axis: tasks top to bottom in their sections."""

    kind: ClassVar[str] = "gantt"
    title: str | None
    tasks: tuple[GanttTask, ...]
    #: The runs of excluded days (`excludes`) the plan spans, as ISO dates (first, last): the
    #: chart shades them, as mermaid does.
    excluded: tuple[tuple[str, str], ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Return the `--dump` form: every task with its resolved start and end (and the
        excluded days, when there are any)."""
        dump: dict[str, Any] = {
            "kind": self.kind,
            "title": self.title,
            "tasks": [{"label": t.label, "section": t.section, "id": t.id, "start": t.start,
                       "end": t.end, "tags": list(t.tags), "milestone": t.milestone}
                      for t in self.tasks],
        }
        if self.excluded:
            dump["excluded"] = [list(run) for run in self.excluded]
        return dump


@dataclass(frozen=True)
class SeqParticipant:
    """A lifeline: `kind` is `participant` or `actor`; `type` a mermaid participant type
    (`database`, `queue`, …) or empty; `box` the title of the group it stands in."""

    id: str
    label: str
    kind: str = "participant"
    type: str = ""
    box: str | None = None
    box_color: str | None = None


@dataclass(frozen=True)
class SeqStep:
    """One step down a sequence diagram, in order.

    `kind` is one of:
    - `message`: `source` to `target`, `line` solid or dotted, `head` arrow, open (async),
      cross, both or none; `number` the autonumber shown, if any;
    - `note`: `text` at `place` (left, right or over) of `actors`;
    - `activate`, `deactivate`, `create`, `destroy`: of `source`;
    - `start` (a block: `place` is loop, alt, opt, par, critical, break or rect; `text` its
      label, a rect's colour), `branch` (`place` else, and or option) and `end`.
    """

    kind: str
    text: str = ""
    source: str | None = None
    target: str | None = None
    line: str = "solid"
    head: str = "arrow"
    place: str = ""
    actors: tuple[str, ...] = ()
    number: str | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the step with only the fields its kind uses."""
        out: dict[str, Any] = {"kind": self.kind}
        if self.kind == "message":
            out |= {"from": self.source, "to": self.target, "text": self.text,
                    "line": self.line, "head": self.head}
            if self.number is not None:
                out["number"] = self.number
        elif self.kind == "note":
            out |= {"place": self.place, "actors": list(self.actors), "text": self.text}
        elif self.kind in ("start", "branch"):
            out |= {"place": self.place, "text": self.text}
        elif self.kind != "end":
            out["actor"] = self.source
        return out


@dataclass(frozen=True)
class SequenceSpec:
    """Participants left to right and the steps between them, top to bottom."""

    kind: ClassVar[str] = "sequence"
    title: str | None
    participants: tuple[SeqParticipant, ...]
    steps: tuple[SeqStep, ...]

    def to_json(self) -> dict[str, Any]:
        """Return the `--dump` form: participants and steps."""
        return {
            "kind": self.kind,
            "title": self.title,
            "participants": [{"id": p.id, "label": p.label, "kind": p.kind, "type": p.type,
                              "box": p.box} for p in self.participants],
            "steps": [s.to_json() for s in self.steps],
        }


@dataclass(frozen=True)
class SankeyLink:
    """A flow of `value` (more than 0) from node `source` to node `target`."""

    source: str
    target: str
    value: float


@dataclass(frozen=True)
class SankeySpec:
    """Flows between named nodes; the nodes are the names in order of first appearance."""

    kind: ClassVar[str] = "sankey"
    title: str | None
    links: tuple[SankeyLink, ...]

    @property
    def nodes(self) -> tuple[str, ...]:
        """Return the node names in order of first appearance."""
        return tuple(dict.fromkeys(n for link in self.links for n in (link.source,
                                                                       link.target)))

    def to_json(self) -> dict[str, Any]:
        """Return the `--dump` form: nodes and links."""
        return {
            "kind": self.kind,
            "title": self.title,
            "nodes": list(self.nodes),
            "links": [{"source": k.source, "target": k.target, "value": k.value}
                      for k in self.links],
        }


@dataclass(frozen=True)
class MindmapNode:
    """A topic and its subtopics; `shape` is default, square, rounded, circle, bang, cloud or
    hexagon."""

    label: str
    shape: str = "default"
    children: tuple[MindmapNode, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """Return the node and its subtree."""
        return {"label": self.label, "shape": self.shape,
                "children": [c.to_json() for c in self.children]}


@dataclass(frozen=True)
class MindmapSpec:
    """A tree of topics around its root."""

    kind: ClassVar[str] = "mindmap"
    title: str | None
    root: MindmapNode

    def to_json(self) -> dict[str, Any]:
        """Return the `--dump` form: the tree."""
        return {"kind": self.kind, "title": self.title, "root": self.root.to_json()}


ChartSpec = (PieSpec | XYChartSpec | RadarSpec | TimelineSpec | FlowchartSpec | QuadrantSpec
             | GanttSpec | SequenceSpec | SankeySpec | MindmapSpec)


def spec_texts(value: Any) -> Iterator[str]:
    """Yield every string inside a chart spec (labels, titles, and also names and colours).

    Compose runs these through the font coverage check, so a character no font covers is a
    located error before a chart draws it as an empty box.
    """
    if isinstance(value, str):
        yield value
    elif is_dataclass(value) and not isinstance(value, type):
        for item in fields(value):
            yield from spec_texts(getattr(value, item.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from spec_texts(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from spec_texts(key)
            yield from spec_texts(item)


def paired_texts(first: Any, second: Any) -> Any:
    """Return the spec `first` with every text that differs in `second` written on two lines,
    `first`'s above `second`'s: the chart of a bilingual figure (市场规模 / Market size); lines
    of `second` that `first` already has are left out (AWS / 16%需求份额 / 16% of demand).

    The two specs are one chart read in two languages, so they have the same shape; names,
    ids and colours are the same in both and stay as they are. Where the shapes differ (a
    translation that adds a series), `first` is kept.
    """
    if isinstance(first, str) and isinstance(second, str):
        if not first:
            return second
        # Line by line: a line the first text already shows (a name, an English term written
        # in the Chinese label) is not repeated.
        shown = first.split("\n")
        extra = [line for line in second.split("\n") if line and line not in shown]
        return "\n".join([*shown, *extra])
    if is_dataclass(first) and not isinstance(first, type) and type(first) is type(second):
        changes = {item.name: paired_texts(getattr(first, item.name), getattr(second, item.name))
                   for item in fields(first) if item.init}
        return type(first)(**changes)
    if isinstance(first, tuple) and isinstance(second, tuple) and len(first) == len(second):
        return tuple(paired_texts(a, b) for a, b in zip(first, second, strict=True))
    return first


def map_texts(value: Any, change: Any) -> Any:
    """Return the spec `value` with `change` (str -> str) applied to every string inside it."""
    if isinstance(value, str):
        return change(value)
    if is_dataclass(value) and not isinstance(value, type):
        return type(value)(**{item.name: map_texts(getattr(value, item.name), change)
                              for item in fields(value) if item.init})
    if isinstance(value, tuple):
        return tuple(map_texts(item, change) for item in value)
    return value
