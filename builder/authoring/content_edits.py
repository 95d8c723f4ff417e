"""Edits to a report's YAML files that keep everything else byte for byte.

Used by `import-docx`: a text set in one language, a block or list entry removed, a paragraph
block or list entry inserted after another, a line added to a block's `note:`. Like the
translation write-back (`writeback`), every edit is a splice of the original text at the
positions `yaml.compose` reports, so comments, quoting and key order elsewhere stay as they
were. Every changed file is parsed again before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from builder.authoring.writeback import Splice, _child, _splice, format_scalar
from builder.diagnostics import BuildError
from builder.i18n.texts import Steps, TextRef
from builder.readers.yamlsrc import load_yaml_text


@dataclass
class ContentEdits:
    """The edits to make, gathered before any file is touched."""

    texts: list[tuple[TextRef, str, str]] = field(default_factory=list)  # (text, lang, value)
    notes: dict[tuple[Path, Steps], list[str]] = field(default_factory=dict)  # block -> lines
    removals: set[tuple[Path, Steps]] = field(default_factory=set)  # blocks or entries
    # (file, steps of the block or entry to insert after (index -1: before the first), lines
    # of the new YAML item)
    insertions: list[tuple[Path, Steps, list[str]]] = field(default_factory=list)

    def add_note(self, file: Path, block: Steps, line: str) -> None:
        lines = self.notes.setdefault((file, block), [])
        if line not in lines:
            lines.append(line)

    def __bool__(self) -> bool:
        return bool(self.texts or self.notes or self.removals or self.insertions)


def _locate(root: yaml.Node, steps: Steps) -> tuple[yaml.Node | None, yaml.Node | None]:
    """Return the node at `steps` below `root` and its parent."""
    node: yaml.Node | None = root
    parent: yaml.Node | None = None
    for step in steps:
        parent, node = node, (_child(node, step) if node is not None else None)
    return node, parent


def _line_start(text: str, index: int) -> int:
    return text.rfind("\n", 0, index) + 1


def _item_range(text: str, sequence: yaml.SequenceNode, index: int) -> tuple[int, int]:
    """Return the character range of entry `index` of a block sequence: its `- ` line up to
    the next entry's line (blank lines after it included) or the end of its last line."""
    node = sequence.value[index]
    start = _line_start(text, node.start_mark.index)
    if index + 1 < len(sequence.value):
        return start, _line_start(text, sequence.value[index + 1].start_mark.index)
    while index and start > 1 and text[start - 2:start] == "\n\n":  # the blank line before
        start -= 1
    end = node.end_mark.index
    line = _line_start(text, end)
    if text[line:end].strip() == "":
        return start, line
    newline = text.find("\n", end)
    return start, len(text) if newline < 0 else newline + 1


def _dash_indent(text: str, node: yaml.Node) -> str:
    start = _line_start(text, node.start_mark.index)
    prefix = text[start:node.start_mark.index]
    return " " * prefix.index("-") if "-" in prefix else " " * max(node.start_mark.column - 2, 0)


def new_item_lines(first: tuple[str, str], values: dict[str, str]) -> list[str]:
    """Return the lines of a new block or entry: `first` (e.g. `paragraph`, its id) and texts."""
    lines = [f"{first[0]}: {first[1]}"]
    lines += [f"{lang}: {format_scalar(value, False)}" for lang, value in values.items()]
    return lines


