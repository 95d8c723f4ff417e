"""Editors' round trip: what an editor changed in a built DOCX goes back into the content.

`import_docx` reads a DOCX that report-builder built and an editor changed (in Word or
LibreOffice), and turns the changes into edits of the content files:

- each text the DOCX shows is wrapped in a hidden bookmark, and the file's build record names
  the text's address and the digest of what was written (`engines.docx.units`). A text that
  reads back with another digest was edited; its runs become inline Markdown in the matching
  language of the matching block;
- three-way safety: the current content is rendered again in memory. A text whose content
  changed since the file was built *and* that the editor changed is a conflict: the content
  stays, the editor's text goes into the block's note. A text the editor changed to what the
  content already says is no change, so importing the same file twice is a no-op;
- generated text (a `{{ … }}` template) is never overwritten by the literal an editor typed,
  unless `accept_literal`; the edit is a conflict;
- paragraphs an editor added become paragraph blocks (or list entries) after the block they
  follow, with ids derived from their text; texts whose bookmarks are gone are removed (blocks
  and list entries; parts of tables, KPIs and captions stay and are reported);
- Word comments become lines of the block's `note:` (which come out as comments again); tracked
  changes are applied (`accept`), ignored (`reject`) or left undone and listed in the note
  (`keep`, the default).

Only the edited values change in the YAML files (`authoring.content_edits`).
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from builder.authoring.content_edits import ContentEdits, apply_edits, new_item_lines
from builder.compose.document import UNTRANSLATED
from builder.compose.inline import to_inline, to_markdown
from builder.compose.text import has_template, template_expressions
from builder.diagnostics import BuildError, Diagnostic, display_path
from builder.engines.docx import units
from builder.engines.docx.units import Paragraph as ReadParagraph
from builder.engines.docx.units import Piece, Readback, Unit
from builder.i18n.texts import Steps, TextRef, iter_texts
from builder.model.document import Span
from builder.output import replace_together
from builder.readers.content import BlockRecord, ReportRecord

Changes = Literal["accept", "reject", "keep"]
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# Paragraphs the engine writes around the texts (never an editor's new paragraph).
_FRAME_STYLES = ("caption", "figure", "source", "placeholder", "toc", "contents", "title",
                 "subtitle", "cover", "header", "footer")
_ITEM_KINDS = ("list", "callout", "references")


class ImportRefused(Exception):
    """The file cannot be imported into this report (not ours, another report, unreadable)."""


@dataclass
class ImportResult:
    """What an import changed, or would change: per kind, one located line each."""

    edited: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    conflicts: list[Diagnostic] = field(default_factory=list)
    warnings: list[Diagnostic] = field(default_factory=list)
    files: dict[Path, tuple[str, str]] = field(default_factory=dict)  # file -> (old, new)

    def diff(self, root: Path) -> str:
        """Return a unified diff of every file change, paths relative to `root`'s parent."""
        out: list[str] = []
        for file, (old, new) in sorted(self.files.items()):
            name = display_path(file)
            out.extend(difflib.unified_diff(old.splitlines(keepends=True),
                                            new.splitlines(keepends=True),
                                            f"a/{name}", f"b/{name}"))
        return "".join(out)

    def summary(self) -> str:
        return (f"{len(self.edited)} edited, {len(self.added)} added, {len(self.removed)} "
                f"removed, {len(self.notes)} note(s), {len(self.conflicts)} conflict(s)")


@dataclass
class _Text:
    """One unit of the edited file as read: its paragraphs' pieces in order."""

    paragraphs: list[list[Piece]] = field(default_factory=list)


def _unit_key(ref: TextRef) -> str:
    """Return the address the DOCX engine writes for `ref` (its key without the section)."""
    if ref.block is None:
        return ref.key  # a section title: the section id (the heading's id)
    return ref.key.split("/", 1)[1]


def _block_of(key: str) -> str:
    return key.split("/", 1)[0]


def _item_of(key: str) -> str | None:
    parts = key.split("/")
    return parts[1] if len(parts) > 1 else None


def _new_id(prefix: str, text: str) -> str:
    """Return the id of a block or entry an editor added: from its text, so a second import
    of the same file finds it already there."""
    return f"{prefix}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:8]}"


