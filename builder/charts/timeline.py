"""The timeline renderer: periods left to right on a time axis, their events as cards below.

Sections (mermaid `section`) become a tinted band above their periods. Everything is measured
before drawing so that the figure is exactly as tall as the longest column of events. Registered
in `kinds.KINDS`; `read()` reads its YAML spec and `describe()` its alt text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from builder.charts.describe import flat, listing
from builder.model.charts import (
    TimelinePeriod,
    TimelineSpec,
)
from builder.readers.chart_yaml import Node, SpecReader

if TYPE_CHECKING:  # drawing imports matplotlib; reading and describing a spec do not
    from matplotlib.figure import Figure

from builder.charts.style import Style, points_axes, tint
from builder.charts.text import LINE_SPACING, measure, wrap

MARGIN = 4.0
GAP = 8.0        # between columns
CARD_GAP = 5.0   # between event cards
PAD = 5.0        # inside a card


SPEC = TimelineSpec


def read(r: SpecReader, root: Node) -> TimelineSpec:
    """Read `kind: timeline`."""
    f = root.mapping("timeline", allowed=("kind", "title", "periods"), required=("periods",))
    periods: list[TimelinePeriod] = []
    for item in f["periods"].items("periods"):
        p = item.mapping("period", allowed=("label", "section", "events"),
                         required=("label",))
        events = tuple(r.text(e, "event") for e in p["events"].items("events")) \
            if "events" in p else ()
        periods.append(TimelinePeriod(r.text(p["label"], "period label"), events,
                                      r.optional_text(p, "section", "section")))
    if not periods:
        raise f["periods"].error("a timeline needs at least one period")
    return TimelineSpec(r.optional_text(f, "title", "title"), tuple(periods))


def describe(spec: TimelineSpec, zh: bool) -> tuple[str, str]:
    """Return the alt text's kind word and data: each period with its events."""
    data = listing([f"{flat(p.label)}: " + (", " if not zh else "、").join(
        flat(e) for e in p.events) for p in spec.periods], zh)
    return ("时间线" if zh else "Timeline"), data


def draw(fig: Figure, spec: TimelineSpec, style: Style) -> None:
    from matplotlib.patches import Circle, FancyBboxPatch

    """Draw `spec` on `fig`."""
    width = style.width_in * 72
    count = len(spec.periods)
    column = (width - 2 * MARGIN - GAP * (count - 1)) / count
    fam, size = style.families, style.label_pt
    sections = [p.section for p in spec.periods]
    has_sections = any(s for s in sections)
    keys = sections if has_sections else [str(i) for i in range(count)]
    order = list(dict.fromkeys(keys))
    colours = [style.series(order.index(k)) for k in keys]
    labels = [wrap(p.label, column - 2 * PAD, fam, size + 0.5, bold=True) for p in spec.periods]
    events = [[wrap(e, column - 2 * PAD, fam, size) for e in p.events] for p in spec.periods]
    y = MARGIN
    title_h = 0.0
    if spec.title:
        title_h = measure(wrap(spec.title, width - 2 * MARGIN, fam, style.title_pt, True), fam,
                          style.title_pt, True)[1] + 8
    y += title_h
    band_h = (max(measure(wrap(s or "", 3 * column, fam, size), fam, size)[1]
                  for s in sections) + 2 * PAD) if has_sections else 0.0
    label_h = max(measure(t, fam, size + 0.5, True)[1] for t in labels) + 2 * PAD
    card_heights = [[measure(e, fam, size)[1] + 2 * PAD for e in col] for col in events]
    column_h = max((sum(h) + CARD_GAP * max(0, len(h) - 1) for h in card_heights), default=0)
    axis_gap = 22.0
    height = y + band_h + (4 if has_sections else 0) + label_h + axis_gap + column_h + MARGIN
    ax = points_axes(fig, width, height)
    if spec.title:
        ax.text(MARGIN, MARGIN, wrap(spec.title, width - 2 * MARGIN, fam, style.title_pt, True),
                ha="left", va="top", fontsize=style.title_pt, fontweight="bold",
                color=style.colors.primary)
    xs = [MARGIN + i * (column + GAP) for i in range(count)]
    if has_sections:
        start = 0
        for i in range(1, count + 1):
            if i == count or sections[i] != sections[start]:
                if sections[start]:
                    x0, x1 = xs[start], xs[i - 1] + column
                    ax.add_patch(FancyBboxPatch((x0, y), x1 - x0, band_h,
                                                boxstyle="round,pad=0,rounding_size=3",
                                                fc=tint(colours[start], 0.16), ec="none"))
                    ax.text((x0 + x1) / 2, y + band_h / 2,
                            wrap(sections[start] or "", x1 - x0 - 2 * PAD, fam, size),
                            ha="center", va="center", fontsize=size,
                            color=style.colors.text, fontweight="bold")
                start = i
        y += band_h + 4
    axis_y = y + label_h + axis_gap / 2
    ax.plot([MARGIN, width - MARGIN], [axis_y, axis_y], color=style.colors.rule, lw=2,
            solid_capstyle="round", zorder=1)
    for i, period in enumerate(spec.periods):
        x, colour = xs[i], colours[i]
        ax.add_patch(FancyBboxPatch((x, y), column, label_h,
                                    boxstyle="round,pad=0,rounding_size=4", fc=colour, ec="none"))
        ax.text(x + column / 2, y + label_h / 2, labels[i], ha="center", va="center",
                fontsize=size + 0.5, fontweight="bold", color="white", linespacing=LINE_SPACING)
        ax.add_patch(Circle((x + column / 2, axis_y), 4.2, fc="white", ec=colour, lw=2,
                            zorder=3))
        top = axis_y + axis_gap / 2
        for text, card_h in zip(events[i], card_heights[i], strict=True):
            ax.add_patch(FancyBboxPatch((x, top), column, card_h,
                                        boxstyle="round,pad=0,rounding_size=3",
                                        fc=tint(colour, 0.09), ec=tint(colour, 0.35), lw=0.8))
            ax.add_patch(FancyBboxPatch((x, top), 3, card_h, boxstyle="square,pad=0",
                                        fc=colour, ec="none"))
            ax.text(x + PAD + 2, top + card_h / 2, text, ha="left", va="center", fontsize=size,
                    color=style.colors.text, linespacing=LINE_SPACING)
            top += card_h + CARD_GAP
        del period