def _text_splice(text: str, node: yaml.Node, parent: yaml.Node | None, ref: TextRef,
                 source: str, lang: str, value: str) -> Splice:
    if isinstance(node, yaml.MappingNode):
        present = {k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
        return _splice(text, node, source if source in present else lang, lang, value)
    if isinstance(node, yaml.ScalarNode):  # a text the same in both languages
        flow = bool(getattr(parent, "flow_style", False))
        start, end = node.start_mark.index, node.end_mark.index
        return start, end, format_scalar(value, flow)
    raise BuildError.at(ref.file, ref.text.loc.line, f"cannot find {ref.what} to change")


def _note_splice(text: str, block: yaml.MappingNode, lines: list[str]) -> Splice | None:
    pairs = {k.value: v for k, v in block.value if isinstance(k, yaml.ScalarNode)}
    old = pairs.get("note")
    if isinstance(old, yaml.ScalarNode):
        kept = old.value.rstrip("\n")
        new = [line for line in lines if line not in kept]
        if not new:
            return None
        value = "\n".join([kept, *new]) if kept else "\n".join(new)
        return old.start_mark.index, old.end_mark.index, format_scalar(value, False)
    first_key, first_value = block.value[0]
    end = first_value.end_mark.index
    newline = text.find("\n", end)
    end = len(text) if newline < 0 else newline
    indent = " " * first_key.start_mark.column
    return end, end, f"\n{indent}note: {format_scalar(chr(10).join(lines), False)}"


def apply_edits(edits: ContentEdits, source: str) -> dict[Path, tuple[str, str]]:
    """Return `file -> (old text, new text)` for every file the edits change.

    `source` is the report's source language (a new text is inserted after it). Nothing is
    written here; every new text has been parsed again.
    """
    files = {ref.file for ref, _, _ in edits.texts} | {f for f, _ in edits.notes} | \
        {f for f, _ in edits.removals} | {f for f, _, _ in edits.insertions}
    out: dict[Path, tuple[str, str]] = {}
    for file in sorted(files):
        old = file.read_text(encoding="utf-8")
        root = yaml.compose(old, Loader=yaml.SafeLoader)
        splices: list[Splice] = []
        removed: list[tuple[int, int]] = []
        for path, steps in edits.removals:
            if path != file:
                continue
            node, parent = _locate(root, steps)
            if node is not None and isinstance(parent, yaml.SequenceNode) \
                    and not parent.flow_style:
                start, end = _item_range(old, parent, parent.value.index(node))
                removed.append((start, end))
                splices.append((start, end, ""))
        for ref, lang, value in edits.texts:
            if ref.file != file:
                continue
            node, parent = _locate(root, ref.steps)
            if node is None:
                raise BuildError.at(ref.file, ref.text.loc.line,
                                    f"cannot find {ref.what} to change")
            splice = _text_splice(old, node, parent, ref, source, lang, value)
            if not any(a <= splice[0] < b for a, b in removed):
                splices.append(splice)
        for (path, steps), lines in edits.notes.items():
            node, _ = _locate(root, steps)
            if path == file and isinstance(node, yaml.MappingNode):
                note = _note_splice(old, node, lines)
                if note is not None and not any(a <= note[0] < b for a, b in removed):
                    splices.append(note)
        inserted: dict[int, str] = {}  # several new items after one keep their order
        for path, steps, lines in edits.insertions:
            first = steps[-1] == -1  # before the sequence's first item
            node, parent = _locate(root, (*steps[:-1], 0) if first else steps)
            if path != file or node is None or not isinstance(parent, yaml.SequenceNode):
                continue
            if first:  # above the comment lines that open the first item, too
                end = _item_range(old, parent, 0)[0]
                while end and old[_line_start(old, end - 1):end].lstrip().startswith("#"):
                    end = _line_start(old, end - 1)
            else:
                end = _item_range(old, parent, parent.value.index(node))[1]
            indent = _dash_indent(old, node)
            body = f"{indent}- {lines[0]}\n" + "".join(f"{indent}  {line}\n" for line in lines[1:])
            if first and "\n\n" in old:  # blocks stand apart: a blank line after it
                body += "\n"
            elif old[max(end - 2, 0):end] == "\n\n" or (end == len(old) and "\n\n" in old):
                body = body + "\n" if end < len(old) else "\n" + body
            if end > 0 and old[end - 1] != "\n" and end not in inserted:
                body = "\n" + body
            inserted[end] = inserted.get(end, "") + body
        splices.extend((end, end, body) for end, body in inserted.items())
        new = old
        for start, end, replacement in sorted(splices, key=lambda s: (s[0], s[1]), reverse=True):
            new = new[:start] + replacement + new[end:]
        if new != old:
            load_yaml_text(new, file)  # raises BuildError (located) if an edit broke the file
            out[file] = (old, new)
    return out