def _is_frame(style: str) -> bool:
    lowered = style.lower()
    return any(word in lowered for word in _FRAME_STYLES)


def _tracked(pieces: list[Piece], lang: str) -> list[str]:
    """Return one note line per run of tracked insertions or deletions in `pieces`."""
    lines: list[str] = []
    current: tuple[str, str] | None = None
    text = ""
    for piece in [*pieces, None]:  # the None ends the last run
        kind = (piece.change, piece.author) if piece is not None and piece.change else None
        if kind != current:
            if current is not None and text.strip():
                what = "insertion" if current[0] == "ins" else "deletion"
                by = f" by {current[1]}" if current[1] else ""
                lines.append(f"Tracked {what}{by} ({lang}): «{text.strip()}»")
            current, text = kind, ""
        if piece is not None and piece.change:
            text += piece.text
    return lines


def _paragraph_units(paragraph: ReadParagraph, built: dict[str, Unit],
                     texts: dict[str, _Text]) -> list[str]:
    """Add the pieces of each unit in `paragraph` to `texts`; return those units' names.

    Text typed right after a unit's end, in the same paragraph, belongs to that unit.
    """
    names = [u for u in paragraph.units if u in built]
    parts: dict[str, list[Piece]] = {u: [] for u in names}
    owner: str | None = None
    for unit, piece in paragraph.pieces:
        if unit in parts:
            owner = unit
        if owner is not None:
            parts[owner].append(piece)
    for unit, pieces in parts.items():
        texts.setdefault(unit, _Text()).paragraphs.append(pieces)
    return names


def unit_pieces(readback: Readback) -> dict[tuple[str, str], list[Piece]]:
    """Return the pieces of each unit of `readback` by (address, language): its first paragraph."""
    texts: dict[str, _Text] = {}
    built = readback.units
    for paragraph in readback.paragraphs:
        _paragraph_units(paragraph, built, texts)
    return {(built[name].key, built[name].lang): entry.paragraphs[0]
            for name, entry in texts.items() if entry.paragraphs}


_PLACEHOLDER = "\ue010{}\ue011"
_ROW_NAME = re.compile(r"/r\d+c1$")  # the first cell of a table row


