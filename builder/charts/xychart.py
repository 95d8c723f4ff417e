"""The xychart renderer: grouped bars and lines over categories, vertical or horizontal.

Registered in `kinds.KINDS`; `read()` reads its YAML spec and `describe()` its alt text; draws
onto the figure it is given and never saves it.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from builder.charts.describe import flat, listing, number
from builder.model.charts import (
    ValueLabels,
    XAxis,
    XYChartSpec,
    XYSeries,
    YAxis,
)
from builder.readers.chart_yaml import Node, SpecReader

if TYPE_CHECKING:  # drawing imports matplotlib; reading and describing a spec do not
    from matplotlib.figure import Figure

from builder.charts.style import Style, draw_title, format_value
from builder.charts.text import wrap
from builder.locale.numbers import axis_unit, trim
from builder.readers.content import has_han

GROUP_WIDTH = 0.72


SPEC = XYChartSpec


def read(r: SpecReader, root: Node) -> XYChartSpec:
    """Read `kind: xychart`."""
    f = root.mapping("xychart", allowed=("kind", "title", "data", "orientation", "x_axis",
                                          "y_axis", "series", "value_labels"),
                     required=("series",))
    r.use_data(f)
    orientation = (f["orientation"].word("orientation", ("vertical", "horizontal"))
                   if "orientation" in f else "vertical")
    x_axis = XAxis()
    if "x_axis" in f:
        xf = f["x_axis"].mapping("x_axis", allowed=("title", "categories"))
        x_axis = XAxis(title=r.optional_text(xf, "title", "x_axis.title"),
                       categories=r.labels(xf["categories"], "x_axis.categories")
                       if "categories" in xf else ())
    y_axis = YAxis()
    if "y_axis" in f:
        yf = f["y_axis"].mapping("y_axis", allowed=("title", "min", "max"))
        y_axis = YAxis(title=r.optional_text(yf, "title", "y_axis.title"),
                       min=yf["min"].number("y_axis.min") if "min" in yf else None,
                       max=yf["max"].number("y_axis.max") if "max" in yf else None)
        if y_axis.min is not None and y_axis.max is not None and y_axis.min >= y_axis.max:
            raise f["y_axis"].error("y_axis.min must be below y_axis.max")
    series: list[XYSeries] = []
    for item in f["series"].items("series"):
        s = item.mapping("series", allowed=("type", "title", "values"), required=("values",))
        kind = s["type"].word("series type", ("bar", "line")) if "type" in s else "bar"
        values = r.numbers(s["values"], "series values")
        if x_axis.categories and len(values) != len(x_axis.categories):
            raise s["values"].error(f"series has {len(values)} values for "
                                    f"{len(x_axis.categories)} categories")
        series.append(XYSeries(kind, r.optional_text(s, "title", "series title"), values))  # type: ignore[arg-type]
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
    return XYChartSpec(r.optional_text(f, "title", "title"), orientation,  # type: ignore[arg-type]
                       x_axis, y_axis, tuple(series), labels)


def describe(spec: XYChartSpec, zh: bool) -> tuple[str, str]:
    """Return the alt text's kind word and data: each series' values per category."""
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
        values = ", ".join(f"{flat(c)} {number(v)}" for c, v in zip(cats, s.values, strict=False))
        parts.append(f"{flat(s.title)}: {values}" if s.title and len(spec.series) > 1
                     else values)
    data = listing(parts, zh)
    if spec.y_axis.title:
        data += f"（{flat(spec.y_axis.title)}）" if zh else f" ({flat(spec.y_axis.title)})"
    return kind, data


def _limits(spec: XYChartSpec, headroom: float) -> tuple[float, float]:
    values = [v for s in spec.series for v in s.values]
    low = spec.y_axis.min if spec.y_axis.min is not None else min(0.0, min(values))
    high = spec.y_axis.max if spec.y_axis.max is not None else max(0.0, max(values))
    if spec.y_axis.max is None and high > 0:
        high = high * (1 + headroom)
    if high <= low:
        high = low + 1
    return low, high


def draw(fig: Figure, spec: XYChartSpec, style: Style) -> None:
    import numpy as np
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    """Draw `spec` on `fig`."""
    horizontal = spec.orientation == "horizontal"
    count = len(spec.series[0].values)
    categories = list(spec.x_axis.categories) or [str(i + 1) for i in range(count)]
    height = max(2.6, 0.42 * count * max(1, len([s for s in spec.series if s.type == "bar"]))
                 + 1.3) if horizontal else 3.4
    fig.set_size_inches(style.width_in, min(height, 7.5))
    draw_title(fig, spec.title, style)
    ax = fig.add_subplot()
    bars = [s for s in spec.series if s.type == "bar"]
    show_labels = spec.value_labels is not None or (len(bars) == 1 and count <= 12)
    low, high = _limits(spec, 0.12 if show_labels else 0.05)
    positions = np.arange(count, dtype=float)
    width = GROUP_WIDTH / max(1, len(bars))
    handles = []
    for index, series in enumerate(spec.series):
        colour = style.series(index)
        values = np.array(series.values, dtype=float)
        if series.type == "bar":
            offset = (bars.index(series) - (len(bars) - 1) / 2) * width
            if horizontal:
                artist = ax.barh(positions + offset, values, height=width * 0.92, color=colour,
                                 zorder=2, label=series.title or "")
            else:
                artist = ax.bar(positions + offset, values, width=width * 0.92, color=colour,
                                zorder=2, label=series.title or "")
            if show_labels:
                vl = spec.value_labels
                texts = [format_value(float(v), style, vl.format if vl else "number",
                                      vl.scale if vl else "one") for v in values]
                ax.bar_label(artist, labels=texts, padding=3, fontsize=style.small_pt,
                             color=style.colors.text)
        else:
            if horizontal:
                (artist,) = ax.plot(values, positions, color=colour, marker="o", lw=2,
                                    markersize=4.5, zorder=3, label=series.title or "")
            else:
                (artist,) = ax.plot(positions, values, color=colour, marker="o", lw=2,
                                    markersize=4.5, zorder=3, label=series.title or "")
        handles.append(artist)
    value_axis, category_axis = (ax.xaxis, ax.yaxis) if horizontal else (ax.yaxis, ax.xaxis)
    # Category labels wrap to the room one category has on the page.
    room_pt = (style.width_in * 72 * 0.85) / count if not horizontal else style.width_in * 72 * 0.3
    labels = [wrap(c, room_pt, style.families, style.tick_pt) for c in categories]
    if horizontal:
        ax.set_yticks(positions, labels)
        ax.set_ylim(count - 0.5, -0.5)
        ax.set_xlim(low, high)
    else:
        ax.set_xticks(positions, labels)
        ax.set_xlim(-0.5, count - 0.5)
        ax.set_ylim(low, high)
    factor, value_title_text = _value_unit(spec, style)
    value_axis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    value_axis.set_major_formatter(FuncFormatter(lambda v, _pos: _tick(float(v) * factor)))
    category_axis.set_tick_params(length=0, pad=6)
    value_axis.set_tick_params(length=0, pad=4)
    ax.grid(axis="x" if horizontal else "y", color=style.grid, linewidth=0.8, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left" if not horizontal else "bottom"):
        ax.spines[side].set_visible(False)
    ax.spines["left" if horizontal else "bottom"].set_color(style.colors.muted)
    value_title, category_title = (ax.set_xlabel, ax.set_ylabel) if horizontal else \
        (ax.set_ylabel, ax.set_xlabel)
    if value_title_text:
        if has_han(value_title_text) and not horizontal:
            # Chinese is not set sideways: the title stands level, above the axis
            value_title(value_title_text, color=style.colors.muted, rotation=0, ha="left",
                        va="bottom")
            value_axis.set_label_coords(0.0, 1.02)
        else:
            value_title(value_title_text, color=style.colors.muted)
    if spec.x_axis.title:
        category_title(spec.x_axis.title, color=style.colors.muted)
    if len(spec.series) > 1 and any(s.title for s in spec.series):
        fig.legend(handles=handles, labels=[s.title or "" for s in spec.series],
                   loc="outside lower center", ncols=min(len(handles), 4))


def _value_unit(spec: XYChartSpec, style: Style) -> tuple[float, str]:
    """Return the factor of the value axis's ticks and its title.

    With value labels in a scale (`format: usd, scale: billion`) the axis counts in the
    unit the labels use in the chart's language (亿美元, ticks ×10; USD billion): one unit per
    chart. A chart both languages read keeps the data's scale, named in both (十亿美元 / USD
    billion). The spec's own title comes first: 市场规模（亿美元）.
    """
    vl = spec.value_labels
    title = spec.y_axis.title or ""
    if vl is None or vl.scale == "one":
        return 1.0, title  # plain amounts (98美元/小时): the spec's title says the unit
    first = style.lang.partition("+")[0]
    if style.second_lang:
        _, zh_unit = axis_unit("zh", vl.format, vl.scale, same_scale=True)
        _, en_unit = axis_unit("en", vl.format, vl.scale)
        unit, factor = f"{zh_unit} / {en_unit}", 1.0
    else:
        largest = max((abs(v) for s in spec.series for v in s.values), default=0.0)
        factor, unit = axis_unit(first, vl.format, vl.scale, largest=largest)
    # a title that only names the data's scale (十亿美元, USD billion) is that unit: replaced
    named = {axis_unit(lang, vl.format, vl.scale, same_scale=True)[1] for lang in ("zh", "en")}
    if not title or title.strip() in named or set(title.split("\n")) <= named:
        return factor, unit
    return factor, f"{title}（{unit}）" if has_han(title) else f"{title} ({unit})"


def _tick(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 1e4 and math.isclose(value, round(value)):
        return f"{round(value):,}"
    return trim(value, 2)
