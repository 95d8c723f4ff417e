"""The xychart renderer: grouped bars and lines over categories, vertical or horizontal.

Registered in `kinds.KINDS`; `read()` reads its YAML spec and `describe()` its alt text; draws
onto the figure it is given and never saves it.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

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

from builder.charts.style import Style, draw_title, format_values
from builder.charts.text import wrap
from builder.locale.numbers import axis_unit, trim
from builder.readers.content import has_han

GROUP_WIDTH = 0.72
MARKED_POINTS = 60  # a line of more points is drawn without a marker on each


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
        xf = f["x_axis"].mapping("x_axis", allowed=("title", "categories", "categorical"))
        x_axis = XAxis(title=r.optional_text(xf, "title", "x_axis.title"),
                       categories=r.labels(xf["categories"], "x_axis.categories")
                       if "categories" in xf else (),
                       categorical=xf["categorical"].boolean("x_axis.categorical")
                       if "categorical" in xf else False)
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
                       categories=tuple(str(i + 1) for i in range(len(series[0].values))),
                       categorical=True)
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
    spaced = None if spec.x_axis.categorical else proportional_positions(categories)
    positions = np.array(spaced if spaced else range(count), dtype=float)
    # one category's room on the axis: the closest two stand one step apart
    step = float(np.diff(positions).min()) if count > 1 else 1.0
    span = float(positions[-1] - positions[0]) + step
    width = GROUP_WIDTH * step / max(1, len(bars))
    handles = []
    value_labels: list[Any] = []
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
                texts = format_values([float(v) for v in values], style,
                                      vl.format if vl else "number", vl.scale if vl else "one")
                # on a white ground of their own: a gridline passes behind a label, not
                # through it
                value_labels.extend(ax.bar_label(
                    artist, labels=texts, padding=3, fontsize=style.small_pt,
                    color=style.colors.text,
                    bbox={"boxstyle": "square,pad=0.15", "facecolor": "white",
                          "edgecolor": "none"}))
        else:
            # a marker a point while they stand apart; a long series is a plain line
            look = {"marker": "o", "lw": 2, "markersize": 4.5} if count <= MARKED_POINTS \
                else {"marker": None, "lw": 1.4 if count <= 400 else 1.0}
            if horizontal:
                (artist,) = ax.plot(values, positions, color=colour, zorder=3,
                                    label=series.title or "", **look)
            else:
                (artist,) = ax.plot(positions, values, color=colour, zorder=3,
                                    label=series.title or "", **look)
        handles.append(artist)
    value_axis, category_axis = (ax.xaxis, ax.yaxis) if horizontal else (ax.yaxis, ax.xaxis)
    # Category labels wrap to the room one category has on the page; when even a word does
    # not fit there (hundreds of categories), only every k-th category is labelled, k as
    # small as lets the labels stand apart.
    room_pt = (style.width_in * 72 * 0.85) * step / span if not horizontal else \
        style.width_in * 72 * 0.3
    every = _label_every(categories, step / span, horizontal, min(height, 7.5), style)
    if every > 1:
        shown = list(range(0, count, every))
        labels = [categories[i] for i in shown]
        positions_shown = positions[shown]
    else:
        labels = [wrap(c, room_pt, style.families, style.tick_pt) for c in categories]
        positions_shown = positions
    if horizontal:
        ax.set_yticks(positions_shown, labels)
        ax.set_ylim(positions[-1] + step / 2, positions[0] - step / 2)
        ax.set_xlim(low, high)
    else:
        ax.set_xticks(positions_shown, labels)
        ax.set_xlim(positions[0] - step / 2, positions[-1] + step / 2)
        ax.set_ylim(low, high)
    units = _value_units(spec, style)
    factor, value_title_text = units[0]
    value_axis.set_major_locator(MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]))
    value_axis.set_major_formatter(FuncFormatter(lambda v, _pos: _tick(float(v) * factor)))
    # the second language's unit, on the opposite side, at the same ticks
    second = _second_value_axis(ax, horizontal, units[1][1], style) if len(units) > 1 else None
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
    if value_labels:
        _make_room(fig, ax, value_labels, horizontal, low, fixed=spec.y_axis.max is not None)
    if second is not None:
        _label_second_axis(fig, ax, second, horizontal, units[1][0],
                           laid_out=bool(value_labels))


def _second_value_axis(ax: Any, horizontal: bool, title: str, style: Style) -> Any:
    """Add the value axis of the chart's second language, on the right (on top of horizontal
    bars), with its title level above it; `_label_second_axis` numbers it once the limits
    are final. Return it."""
    second = ax.secondary_xaxis("top") if horizontal else ax.secondary_yaxis("right")
    second.tick_params(length=0, pad=4)
    for spine in second.spines.values():
        spine.set_visible(False)
    if title and horizontal:
        second.set_xlabel(title, color=style.colors.muted)
    elif title:
        second.set_ylabel(title, color=style.colors.muted, rotation=0, ha="right",
                          va="bottom")
        second.yaxis.set_label_coords(1.0, 1.02)
    return second


def _label_second_axis(fig: Figure, ax: Any, second: Any, horizontal: bool,
                       factor: float, laid_out: bool) -> None:
    """Put the second axis's ticks where the first axis has them, counted in its own unit:
    both languages label the same gridlines (亿美元 0, 200, 400 on the left; USD billion 0,
    20, 40 on the right). `laid_out`: the figure was drawn once since the axis was added
    (`_make_room` does it)."""
    from matplotlib.ticker import FixedLocator, FuncFormatter

    # a secondary axis sets its own ticker at its first drawing: that comes first
    if not laid_out:
        fig.draw_without_rendering()
    first = ax.xaxis if horizontal else ax.yaxis
    low, high = sorted(ax.get_xlim() if horizontal else ax.get_ylim())
    span = high - low
    ticks = [t for t in first.get_majorticklocs() if low - 1e-9 * span <= t <= high + 1e-9 * span]
    first.set_major_locator(FixedLocator(ticks))
    axis = second.xaxis if horizontal else second.yaxis
    axis.set_major_locator(FixedLocator(ticks))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: _tick(float(v) * factor)))


#: The room left between the outermost value label and the plot's frame, in points.
LABEL_CLEARANCE_PT = 4.0


def _make_room(fig: Figure, ax: Any, labels: list[Any], horizontal: bool, low: float,
               fixed: bool) -> None:
    """Move the value axis's end out just far enough that every value label (and its ground)
    stays LABEL_CLEARANCE_PT inside the frame (unless the spec `fixed` the end: `y_axis.max`),
    then keep the gridlines off the labels.

    A label stands a fixed number of points past its bar's end, so with the axis running from
    `low` to `high` over `h` points a label reaching `k` points past a bar of value `v` ends
    inside when `high - low >= (v - low) / (1 - (k + clearance) / h)`.
    """
    fig.draw_without_rendering()  # lays the figure out: the labels' extents are known
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    length = frame.width if horizontal else frame.height
    to_display = ax.transData
    clearance = LABEL_CLEARANCE_PT * fig.dpi / 72
    high = ax.get_xlim()[1] if horizontal else ax.get_ylim()[1]
    needed = high
    for label in labels:
        if not label.get_text():
            continue
        box = _label_box(label, renderer)
        value = label.xy[0] if horizontal else label.xy[1]
        if value <= low:
            continue  # a label below the axis's start (a negative bar) is not at this end
        anchor = to_display.transform((value, 0) if horizontal else (0, value))
        reach = (box.x1 - anchor[0]) if horizontal else (box.y1 - anchor[1])
        share = 1 - (reach + clearance) / length
        if share > 0.2:
            needed = max(needed, low + (value - low) / share)
    if needed > high and not fixed:
        if horizontal:
            ax.set_xlim(low, needed)
        else:
            ax.set_ylim(low, needed)
        high = needed
    _clear_gridlines(ax, labels, horizontal, low, high, renderer, clearance / 4)


def _label_box(label: Any, renderer: Any) -> Any:
    """Return the display box of a value label with its ground."""
    patch = label.get_bbox_patch()
    return (patch if patch is not None else label).get_window_extent(renderer)


def _clear_gridlines(ax: Any, labels: list[Any], horizontal: bool, low: float, high: float,
                     renderer: Any, margin_px: float) -> None:
    """Choose the value axis's ticks so that no gridline runs through a value label: the
    usual six steps of 1, 2, 2.5 or 5 first (without the last tick when only its line crosses
    a label), then five, four, seven and three, then steps of 3, 4, 6 or 8 too (a label's
    ground hides a line that no step can avoid)."""
    from matplotlib.ticker import FixedLocator, MaxNLocator

    back = ax.transData.inverted()
    spans = []
    for label in labels:
        if not label.get_text():
            continue
        box = _label_box(label, renderer)
        if horizontal:
            spans.append((back.transform((box.x0 - margin_px, 0))[0],
                          back.transform((box.x1 + margin_px, 0))[0]))
        else:
            spans.append((back.transform((0, box.y0 - margin_px))[1],
                          back.transform((0, box.y1 + margin_px))[1]))
    axis = ax.xaxis if horizontal else ax.yaxis
    for steps in ([1, 2, 2.5, 5, 10], [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]):
        for bins in (6, 5, 4, 7, 3):
            locator = MaxNLocator(nbins=bins, steps=steps)
            ticks = [t for t in locator.tick_values(low, high) if low <= t <= high]
            crossing = [t for t in ticks if t > low and any(a < t < b for a, b in spans)]
            if not crossing:
                axis.set_major_locator(locator)
                return
            if len(ticks) > 3 and crossing == [ticks[-1]]:
                # only the last line runs through a label: the axis ends without it
                axis.set_major_locator(FixedLocator(ticks[:-1]))
                return


#: Proportional spacing gives way to even spacing past this ratio of the axis's span to its
#: smallest step: bars would be thinner than about 2% of the axis.
MAX_SPAN_STEPS = 40
_NUMBER = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_DATE = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")


def _label_every(categories: list[str], share: float, horizontal: bool, height_in: float,
                 style: Style) -> int:
    """Return k: label every k-th category (1: all of them, wrapped to their room).

    `share` is one category's part of the axis. Labels are thinned only when a category's
    room is narrower than its longest word (wrapping cannot help) or, across the bars of a
    horizontal chart, lower than a line."""
    import math

    from builder.charts.text import line_height, line_width

    fam, size = style.families, style.tick_pt
    if horizontal:
        room = height_in * 72 * 0.8 * share
        need = line_height(fam, size) + 2
    else:
        room = style.width_in * 72 * 0.85 * share
        longest = sorted(categories, key=len)[-20:]  # measuring each of 5,000 costs a second
        words = [w for c in longest for w in c.split()] or [""]
        if room >= max(line_width(w, fam, size) for w in words) + 4:
            return 1
        need = max(line_width(c, fam, size) for c in longest) + 8
    return max(1, math.ceil(need / max(room, 1e-6)))


def proportional_positions(categories: list[str]) -> list[float] | None:
    """Return where categories that are numbers or ISO dates (2024-06, 2024-06-30) stand on a
    proportional axis (dates in years), or None when they are texts, are not increasing, or
    are too unevenly spaced (`MAX_SPAN_STEPS`) and stay evenly spaced."""
    values: list[float] = []
    for category in categories:
        text = category.strip()
        date = _DATE.match(text)
        if _NUMBER.match(text):
            values.append(float(text))
        elif date:
            year, month, day = int(date[1]), int(date[2]), int(date[3] or 1)
            if not 1 <= month <= 12 or not 1 <= day <= 31:
                return None
            values.append(year + (month - 1) / 12 + (day - 1) / 365)
        else:
            return None
    if len(values) < 3:
        return None  # two categories stand the same either way
    steps = [b - a for a, b in zip(values, values[1:], strict=False)]
    if min(steps) <= 0 or (values[-1] - values[0]) / min(steps) > MAX_SPAN_STEPS:
        return None
    return values


def _value_units(spec: XYChartSpec, style: Style) -> list[tuple[float, str]]:
    """Return the factor of the value axis's ticks and its title: one pair, or two for a chart
    both languages read (the first for its primary axis, the second for the opposite one).

    With value labels in a scale (`format: usd, scale: billion`) the axis counts in the
    unit the labels use in the chart's language (亿美元, ticks ×10; USD billion): one unit per
    chart in each language. A chart both languages read has an axis for each, on either side
    of the plot over the same gridlines: 亿美元 on the left (0–500), USD billion on the right
    (0–50), as its value labels say (472.4亿美元 / USD 47.24 billion). The spec's own title
    comes first: 市场规模（亿美元）.
    """
    vl = spec.value_labels
    title = spec.y_axis.title or ""
    if vl is None or vl.scale == "one":
        return [(1.0, title)]  # plain amounts (98美元/小时): the spec's title says the unit
    largest = max((abs(v) for s in spec.series for v in s.values), default=0.0)
    named = {axis_unit(lang, vl.format, vl.scale, same_scale=True)[1] for lang in ("zh", "en")}
    langs = [style.lang.partition("+")[0]]
    titles = [title]
    if style.second_lang:
        langs.append(style.second_lang)
        first, _, second = title.partition("\n")  # a bilingual text: one line a language
        titles = [first, second]
    units = []
    for lang, own in zip(langs, titles, strict=True):
        factor, unit = axis_unit(lang, vl.format, vl.scale, largest=largest)
        # a title that only names a scale (十亿美元, USD billion) is that unit: replaced
        if not own or own.strip() in named:
            units.append((factor, unit))
        else:
            units.append((factor, f"{own}（{unit}）" if has_han(own) else f"{own} ({unit})"))
    return units


def _tick(value: float) -> str:
    if value == 0:
        return "0"
    if abs(value) >= 1e4 and math.isclose(value, round(value)):
        return f"{round(value):,}"
    return trim(value, 2)
