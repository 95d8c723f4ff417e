"""The gantt chart: a plan's tasks as bars on a time axis, grouped by section.

Task names stand level in a column on the left (section names in bold above their tasks), bars
on a time axis whose ticks (hours, days, weeks, months, quarters or years) are chosen for the
plan's span and labelled in the edition's language (1月6日 / Jan 6). Done tasks are pale,
active ones in the second series colour, critical ones in the theme's reddest one; a legend names
the kinds a chart uses. Milestones are diamonds at their date. Registered in `kinds.KINDS`;
`read()` reads the YAML spec, whose task dates and durations work as mermaid's do
(`readers/gantt_dates.py`).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import yaml

from builder.charts.describe import flat, listing
from builder.model.charts import GanttSpec, GanttTask
from builder.readers.chart_yaml import Node, SpecReader
from builder.readers.gantt_dates import (
    DEFAULT_FORMAT,
    DateError,
    RawTask,
    date_pattern,
    excluded_runs,
    iso,
    parse_excludes,
    resolve,
)

if TYPE_CHECKING:  # drawing imports matplotlib; reading and describing a spec do not
    from matplotlib.figure import Figure

from builder.charts.style import Style, legible, points_axes, tint
from builder.charts.text import LINE_SPACING, line_height, line_width, measure, wrap

SPEC = GanttSpec

MARGIN = 4.0
GAP = 8.0          # between the name column and the bars
BAR = 9.0          # bar height
ROW = 15.0         # the least row height
DONE = "#B8C2CC"   # done tasks recede in grey
EXCLUDED = "#E6E9ED"  # excluded days: columns a shade off white (mermaid: #eee)
_TAGS = ("done", "active", "crit")
_LEGEND = {"done": ("已完成", "Done"), "active": ("进行中", "Active"),
           "crit": ("关键任务", "Critical"), "milestone": ("里程碑", "Milestone"),
           "excluded": ("非工作日", "Excluded days")}
#: Excluded days are shaded only where a day is at least this wide (points): on a plan of
#: years, weekends would be hairline stripes over the whole chart.
DAY_SHADED_PT = 2.0


def read(r: SpecReader, root: Node) -> GanttSpec:
    """Read `kind: gantt`: `sections` of `tasks`, or `tasks` alone."""
    f = root.mapping("gantt", allowed=("kind", "title", "sections", "tasks", "excludes"))
    if ("sections" in f) == ("tasks" in f):
        raise root.error("a gantt needs either 'sections' or 'tasks'")
    raw: list[tuple[Node, RawTask]] = []
    groups = [(None, f["tasks"])] if "tasks" in f else [
        (s, s.mapping("section", allowed=("label", "tasks"), required=("label", "tasks")))
        for s in f["sections"].items("sections")]
    for _, node in groups:
        if isinstance(node, dict):
            section: str | None = r.text(node["label"], "section label")
            tasks = node["tasks"]
        else:
            section, tasks = None, node
        for item in tasks.items("tasks"):
            raw.append((item, _task(r, item, section)))
    if not raw:
        raise root.error("a gantt needs at least one task")
    pattern = date_pattern(DEFAULT_FORMAT)
    excludes = parse_excludes([], pattern)
    if "excludes" in f:
        node = f["excludes"]
        words = _words(node, "excludes")
        try:
            excludes = parse_excludes(words, pattern)
        except DateError as exc:
            raise node.error(str(exc)) from None
    spans = resolve([t for _, t in raw], pattern, excludes,
                    lambda i, message: raw[i][0].error(message))
    return GanttSpec(r.optional_text(f, "title", "title"), tuple(
        GanttTask(t.label, iso(s.start), iso(s.end), t.section, t.id, t.tags, t.milestone)
        for (_, t), s in zip(raw, spans, strict=True)), excluded_runs(excludes, spans))


def _words(node: Node, what: str, choices: tuple[str, ...] | None = None) -> list[str]:
    """Return a word or a list of words."""
    if isinstance(node.node, yaml.SequenceNode):
        return [item.word(what, choices) for item in node.items(what)]
    return [node.word(what, choices)]


def _when(node: Node, what: str) -> str | dt.datetime:
    value = node.scalar(what)
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if value is None or isinstance(value, bool):
        raise node.error(f"{what} must be a date like 2025-01-06")
    return str(value)


def _task(r: SpecReader, node: Node, section: str | None) -> RawTask:
    t = node.mapping("task", allowed=("id", "label", "start", "after", "end", "duration",
                                      "until", "status", "milestone"), required=("label",))
    if sum(k in t for k in ("start", "after")) > 1:
        raise node.error("a task has either 'start' or 'after'")
    if sum(k in t for k in ("end", "duration", "until")) > 1:
        raise node.error("a task has one of 'end', 'duration' and 'until'")

    def ids(key: str) -> str:
        return " ".join([key, *_words(t[key], key)])

    start = _when(t["start"], "start") if "start" in t else ids("after") if "after" in t \
        else None
    end = _when(t["end"], "end") if "end" in t else t["duration"].word("duration") \
        if "duration" in t else ids("until") if "until" in t else None
    tags: tuple[str, ...] = ()
    if "status" in t:
        words = _words(t["status"], "status", _TAGS)
        tags = tuple(w for w in _TAGS if w in words)
    milestone = t["milestone"].boolean("milestone") if "milestone" in t else False
    if end is None and not milestone:
        raise node.error("a task needs an 'end', a 'duration' or 'until'",
                         hint="a point in time is 'milestone: true'")
    return RawTask(r.text(t["label"], "task label"), section,
                   t["id"].word("id") if "id" in t else None, tags, milestone, start, end)


def describe(spec: GanttSpec, zh: bool) -> tuple[str, str]:
    """Return the alt text's kind word and data: each task with its dates."""
    items = []
    for task in spec.tasks:
        when = task.start if task.milestone or task.start == task.end \
            else f"{task.start}–{task.end}"
        items.append(f"{flat(task.label)} {when}")
    return ("甘特图" if zh else "Gantt chart"), listing(items, zh)


