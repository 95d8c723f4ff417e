"""Gantt dates: parse dates in a mermaid `dateFormat`, durations, and resolve every task's span.

Shared by the mermaid `gantt` reader and the YAML `kind: gantt` spec. A task's start is a date,
`after id …` (the latest end of those tasks) or, when left out, the end of the task before it;
its end is a date, a duration (`3d`, `2w`, `1.5h`, `1M`, `1y`) or `until id …` (the earliest
start of those tasks). References may point forward; a cycle or an unknown id is an error.
`excludes weekends` (and listed dates or weekday names) stretch a task's end over the days it
skips, as mermaid does.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

DEFAULT_FORMAT = "YYYY-MM-DD"
# dayjs tokens of `dateFormat`, longest first; each becomes a regex group.
_TOKENS = {
    "YYYY": r"(?P<year>\d{4})", "YY": r"(?P<yy>\d{2})", "MM": r"(?P<month>\d{2})",
    "M": r"(?P<month>\d{1,2})", "DD": r"(?P<day>\d{2})", "D": r"(?P<day>\d{1,2})",
    "HH": r"(?P<hour>\d{2})", "H": r"(?P<hour>\d{1,2})", "mm": r"(?P<minute>\d{2})",
    "m": r"(?P<minute>\d{1,2})", "ss": r"(?P<second>\d{2})", "s": r"(?P<second>\d{1,2})",
    "X": r"(?P<unix>\d{1,12})",
}
_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|[Mdhmswy])")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_YEARS = 200  # a plan longer than this is a typo, and would draw hairlines


class DateError(ValueError):
    """A date, duration or reference that cannot be read; the message says which."""


def date_pattern(fmt: str) -> re.Pattern[str]:
    """Return the regex that reads dates written in the dayjs format `fmt`."""
    out, i = [], 0
    seen: set[str] = set()
    while i < len(fmt):
        if fmt[i] == "[":  # [literal text]
            end = fmt.find("]", i)
            if end < 0:
                raise DateError(f"unclosed [ in dateFormat {fmt!r}")
            out.append(re.escape(fmt[i + 1:end]))
            i = end + 1
            continue
        token = next((t for t in _TOKENS if fmt.startswith(t, i)), None)
        if token is None:
            if fmt[i].isalpha():
                raise DateError(f"dateFormat token {fmt[i]!r} is not supported",)
            out.append(re.escape(fmt[i]))
            i += 1
            continue
        group = _TOKENS[token]
        name = group[4:group.index(">")]
        if name in seen:
            raise DateError(f"dateFormat {fmt!r} names the {name} twice")
        seen.add(name)
        out.append(group)
        i += len(token)
    return re.compile("".join(out))


def parse_date(text: str, pattern: re.Pattern[str]) -> dt.datetime:
    """Return the date `text` in the format of `pattern`, or an ISO date (mermaid's fallback)."""
    text = text.strip()
    m = pattern.fullmatch(text)
    try:
        if m:
            parts = m.groupdict()
            if parts.get("unix") is not None:
                return dt.datetime(1970, 1, 1) + dt.timedelta(seconds=int(parts["unix"]))
            year = int(parts["year"]) if parts.get("year") else \
                2000 + int(parts["yy"]) if parts.get("yy") else 1970
            return dt.datetime(year, int(parts.get("month") or 1), int(parts.get("day") or 1),
                               int(parts.get("hour") or 0), int(parts.get("minute") or 0),
                               int(parts.get("second") or 0))
        return dt.datetime.fromisoformat(text)
    except ValueError:
        raise DateError(f"not a date: {text!r}") from None


def add_duration(start: dt.datetime, text: str) -> dt.datetime:
    """Return `start` plus the duration `text` (`3d`, `1.5w`, `2M`, `90m`, `500ms`)."""
    m = _DURATION.fullmatch(text.strip())
    if not m:
        raise DateError(f"not a date or a duration: {text.strip()!r}",)
    amount, unit = float(m.group(1)), m.group(2)
    if unit in ("M", "y"):
        months = int(amount) * (12 if unit == "y" else 1)
        year, month = divmod(start.month - 1 + months, 12)
        year += start.year
        if year > start.year + MAX_YEARS:
            raise DateError(f"duration {text.strip()!r} is too long")
        day = min(start.day, calendar.monthrange(year, month + 1)[1])
        return start.replace(year=year, month=month + 1, day=day)
    seconds = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}[unit]
    if amount * seconds > MAX_YEARS * 366 * 86400:
        raise DateError(f"duration {text.strip()!r} is too long")
    return start + dt.timedelta(seconds=amount * seconds)


@dataclass(frozen=True)
class Excludes:
    """Days a plan skips: weekends, weekday names and single dates."""

    weekdays: frozenset[int] = frozenset()
    dates: frozenset[dt.date] = frozenset()

    def __contains__(self, day: dt.date) -> bool:
        return day.weekday() in self.weekdays or day in self.dates


def parse_excludes(items: Sequence[str], pattern: re.Pattern[str],
                   weekend: str = "saturday") -> Excludes:
    """Return `weekends` (Saturday and Sunday, or Friday and Saturday when `weekend` is
    friday), weekday names and dates as `Excludes`."""
    weekdays: set[int] = set()
    dates: set[dt.date] = set()
    for item in (i.strip() for i in items):
        low = item.lower()
        if not item:
            continue
        if low == "weekends":
            first = _WEEKDAYS.index(weekend)
            weekdays |= {first, (first + 1) % 7}
        elif low in _WEEKDAYS:
            weekdays.add(_WEEKDAYS.index(low))
        else:
            dates.add(parse_date(item, pattern).date())
    return Excludes(frozenset(weekdays), frozenset(dates))


