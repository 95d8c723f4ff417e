"""The mermaid reader: mermaid diagram source (a `.mmd` file or an inline block) -> ChartSpec.

Reads the subset of mermaid's documented syntax that the chart renderers draw: `flowchart`/`graph`,
`pie`, `xychart`(-beta), `timeline`, `radar-beta` and the seed reports' own `radar` dialect
(`label`/`data` lines). Front matter, `%%` comments, `%%{init}%%` directives and styling lines are
accepted; styling is applied where it maps onto the spec and otherwise ignored. Anything else is
one located `BuildError` (`path:line: error: …`), never another exception.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from builder.diagnostics import BuildError
from builder.model.charts import (
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
    XAxis,
    XYChartSpec,
    XYSeries,
    YAxis,
)

SUPPORTED = ("flowchart", "graph", "pie", "xychart", "xychart-beta", "timeline", "radar-beta",
             "radar")


@dataclass(frozen=True)
class Line:
    """One meaningful source line: its text without comments and its 1-based line number."""

    number: int
    text: str


class Source:
    """The lines of one diagram and where they came from, for located errors."""

    def __init__(self, path: Path, lines: list[Line], title: str | None) -> None:
        self.path = path
        self.lines = lines
        self.title = title

    def error(self, line: int, message: str, hint: str = "") -> BuildError:
        """Return a BuildError at `line` of the source file."""
        return BuildError.at(self.path, line, message, hint)


def read_mermaid(text: str, path: Path, first_line: int = 1) -> ChartSpec:
    """Return the spec of mermaid `text`; line 1 of `text` is line `first_line` of `path`."""
    source = _prepare(text, path, first_line)
    if not source.lines:
        raise BuildError.at(path, first_line, "empty mermaid diagram")
    head = source.lines[0]
    keyword = head.text.split(None, 1)[0].rstrip(";")
    reader = READERS.get(keyword)
    if reader is None:
        raise source.error(head.number, f"unsupported mermaid diagram type {keyword!r}",
                           hint="supported: " + ", ".join(SUPPORTED))
    return reader(source)


# -- shared helpers ----------------------------------------------------------------------------

_DIRECTIVE = re.compile(r"%%\{.*?\}%%", re.S)
_ENTITY = re.compile(r"#(\w+);")
_BR = re.compile(r"<br\s*/?>", re.I)


def _prepare(text: str, path: Path, first_line: int) -> Source:
    """Return the meaningful lines: front matter read, directives and comments removed."""
    raw = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # Directives may span lines: blank them out but keep the line count.
    raw = _DIRECTIVE.sub(lambda m: "\n" * m.group(0).count("\n"), raw)
    rows = raw.split("\n")
    title: str | None = None
    start = 0
    while start < len(rows) and not rows[start].strip():
        start += 1
    if start < len(rows) and rows[start].strip() == "---":
        end = next((i for i in range(start + 1, len(rows)) if rows[i].strip() == "---"), None)
        if end is None:
            raise BuildError.at(path, first_line + start, "front matter is not closed by '---'")
        try:
            meta = yaml.safe_load("\n".join(rows[start + 1:end]))
        except yaml.YAMLError as exc:
            raise BuildError.at(path, first_line + start, f"invalid front matter: {exc}") from None
        if meta is not None and not isinstance(meta, dict):
            raise BuildError.at(path, first_line + start, "front matter must be a mapping")
        if meta and meta.get("title") is not None:
            title = str(meta["title"])
        start = end + 1
    lines: list[Line] = []
    in_descr = False
    for index in range(start, len(rows)):
        stripped = rows[index].strip()
        if in_descr:
            in_descr = "}" not in stripped
            continue
        if not stripped or stripped.startswith("%%"):
            continue
        if re.match(r"accDescr\s*\{", stripped):
            in_descr = "}" not in stripped
            continue
        if re.match(r"acc(Title|Descr)\s*:", stripped):
            continue
        if any(ord(ch) < 32 and ch != "\t" for ch in stripped):
            raise BuildError.at(path, first_line + index, "control character in mermaid source")
        lines.append(Line(first_line + index, stripped))
    return Source(path, lines, title)


def clean_label(text: str) -> str:
    """Return display text: `<br>` as a newline, mermaid `#quot;` and HTML entities decoded."""
    text = _BR.sub("\n", text)

    def entity(m: re.Match[str]) -> str:
        name = m.group(1)
        if name.isdigit():
            code = int(name)
            return chr(code) if 0 < code < 0x110000 and code >= 32 else ""
        return html.unescape(f"&{name};") if name != "br" else "\n"

    text = _ENTITY.sub(entity, text)
    text = html.unescape(text)
    text = "".join(ch for ch in text if ch == "\n" or ord(ch) >= 32)
    return "\n".join(part.strip() for part in text.split("\n")).strip()


def _unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def _markdown_string(text: str) -> str:
    """Return a mermaid markdown string ("`**bold** text`") as plain text."""
    if len(text) >= 2 and text.startswith("`") and text.endswith("`"):
        text = text[1:-1]
        text = re.sub(r"\*\*(.+?)\*\*|__(.+?)__", lambda m: m.group(1) or m.group(2), text)
        text = re.sub(r"\*(.+?)\*|_(.+?)_", lambda m: m.group(1) or m.group(2), text)
    return text


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _number(src: Source, line: int, text: str, what: str) -> float:
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        raise src.error(line, f"{what} is not a number: {text!r}")
    value = float(text)
    if not math.isfinite(value):
        raise src.error(line, f"{what} is not a finite number: {text!r}")
    return value


def _split_outside_quotes(text: str, sep: str) -> list[str]:
    parts, buf, quote = [], [], ""
    for ch in text:
        if quote:
            buf.append(ch)
            if ch == quote:
                quote = ""
        elif ch == '"':
            quote = ch
            buf.append(ch)
        elif ch == sep:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    if quote:
        raise ValueError("unclosed quote")
    parts.append("".join(buf))
    return parts


def _title_line(src: Source, line: Line) -> str | None:
    """Return the title of a `title …` line, or None when the line is something else."""
    m = re.match(r"title(?:\s+(.*))?$", line.text)
    if not m:
        return None
    return clean_label(_unquote(m.group(1) or ""))


# -- pie ---------------------------------------------------------------------------------------

def read_pie(src: Source) -> PieSpec:
    """Read `pie [showData] [title …]` and `"label" : value` lines."""
    head = src.lines[0]
    m = re.match(r"pie(\s+showData)?(?:\s+title\s+(.*)|\s*)$", head.text)
    if not m:
        raise src.error(head.number, f"cannot read pie header {head.text!r}")
    show_data = bool(m.group(1))
    title = clean_label(_unquote(m.group(2))) if m.group(2) else src.title
    slices: list[PieSlice] = []
    for line in src.lines[1:]:
        if line.text == "showData":
            show_data = True
            continue
        found = _title_line(src, line)
        if found is not None:
            title = found
            continue
        m = re.match(r"""(["'])(.*?)\1\s*:\s*(\S+)\s*;?$""", line.text)
        if not m:
            raise src.error(line.number, f"cannot read pie slice {line.text!r}",
                            hint='write "label" : value')
        value = _number(src, line.number, m.group(3), "slice value")
        label = clean_label(m.group(2))
        if value < 0:
            raise src.error(line.number, f'"{label}" has negative value {m.group(3)}; '
                            "negative values are not allowed in pie charts")
        if all(s.label != label for s in slices):  # mermaid keeps the first of a repeated label
            slices.append(PieSlice(label, value))
    if not slices:
        raise src.error(head.number, "pie chart has no slices")
    return PieSpec(title=title, slices=tuple(slices), show_data=show_data)


# -- xychart -----------------------------------------------------------------------------------

_TEXT = r'(?:"[^"]*"|[^\s"\[\]]+)'


def _numbers_list(src: Source, line: int, body: str, what: str) -> tuple[float, ...]:
    items = [p for p in body.split(",")]
    if not body.strip():
        raise src.error(line, f"{what} is empty")
    return tuple(_number(src, line, p, what) for p in items)


def read_xychart(src: Source) -> XYChartSpec:
    """Read `xychart[-beta] [horizontal]` with title, x-axis, y-axis, bar and line lines."""
    head = src.lines[0]
    m = re.match(r"xychart(?:-beta)?(?:\s+(horizontal|vertical))?\s*$", head.text)
    if not m:
        raise src.error(head.number, f"cannot read xychart header {head.text!r}")
    orientation = m.group(1) or "vertical"
    title = src.title
    x_axis, y_axis = XAxis(), YAxis()
    series: list[XYSeries] = []
    for line in src.lines[1:]:
        t = line.text
        found = _title_line(src, line)
        if found is not None:
            title = found
        elif t.startswith("x-axis"):
            x_axis = _x_axis(src, line)
        elif t.startswith("y-axis"):
            y_axis = _y_axis(src, line)
        elif (m := re.match(rf"(bar|line)(?:\s+({_TEXT}))?\s*\[(.*)\]\s*$", t)):
            name = clean_label(_unquote(m.group(2))) if m.group(2) else None
            values = _numbers_list(src, line.number, m.group(3), f"{m.group(1)} values")
            if series and len(values) != len(series[0].values):
                raise src.error(line.number, f"{m.group(1)} has {len(values)} values, the "
                                f"first series has {len(series[0].values)}")
            series.append(XYSeries(m.group(1), name, values))  # type: ignore[arg-type]
        else:
            raise src.error(line.number, f"cannot read xychart line {t!r}",
                            hint="expected title, x-axis, y-axis, bar or line")
    if not series:
        raise src.error(head.number, "xychart has no bar or line data")
    if x_axis.categories and len(x_axis.categories) != len(series[0].values):
        raise src.error(head.number, f"x-axis has {len(x_axis.categories)} categories but the "
                        f"series have {len(series[0].values)} values")
    return XYChartSpec(title, orientation, x_axis, y_axis, tuple(series))  # type: ignore[arg-type]


def _range(src: Source, line: int, text: str) -> tuple[float, float]:
    low, _, high = text.partition("-->")
    a, b = _number(src, line, low, "axis minimum"), _number(src, line, high, "axis maximum")
    if a >= b:
        raise src.error(line, "axis minimum must be below its maximum")
    return a, b


def _x_axis(src: Source, line: Line) -> XAxis:
    m = re.match(rf"x-axis(?:\s+({_TEXT}))?\s*(?:\[(.*)\]|(\S+\s*-->\s*\S+))?\s*$", line.text)
    if not m:
        raise src.error(line.number, f"cannot read x-axis {line.text!r}")
    title = clean_label(_unquote(m.group(1))) if m.group(1) else None
    if m.group(2) is not None:
        try:
            cats = _split_outside_quotes(m.group(2), ",")
        except ValueError:
            raise src.error(line.number, "unclosed quote in x-axis categories") from None
        labels = tuple(clean_label(_unquote(c)) for c in cats)
        if any(not c for c in labels):
            raise src.error(line.number, "empty x-axis category")
        return XAxis(title, labels)
    if m.group(3):
        low, high = _range(src, line.number, m.group(3))
        return XAxis(title, (), low, high)
    return XAxis(title)


def _y_axis(src: Source, line: Line) -> YAxis:
    m = re.match(rf"y-axis(?:\s+({_TEXT}))??\s*(\S+\s*-->\s*\S+)?\s*$", line.text)
    if not m:
        raise src.error(line.number, f"cannot read y-axis {line.text!r}")
    title = clean_label(_unquote(m.group(1))) if m.group(1) else None
    if m.group(2):
        low, high = _range(src, line.number, m.group(2))
        return YAxis(title, low, high)
    return YAxis(title)


# -- timeline ----------------------------------------------------------------------------------

_TL_SEP = re.compile(r"\s*:(?:\s+|$)")


def read_timeline(src: Source) -> TimelineSpec:
    """Read `timeline` with title, `section` lines, `period : event : event` and `: event`."""
    head = src.lines[0]
    if not re.match(r"timeline(\s+(LR|TD))?\s*$", head.text):
        raise src.error(head.number, f"cannot read timeline header {head.text!r}")
    title = src.title
    section: str | None = None
    periods: list[tuple[str, str | None, list[str]]] = []
    for line in src.lines[1:]:
        found = _title_line(src, line)
        if found is not None:
            title = found
            continue
        if (m := re.match(r"section(?:\s+(.*))?$", line.text)):
            section = clean_label(m.group(1) or "")
            continue
        if line.text.startswith(":"):
            if not periods:
                raise src.error(line.number, "event continuation before any time period")
            events = [clean_label(e) for e in _TL_SEP.split(" " + line.text + " ")[1:]]
            periods[-1][2].extend(e for e in events if e)
            continue
        parts = _TL_SEP.split(line.text)
        label = clean_label(parts[0])
        if not label:
            raise src.error(line.number, f"cannot read timeline line {line.text!r}")
        periods.append((label, section, [e for e in (clean_label(p) for p in parts[1:]) if e]))
    if not periods:
        raise src.error(head.number, "timeline has no time periods")
    return TimelineSpec(title, tuple(TimelinePeriod(lb, tuple(ev), sec)
                                     for lb, sec, ev in periods))


# -- radar -------------------------------------------------------------------------------------

_RADAR_ITEM = re.compile(r'\s*([^\s,\["{]+)\s*(?:\[\s*"([^"]*)"\s*\])?\s*')


def read_radar_beta(src: Source) -> RadarSpec:
    """Read `radar-beta`: title, `axis` and `curve` lines and the documented options."""
    title = src.title
    axes: list[RadarAxis] = []
    curves: list[tuple[int, str, str, str]] = []  # line, id, label, value body
    options: dict[str, str] = {}
    for line in src.lines[1:]:
        t = line.text
        found = _title_line(src, line)
        if found is not None:
            title = found
        elif t.startswith("axis ") or t == "axis":
            rest, pos = t[4:], 0
            while pos < len(rest):
                m = _RADAR_ITEM.match(rest, pos)
                if not m or not m.group(1):
                    raise src.error(line.number, f"cannot read axis list {rest.strip()!r}")
                ident = m.group(1)
                if any(a.id == ident for a in axes):
                    raise src.error(line.number, f"duplicate radar axis {ident!r}")
                axes.append(RadarAxis(ident, clean_label(m.group(2)) if m.group(2) else ident))
                pos = m.end()
                if pos < len(rest) and rest[pos] == ",":
                    pos += 1
                elif pos < len(rest):
                    raise src.error(line.number, f"cannot read axis list {rest.strip()!r}")
        elif t.startswith("curve"):
            rest, pos = t[5:], 0
            while pos < len(rest):
                m = _RADAR_ITEM.match(rest, pos)
                if not m or not m.group(1) or m.end() >= len(rest) or rest[m.end()] != "{":
                    raise src.error(line.number, f"cannot read curve {rest.strip()!r}",
                                    hint='write curve id["Label"]{1, 2, 3}')
                close = rest.find("}", m.end())
                if close < 0:
                    raise src.error(line.number, "curve values are not closed by '}'")
                label = clean_label(m.group(2)) if m.group(2) else m.group(1)
                curves.append((line.number, m.group(1), label, rest[m.end() + 1:close]))
                pos = close + 1
                while pos < len(rest) and rest[pos] in " ,":
                    pos += 1
        elif (m := re.match(r"(showLegend|max|min|graticule|ticks|tickLabels\w*)\b\s*(.*)$", t)):
            options[m.group(1)] = m.group(2).strip()
            if m.group(1) in ("max", "min", "ticks"):
                _number(src, line.number, m.group(2), m.group(1))
        else:
            raise src.error(line.number, f"cannot read radar line {t!r}",
                            hint="expected title, axis, curve or an option")
    if len(axes) < 3:
        raise src.error(src.lines[0].number, "a radar chart needs at least 3 axes")
    series = []
    for number, ident, label, body in curves:
        series.append(RadarSeries(ident, label, _curve_values(src, number, body, axes)))
    return _radar_spec(src, title, axes, series, options)


def _curve_values(src: Source, line: int, body: str, axes: list[RadarAxis]) -> tuple[float, ...]:
    items = [p.strip() for p in body.split(",") if p.strip()]
    if items and all(":" in p for p in items):
        by_axis: dict[str, float] = {}
        for item in items:
            key, _, value = item.partition(":")
            if key.strip() not in {a.id for a in axes}:
                raise src.error(line, f"curve names unknown axis {key.strip()!r}")
            by_axis[key.strip()] = _number(src, line, value, "curve value")
        missing = [a.id for a in axes if a.id not in by_axis]
        if missing:
            raise src.error(line, f"curve has no value for axis {missing[0]!r}")
        return tuple(by_axis[a.id] for a in axes)
    values = tuple(_number(src, line, p, "curve value") for p in items)
    if len(values) != len(axes):
        raise src.error(line, f"curve has {len(values)} values for {len(axes)} axes")
    return values


def _radar_spec(src: Source, title: str | None, axes: list[RadarAxis],
                series: list[RadarSeries], options: dict[str, str]) -> RadarSpec:
    head = src.lines[0].number
    if not series:
        raise src.error(head, "radar chart has no curves")
    low = float(options["min"]) if "min" in options else 0.0
    high = float(options["max"]) if "max" in options else max(max(s.values) for s in series)
    if high <= low:
        raise src.error(head, "radar max must be above min")
    graticule = options.get("graticule", "circle")
    return RadarSpec(title, tuple(axes), tuple(series), low, high,
                     "polygon" if graticule == "polygon" else "circle",
                     max(1, min(int(float(options.get("ticks", "5"))), 10)),
                     options.get("showLegend", "true") != "false")


def read_radar_seed(src: Source) -> RadarSpec:
    """Read the seed reports' `radar` dialect: `label NAME` axes and `data NAME, v1, v2…` rows."""
    title = src.title
    axes: list[RadarAxis] = []
    series: list[RadarSeries] = []
    options: dict[str, str] = {}
    for line in src.lines[1:]:
        t = line.text
        found = _title_line(src, line)
        if found is not None:
            title = found
        elif (m := re.match(r"label\s+(.+)$", t)):
            name = clean_label(_unquote(m.group(1)))
            axes.append(RadarAxis(name, name))
        elif (m := re.match(r"data\s+(.+)$", t)):
            try:
                parts = _split_outside_quotes(m.group(1), ",")
            except ValueError:
                raise src.error(line.number, "unclosed quote in data line") from None
            name = clean_label(_unquote(parts[0]))
            values = tuple(_number(src, line.number, p, "data value") for p in parts[1:])
            if len(values) != len(axes):
                raise src.error(line.number, f"data {name!r} has {len(values)} values for "
                                f"{len(axes)} labels")
            series.append(RadarSeries(name, name, values))
        elif (m := re.match(r"(max|min)\s+(\S+)$", t)):
            options[m.group(1)] = str(_number(src, line.number, m.group(2), m.group(1)))
        else:
            raise src.error(line.number, f"cannot read radar line {t!r}",
                            hint="expected title, label or data")
    if len(axes) < 3:
        raise src.error(src.lines[0].number, "a radar chart needs at least 3 labels")
    if "max" not in options and series:
        top = max(max(s.values) for s in series)
        options["max"] = "100" if 0 < top <= 100 else str(top)  # scores out of 100
    return _radar_spec(src, title, axes, series, options)


# -- flowchart ---------------------------------------------------------------------------------

# (opening, closing, shape), longest openings first.
_SHAPES: tuple[tuple[str, str, str], ...] = (
    ("(((", ")))", "double-circle"), ("((", "))", "circle"), ("([", "])", "stadium"),
    ("[[", "]]", "subroutine"), ("[(", ")]", "cylinder"), ("{{", "}}", "hexagon"),
    ("{", "}", "diamond"),
    ("(", ")", "round"), ("[", "]", "rect"), (">", "]", "asymmetric"),
)
_NEW_SHAPES = {
    "rect": "rect", "rounded": "round", "stadium": "stadium", "subproc": "subroutine",
    "subroutine": "subroutine", "cyl": "cylinder", "cylinder": "cylinder", "circle": "circle",
    "circ": "circle", "diam": "diamond", "diamond": "diamond", "decision": "diamond",
    "hex": "hexagon", "hexagon": "hexagon", "lean-r": "parallelogram", "lean-l":
    "parallelogram-alt", "trap-b": "trapezoid", "trap-t": "trapezoid-alt", "dbl-circ":
    "double-circle", "process": "rect", "event": "round", "terminal": "stadium",
    "database": "cylinder", "db": "cylinder",
}
_ID = re.compile(r"[^\s\[\](){}<>|&;:\"'=~.,@-]+(?:[-.][^\s\[\](){}<>|&;:\"'=~.,@-]+)*")
_LINK_TEXT_FORMS = (
    (re.compile(r"\s*(<)?--(?![->ox-])\s*(\"[^\"]*\"|.*?)\s*(-{2,}>|-{3,}|--[ox](?=\s))"), "solid"),
    (re.compile(r"\s*(<)?-\.(?![.->])\s*(\"[^\"]*\"|.*?)\s*(\.+->|\.+-)"), "dotted"),
    (re.compile(r"\s*(<)?==(?![=>])\s*(\"[^\"]*\"|.*?)\s*(={2,}>|={3,})"), "thick"),
)
_LINK = re.compile(r"\s*([<ox])?(?:(-{2,}>|-{3,}|--[ox](?=\s))|(-\.+->|-\.+-)|(={2,}>|={3,})"
                   r"|(~{3,}))")
_STYLE_KEYS = {"fill": "fill", "stroke": "stroke", "color": "color"}


@dataclass
class _Graph:
    direction: str
    nodes: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> label, shape
    order: list[str] = field(default_factory=list)
    edges: list[FlowEdge] = field(default_factory=list)
    subgraphs: dict[str, FlowSubgraph] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)
    owner: dict[str, str] = field(default_factory=dict)
    class_defs: dict[str, dict[str, str]] = field(default_factory=dict)
    classes: dict[str, list[str]] = field(default_factory=dict)
    styles: dict[str, dict[str, str]] = field(default_factory=dict)


