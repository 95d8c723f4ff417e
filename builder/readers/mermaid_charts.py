"""Mermaid charts: `pie`, `xychart`(-beta), `timeline`, `radar-beta` and the seed's `radar`.

Each `read_*` function takes the prepared `Source` of one diagram and returns its spec, or raises
one located `BuildError`. Registered in `mermaid.READERS`.
"""

from __future__ import annotations

import re

from builder.model.charts import (
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
from builder.readers.mermaid_common import (
    Line,
    Source,
    clean_label,
    parse_number,
    split_outside_quotes,
    title_line,
    unquote,
)

# -- pie ---------------------------------------------------------------------------------------

def read_pie(src: Source) -> PieSpec:
    """Read `pie [showData] [title …]` and `"label" : value` lines."""
    head = src.lines[0]
    m = re.match(r"pie(\s+showData)?(?:\s+title\s+(.*)|\s*)$", head.text)
    if not m:
        raise src.error(head.number, f"cannot read pie header {head.text!r}")
    show_data = bool(m.group(1))
    title = clean_label(unquote(m.group(2))) if m.group(2) else src.title
    slices: list[PieSlice] = []
    for line in src.lines[1:]:
        if line.text == "showData":
            show_data = True
            continue
        found = title_line(src, line)
        if found is not None:
            title = found
            continue
        m = re.match(r"""(["'])(.*?)\1\s*:\s*(\S+)\s*;?$""", line.text)
        if not m:
            raise src.error(line.number, f"cannot read pie slice {line.text!r}",
                            hint='write "label" : value')
        value = parse_number(src, line.number, m.group(3), "slice value")
        label = clean_label(m.group(2))
        if value < 0:
            raise src.error(line.number, f'"{label}" has negative value {m.group(3)}; '
                            "negative values are not allowed in pie charts")
        if all(s.label != label for s in slices):  # mermaid keeps the first of a repeated label
            slices.append(PieSlice(label, value))
    if not slices:
        raise src.error(head.number, "pie chart has no slices")
    if not any(s.value > 0 for s in slices):
        raise src.error(head.number, "every slice of the pie is 0: there is nothing to draw")
    return PieSpec(title=title, slices=tuple(slices), show_data=show_data)


# -- xychart -----------------------------------------------------------------------------------

_TEXT = r'(?:"[^"]*"|[^\s"\[\]]+)'


def _numbers_list(src: Source, line: int, body: str, what: str) -> tuple[float, ...]:
    items = [p for p in body.split(",")]
    if not body.strip():
        raise src.error(line, f"{what} is empty")
    return tuple(parse_number(src, line, p, what) for p in items)


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
        found = title_line(src, line)
        if found is not None:
            title = found
        elif t.startswith("x-axis"):
            x_axis = _x_axis(src, line)
        elif t.startswith("y-axis"):
            y_axis = _y_axis(src, line)
        elif (m := re.match(rf"(bar|line)(?:\s+({_TEXT}))?\s*\[(.*)\]\s*$", t)):
            name = clean_label(unquote(m.group(2))) if m.group(2) else None
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
    a = parse_number(src, line, low, "axis minimum")
    b = parse_number(src, line, high, "axis maximum")
    if a >= b:
        raise src.error(line, "axis minimum must be below its maximum")
    return a, b


def _x_axis(src: Source, line: Line) -> XAxis:
    m = re.match(rf"x-axis(?:\s+({_TEXT}))?\s*(?:\[(.*)\]|(\S+\s*-->\s*\S+))?\s*$", line.text)
    if not m:
        raise src.error(line.number, f"cannot read x-axis {line.text!r}")
    title = clean_label(unquote(m.group(1))) if m.group(1) else None
    if m.group(2) is not None:
        try:
            cats = split_outside_quotes(m.group(2), ",")
        except ValueError:
            raise src.error(line.number, "unclosed quote in x-axis categories") from None
        labels = tuple(clean_label(unquote(c)) for c in cats)
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
    title = clean_label(unquote(m.group(1))) if m.group(1) else None
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
        found = title_line(src, line)
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
    for line in _join_curve_bodies(src.lines[1:]):
        t = line.text
        found = title_line(src, line)
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
                parse_number(src, line.number, m.group(2), m.group(1))
        else:
            raise src.error(line.number, f"cannot read radar line {t!r}",
                            hint="expected title, axis, curve or an option")
    if len(axes) < 3:
        raise src.error(src.lines[0].number, "a radar chart needs at least 3 axes")
    series = []
    for number, ident, label, body in curves:
        series.append(RadarSeries(ident, label, _curve_values(src, number, body, axes)))
    return _radar_spec(src, title, axes, series, options)


def _join_curve_bodies(lines: list[Line]) -> list[Line]:
    """Return the lines with a `curve …{` body that spans lines joined onto its first line."""
    out: list[Line] = []
    for line in lines:
        if out and out[-1].text.startswith("curve") and \
                out[-1].text.count("{") > out[-1].text.count("}"):
            out[-1] = Line(out[-1].number, out[-1].text + " " + line.text)
        else:
            out.append(line)
    return out


_ENTRY = re.compile(r"\s*([^\s:,]+)\s*(?::\s*|\s+)(\S+)\s*$")


def _curve_values(src: Source, line: int, body: str, axes: list[RadarAxis]) -> tuple[float, ...]:
    items = [p.strip() for p in body.split(",") if p.strip()]
    if items and all(_ENTRY.match(p) for p in items):  # `axis: value` or `axis value`
        by_axis: dict[str, float] = {}
        for item in items:
            m = _ENTRY.match(item)
            assert m is not None
            key, value = m.group(1), m.group(2)
            if key.strip() not in {a.id for a in axes}:
                raise src.error(line, f"curve names unknown axis {key.strip()!r}")
            by_axis[key.strip()] = parse_number(src, line, value, "curve value")
        missing = [a.id for a in axes if a.id not in by_axis]
        if missing:
            raise src.error(line, f"curve has no value for axis {missing[0]!r}")
        return tuple(by_axis[a.id] for a in axes)
    values = tuple(parse_number(src, line, p, "curve value") for p in items)
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
        found = title_line(src, line)
        if found is not None:
            title = found
        elif (m := re.match(r"label\s+(.+)$", t)):
            name = clean_label(unquote(m.group(1)))
            axes.append(RadarAxis(name, name))
        elif (m := re.match(r"data\s+(.+)$", t)):
            try:
                parts = split_outside_quotes(m.group(1), ",")
            except ValueError:
                raise src.error(line.number, "unclosed quote in data line") from None
            name = clean_label(unquote(parts[0]))
            values = tuple(parse_number(src, line.number, p, "data value") for p in parts[1:])
            if len(values) != len(axes):
                raise src.error(line.number, f"data {name!r} has {len(values)} values for "
                                f"{len(axes)} labels")
            series.append(RadarSeries(name, name, values))
        elif (m := re.match(r"(max|min)\s+(\S+)$", t)):
            options[m.group(1)] = str(parse_number(src, line.number, m.group(2), m.group(1)))
        else:
            raise src.error(line.number, f"cannot read radar line {t!r}",
                            hint="expected title, label or data")
    if len(axes) < 3:
        raise src.error(src.lines[0].number, "a radar chart needs at least 3 labels")
    if "max" not in options and series:
        top = max(max(s.values) for s in series)
        options["max"] = "100" if 0 < top <= 100 else str(top)  # scores out of 100
    return _radar_spec(src, title, axes, series, options)
