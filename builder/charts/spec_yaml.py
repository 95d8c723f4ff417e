"""The YAML chart-spec reader: a `charts/*.yaml` file (bilingual labels, data columns) -> ChartSpec.

It walks PyYAML's node tree instead of plain Python values, so every problem is reported at the
line of the key or value that caused it (`path:line: error: …`). Texts are localized to one
language here; renderers only ever see plain strings.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from builder.diagnostics import BuildError
from builder.model.charts import (
    NODE_SHAPES,
    ChartSpec,
    FlowchartSpec,
    FlowEdge,
    FlowNode,
    FlowSubgraph,
    PieSlice,
    PieSpec,
    RadarAxis,
    RadarSeries,
    RadarSpec,
    TimelinePeriod,
    TimelineSpec,
    ValueLabels,
    XAxis,
    XYChartSpec,
    XYSeries,
    YAxis,
)
from builder.readers.data import MAX_DATA_NUMBER as MAX_CHART_NUMBER
from builder.readers.yamlsrc import check_expansion

_CONSTRUCTOR = yaml.constructor.SafeConstructor()


class Node:
    """A YAML node with its file and line, and typed accessors that raise located errors."""

    def __init__(self, node: yaml.Node, path: Path, line_offset: int = 0) -> None:
        self.node = node
        self.path = path
        self.line_offset = line_offset

    @property
    def line(self) -> int:
        """Return the 1-based line where this node starts."""
        return self.node.start_mark.line + 1 + self.line_offset

    def error(self, message: str, hint: str = "") -> BuildError:
        """Return a BuildError located at this node."""
        return BuildError.at(self.path, self.line, message, hint)

    def _wrap(self, node: yaml.Node) -> Node:
        return Node(node, self.path, self.line_offset)

    def is_mapping(self) -> bool:
        """Return True for a YAML mapping."""
        return isinstance(self.node, yaml.MappingNode)

    def mapping(self, what: str, allowed: tuple[str, ...] | None = None,
                required: tuple[str, ...] = ()) -> dict[str, Node]:
        """Return the mapping's values by key; unknown or missing keys are located errors."""
        if not isinstance(self.node, yaml.MappingNode):
            raise self.error(f"{what} must be a mapping")
        result: dict[str, Node] = {}
        for key_node, value_node in self.node.value:
            key = self._wrap(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                raise key.error(f"{what}: keys must be plain words")
            name = str(key_node.value)
            if allowed is not None and name not in allowed:
                raise key.error(f"{what}: unknown key {name!r}",
                                hint="expected one of: " + ", ".join(allowed))
            if name in result:
                raise key.error(f"{what}: duplicate key {name!r}")
            result[name] = self._wrap(value_node)
        for name in required:
            if name not in result:
                raise self.error(f"{what}: missing key {name!r}")
        return result

    def items(self, what: str) -> list[Node]:
        """Return the items of a YAML sequence."""
        if not isinstance(self.node, yaml.SequenceNode):
            raise self.error(f"{what} must be a list")
        return [self._wrap(n) for n in self.node.value]

    def value(self) -> Any:
        """Return the Python value of a scalar node (str, int, float, bool or None)."""
        if not isinstance(self.node, yaml.ScalarNode):
            return None
        try:
            return _CONSTRUCTOR.construct_object(self.node, deep=True)
        except yaml.YAMLError as exc:
            raise self.error(f"bad value: {exc}") from None

    def scalar(self, what: str) -> Any:
        """Return the value of a scalar node, or raise when the node is a list or mapping."""
        if not isinstance(self.node, yaml.ScalarNode):
            raise self.error(f"{what} must be a single value")
        return self.value()

    def word(self, what: str, choices: tuple[str, ...] | None = None) -> str:
        """Return a scalar as a string, optionally one of `choices`."""
        raw = self.scalar(what)
        if raw is None or isinstance(raw, bool) or raw == "":
            raise self.error(f"{what} must be a word")
        text = str(raw)
        if choices is not None and text not in choices:
            raise self.error(f"{what} must be one of {', '.join(choices)}, not {text!r}")
        return text

    def number(self, what: str) -> float:
        """Return a finite number."""
        raw = self.scalar(what)
        if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
            raise self.error(f"{what} must be a number, not {raw!r}")
        if abs(raw) >= MAX_CHART_NUMBER:
            raise self.error(f"{what} {raw:.3g} is outside what a chart can show "
                             f"(at most ±{MAX_CHART_NUMBER:.0e})")
        return float(raw)

    def boolean(self, what: str) -> bool:
        """Return a true/false value."""
        raw = self.scalar(what)
        if not isinstance(raw, bool):
            raise self.error(f"{what} must be true or false")
        return raw


def lang_key(lang: str) -> str:
    """Return the content key for `lang`: `zh` for any Chinese tag, otherwise `en`."""
    return "zh" if lang.lower().startswith("zh") else "en"


def neutral_text(raw: Any) -> str:
    """Return a scalar as display text: 2023 -> `2023`, 3.0 -> `3`."""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


class SpecReader:
    """Reads one chart spec document; `data` maps data-source names to lists of row dicts."""

    def __init__(self, path: Path, lang: str, data: Mapping[str, Any]) -> None:
        self.path = path
        self.lang = lang
        self.key = lang_key(lang)
        self.data = data
        self.table: list[Mapping[str, Any]] | None = None
        self.table_name = ""

    def text(self, node: Node, what: str) -> str:
        """Return a localized text: a `{zh, en}` mapping or a language-neutral scalar."""
        if node.is_mapping():
            parts = node.mapping(what, allowed=("zh", "en"))
            if self.key not in parts:
                raise node.error(f"{what} has no {self.key!r} text")
            return self.text(parts[self.key], what)
        raw = node.scalar(what)
        if raw is None or isinstance(raw, bool):
            raise node.error(f"{what} must be a text")
        text = neutral_text(raw)
        if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
            raise node.error(f"{what} contains a control character")
        return text

    def optional_text(self, fields: dict[str, Node], key: str, what: str) -> str | None:
        """Return the localized text under `key`, or None when absent."""
        return self.text(fields[key], what) if key in fields else None

    def column(self, node: Node, what: str) -> list[Any]:
        """Return the cells of `{column: NAME}` from the spec's data source."""
        fields = node.mapping(what, allowed=("column",), required=("column",))
        name = fields["column"].word(f"{what}.column")
        if self.table is None:
            raise node.error(f"{what} reads a column but the chart has no 'data' source")
        if not self.table:
            raise node.error(f"data source {self.table_name!r} has no rows")
        if name not in self.table[0]:
            known = ", ".join(str(k) for k in self.table[0])
            raise fields["column"].error(f"unknown column {name!r} in {self.table_name!r}",
                                         hint=f"columns: {known}")
        return [row.get(name) for row in self.table]

    def labels(self, node: Node, what: str) -> tuple[str, ...]:
        """Return a list of texts, or a data column as texts."""
        if node.is_mapping():
            return tuple(neutral_text(c) for c in self.column(node, what))
        return tuple(self.text(item, what) for item in node.items(what))

    def numbers(self, node: Node, what: str) -> tuple[float, ...]:
        """Return a list of numbers, or a data column of numbers."""
        if node.is_mapping():
            cells = self.column(node, what)
            for i, cell in enumerate(cells):
                if isinstance(cell, bool) or not isinstance(cell, (int, float)) \
                        or not math.isfinite(cell):
                    raise node.error(f"{what}: row {i + 1} of {self.table_name!r} is not a "
                                     f"number: {cell!r}")
            return tuple(float(c) for c in cells)
        return tuple(item.number(what) for item in node.items(what))

    # -- one method per kind -------------------------------------------------------------------

    def read(self, root: Node) -> ChartSpec:
        """Return the spec of the document `root`."""
        if not root.is_mapping():
            raise root.error("a chart spec must be a mapping with a 'kind'")
        kind_node = root.mapping("chart").get("kind")
        if kind_node is None:
            raise root.error("chart spec: missing key 'kind'", hint=", ".join(READERS))
        kind = kind_node.word("kind", tuple(READERS))
        return READERS[kind](self, root)

    def _use_data(self, fields: dict[str, Node]) -> None:
        if "data" not in fields:
            return
        name = fields["data"].word("data")
        if name not in self.data:
            known = ", ".join(sorted(self.data)) or "none"
            raise fields["data"].error(f"unknown data source {name!r}", hint=f"known: {known}")
        table = self.data[name]
        if not isinstance(table, list) or not all(isinstance(r, Mapping) for r in table):
            raise fields["data"].error(f"data source {name!r} is not a table of rows")
        self.table, self.table_name = table, name

    def pie(self, root: Node) -> PieSpec:
        """Read `kind: pie`."""
        f = root.mapping("pie", allowed=("kind", "title", "data", "show_data", "unit", "slices"),
                         required=("slices",))
        self._use_data(f)
        slices: list[PieSlice] = []
        for item in f["slices"].items("slices"):
            s = item.mapping("slice", allowed=("label", "value"), required=("label", "value"))
            value = s["value"].number("slice value")
            if value < 0:
                raise s["value"].error(f"slice value must not be negative: {neutral_text(value)}")
            slices.append(PieSlice(self.text(s["label"], "slice label"), value))
        if not slices:
            raise f["slices"].error("a pie needs at least one slice")
        if not any(s.value > 0 for s in slices):
            raise f["slices"].error("every slice of the pie is 0: there is nothing to draw")
        return PieSpec(
            title=self.optional_text(f, "title", "title"),
            slices=tuple(slices),
            show_data=f["show_data"].boolean("show_data") if "show_data" in f else False,
            unit=self.text(f["unit"], "unit") if "unit" in f else "",
        )

    def xychart(self, root: Node) -> XYChartSpec:
        """Read `kind: xychart`."""
        f = root.mapping("xychart", allowed=("kind", "title", "data", "orientation", "x_axis",
                                              "y_axis", "series", "value_labels"),
                         required=("series",))
        self._use_data(f)
        orientation = (f["orientation"].word("orientation", ("vertical", "horizontal"))
                       if "orientation" in f else "vertical")
        x_axis = XAxis()
        if "x_axis" in f:
            xf = f["x_axis"].mapping("x_axis", allowed=("title", "categories"))
            x_axis = XAxis(title=self.optional_text(xf, "title", "x_axis.title"),
                           categories=self.labels(xf["categories"], "x_axis.categories")
                           if "categories" in xf else ())
        y_axis = YAxis()
        if "y_axis" in f:
            yf = f["y_axis"].mapping("y_axis", allowed=("title", "min", "max"))
            y_axis = YAxis(title=self.optional_text(yf, "title", "y_axis.title"),
                           min=yf["min"].number("y_axis.min") if "min" in yf else None,
                           max=yf["max"].number("y_axis.max") if "max" in yf else None)
            if y_axis.min is not None and y_axis.max is not None and y_axis.min >= y_axis.max:
                raise f["y_axis"].error("y_axis.min must be below y_axis.max")
        series: list[XYSeries] = []
        for item in f["series"].items("series"):
            s = item.mapping("series", allowed=("type", "title", "values"), required=("values",))
            kind = s["type"].word("series type", ("bar", "line")) if "type" in s else "bar"
            values = self.numbers(s["values"], "series values")
            if x_axis.categories and len(values) != len(x_axis.categories):
                raise s["values"].error(f"series has {len(values)} values for "
                                        f"{len(x_axis.categories)} categories")
            series.append(XYSeries(kind, self.optional_text(s, "title", "series title"), values))  # type: ignore[arg-type]
        if not series or not any(s.values for s in series):
            raise f["series"].error("an xychart needs at least one series with values")
        if not x_axis.categories:
            x_axis = XAxis(title=x_axis.title,
                           categories=tuple(str(i + 1) for i in range(len(series[0].values))))
        labels = None
        if "value_labels" in f:
            vf = f["value_labels"].mapping("value_labels", allowed=("format", "scale"))
            labels = ValueLabels(
                format=vf["format"].word("value_labels.format", ("usd", "number", "percent"))  # type: ignore[arg-type]
                if "format" in vf else "number",
                scale=vf["scale"].word("value_labels.scale",
                                       ("one", "thousand", "million", "billion"))
                if "scale" in vf else "one")
        return XYChartSpec(self.optional_text(f, "title", "title"), orientation,  # type: ignore[arg-type]
                           x_axis, y_axis, tuple(series), labels)

    def radar(self, root: Node) -> RadarSpec:
        """Read `kind: radar`."""
        f = root.mapping("radar", allowed=("kind", "title", "data", "min", "max", "axes",
                                            "series", "graticule", "ticks", "show_legend"),
                         required=("axes", "series"))
        self._use_data(f)
        axes: list[RadarAxis] = []
        for item in f["axes"].items("axes"):
            a = item.mapping("axis", allowed=("id", "label"), required=("id",))
            ident = a["id"].word("axis id")
            if any(x.id == ident for x in axes):
                raise a["id"].error(f"duplicate axis id {ident!r}")
            axes.append(RadarAxis(ident, self.text(a["label"], "axis label") if "label" in a
                                  else ident))
        if len(axes) < 3:
            raise f["axes"].error("a radar chart needs at least 3 axes")
        series: list[RadarSeries] = []
        for item in f["series"].items("series"):
            s = item.mapping("series", allowed=("id", "label", "values"),
                             required=("id", "values"))
            ident = s["id"].word("series id")
            values = self.numbers(s["values"], "series values")
            if len(values) != len(axes):
                raise s["values"].error(f"series {ident!r} has {len(values)} values for "
                                        f"{len(axes)} axes")
            series.append(RadarSeries(ident, self.text(s["label"], "series label")
                                      if "label" in s else ident, values))
        if not series:
            raise f["series"].error("a radar chart needs at least one series")
        low = f["min"].number("min") if "min" in f else 0.0
        high = f["max"].number("max") if "max" in f else max(max(s.values) for s in series)
        if high <= low:
            raise root.error("radar max must be above min")
        ticks = int(f["ticks"].number("ticks")) if "ticks" in f else 5
        return RadarSpec(
            title=self.optional_text(f, "title", "title"), axes=tuple(axes),
            series=tuple(series), min=low, max=high,
            graticule=f["graticule"].word("graticule", ("circle", "polygon"))  # type: ignore[arg-type]
            if "graticule" in f else "polygon",
            ticks=max(1, min(ticks, 10)),
            show_legend=f["show_legend"].boolean("show_legend") if "show_legend" in f else True,
        )

    def timeline(self, root: Node) -> TimelineSpec:
        """Read `kind: timeline`."""
        f = root.mapping("timeline", allowed=("kind", "title", "periods"), required=("periods",))
        periods: list[TimelinePeriod] = []
        for item in f["periods"].items("periods"):
            p = item.mapping("period", allowed=("label", "section", "events"),
                             required=("label",))
            events = tuple(self.text(e, "event") for e in p["events"].items("events")) \
                if "events" in p else ()
            periods.append(TimelinePeriod(self.text(p["label"], "period label"), events,
                                          self.optional_text(p, "section", "section")))
        if not periods:
            raise f["periods"].error("a timeline needs at least one period")
        return TimelineSpec(self.optional_text(f, "title", "title"), tuple(periods))

    def flowchart(self, root: Node) -> FlowchartSpec:
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
            colours = {k: _colour(n[k], k) for k in ("fill", "stroke", "color") if k in n}
            nodes[ident] = FlowNode(ident, self.text(n["label"], "node label") if "label" in n
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
                ident, self.text(s["title"], "subgraph title") if "title" in s else ident,
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
                ends[0], ends[1], self.optional_text(e, "label", "edge label"),
                e["style"].word("edge style", ("solid", "dotted", "thick", "invisible"))  # type: ignore[arg-type]
                if "style" in e else "solid",
                e["arrow"].boolean("arrow") if "arrow" in e else True))
        return FlowchartSpec(self.optional_text(f, "title", "title"),
                             "TB" if direction == "TD" else direction,  # type: ignore[arg-type]
                             tuple(nodes.values()), tuple(edges), _with_parents(subgraphs))