@dataclass
class RawTask:
    """A task as written: `start` is a date, `after id …` or None; `end` a date, a duration,
    `until id …` or None (a milestone, or a task that ends where it starts)."""

    label: str
    section: str | None
    id: str | None
    tags: tuple[str, ...]
    milestone: bool
    start: str | dt.datetime | None
    end: str | dt.datetime | None


@dataclass(frozen=True)
class Span:
    """A resolved task: start and end."""

    start: dt.datetime
    end: dt.datetime


def _stretch(start: dt.datetime, end: dt.datetime, excludes: Excludes) -> dt.datetime:
    """Return `end` pushed on by one day for every excluded day after `start` up to `end`."""
    if not excludes.weekdays and not excludes.dates:
        return end
    day, steps = start + dt.timedelta(days=1), 0
    while day <= end:
        if day.date() in excludes:
            end += dt.timedelta(days=1)
        day += dt.timedelta(days=1)
        steps += 1
        if steps > MAX_YEARS * 366:
            raise DateError("every day is excluded")
    return end


def resolve(tasks: Sequence[RawTask], pattern: re.Pattern[str], excludes: Excludes,
            fail: Callable[[int, str], Exception], inclusive_end: bool = False) -> list[Span]:
    """Return each task's span, or raise `fail(index, message)` for the task at fault."""
    ids = {t.id: i for i, t in enumerate(tasks) if t.id}
    spans: list[Span | None] = [None] * len(tasks)
    state = [0] * len(tasks)  # 0 new, 1 in progress, 2 done

    def refs(index: int, text: str, word: str) -> list[int]:
        names = text.split()[1:]
        if not names:
            raise fail(index, f"'{word}' needs the id of a task")
        unknown = [n for n in names if n not in ids]
        if unknown:
            raise fail(index, f"unknown task id {unknown[0]!r} after '{word}'")
        return [ids[n] for n in names]

    def date(index: int, value: str | dt.datetime) -> dt.datetime:
        if isinstance(value, dt.datetime):
            return value
        try:
            return parse_date(value, pattern)
        except DateError as exc:
            raise fail(index, str(exc)) from None

    def span(index: int) -> Span:
        done = spans[index]
        if done is not None:
            return done
        if state[index] == 1:
            raise fail(index, "the task depends on itself (a cycle of 'after'/'until')")
        state[index] = 1
        task = tasks[index]
        if task.start is None:
            if index == 0:
                raise fail(index, "the first task needs a start date")
            start = span(index - 1).end
        elif isinstance(task.start, str) and re.match(r"after(\s|$)", task.start):
            start = max(span(i).end for i in refs(index, task.start, "after"))
        else:
            start = date(index, task.start)
        end_value = task.end
        # As mermaid: an end written as a YYYY-MM-DD date is kept; any other end (a duration,
        # `until`, a date in another format) is stretched over the excluded days.
        manual = isinstance(end_value, dt.datetime) or (
            isinstance(end_value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", end_value.strip())
            is not None)
        if end_value is None:
            end = start
        elif isinstance(end_value, str) and re.match(r"until(\s|$)", end_value):
            end = min(span(i).start for i in refs(index, end_value, "until"))
        elif isinstance(end_value, dt.datetime) or not _DURATION.fullmatch(end_value.strip()):
            end = date(index, end_value)
            if inclusive_end:
                end += dt.timedelta(days=1)
        else:
            try:
                end = add_duration(start, end_value)
            except (DateError, OverflowError) as exc:
                raise fail(index, str(exc)) from None
        if not manual and end_value is not None:
            try:
                end = _stretch(start, end, excludes)
            except (DateError, OverflowError) as exc:
                raise fail(index, str(exc)) from None
        if end < start:
            raise fail(index, f"the task ends ({iso(end)}) before it starts ({iso(start)})")
        if (end - start).days > MAX_YEARS * 366:
            raise fail(index, f"the task spans more than {MAX_YEARS} years")
        spans[index] = Span(start, end)
        state[index] = 2
        return spans[index]  # type: ignore[return-value]

    try:
        result = [span(i) for i in range(len(tasks))]
    except RecursionError:
        raise fail(0, "the chain of 'after' references is too deep to follow") from None
    first = min((s.start for s in result), default=None)
    last = max((s.end for s in result), default=None)
    if first and last and (last - first).days > MAX_YEARS * 366:
        raise fail(0, f"the plan spans more than {MAX_YEARS} years")
    return result


def excluded_runs(excludes: Excludes, spans: Sequence[Span]) -> tuple[tuple[str, str], ...]:
    """Return the runs of excluded days from the plan's first day to its last, as ISO dates
    (first, last day of each run)."""
    if not spans or (not excludes.weekdays and not excludes.dates):
        return ()
    first = min(s.start for s in spans).date()
    last = max(max(s.start, s.end) for s in spans)
    end = last.date() if last.time() == dt.time(0) else last.date() + dt.timedelta(days=1)
    runs: list[list[dt.date]] = []
    day = first
    while day < end:
        if day in excludes:
            if runs and runs[-1][1] + dt.timedelta(days=1) == day:
                runs[-1][1] = day
            else:
                runs.append([day, day])
        day += dt.timedelta(days=1)
    return tuple((a.isoformat(), b.isoformat()) for a, b in runs)


def iso(value: dt.datetime) -> str:
    """Return `2025-01-06` for midnight, else `2025-01-06T09:30` (seconds when set)."""
    if value.time() == dt.time(0):
        return value.date().isoformat()
    return value.isoformat(timespec="seconds" if value.second else "minutes")
