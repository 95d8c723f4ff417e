"""The mermaid `xychart` / `xychart-beta`: axes, bar and line series.

One mermaid diagram family of `readers/mermaid.py`'s `READERS`; its errors are located
`BuildError`s.
"""

from __future__ import annotations

import re

from builder.model.charts import (
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