def _colour(node: Node, what: str) -> str:
    text = node.word(what)
    if not (len(text) in (4, 7) and text.startswith("#")
            and all(c in "0123456789abcdefABCDEF" for c in text[1:])):
        raise node.error(f"{what} must be a colour like #1F3A5F, not {text!r}")
    return text


def _with_parents(subgraphs: list[FlowSubgraph]) -> tuple[FlowSubgraph, ...]:
    """Return the subgraphs with `parent` set from membership."""
    parent = {m: g.id for g in subgraphs for m in g.nodes}
    return tuple(FlowSubgraph(g.id, g.title, g.nodes, parent.get(g.id), g.direction)
                 for g in subgraphs)


READERS: dict[str, Callable[[SpecReader, Node], ChartSpec]] = {
    "pie": SpecReader.pie,
    "xychart": SpecReader.xychart,
    "radar": SpecReader.radar,
    "timeline": SpecReader.timeline,
    "flowchart": SpecReader.flowchart,
}


def read_spec_text(text: str, path: Path, lang: str, data: Mapping[str, Any],
                   line_offset: int = 0) -> ChartSpec:
    """Return the spec in YAML `text`; raise BuildError located in `path`."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + 1 + line_offset) if mark else 0
        raise BuildError.at(path, line, f"invalid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise BuildError.at(path, 1, f"invalid YAML: {exc}") from None
    if root is None:
        raise BuildError.at(path, 1 + line_offset, "the chart spec is empty",
                            hint="start with `kind: xychart` (docs/charts.md)")
    check_expansion(root, path)
    return SpecReader(path, lang, data).read(Node(root, path, line_offset))