class _Importer:
    def __init__(self, record: ReportRecord, built: dict[str, Unit],
                 current: dict[tuple[str, str], str], readback: Readback, changes: Changes,
                 accept_literal: bool, labels: dict[str, set[str]],
                 current_pieces: dict[tuple[str, str], list[Piece]] | None = None) -> None:
        self.record = record
        self.built = built  # bookmark name -> Unit
        self.current = current  # (key, lang) -> digest of the current content's text
        self.back = readback
        self.changes = changes
        self.accept_literal = accept_literal
        self.labels = labels  # figure or table id -> the labels a `[](#id)` link prints
        self.current_pieces = current_pieces or {}  # the current content's texts as written
        self.result = ImportResult()
        self.edits = ContentEdits()
        self.refs: dict[str, TextRef] = {}
        for ref in iter_texts(record):
            self.refs.setdefault(_unit_key(ref), ref)
        self.blocks: dict[str, tuple[Path, Steps, BlockRecord]] = {}
        for section in record.sections:
            for index, block in enumerate(section.blocks):
                self.blocks[block.id] = (section.loc.path, ("blocks", index), block)
        self.taken = set(record.all_ids) | {s.id for s in record.sections}

    # -- helpers ---------------------------------------------------------------------------
    def _where(self, ref: TextRef, lang: str) -> tuple[Path, int]:
        return ref.file, ref.text.lines.get(lang, ref.text.loc.line)

    def _note(self, block_id: str, line: str) -> bool:
        if block_id not in self.blocks:
            return False
        file, steps, block = self.blocks[block_id]
        if line in (block.fields.get("note") or ""):
            return False
        self.edits.add_note(file, steps, line)
        self.result.notes.append(f"{display_path(file)}:{block.loc.line}: {block_id}: {line}")
        return True

    def _warn(self, path: Path, line: int, message: str) -> None:
        self.result.warnings.append(Diagnostic(display_path(path), line, "warning", message))

    def _conflict(self, ref: TextRef, lang: str, message: str, reason: str,
                  editor_text: str) -> None:
        path, line = self._where(ref, lang)
        self.result.conflicts.append(Diagnostic(display_path(path), line, "error",
                                                f"conflict: {ref.what}: {message}", ""))
        if ref.block is not None:
            self._note(ref.block, f"Editor's {lang} text, not applied ({reason}): {editor_text}")

    def _markdown(self, pieces: list[Piece]) -> str:
        """Return `pieces` as inline Markdown; a link printing its target's own label (图 5)
        is written as `[](#id)`, so the number follows the figure again."""
        from dataclasses import replace

        def labelled(p: Piece) -> bool:  # a cross-reference to a figure or table
            labels = self.labels.get(p.href[1:], set()) if p.href and p.href[0] == "#" else set()
            return bool(labels) and (p.field or p.text.strip() in labels)

        merged = [replace(p, text="") if labelled(p) else p for p in units.merge(pieces)]
        if merged and merged[0].bold and merged[0].italic and \
                merged[0].text in UNTRANSLATED.values():
            merged = merged[1:]  # the marker a build puts before an untranslated text
        return to_markdown([Span(p.text, p.bold, p.italic, p.code, p.href)
                            for p in merged]).strip()

    def _restore(self, raw: str, view: list[Piece], current: list[Piece] | None) -> str | None:
        """Return the edited text with its generated parts written as their expressions again.

        Possible when the template prints each expression once (no statements) and every
        generated part (a locked content control) still reads as the content renders it: the
        editor changed only the written words around them. Else None.
        """
        if not has_template(raw) or "{%" in raw or current is None:
            return None
        expressions = template_expressions(raw)

        def groups(pieces: list[Piece]) -> list[str]:
            found: dict[int, str] = {}
            for piece in units.merge(pieces, generated=True):
                if piece.generated is not None:
                    found[piece.generated] = found.get(piece.generated, "") + piece.text
            return list(found.values())

        edited = groups(view)
        if len(edited) != len(expressions) or edited != groups(current):
            return None
        pieces: list[Piece] = []
        seen: set[int] = set()
        for piece in units.merge(view, generated=True):
            if piece.generated is None:
                pieces.append(piece)
            elif piece.generated not in seen:
                seen.add(piece.generated)
                pieces.append(Piece(_PLACEHOLDER.format(len(seen) - 1), piece.bold,
                                          piece.italic, False, piece.href))
        markdown = self._markdown(pieces)
        for index, expression in enumerate(expressions):
            markdown = markdown.replace(_PLACEHOLDER.format(index), expression)
        return markdown

    def _style_bold(self, ref: TextRef | None, pieces: list[Piece]) -> list[Piece]:
        """Return `pieces` without the bold a row name of a `row_headers` table has from the
        table style: LibreOffice saves the style's first-column bold on the runs."""
        from dataclasses import replace

        if ref is None or ref.block is None or not _ROW_NAME.search(ref.key):
            return pieces
        block = self.blocks.get(ref.block)
        if block is None or block[2].kind != "table" or \
                block[2].fields.get("row_headers") is not True:
            return pieces
        if not all(p.bold for p in pieces if p.text.strip()):
            return pieces
        return [replace(p, bold=False) for p in pieces]

    def _view(self, pieces: list[Piece]) -> list[Piece]:
        return units.accepted(pieces) if self.changes == "accept" else units.rejected(pieces)

    # -- the passes ------------------------------------------------------------------------
    def gather(self) -> tuple[dict[str, _Text], list[tuple[str | None, ReadParagraph]]]:
        """Return each unit's paragraphs, and the new paragraphs with the unit before each."""
        texts: dict[str, _Text] = {}
        added: list[tuple[str | None, ReadParagraph]] = []
        last: str | None = None
        seen_unit = False
        for paragraph in self.back.paragraphs:
            first_here = _paragraph_units(paragraph, self.built, texts)
            if first_here:
                seen_unit = True
                last = first_here[-1]
                continue
            if not seen_unit or paragraph.in_table or _is_frame(paragraph.style):
                continue
            if "".join(p.text for _, p in paragraph.pieces).strip():
                added.append((last, paragraph))
        return texts, added

    def texts(self, texts: dict[str, _Text]) -> dict[str, bool]:
        """Import edited texts; return which built units are gone (True) per bookmark."""
        gone: dict[str, bool] = {}
        for name, unit in self.built.items():
            ref = self.refs.get(unit.key)
            entry = texts.get(name)
            if entry is None or not entry.paragraphs:
                gone[name] = True
                continue
            pieces = entry.paragraphs[0]
            if self.changes == "keep" and ref is not None and ref.block is not None:
                for line in _tracked(pieces, unit.lang):
                    self._note(ref.block, line)
            view = self._style_bold(ref, self._view(pieces))
            plain = "".join(p.text for p in view).strip()
            for extra in entry.paragraphs[1:]:  # Enter pressed inside the text
                self._added_after(name, self._view(extra))
            if not plain:
                gone[name] = True
                continue
            gone[name] = False
            found = units.digest(view)
            if found == unit.digest:
                continue
            if ref is None:
                self._warn(self.record.loc.path, self.record.loc.line,
                    f"an edited text ({unit.key}, {unit.lang}) is no longer in the content; "
                    f"not imported")
                continue
            if found == self.current.get((unit.key, unit.lang)):
                continue  # the content already says what the editor wrote
            markdown = self._markdown(view)
            if self.current.get((unit.key, unit.lang)) != unit.digest:
                self._conflict(ref, unit.lang, "the editor changed it in the file and it "
                                               "changed in the content since the file was built",
                               "the content changed too", markdown)
                continue
            raw = ref.text.values.get(unit.lang) or (
                " ".join(ref.text.values.values()) if ref.text.neutral else "")
            if markdown == raw.strip():
                continue
            restored = self._restore(raw, view, self.current_pieces.get((unit.key, unit.lang)))
            if restored is not None:
                if restored == raw.strip():
                    continue
                markdown = restored
            elif _holds_math_or_notes(raw):
                # formulas and footnotes do not come back from Word: writing the edit would
                # drop them
                self._conflict(ref, unit.lang, "the text holds a formula or a footnote, which "
                                               "an import would drop; make the edit in the "
                                               "content", "formula or footnote", markdown)
                continue
            elif has_template(raw) and not self.accept_literal:
                expressions = re.findall(r"\{\{.*?\}\}|\{%.*?%\}", raw)
                shown = expressions[0] + (f" and {len(expressions) - 1} more"
                                          if len(expressions) > 1 else "")
                self._conflict(ref, unit.lang, f"the edit changes text generated from data "
                                               f"({shown}); --accept-literal writes the literal "
                                               f"text instead", "generated from data", markdown)
                continue
            self.edits.texts.append((ref, unit.lang, markdown))
            path, at = self._where(ref, unit.lang)
            self.result.edited.append(f"{display_path(path)}:{at}: {ref.what} ({unit.lang})")
        return gone

    def removals(self, gone: dict[str, bool]) -> None:
        """Remove blocks and entries whose every text is gone from the file."""
        by_block: dict[str, list[tuple[str, bool]]] = {}
        by_item: dict[tuple[str, str], list[bool]] = {}
        for name, unit in self.built.items():
            block = _block_of(unit.key)
            by_block.setdefault(block, []).append((unit.key, gone.get(name, False)))
            item = _item_of(unit.key)
            if item is not None:
                by_item.setdefault((block, item), []).append(gone.get(name, False))
        for block_id, entries in by_block.items():
            if block_id not in self.blocks:
                if all(g for _, g in entries) and block_id in {s.id for s in
                                                              self.record.sections}:
                    self._warn_kept(block_id, "section title")
                continue
            file, steps, record = self.blocks[block_id]
            if all(g for _, g in entries):
                self.edits.removals.add((file, steps))
                self.result.removed.append(f"{display_path(file)}:{record.loc.line}: "
                                           f"{record.kind} {block_id!r}")
                continue
            for (owner, item), flags in by_item.items():
                if owner != block_id or not all(flags):
                    continue
                ref = self.refs.get(f"{block_id}/{item}")
                if record.kind in _ITEM_KINDS and ref is not None:
                    self.edits.removals.add((ref.file, ref.steps))
                    self.result.removed.append(f"{display_path(ref.file)}:{ref.text.loc.line}"
                                               f": {ref.what}")
                elif ref is not None:
                    self._warn_kept(block_id, ref.what)

    def _warn_kept(self, block_id: str, what: str) -> None:
        file, line = self.record.loc.path, self.record.loc.line
        if block_id in self.blocks:
            file, _, block = self.blocks[block_id]
            line = block.loc.line
        self._warn(file, line, f"{what} was deleted in the file; it stays in the "
                                        f"content (only whole blocks and list entries are "
                                        f"removed)")

    def _lang_of(self, text: str) -> str:
        edition = self.back.edition
        if edition in ("zh", "en"):
            return edition
        return "zh" if _HAN.search(text) else "en"

    def _added_after(self, unit_name: str | None, pieces: list[Piece]) -> None:
        self._pending.append((unit_name, pieces, False))

    def additions(self, added: Iterable[tuple[str | None, ReadParagraph]]) -> None:
        """Turn new paragraphs into blocks (or list entries) after what they follow."""
        for unit_name, paragraph in added:
            pieces = [p for _, p in paragraph.pieces]
            if paragraph.inserted and self.changes != "accept":
                if self.changes == "keep" and unit_name in self.built:
                    block = _block_of(self.built[unit_name].key)
                    text = "".join(p.text for p in pieces).strip()
                    self._note(block, f"Tracked insertion of a paragraph: «{text}»")
                continue
            if paragraph.deleted and self.changes == "accept":
                continue
            self._pending.append((unit_name, self._view(pieces), paragraph.numbered))
        # consecutive new zh and en paragraphs in the bilingual file make one block
        groups: list[tuple[str | None, dict[str, str], bool]] = []
        for unit_name, pieces, numbered in self._pending:

            markdown = self._markdown(pieces)
            if not markdown:
                continue
            lang = self._lang_of(markdown)
            if groups and groups[-1][0] == unit_name and lang not in groups[-1][1] \
                    and self.back.edition == "bilingual" and lang != self.record.source_lang:
                groups[-1][1][lang] = markdown
                continue
            groups.append((unit_name, {lang: markdown}, numbered))
        for unit_name, values, numbered in groups:
            self._insert(unit_name, values, numbered)

    def _insert(self, unit_name: str | None, values: dict[str, str], numbered: bool) -> None:
        text = "\n".join(values.values())
        unit = self.built.get(unit_name) if unit_name is not None else None
        if unit is None:
            self._warn(self.record.loc.path, self.record.loc.line,
                f"a new paragraph before the first section is not imported: {text[:60]}")
            return
        block_id = _block_of(unit.key)
        item = _item_of(unit.key)
        if block_id in self.blocks:
            file, steps, block = self.blocks[block_id]
        else:  # after a section title: before the section's first block
            section = next((s for s in self.record.sections if s.id == block_id), None)
            if section is None or not section.blocks:
                return
            file, steps, block = self.blocks[section.blocks[0].id]
            steps = ("blocks", -1)  # before the first block
        ref = self.refs.get(unit.key)
        as_item = item is not None and block.kind in ("list", "callout") and ref is not None \
            and (numbered or block.kind == "callout")
        if as_item and ref is not None:
            new = _new_id("item", text)
            if new in self.taken:
                return  # imported before
            self.taken.add(new)
            self.edits.insertions.append((ref.file, ref.steps,
                                          new_item_lines(("id", new), values)))
            self.result.added.append(f"{display_path(file)}:{block.loc.line}: "
                                     f"{block.kind} entry {new!r} after {item!r}")
            return
        new = _new_id("p", text)
        if new in self.taken:
            return  # imported before
        self.taken.add(new)
        self.edits.insertions.append((file, steps, new_item_lines(("paragraph", new), values)))
        self.result.added.append(f"{display_path(file)}:{block.loc.line}: paragraph {new!r} "
                                 f"after {block_id!r}")

    def comments(self) -> None:
        """Turn editors' comments into lines of the note of the block they are on."""
        from builder.engines.docx.frame import COMMENT_AUTHOR

        placed: dict[str, str | None] = {}
        last: str | None = None
        for paragraph in self.back.paragraphs:
            for name in paragraph.units:
                if name in self.built:
                    last = name
            for owner, ident in paragraph.comments:
                placed.setdefault(ident, owner if owner in self.built else last)
        for ident, (author, text) in self.back.comments.items():
            if author == COMMENT_AUTHOR or not text:
                continue
            unit_name = placed.get(ident)
            if unit_name is None:
                continue
            block = _block_of(self.built[unit_name].key)
            if block not in self.blocks:  # on a section title: its first block
                section = next((s for s in self.record.sections if s.id == block), None)
                if section is None or not section.blocks:
                    continue
                block = section.blocks[0].id
            self._note(block, f"{author}: {text}" if author else text)

    def run(self) -> ImportResult:
        self._pending: list[tuple[str | None, list[Piece], bool]] = []
        texts, added = self.gather()
        gone = self.texts(texts)
        self.removals(gone)
        self.additions(added)
        self.comments()
        self.result.files = apply_edits(self.edits, self.record.source_lang)
        return self.result


