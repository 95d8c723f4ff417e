"""Translation status of a report: translated, missing and stale texts, per report and section.

Part of the translation workflow; compose calls `status_diagnostics()` once per target language
so that `check` and `build` report stale translations at their lines and a count per section.
(Missing translations are reported by compose itself, where each text is localized.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from builder.diagnostics import BuildError, Diagnostics, display_path
from builder.i18n.lock import Lock, read_lock
from builder.i18n.texts import TextRef, iter_texts, source_hash, translatable
from builder.readers.content import Loc, ReportRecord

TRANSLATED, MISSING, STALE = "translated", "missing", "stale"


@dataclass(frozen=True)
class Entry:
    """The status of one text: `state` is translated, missing or stale; `stamped` says
    whether the lock records its source hash (an unstamped translation cannot go stale)."""

    ref: TextRef
    state: str
    stamped: bool
    current: str


@dataclass
class Counts:
    """Counts of one section (or the whole report)."""

    translated: int = 0
    missing: int = 0
    stale: int = 0
    unstamped: int = 0

    def add(self, entry: Entry) -> None:
        setattr(self, entry.state, getattr(self, entry.state) + 1)
        if entry.state != MISSING and not entry.stamped:
            self.unstamped += 1

    @property
    def complete(self) -> bool:
        """Return True when nothing is missing or stale."""
        return not (self.missing or self.stale)

    def summary(self) -> str:
        """Return `N translated, N missing, N stale`."""
        return f"{self.translated} translated, {self.missing} missing, {self.stale} stale"


@dataclass
class Status:
    """The status of every text of a report in one target language."""

    record: ReportRecord
    source: str
    target: str
    lock: Lock
    entries: list[Entry] = field(default_factory=list)

    def sections(self) -> dict[str, Counts]:
        """Return the counts per section id (`_report` for the report's own texts)."""
        result: dict[str, Counts] = {}
        for entry in self.entries:
            result.setdefault(entry.ref.section, Counts()).add(entry)
        return result

    def total(self) -> Counts:
        """Return the counts of the whole report."""
        counts = Counts()
        for entry in self.entries:
            counts.add(entry)
        return counts

    def section_loc(self, section: str) -> Loc:
        """Return the location of a section's `id:` line (report.yaml for `_report`)."""
        for record in self.record.sections:
            if record.id == section:
                return record.loc
        return self.record.loc


def translation_status(record: ReportRecord, target: str, lock: Lock | None = None) -> Status:
    """Return the status of every translatable text of `record` in the `target` language."""
    source = record.source_lang
    lock = lock if lock is not None else read_lock(record.root)
    status = Status(record, source, target, lock)
    for ref in iter_texts(record):
        if not translatable(ref, source):
            continue
        current = source_hash(ref.text.values[source])
        recorded = lock.get(target, ref.key)
        if ref.text.values.get(target) is None:
            state = MISSING
        elif recorded is not None and recorded != current:
            state = STALE
        else:
            state = TRANSLATED
        status.entries.append(Entry(ref, state, recorded is not None, current))
    return status


def status_diagnostics(record: ReportRecord, target: str) -> Diagnostics:
    """Return stale translations at their lines and a count per incomplete section and report.

    Everything here is a warning: `--strict` turns it into a failure.
    """
    diag = Diagnostics()
    try:
        status = translation_status(record, target)
    except BuildError as exc:
        diag.items.extend(exc.diagnostics)
        return diag
    for entry in status.entries:
        if entry.state == STALE:
            where = entry.ref.text.loc_of(target)
            diag.warning(where.path, where.line,
                         f"stale {target} translation of {entry.ref.what}: the {status.source} "
                         f"text changed since it was translated",
                         hint=f"update `{target}:`, then run `report-builder i18n stamp "
                              f"{display_path(record.root)} {entry.ref.key}`")
    for section, counts in status.sections().items():
        if not counts.complete:
            loc = status.section_loc(section)
            name = "report metadata" if section == "_report" else f"section {section!r}"
            diag.warning(loc.path, loc.line, f"{target} translation of {name}: "
                                             f"{counts.summary()}")
    total = status.total()
    if not total.complete:
        diag.warning(record.loc.path, record.loc.line,
                     f"{target} translation of the report: {total.summary()}")
    return diag


def format_table(statuses: Iterable[Status]) -> list[str]:
    """Return the status as aligned text lines: one per section, then the report's total."""
    lines: list[str] = []
    for status in statuses:
        lines.append(f"{status.source} -> {status.target}")
        rows = [(name, counts) for name, counts in status.sections().items()]
        rows.append(("(report)", status.total()))
        width = max(len(name) for name, _ in rows)
        lines.append(f"  {'section':<{width}}  translated  missing  stale  unstamped")
        for name, counts in rows:
            lines.append(f"  {name:<{width}}  {counts.translated:>10}  {counts.missing:>7}  "
                         f"{counts.stale:>5}  {counts.unstamped:>9}")
    return lines
