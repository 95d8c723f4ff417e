"""The mermaid `gantt`: sections, tasks with tags, ids, dates, durations and `after`/`until`.

One mermaid diagram family of `readers/mermaid.py`'s `READERS`; its errors are located
`BuildError`s. A task line is `Label : [tags,] [id,] [start,] end` as mermaid reads it: the
tags `done`, `active`, `crit`, `milestone` and `vert` (a vertical marker at its start) come
first; then one item is the end (the task starts where the one before it ends), two are start
and end, three are id, start and end. `dateFormat`, `excludes`, `includes` (days that are not
skipped after all), `weekend friday` and `inclusiveEndDates` change how dates read;
`axisFormat`, `tickInterval`, `todayMarker`, `weekday`, `topAxis`, `displayMode` and `click`
lines are accepted and not drawn. `%%` starts a comment anywhere on a line.
"""

from __future__ import annotations

import re

from builder.model.charts import GanttSpec, GanttTask
from builder.readers.gantt_dates import (
    DEFAULT_FORMAT,
    DateError,
    Excludes,
    RawTask,
    date_pattern,
    excluded_runs,
    iso,
    parse_excludes,
    resolve,
)
from builder.readers.mermaid_common import Line, Source, clean_label, title_line

_TAGS = ("active", "done", "crit", "milestone", "vert")
_IGNORED = re.compile(r"(axisFormat|tickInterval|todayMarker|weekday|displayMode|"
                      r"click|topAxis)(\s|$)")


def read_gantt(src: Source) -> GanttSpec:
    """Read `gantt` and its statements."""
    head = src.lines[0]
    if head.text != "gantt":
        raise src.error(head.number, f"cannot read gantt header {head.text!r}")
    title = src.title
    fmt, fmt_line = DEFAULT_FORMAT, head.number
    excludes: list[str] = []
    includes: list[str] = []
    inclusive = False
    weekend = "saturday"
    section: str | None = None
    raw: list[tuple[Line, RawTask]] = []
    for line in src.lines[1:]:
        # `%%` starts a comment anywhere on a gantt line, as mermaid's gantt lexer reads it
        line = Line(line.number, re.sub(r"\s*%%(?!\{).*$", "", line.text), line.indent)
        if not line.text:
            continue
        found = title_line(src, line)
        if found is not None:
            title = found
        elif (m := re.match(r"dateFormat\s+(.+)$", line.text)):
            fmt, fmt_line = m.group(1).strip(), line.number
        elif (m := re.match(r"excludes\s+(.+)$", line.text)):
            excludes += re.split(r"[,\s]+", m.group(1))
        elif (m := re.match(r"includes\s+(.+)$", line.text)):
            includes += re.split(r"[,\s]+", m.group(1))
        elif (m := re.match(r"weekend\s+(friday|saturday)$", line.text)):
            weekend = m.group(1)
        elif line.text == "inclusiveEndDates":
            inclusive = True
        elif (m := re.match(r"section(?:\s+(.*))?$", line.text)):
            section = clean_label(m.group(1) or "")
        elif _IGNORED.match(line.text):
            continue
        elif ":" in line.text:
            raw.append((line, _task(src, line, section)))
        else:
            raise src.error(line.number, f"cannot read gantt line {line.text!r}",
                            hint="write Task name : [id,] start, end")
    try:
        pattern = date_pattern(fmt)
        skipped = parse_excludes(excludes, pattern, weekend)
        kept = parse_excludes(includes, pattern)
    except DateError as exc:
        raise src.error(fmt_line, str(exc)) from None
    skipped = Excludes(skipped.weekdays, skipped.dates - kept.dates)
    if not raw:
        raise src.error(head.number, "gantt chart has no tasks")
    spans = resolve([t for _, t in raw], pattern, skipped,
                    lambda i, message: src.error(raw[i][0].number, message), inclusive)
    return GanttSpec(title, tuple(
        GanttTask(t.label, iso(s.start), iso(s.end), t.section, t.id, t.tags, t.milestone)
        for (_, t), s in zip(raw, spans, strict=True)), excluded_runs(skipped, spans))


def _task(src: Source, line: Line, section: str | None) -> RawTask:
    label, _, data = line.text.partition(":")
    label = clean_label(label)
    if not label:
        raise src.error(line.number, "a task needs a name before ':'")
    items = [i.strip() for i in data.split(",")]
    tags: list[str] = []
    while items and items[0] in _TAGS:
        tags.append(items.pop(0))
    if len(items) == 1 and items[0] == "" and "milestone" in tags:
        items = []
    if any(not i for i in items) or not items or len(items) > 3:
        raise src.error(line.number, f"cannot read task {line.text!r}",
                        hint="write Task name : [tags,] [id,] [start,] end")
    task_id = items.pop(0) if len(items) == 3 else None
    if task_id is not None and not re.fullmatch(r"[\w.-]+", task_id):
        raise src.error(line.number, f"task id {task_id!r} must be one word")
    start = items.pop(0) if len(items) == 2 else None
    end = items[0] if items else None
    kept = tuple(t for t in ("done", "active", "crit", "vert") if t in tags)
    return RawTask(label, section, task_id, kept, "milestone" in tags, start, end)