def _labels(blocks: Iterable[object]) -> dict[str, set[str]]:
    """Return the caption labels (图 5, Table 2) of every figure and table, by id."""
    from builder.model.document import Caption, Figure, Pair, Table

    out: dict[str, set[str]] = {}
    for block in blocks:
        if isinstance(block, Pair):
            for part, labels in _labels((block.first, block.second)).items():
                out.setdefault(part, set()).update(labels)
        elif isinstance(block, Figure | Table) and block.caption is not None:
            caption: Caption | None = block.caption
            while caption is not None:
                out.setdefault(block.id, set()).add(caption.label)
                caption = caption.secondary
    return out


def import_docx(docx_file: Path, report_dir: Path, changes: Changes = "keep",
                accept_literal: bool = False, dry_run: bool = False,
                theme_name: str | None = None) -> ImportResult:
    """Import the edits of `docx_file` into the report at `report_dir`; return what changed.

    With `dry_run` nothing is written. Raises ImportRefused for a file that report-builder
    did not build for this report, and BuildError for a report that does not read.
    """
    from builder import engines
    from builder.charts.stage import ChartStage
    from builder.compose.document import compose_documents
    from builder.config import BuildConfig
    from builder.engines.docx.context import anchor_names, link_targets
    from builder.engines.docx.styles import STYLE
    from builder.pipeline import chart_texts, read_sources, resolve_theme

    try:
        data_bytes = docx_file.read_bytes()
    except OSError as exc:
        raise ImportRefused(f"cannot read the file: {exc.strerror or exc}") from None
    record_found = units.read_record(data_bytes)
    if record_found is None:
        raise ImportRefused("this file was not built by report-builder (it has no build "
                            "record), so its texts cannot be matched to the content")
    report_id, edition, built = record_found
    record, data, diag, data_ok = read_sources(report_dir)
    if record is None or not data_ok or diag.errors:
        raise BuildError(diag.items)
    if report_id != record.id:
        raise ImportRefused(f"this file was built from the report {report_id!r}, not from "
                            f"{record.id!r}")
    theme = resolve_theme(BuildConfig(report_dir=report_dir, theme=theme_name))
    stage = ChartStage(data, theme, Path("."), render=False, texts=chart_texts(record, data))
    documents, _ = compose_documents(record, data, theme, stage, (edition,))
    document = documents[edition]
    # only its texts are compared: no fonts need embedding
    current_bytes = engines.engine_module("docx").render(document, theme, embed_fonts=False)
    anchors = anchor_names(link_targets(document))
    try:
        readback = units.read_document(data_bytes, anchors, STYLE["code"])
    except ValueError as exc:
        raise ImportRefused(str(exc)) from None
    current_back = units.read_document(current_bytes, anchors, STYLE["code"])
    current = {(u.key, u.lang): u.digest for u in current_back.units.values()}
    result = _Importer(record, built, current, readback, changes, accept_literal,
                       _labels(document.blocks), unit_pieces(current_back)).run()
    if not dry_run and result.files:
        replace_together([(file, new.encode("utf-8")) for file, (_, new) in
                          sorted(result.files.items())])
    return result


def _holds_math_or_notes(markdown: str) -> bool:
    """Return True when the content text has inline math or a footnote."""
    return any(span.math is not None or span.note is not None for span in to_inline(markdown))
