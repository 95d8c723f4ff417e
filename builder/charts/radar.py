"""The radar renderer: a spider chart with a polygon (or circle) graticule and filled curves.

Axis labels are placed by hand outside the rim, aligned away from the centre, so long labels
never run into the plot. Registered in `render.DRAWERS`.
"""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from builder.charts.style import Style, draw_title
from builder.charts.text import wrap
from builder.locale.numbers import trim
from builder.model.charts import RadarSpec


def draw(fig: Figure, spec: RadarSpec, style: Style) -> None:
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
