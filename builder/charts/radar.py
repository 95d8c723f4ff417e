"""The radar renderer: a spider chart with a polygon (or circle) graticule and filled curves.

Axis labels are placed by hand outside the rim, aligned away from the centre, so long labels
never run into the plot. Registered in `kinds.KINDS`; `read()` reads its YAML spec and
`describe()` its alt text.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from builder.charts.describe import flat, listing, number
from builder.model.charts import (
    RadarAxis,
    RadarSeries,
    RadarSpec,
)
from builder.readers.chart_yaml import Node, SpecReader

if TYPE_CHECKING:  # drawing imports matplotlib; reading and describing a spec do not
    from matplotlib.figure import Figure

from builder.charts.style import Style, draw_title
from builder.charts.text import wrap
from builder.locale.numbers import trim

SPEC = RadarSpec


def read(r: SpecReader, root: Node) -> RadarSpec:
    """Read `kind: radar`."""
    f = root.mapping("radar", allowed=("kind", "title", "data", "min", "max", "axes",
                                        "series", "graticule", "ticks", "show_legend"),
                     required=("axes", "series"))
    r.use_data(f)
    axes: list[RadarAxis] = []
    for item in f["axes"].items("axes"):
        a = item.mapping("axis", allowed=("id", "label"), required=("id",))
        ident = a["id"].word("axis id")
        if any(x.id == ident for x in axes):
            raise a["id"].error(f"duplicate axis id {ident!r}")
        axes.append(RadarAxis(ident, r.text(a["label"], "axis label") if "label" in a
                              else ident))
    if len(axes) < 3:
        raise f["axes"].error("a radar chart needs at least 3 axes")
    series: list[RadarSeries] = []
    for item in f["series"].items("series"):
        s = item.mapping("series", allowed=("id", "label", "values"),
                         required=("id", "values"))
        ident = s["id"].word("series id")
        values = r.numbers(s["values"], "series values")
        if len(values) != len(axes):
            raise s["values"].error(f"series {ident!r} has {len(values)} values for "
                                    f"{len(axes)} axes")
        series.append(RadarSeries(ident, r.text(s["label"], "series label")
                                  if "label" in s else ident, values))
    if not series:
        raise f["series"].error("a radar chart needs at least one series")
    low = f["min"].number("min") if "min" in f else 0.0
    high = f["max"].number("max") if "max" in f else max(max(s.values) for s in series)
    if high <= low:
        raise root.error("radar max must be above min")
    ticks = int(f["ticks"].number("ticks")) if "ticks" in f else 5
    return RadarSpec(
        title=r.optional_text(f, "title", "title"), axes=tuple(axes),
        series=tuple(series), min=low, max=high,
        graticule=f["graticule"].word("graticule", ("circle", "polygon"))  # type: ignore[arg-type]
        if "graticule" in f else "polygon",
        ticks=max(1, min(ticks, 10)),
        show_legend=f["show_legend"].boolean("show_legend") if "show_legend" in f else True,
    )


def describe(spec: RadarSpec, zh: bool) -> tuple[str, str]:
    """Return the alt text's kind word and data: each series' value per axis, and the scale."""
    parts = [f"{flat(s.label)}: " + ", ".join(
        f"{flat(a.label)} {number(v)}" for a, v in zip(spec.axes, s.values, strict=False))
        for s in spec.series]
    data = listing(parts, zh) + (f"（{number(spec.min)}–{number(spec.max)}）" if zh
                                 else f" (scale {number(spec.min)}–{number(spec.max)})")
    return ("雷达图" if zh else "Radar chart"), data


def draw(fig: Figure, spec: RadarSpec, style: Style) -> None:
    import numpy as np

    """Draw `spec` on `fig`."""
    fig.set_size_inches(style.width_in, 4.0)
    draw_title(fig, spec.title, style)
    ax = fig.add_subplot(projection="polar")
    count = len(spec.axes)
    angles = [math.pi / 2 - 2 * math.pi * i / count for i in range(count)]
    closed = np.array(angles + angles[:1])
    low, high = spec.min, spec.max
    ax.set_ylim(low, high)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    ax.spines["polar"].set_visible(False)
    rings = [low + (high - low) * (k + 1) / spec.ticks for k in range(spec.ticks)]
    for r in rings:
        if spec.graticule == "polygon":
            ax.plot(closed, [r] * (count + 1), color=style.grid, lw=0.8, zorder=1)
        else:
            ax.plot(np.linspace(0, 2 * math.pi, 181), [r] * 181, color=style.grid, lw=0.8,
                    zorder=1)
        ax.text(angles[0], r, trim(float(r), 2), fontsize=style.small_pt - 1,
                color=style.colors.muted,
                ha="left", va="center", zorder=5,
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8})
    for a in angles:
        ax.plot([a, a], [low, high], color=style.grid, lw=0.8, zorder=1)
    for a, axis in zip(angles, spec.axes, strict=True):
        cos, sin = math.cos(a), math.sin(a)
        ha = "center" if abs(cos) < 0.2 else ("left" if cos > 0 else "right")
        va = "center" if abs(sin) < 0.2 else ("bottom" if sin > 0 else "top")
        label = wrap(axis.label, 110, style.families, style.label_pt)
        ax.text(a, high + (high - low) * 0.1, label, ha=ha, va=va, fontsize=style.label_pt,
                color=style.colors.text, linespacing=1.15)
    handles = []
    for index, series in enumerate(spec.series):
        colour = style.series(index)
        values = np.clip(np.array(list(series.values) + [series.values[0]], dtype=float),
                         low, high)
        (line,) = ax.plot(closed, values, color=colour, lw=2, marker="o", markersize=3.5,
                          zorder=3 + index)
        ax.fill(closed, values, color=colour, alpha=0.14, zorder=2)
        handles.append(line)
    if spec.show_legend:
        fig.legend(handles=handles, labels=[s.label for s in spec.series],
                   loc="outside right center")