class _Scanner:
    """A cursor over one flowchart statement."""

    def __init__(self, src: Source, line: int, text: str) -> None:
        self.src, self.line, self.text, self.pos = src, line, text, 0

    def skip(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t":
            self.pos += 1

    def done(self) -> bool:
        self.skip()
        return self.pos >= len(self.text)

    def error(self, message: str, hint: str = "") -> BuildError:
        return self.src.error(self.line, message, hint)


def read_flowchart(src: Source) -> FlowchartSpec:
    """Read `flowchart`/`graph` with nodes, links, chains, subgraphs and styling lines."""
    head = src.lines[0]
    m = re.match(r"(?:flowchart(?:-elk)?|graph)(?:\s+(TB|TD|BT|LR|RL))?\s*;?\s*(.*)$", head.text)
    if not m:
        raise src.error(head.number, f"cannot read flowchart header {head.text!r}")
    g = _Graph("TB" if m.group(1) in (None, "TD") else m.group(1))
    statements = [(head.number, m.group(2))] if m.group(2) else []
    pending: Line | None = None  # a line whose quoted label continues on the next line
    for line in src.lines[1:]:
        if pending is not None:
            line = Line(pending.number, pending.text + "\n" + line.text)
        try:
            statements += [(line.number, s) for s in _split_outside_quotes(line.text, ";")]
            pending = None
        except ValueError:
            pending = line
    if pending is not None:
        raise src.error(pending.number, "unclosed quote")
    stack: list[tuple[str, int]] = []
    for number, statement in statements:
        text = statement.strip()
        if text:
            _statement(src, g, stack, number, text)
    if stack:
        raise src.error(stack[-1][1], f"subgraph {stack[-1][0]!r} is not closed by 'end'")
    return _finish(src, g)


def _statement(src: Source, g: _Graph, stack: list[tuple[str, int]], number: int,
               text: str) -> None:
    word = text.split(None, 1)[0]
    rest = text[len(word):].strip()
    if word == "subgraph":
        ident, title = _subgraph_header(src, number, rest)
        if ident in g.subgraphs or ident in g.nodes:
            raise src.error(number, f"subgraph id {ident!r} is already used")
        parent = stack[-1][0] if stack else None
        g.subgraphs[ident] = FlowSubgraph(ident, title, (), parent)
        g.members[ident] = []
        if parent:
            g.members[parent].append(ident)
        stack.append((ident, number))
    elif word == "end" and not rest:
        if not stack:
            raise src.error(number, "'end' without an open subgraph")
        stack.pop()
    elif word == "direction" and re.fullmatch(r"TB|TD|BT|LR|RL", rest):
        if stack:
            sg = g.subgraphs[stack[-1][0]]
            g.subgraphs[sg.id] = FlowSubgraph(sg.id, sg.title, (), sg.parent,
                                              "TB" if rest == "TD" else rest)  # type: ignore[arg-type]
    elif word == "classDef":
        names, _, props = rest.partition(" ")
        for name in names.split(","):
            g.class_defs[name] = _style_props(props)
    elif word == "class":
        ids, _, name = rest.rpartition(" ")
        for ident in ids.split(","):
            g.classes.setdefault(ident.strip(), []).append(name.strip())
    elif word == "style":
        ident, _, props = rest.partition(" ")
        g.styles.setdefault(ident, {}).update(_style_props(props))
    elif word in ("linkStyle", "click", "accTitle", "accDescr") or word.startswith("acc"):
        return  # interactive or edge styling: nothing to apply in print
    else:
        _chain(_Scanner(src, number, text), g, stack[-1][0] if stack else None)


def _subgraph_header(src: Source, number: int, rest: str) -> tuple[str, str]:
    if not rest:
        raise src.error(number, "subgraph needs an id or a title")
    if rest.startswith('"'):
        title = clean_label(_unquote(rest))
        return title, title
    m = _ID.match(rest)
    if m and m.end() < len(rest) and rest[m.end():].lstrip().startswith("["):
        label = rest[m.end():].strip()
        if not label.endswith("]"):
            raise src.error(number, f"cannot read subgraph title {label!r}")
        return m.group(0), clean_label(_markdown_string(_unquote(label[1:-1])))
    title = clean_label(rest)
    return (title, title)


def _style_props(props: str) -> dict[str, str]:
    result = {}
    for item in props.split(","):
        key, _, value = item.partition(":")
        value = value.strip().rstrip(";")
        if key.strip() in _STYLE_KEYS and re.fullmatch(r"#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}", value):
            result[_STYLE_KEYS[key.strip()]] = value
    return result


def _chain(sc: _Scanner, g: _Graph, subgraph: str | None) -> None:
    """Read `A & B --> C -- text --> D`: node groups joined by links."""
    groups = [_group(sc, g, subgraph)]
    links: list[tuple[str, str | None, bool]] = []
    while not sc.done():
        links.append(_link(sc))
        groups.append(_group(sc, g, subgraph))
    for (style, label, arrow), sources, targets in zip(links, groups, groups[1:], strict=False):
        for a in sources:
            for b in targets:
                g.edges.append(FlowEdge(a, b, label, style, arrow))  # type: ignore[arg-type]


def _group(sc: _Scanner, g: _Graph, subgraph: str | None) -> list[str]:
    ids = [_node(sc, g, subgraph)]
    while True:
        sc.skip()
        if sc.pos < len(sc.text) and sc.text[sc.pos] == "&":
            sc.pos += 1
            sc.skip()
            ids.append(_node(sc, g, subgraph))
        else:
            return ids


def _node(sc: _Scanner, g: _Graph, subgraph: str | None) -> str:
    sc.skip()
    m = _ID.match(sc.text, sc.pos)
    if not m:
        rest = sc.text[sc.pos:sc.pos + 20]
        raise sc.error(f"expected a node id at {rest!r}" if rest else "expected a node id")
    ident = m.group(0)
    sc.pos = m.end()
    if ident in ("end", "subgraph", "graph", "flowchart"):
        raise sc.error(f"{ident!r} cannot be used as a node id")
    info = g.nodes.get(ident)
    if info is None and ident not in g.subgraphs:
        info = g.nodes[ident] = {"label": ident, "shape": "rect"}
        g.order.append(ident)
    shape = _shape(sc)
    if shape is not None:
        if info is None:
            raise sc.error(f"{ident!r} is a subgraph and cannot have a shape")
        info["shape"], info["label"] = shape
    if sc.text.startswith("@{", sc.pos):
        close = sc.text.find("}", sc.pos)
        if close < 0:
            raise sc.error("node data '@{' is not closed by '}'")
        if info is not None:
            _node_data(sc.text[sc.pos + 2:close], info)
        sc.pos = close + 1
    if sc.text.startswith(":::", sc.pos):
        m2 = re.compile(r"[\w-]+").match(sc.text, sc.pos + 3)
        if not m2:
            raise sc.error("expected a class name after ':::'")
        g.classes.setdefault(ident, []).append(m2.group(0))
        sc.pos = m2.end()
    if subgraph is not None and ident not in g.subgraphs:
        if ident not in g.owner:
            g.owner[ident] = subgraph
            g.members[subgraph].append(ident)
    return ident


def _node_data(body: str, info: dict[str, str]) -> None:
    for item in _split_outside_quotes(body, ","):
        key, _, value = item.partition(":")
        key, value = key.strip(), _unquote(value.strip())
        if key == "shape" and value in _NEW_SHAPES:
            info["shape"] = _NEW_SHAPES[value]
        elif key == "label":
            info["label"] = clean_label(_markdown_string(value))


def _shape(sc: _Scanner) -> tuple[str, str] | None:
    """Return (shape, label) of a shape right at the cursor, or None when there is none."""
    text, pos = sc.text, sc.pos
    if text.startswith(("[/", "[\\"), pos):
        return _slanted(sc)
    for opening, closing, shape in _SHAPES:
        if not text.startswith(opening, pos):
            continue
        start = pos + len(opening)
        if start < len(text) and text[start] == '"':
            end_quote = text.find('"', start + 1)
            if end_quote < 0:
                raise sc.error("unclosed quote in node label")
            if not text.startswith(closing, end_quote + 1):
                raise sc.error(f"node label must end with {closing!r}")
            sc.pos = end_quote + 1 + len(closing)
            return shape, clean_label(_markdown_string(text[start + 1:end_quote]))
        end = text.find(closing, start)
        if end < 0:
            raise sc.error(f"node shape {opening!r} is not closed by {closing!r}")
        sc.pos = end + len(closing)
        return shape, clean_label(text[start:end])
    return None


_SLANTED = {("/", "/"): "parallelogram", ("\\", "\\"): "parallelogram-alt",
            ("/", "\\"): "trapezoid", ("\\", "/"): "trapezoid-alt"}


def _slanted(sc: _Scanner) -> tuple[str, str]:
    """Read `[/text/]`, `[\\text\\]`, `[/text\\]` or `[\\text/]`."""
    text, pos = sc.text, sc.pos
    start = pos + 2
    if start < len(text) and text[start] == '"':
        end_quote = text.find('"', start + 1)
        if end_quote < 0:
            raise sc.error("unclosed quote in node label")
        label, end = _markdown_string(text[start + 1:end_quote]), end_quote + 1
    else:
        close = text.find("]", start)
        end = close - 1
        if close < 0 or end < start:
            raise sc.error("node shape '[/' is not closed by '/]' or '\\]'")
        label = text[start:end]
    if not (end + 1 < len(text) and text[end] in "/\\" and text[end + 1] == "]"):
        raise sc.error("node shape '[/' is not closed by '/]' or '\\]'")
    sc.pos = end + 2
    return _SLANTED[(text[pos + 1], text[end])], clean_label(label)


def _link(sc: _Scanner) -> tuple[str, str | None, bool]:
    for pattern, style in _LINK_TEXT_FORMS:
        m = pattern.match(sc.text, sc.pos)
        if m and m.group(2).strip():
            sc.pos = m.end()
            arrow = m.group(3).endswith(">") or m.group(3)[-1] in "ox"
            return style, clean_label(_unquote(m.group(2))), arrow
    m = _LINK.match(sc.text, sc.pos)
    if not m:
        rest = sc.text[sc.pos:].strip()[:20]
        raise sc.error(f"expected a link such as --> at {rest!r}")
    sc.pos = m.end()
    token = m.group(0).strip()
    style = ("dotted" if m.group(3) else "thick" if m.group(4) else
             "invisible" if m.group(5) else "solid")
    arrow = token[-1] in ">ox" and not m.group(5)
    label = None
    sc.skip()
    if sc.pos < len(sc.text) and sc.text[sc.pos] == "|":
        close = sc.text.find("|", sc.pos + 1)
        if close < 0:
            raise sc.error("link text is not closed by '|'")
        label = clean_label(_markdown_string(_unquote(sc.text[sc.pos + 1:close]))) or None
        sc.pos = close + 1
    return style, label, arrow


def _finish(src: Source, g: _Graph) -> FlowchartSpec:
    default = g.class_defs.get("default", {})
    nodes = []
    for ident in g.order:
        look = dict(default)
        for name in g.classes.get(ident, []):
            look.update(g.class_defs.get(name, {}))
        look.update(g.styles.get(ident, {}))
        info = g.nodes[ident]
        nodes.append(FlowNode(ident, info["label"], info["shape"], look.get("fill"),
                              look.get("stroke"), look.get("color")))
    subgraphs = tuple(FlowSubgraph(sg.id, sg.title, tuple(g.members[sg.id]), sg.parent,
                                   sg.direction) for sg in g.subgraphs.values())
    if not nodes and not subgraphs:
        raise src.error(src.lines[0].number, "flowchart has no nodes")
    return FlowchartSpec(src.title, g.direction, tuple(nodes), tuple(g.edges), subgraphs)  # type: ignore[arg-type]


READERS: dict[str, Callable[[Source], ChartSpec]] = {
    "flowchart": read_flowchart,
    "flowchart-elk": read_flowchart,
    "graph": read_flowchart,
    "pie": read_pie,
    "xychart": read_xychart,
    "xychart-beta": read_xychart,
    "timeline": read_timeline,
    "radar-beta": read_radar_beta,
    "radar": read_radar_seed,
}
