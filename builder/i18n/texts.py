"""Every translatable text of a report with a stable address; part of the translation workflow.

An address (`TextRef.key`) is the section id, the block id and, below a block, the item id or
the field (`title`, `caption`, `h2` for header cell 2, `r3c2` for row 3 cell 2, `k1-label`):
for example `executive-summary/key-findings/kf-modal-funding`; a section title is its section
id and the report's own texts are `_report/title` and so on. It is the PO `msgctxt` and the key
of the lock file, so a text keeps its address while its wording changes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from builder.readers.content import BlockRecord, Item, ReportRecord, Text

_SPACE = re.compile(r"\s+")
Steps = tuple[str | int, ...]


@dataclass(frozen=True)
class TextRef:
    """One translatable text: its address, section and block, a label for messages, the text,
    and where it is written: the file and the path of keys and indexes inside it."""

    key: str
    section: str
    block: str | None
    what: str
    text: Text
    file: Path
    steps: Steps


def normalize(text: str) -> str:
    """Return `text` with runs of whitespace collapsed, so re-wrapping a line changes nothing."""
    return _SPACE.sub(" ", text).strip()


def source_hash(text: str) -> str:
    """Return the first 8 hex digits of the SHA-256 of the normalized `text`."""
    return hashlib.sha256(normalize(text).encode("utf-8")).hexdigest()[:8]


def _items(section: str, block: BlockRecord, items: tuple[Item, ...], kind: str,
           file: Path, steps: Steps) -> Iterator[TextRef]:
    for index, item in enumerate(items):
        here = (*steps, "items", index)
        yield TextRef(f"{section}/{block.id}/{item.id}", section, block.id,
                      f"{kind} entry {item.id!r}", item.text, file, here)
        yield from _items(section, block, item.children, kind, file, here)


def _block(section: str, block: BlockRecord, file: Path, steps: Steps) -> Iterator[TextRef]:
    f = block.fields
    base = f"{section}/{block.id}"
    where = f"{block.kind} {block.id!r}"

    def ref(suffix: str, what: str, text: Text, *more: str | int) -> TextRef:
        return TextRef(base + suffix, section, block.id, what, text, file, (*steps, *more))

    if f.get("text") is not None:
        yield ref("", where, f["text"])
    if f.get("title") is not None:
        yield ref("/title", f"{where} title", f["title"], "title")
    if block.kind in ("list", "callout", "references"):
        yield from _items(section, block, f.get("items", ()), block.kind, file, steps)
    if block.kind == "kpis":
        for index, (value, label) in enumerate(f.get("items", ())):
            yield ref(f"/k{index + 1}", "KPI value", value, "items", index, "value")
            yield ref(f"/k{index + 1}-label", "KPI label", label, "items", index, "label")
    if block.kind == "table":
        for c, cell in enumerate(f.get("header", ())):
            if cell is not None:
                yield ref(f"/h{c + 1}", f"{where} header", cell, "header", c)
        for r, row in enumerate(f.get("rows", ())):
            for c, cell in enumerate(row):
                if cell is not None:
                    yield ref(f"/r{r + 1}c{c + 1}", f"{where} cell", cell, "rows", r, c)
    for name in ("caption", "source", "alt"):
        if f.get(name) is not None:
            yield ref(f"/{name}", f"{where} {name}", f[name], name)


def iter_texts(record: ReportRecord) -> Iterator[TextRef]:
    """Yield every text of the report in reading order: metadata, then section by section.

    The structural paths are exact only for a report read without errors.
    """
    report_file = record.loc.path
    for name in ("title", "subtitle", "organisation", "confidentiality"):
        text = getattr(record, name)
        if text is not None:
            yield TextRef(f"_report/{name}", "_report", None, name, text, report_file, (name,))
    for section in record.sections:
        file = section.loc.path
        yield TextRef(section.id, section.id, None, "section title", section.title, file,
                      ("title",))
        for index, block in enumerate(section.blocks):
            yield from _block(section.id, block, file, ("blocks", index))


def translatable(ref: TextRef, source: str) -> bool:
    """Return True when `ref` is a bilingual text whose `source` language is written."""
    return not ref.text.neutral and ref.text.values.get(source) is not None
