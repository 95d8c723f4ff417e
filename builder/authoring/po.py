"""The translator round trip through gettext PO files (read and written with Babel).

Part of the translation workflow. `export_po` writes one entry per translatable text: `msgctxt`
is the text's address (section/block/item), `msgid` the source text, `msgstr` the current
translation, `#:` its `path:line`, and the flag `fuzzy` on a stale translation. `import_po`
writes the translated `msgstr`s back into the content YAML and records, in the lock file, the
hash of the `msgid` each one translates (so a source edited meanwhile shows up as stale).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from builder.authoring.writeback import write_translations
from builder.diagnostics import BuildError, Diagnostic, Diagnostics, display_path
from builder.i18n.lock import read_lock
from builder.i18n.status import MISSING, STALE, translation_status
from builder.i18n.texts import iter_texts, source_hash, translatable
from builder.locale import source_date_epoch
from builder.output import write_atomic
from builder.readers.content import ReportRecord
from builder.readers.report import read_report

EXPRESSION = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
LOCALES = {"zh": "zh_Hans_CN", "en": "en"}


def load_record(report_dir: Path) -> ReportRecord:
    """Return the records of `report_dir`; raise BuildError when it cannot be read cleanly."""
    record, diag = read_report(report_dir)
    if record is None or diag.errors:
        raise BuildError(diag.items)
    return record


def _fixed_date() -> dt.datetime:
    # PO headers carry dates; SOURCE_DATE_EPOCH (else a fixed day) keeps exports repeatable.
    return source_date_epoch() or dt.datetime.fromtimestamp(0, tz=dt.UTC)


def export_po(report_dir: Path, lang: str, out: Path) -> tuple[int, int, int]:
    """Write the `lang` PO file of a report to `out`; return (translated, missing, stale)."""
    record = load_record(report_dir)
    if lang == record.source_lang:
        raise BuildError.at(record.loc.path, 0, f"{lang} is the source language of the report",
                            hint="export the other language")
    status = translation_status(record, lang)
    when = _fixed_date()
    catalog = Catalog(locale=LOCALES[lang], project=record.id, version=record.date or None,
                      creation_date=when, revision_date=when, fuzzy=False,
                      header_comment=f"# Translation of report {record.id} "
                                     f"({record.source_lang} -> {lang}).\n"
                                     f"# msgctxt is the text's address; keep {{{{ … }}}} "
                                     f"expressions and Markdown markup as they are.")
    for entry in status.entries:
        ref = entry.ref
        text = ref.text
        where = text.loc_of(record.source_lang)
        translation = text.values.get(lang, "") if entry.state != MISSING else ""
        catalog.add(text.values[record.source_lang], string=translation,
                    locations=[(display_path(where.path), where.line)],
                    flags=["fuzzy"] if entry.state == STALE else [],
                    auto_comments=[ref.what], context=ref.key)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, omit_header=False, sort_output=False)
    write_atomic(out, buffer.getvalue())
    counts = status.total()
    return counts.translated, counts.missing, counts.stale


@dataclass
class ImportResult:
    """What an import did: texts written, texts confirmed unchanged, entries skipped."""

    written: int = 0
    unchanged: int = 0
    fuzzy: int = 0
    empty: int = 0
    files: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def import_po(report_dir: Path, po_file: Path, lang: str | None = None) -> ImportResult:
    """Write the translations of `po_file` into the report and record their source hashes.

    Entries flagged fuzzy or with an empty `msgstr` are skipped. An entry whose address is
    unknown, or whose translation drops a `{{ … }}` expression, is an error; nothing is written
    then.
    """
    record = load_record(report_dir)
    try:
        with po_file.open("rb") as handle:
            catalog = read_po(handle, abort_invalid=True)
    except (OSError, ValueError) as exc:
        raise BuildError.at(po_file, getattr(exc, "lineno", 0) or 0,
                            f"cannot read PO file: {exc}") from None
    target = lang or (str(catalog.locale.language) if catalog.locale else "")
    if target not in LOCALES or target == record.source_lang:
        raise BuildError.at(po_file, 0, f"the PO file's language {target or '?'!r} is not "
                                        f"the report's target language",
                            hint="pass --lang en (or zh)")
    source = record.source_lang
    refs = {ref.key: ref for ref in iter_texts(record) if translatable(ref, source)}
    diag = Diagnostics()
    result = ImportResult()
    values: dict[str, str] = {}
    hashes: dict[str, str] = {}
    for message in catalog:
        if not message.id:  # the header entry
            continue
        line = message.lineno or 0
        ref = refs.get(message.context or "")
        if ref is None:
            diag.error(po_file, line, f"unknown text address {message.context!r}",
                       hint="the report changed since the export; export again")
            continue
        string = message.string if isinstance(message.string, str) else ""
        if message.fuzzy:
            result.fuzzy += 1
            continue
        if not string.strip():
            result.empty += 1
            continue
        lost = set(EXPRESSION.findall(str(message.id))) - set(EXPRESSION.findall(string))
        if lost:
            diag.error(po_file, line, f"translation of {message.context!r} drops "
                                      f"{sorted(lost)[0]}",
                       hint="keep every {{ … }} expression of the source")
            continue
        hashes[ref.key] = source_hash(str(message.id))
        if ref.text.values.get(target) == string:
            result.unchanged += 1
        else:
            values[ref.key] = string
    if diag.errors:
        raise BuildError(diag.items)
    result.files = write_translations(refs, source, target, values)
    result.written = len(values)
    lock = read_lock(record.root)
    for key, digest in hashes.items():
        lock.set(target, key, digest)
    if hashes:
        lock.save([ref.key for ref in iter_texts(record)])
    result.diagnostics = diag.items
    return result


def stamp(report_dir: Path, lang: str, keys: tuple[str, ...] = ()) -> int:
    """Record the current source hash of translated texts (all, or those under `keys`).

    A key selects the text with that address and every text below it (`section/block`).
    Return how many texts were stamped.
    """
    record = load_record(report_dir)
    source = record.source_lang
    lock = read_lock(record.root)
    refs = [ref for ref in iter_texts(record) if translatable(ref, source)]
    known = {ref.key for ref in refs}
    for key in keys:
        if key not in known and not any(k.startswith(key + "/") for k in known):
            raise BuildError.at(lock.path, 0, f"no text has the address {key!r}",
                                hint="addresses look like section/block/item; "
                                     "see `report-builder i18n status --list`")
    count = 0
    for ref in refs:
        if ref.text.values.get(lang) is None:
            continue
        if keys and not any(ref.key == k or ref.key.startswith(k + "/") for k in keys):
            continue
        lock.set(lang, ref.key, source_hash(ref.text.values[source]))
        count += 1
    lock.save([ref.key for ref in iter_texts(record)])
    return count
