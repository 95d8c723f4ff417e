"""YAML edits of import-docx: blocks and entries removed or inserted, notes added, the rest of
the file byte for byte."""

from __future__ import annotations

from pathlib import Path

from builder.authoring.content_edits import ContentEdits, apply_edits, new_item_lines

SECTION = """\
id: s
title: {zh: 标题, en: Title}
blocks:
  # the opening paragraph
  - paragraph: a
    zh: 甲
    en: "A: first"

  - list: l
    items:
      - id: l1
        zh: 一
      - id: l2
        zh: 二

  - paragraph: c
    note: checked
    zh: 丙
"""


def _apply(tmp_path: Path, edits: ContentEdits) -> str:
    file = tmp_path / "s.yaml"
    if not file.exists():
        file.write_text(SECTION, encoding="utf-8")
    changed = apply_edits(edits, "zh")
    return changed[file][1] if file in changed else SECTION


def test_removing_a_middle_block_keeps_one_blank_line_between_its_neighbours(tmp_path: Path):
    edits = ContentEdits()
    file = tmp_path / "s.yaml"
    edits.removals.add((file, ("blocks", 1)))
    assert _apply(tmp_path, edits) == SECTION.replace(
        "  - list: l\n    items:\n      - id: l1\n        zh: 一\n      - id: l2\n        zh: 二\n\n",
        "")


def test_removing_the_last_block_leaves_no_blank_line_at_the_end(tmp_path: Path):
    edits = ContentEdits()
    edits.removals.add((tmp_path / "s.yaml", ("blocks", 2)))
    new = _apply(tmp_path, edits)
    assert new.endswith("        zh: 二\n") and "paragraph: c" not in new


def test_new_blocks_keep_their_order_and_the_files_blank_lines(tmp_path: Path):
    file = tmp_path / "s.yaml"
    edits = ContentEdits()
    edits.insertions.append((file, ("blocks", 0), new_item_lines(("paragraph", "p-1"),
                                                                  {"zh": "新一"})))
    edits.insertions.append((file, ("blocks", 0), new_item_lines(("paragraph", "p-2"),
                                                                  {"zh": "新二: 冒号"})))
    edits.insertions.append((file, ("blocks", -1), new_item_lines(("paragraph", "p-0"),
                                                                   {"en": "Before all"})))
    new = _apply(tmp_path, edits)
    assert new == SECTION.replace(
        "  # the opening paragraph\n",
        "  - paragraph: p-0\n    en: Before all\n\n  # the opening paragraph\n").replace(
        '    en: "A: first"\n\n',
        '    en: "A: first"\n\n  - paragraph: p-1\n    zh: 新一\n\n'
        '  - paragraph: p-2\n    zh: "新二: 冒号"\n\n')


def test_a_new_list_entry_is_indented_like_its_neighbours(tmp_path: Path):
    edits = ContentEdits()
    edits.insertions.append((tmp_path / "s.yaml", ("blocks", 1, "items", 0),
                             new_item_lines(("id", "item-1"), {"zh": "一点五"})))
    assert _apply(tmp_path, edits) == SECTION.replace(
        "        zh: 一\n", "        zh: 一\n      - id: item-1\n        zh: 一点五\n")


def test_note_lines_are_added_once_to_a_new_or_an_existing_note(tmp_path: Path):
    file = tmp_path / "s.yaml"
    edits = ContentEdits()
    edits.add_note(file, ("blocks", 0), "Li Wei: 请核对")
    edits.add_note(file, ("blocks", 0), "Li Wei: 请核对")
    edits.add_note(file, ("blocks", 2), "checked")  # already there
    edits.add_note(file, ("blocks", 2), "Wang: ok")
    new = _apply(tmp_path, edits)
    assert new == SECTION.replace(
        "  - paragraph: a\n", '  - paragraph: a\n    note: "Li Wei: 请核对"\n').replace(
        "    note: checked\n", '    note: "checked\\nWang: ok"\n')
