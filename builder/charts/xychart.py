"""The xychart renderer: grouped bars and lines over categories, vertical or horizontal.

Registered in `render.DRAWERS`; draws onto the figure it is given and never saves it.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from builder.charts.style import Style, draw_title, format_value
from builder.charts.text import wrap
from builder.locale.numbers import trim
from builder.model.charts import XYChartSpec

GROUP_WIDTH = 0.72


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
    value_axis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    value_axis.set_major_formatter(FuncFormatter(lambda v, _pos: _tick(float(v))))
    category_axis.set_tick_params(length=0, pad=6)
    value_axis.set_tick_params(length=0, pad=4)
    ax.grid(axis="x" if horizontal else "y", color=style.grid, linewidth=0.8, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left" if not horizontal else "bottom"):
        ax.spines[side].set_visible(False)
    ax.spines["left" if horizontal else "bottom"].set_color(style.colors.muted)
    value_title, category_title = (ax.set_xlabel, ax.set_ylabel) if horizontal else \
        (ax.set_ylabel, ax.set_xlabel)
    if spec.y_axis.title:
        value_title(spec.y_axis.title, color=style.colors.muted)
    if spec.x_axis.title:
        category_title(spec.x_axis.title, color=style.colors.muted)
    if len(spec.series) > 1 and any(s.title for s in spec.series):
        fig.legend(handles=handles, labels=[s.title or "" for s in spec.series],
                   loc="outside lower center", ncols=min(len(handles), 4))


def _tick(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 1e4 and math.isclose(value, round(value)):
        return f"{round(value):,}"
    return trim(value, 2)
