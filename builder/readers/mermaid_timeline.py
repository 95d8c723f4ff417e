"""The mermaid `timeline`: periods, sections and their events.

One mermaid diagram family of `readers/mermaid.py`'s `READERS`; its errors are located
`BuildError`s.
"""

from __future__ import annotations

import re

from builder.model.charts import (
    TimelinePeriod,
    TimelineSpec,
)
from builder.readers.mermaid_common import (
    Source,
    clean_label,
    title_line,
)

_TL_SEP = re.compile(r"\s*:(?:\s+|$)")


def read_timeline(src: Source) -> TimelineSpec:
    """Read `timeline` with title, `section` lines, `period : event : event` and `: event`."""
    head = src.lines[0]
    if not re.match(r"timeline(\s+(LR|TD))?\s*$", head.text):
        raise src.error(head.number, f"cannot read timeline header {head.text!r}")
    title = src.title
    section: str | None = None
    periods: list[tuple[str, str | None, list[str]]] = []
    for line in src.lines[1:]:
        found = title_line(src, line)
        if found is not None:
            title = found
            continue
        if (m := re.match(r"section(?:\s+(.*))?$", line.text)):
            section = clean_label(m.group(1) or "")
            continue
        if line.text.startswith(":"):
            if not periods:
                raise src.error(line.number, "event continuation before any time period")
            events = [clean_label(e) for e in _TL_SEP.split(" " + line.text + " ")[1:]]
            periods[-1][2].extend(e for e in events if e)
            continue
        parts = _TL_SEP.split(line.text)
        label = clean_label(parts[0])
        if not label:
            raise src.error(line.number, f"cannot read timeline line {line.text!r}")
        periods.append((label, section, [e for e in (clean_label(p) for p in parts[1:]) if e]))
    if not periods:
        raise src.error(head.number, "timeline has no time periods")
    return TimelineSpec(title, tuple(TimelinePeriod(lb, tuple(ev), sec)
                                     for lb, sec, ev in periods))
