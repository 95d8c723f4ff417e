"""Alt text for charts: one or two sentences that say what a chart shows, in the edition's language.

Compose stores the result as a figure's `alt`; the DOCX engine writes it as the picture's
description so screen readers and text extraction get the data, not just "image".
"""

from __future__ import annotations

from builder.locale.numbers import is_zh, trim
from builder.model.charts import (
    ChartSpec,
    FlowchartSpec,
    PieSpec,
    RadarSpec,
    TimelineSpec,
    XYChartSpec,
)

_MAX_ITEMS = 24


def _n(value: float) -> str:
    return trim(value, 2)


def _flat(text: str | None) -> str:
    return " ".join((text or "").split())


def _list(items: list[str], zh: bool) -> str:
    shown = items[:_MAX_ITEMS]
    more = len(items) - len(shown)
    sep = "；" if zh else "; "
    text = sep.join(shown)
    if more > 0:
        text += f"{sep}另有{more}项" if zh else f"{sep}and {more} more"
    return text


def describe_chart(spec: ChartSpec, lang: str) -> str:
    """Return alt text for `spec` in `lang`: the kind, the title and the data."""
    zh = is_zh(lang)
    title = _flat(spec.title)
    if isinstance(spec, PieSpec):
        kind = "饼图" if zh else "Pie chart"
        total = sum(s.value for s in spec.slices) or 1.0
        unit = spec.unit
        body = [f"{_flat(s.label)} {_n(s.value)}{unit} ({_n(100 * s.value / total)}%)"
                if not unit == "%" else f"{_flat(s.label)} {_n(s.value)}%" for s in spec.slices]
        data = _list(body, zh)
    elif isinstance(spec, XYChartSpec):
        kind = ("条形图" if spec.orientation == "horizontal" else "柱状图") if zh else \
            ("Bar chart" if all(s.type == "bar" for s in spec.series) else "Chart")
        if not zh and all(s.type == "line" for s in spec.series):
            kind = "Line chart"
        if zh and all(s.type == "line" for s in spec.series):
            kind = "折线图"
        cats = list(spec.x_axis.categories) or [str(i + 1) for i in
                                                range(len(spec.series[0].values))]
        parts = []
        for s in spec.series:
            values = ", ".join(f"{_flat(c)} {_n(v)}" for c, v in zip(cats, s.values, strict=False))
            parts.append(f"{_flat(s.title)}: {values}" if s.title and len(spec.series) > 1
                         else values)
        data = _list(parts, zh)
        if spec.y_axis.title:
            data += f"（{_flat(spec.y_axis.title)}）" if zh else f" ({_flat(spec.y_axis.title)})"
    elif isinstance(spec, RadarSpec):
        kind = "雷达图" if zh else "Radar chart"
        parts = [f"{_flat(s.label)}: " + ", ".join(
            f"{_flat(a.label)} {_n(v)}" for a, v in zip(spec.axes, s.values, strict=False))
            for s in spec.series]
        data = _list(parts, zh) + (f"（{_n(spec.min)}–{_n(spec.max)}）" if zh
                                   else f" (scale {_n(spec.min)}–{_n(spec.max)})")
    elif isinstance(spec, TimelineSpec):
        kind = "时间线" if zh else "Timeline"
        data = _list([f"{_flat(p.label)}: " + (", " if not zh else "、").join(
            _flat(e) for e in p.events) for p in spec.periods], zh)
    elif isinstance(spec, FlowchartSpec):
        kind = "流程图" if zh else "Diagram"
        labels = {n.id: _flat(n.label) for n in spec.nodes}
        labels.update({g.id: _flat(g.title) for g in spec.subgraphs})
        arrow = " → "
        links = [f"{labels.get(e.source, e.source)}{arrow}{labels.get(e.target, e.target)}"
                 + (f" ({_flat(e.label)})" if e.label else "") for e in spec.edges]
        data = _list(links, zh) if links else _list(list(labels.values()), zh)
    else:  # pragma: no cover - every kind is handled above
        raise TypeError(f"unknown chart spec {type(spec).__name__}")
    if zh:
        head = f"{kind}“{title}”" if title else kind
        return f"{head}：{data}。"
    head = f"{kind} '{title}'" if title else kind
    return f"{head}: {data}."