def _time(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


# Tick steps, finest first: (unit, count).
_STEPS = (("minute", 1), ("minute", 5), ("minute", 10), ("minute", 15), ("minute", 30),
          ("hour", 1), ("hour", 3), ("hour", 6), ("hour", 12), ("day", 1), ("day", 2),
          ("week", 1), ("week", 2), ("month", 1), ("month", 2), ("month", 3), ("month", 6),
          ("year", 1), ("year", 2), ("year", 5), ("year", 10), ("year", 20), ("year", 50))


def _floor(value: dt.datetime, unit: str, count: int) -> dt.datetime:
    if unit == "minute":
        return value.replace(second=0, microsecond=0, minute=value.minute // count * count)
    if unit == "hour":
        return value.replace(minute=0, second=0, microsecond=0, hour=value.hour // count * count)
    day = value.replace(hour=0, minute=0, second=0, microsecond=0)
    if unit == "day":
        return day
    if unit == "week":
        return day - dt.timedelta(days=day.weekday())  # Mondays
    if unit == "month":
        return day.replace(day=1, month=(day.month - 1) // count * count + 1)
    return day.replace(day=1, month=1, year=day.year // count * count)


def _next(value: dt.datetime, unit: str, count: int) -> dt.datetime:
    if unit in ("minute", "hour", "day", "week"):
        minutes = {"minute": 1, "hour": 60, "day": 1440, "week": 10080}[unit] * count
        return value + dt.timedelta(minutes=minutes)
    months = count * (12 if unit == "year" else 1)
    year, month = divmod(value.month - 1 + months, 12)
    return value.replace(year=value.year + year, month=month + 1)


def ticks(first: dt.datetime, last: dt.datetime, most: int) -> tuple[str, int,
                                                                     list[dt.datetime]]:
    """Return the finest step with at most `most` ticks from `first` to past `last`."""
    for unit, count in _STEPS:
        start = _floor(first, unit, count)
        found = [start]
        while found[-1] < last and len(found) <= most + 1:
            found.append(_next(found[-1], unit, count))
        if len(found) - 1 <= most:
            return unit, count, found
    return unit, count, found


def tick_label(value: dt.datetime, unit: str, count: int, first: bool, zh: bool,
               dated: bool = True) -> str:
    """Return a tick's text: 1月6日 / Jan 6, 2025年1月 / Jan 2025, 2025 Q1, 2025; only the
    clock (09:00) for hours of a plan without dates."""
    year_shown = first or (value.month == 1 and (unit != "day" and unit != "week"
                                                 or value.day <= 7 * count))
    month = value.strftime("%b")
    if unit in ("minute", "hour"):
        clock = value.strftime("%H:%M")
        if dated and (first or (value.hour == 0 and value.minute < count if unit == "minute"
                                else value.hour < count)):
            return f"{value.month}月{value.day}日 {clock}" if zh else \
                f"{month} {value.day} {clock}"
        return clock
    if unit in ("day", "week"):
        if zh:
            return f"{value.year}年{value.month}月{value.day}日" if first else \
                f"{value.month}月{value.day}日"
        return f"{month} {value.day}, {value.year}" if first else f"{month} {value.day}"
    if unit == "month" and count == 3:
        return f"{value.year} Q{(value.month - 1) // 3 + 1}" if year_shown or \
            value.month == 1 else f"Q{(value.month - 1) // 3 + 1}"
    if unit == "month":
        if zh:
            return f"{value.year}年{value.month}月" if year_shown else f"{value.month}月"
        return f"{month} {value.year}" if year_shown else month
    return f"{value.year}年" if zh else str(value.year)


def critical(style: Style) -> str:
    """Return the theme's reddest series colour past the first two (those are plain and
    active tasks): critical work reads as a warning in any theme."""
    palette = style.colors.series[2:] or style.colors.series

    def redness(colour: str) -> int:
        r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
        return r - (g + b) // 2

    return max(palette, key=redness)


def _colour(task: GanttTask, style: Style) -> str:
    if "crit" in task.tags:
        red = critical(style)
        return tint(red, 0.45) if "done" in task.tags else red
    if "done" in task.tags:
        return DONE
    if "active" in task.tags:
        return style.series(1)
    return style.series(0)


def draw(fig: Figure, spec: GanttSpec, style: Style) -> None:
    """Draw `spec` on `fig`."""
    from matplotlib.patches import FancyBboxPatch, Polygon, Rectangle

    fam, size, tick = style.families, style.label_pt, style.tick_pt
    colors = style.colors
    width = style.width_in * 72
    column = min(max(line_width(line, fam, tick) for t in spec.tasks
                     for line in t.label.split("\n")) + 2, width * 0.34)
    sections = [t.section for t in spec.tasks]
    if any(sections):
        column = max(column, min(max(line_width(s or "", fam, size, True) for s in sections),
                                 width * 0.34))
    x0 = MARGIN + column + GAP
    x1 = width - MARGIN - 12
    top = MARGIN
    title = ""
    if spec.title:
        title = wrap(spec.title, width - 2 * MARGIN, fam, style.title_pt, True)
        top += measure(title, fam, style.title_pt, True)[1] + 8
    axis_h = line_height(fam, tick) + 6
    rows: list[tuple[str, object, float]] = []  # ("section", name, h) or ("task", task, h)
    previous: object = ()
    markers = [t for t in spec.tasks if "vert" in t.tags]  # vertical lines, not rows
    for task in spec.tasks:
        if "vert" in task.tags:
            continue
        if task.section != previous and task.section:
            text = wrap(task.section, column, fam, size, True)
            rows.append(("section", text, measure(text, fam, size, True)[1] + 6))
        previous = task.section
        label = wrap(task.label, column, fam, tick)
        rows.append(("task", (task, label), max(ROW, measure(label, fam, tick)[1] + 5)))
    first = min(_time(t.start) for t in spec.tasks)
    last = max(_time(t.end) for t in spec.tasks)
    if last <= first:
        last = first + dt.timedelta(days=1)
    most = max(2, int((x1 - x0) / (line_width("2025年12月", fam, tick) + 10)))
    unit, count, marks = ticks(first, last, most)
    lo, hi = marks[0], marks[-1]
    span = (hi - lo).total_seconds()
    shaded = bool(spec.excluded) and 86400 / span * (x1 - x0) >= DAY_SHADED_PT
    used = sorted({t for task in spec.tasks for t in task.tags if t != "vert"}
                  | ({"milestone"} if any(t.milestone for t in spec.tasks) else set())
                  | ({"excluded"} if shaded else set()),
                  key=list(_LEGEND).index)
    legend_h = line_height(fam, style.small_pt) + 10 if used else 0.0
    body_top = top + axis_h
    marker_h = measure("\n".join(wrap(t.label, 90, fam, style.small_pt) for t in markers[:1]),
                       fam, style.small_pt)[1] + 6 if markers else 0.0
    height = body_top + sum(h for _, _, h in rows) + marker_h + legend_h + MARGIN
    ax = points_axes(fig, width, height)
    if title:
        ax.text(MARGIN, MARGIN, title, ha="left", va="top", fontsize=style.title_pt,
                fontweight="bold", color=colors.primary, linespacing=LINE_SPACING)

    def x_of(value: dt.datetime) -> float:
        return x0 + (value - lo).total_seconds() / span * (x1 - x0)

    bottom = body_top + sum(h for _, _, h in rows)
    # Times without a date (dateFormat HH:mm) read as 1970-01-01: their ticks show the clock.
    dated = first.date() != dt.date(1970, 1, 1)
    # Section bands first, then gridlines, then bars.
    y = body_top
    band = 0
    for kind, _, h in rows:
        if kind == "section":
            band += 1
        if band % 2 == 1:
            ax.add_patch(Rectangle((MARGIN, y), x1 - MARGIN, h, fc=tint(colors.primary, 0.05),
                                   ec="none", zorder=0))
        y += h
    if shaded:  # excluded days (weekends, holidays) as grey columns behind the bars
        for day_from, day_to in spec.excluded:
            a = x_of(_time(day_from))
            b = x_of(_time(day_to) + dt.timedelta(days=1))
            ax.add_patch(Rectangle((a, body_top), b - a, bottom - body_top, fc=EXCLUDED,
                                   ec="none", zorder=0.5))
    for i, mark in enumerate(marks):
        x = x_of(mark)
        ax.plot([x, x], [body_top - 2, bottom], color=style.grid, lw=0.6, zorder=1)
        ax.text(x, body_top - 4, tick_label(mark, unit, count, i == 0, style.zh, dated),
                ha="center", va="bottom", fontsize=tick, color=colors.text)
    y = body_top
    for kind, payload, h in rows:
        if kind == "section":
            ax.text(MARGIN, y + h / 2, str(payload), ha="left", va="center", fontsize=size,
                    fontweight="bold", color=colors.primary, linespacing=LINE_SPACING)
            y += h
            continue
        task, label = payload  # type: ignore[misc]
        mid = y + h / 2
        ax.text(MARGIN + (6 if task.section else 0), mid, label, ha="left", va="center",
                fontsize=tick, color=colors.text, linespacing=LINE_SPACING, zorder=3)
        colour = _colour(task, style)
        start = x_of(_time(task.start))
        if task.milestone:
            r = BAR * 0.62
            ax.add_patch(Polygon([(start, mid - r), (start + r, mid), (start, mid + r),
                                  (start - r, mid)], closed=True,
                                 fc=colour if task.tags else colors.primary, ec="white",
                                 lw=0.8, zorder=4))
        else:
            end = max(x_of(_time(task.end)), start + 1.5)
            ax.add_patch(FancyBboxPatch((start, mid - BAR / 2), end - start, BAR,
                                        boxstyle="round,pad=0,rounding_size=2", fc=colour,
                                        ec="none", zorder=3))
        y += h
    for task in markers:
        x = x_of(_time(task.start))
        ax.plot([x, x], [body_top - 2, bottom], color=critical(style), lw=1.0,
                ls=(0, (4, 2)), zorder=4)
        ax.text(x, bottom + 3, wrap(task.label, 90, fam, style.small_pt), ha="center",
                va="top", fontsize=style.small_pt, color=legible(critical(style)),
                linespacing=LINE_SPACING, zorder=5)
    bottom += marker_h
    if used:
        lx = x0
        ly = bottom + legend_h / 2 + 2
        for word in used:
            text = _LEGEND[word][0 if style.zh else 1]
            sample = {"done": DONE, "active": style.series(1), "crit": critical(style),
                      "milestone": colors.primary, "excluded": EXCLUDED}[word]
            if word == "milestone":
                r = 4.0
                ax.add_patch(Polygon([(lx + r, ly - r), (lx + 2 * r, ly), (lx + r, ly + r),
                                      (lx, ly)], closed=True, fc=sample, ec="none"))
            else:
                ax.add_patch(FancyBboxPatch((lx, ly - 4), 12, 8,
                                            boxstyle="round,pad=0,rounding_size=2",
                                            fc=sample, ec="none"))
            ax.text(lx + 15, ly, text, ha="left", va="center", fontsize=style.small_pt,
                    color=legible(colors.text))
            lx += 15 + line_width(text, fam, style.small_pt) + 14
