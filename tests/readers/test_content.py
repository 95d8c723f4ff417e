"""readers/content.py: every block kind becomes a located record; every schema error is located."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from builder.readers.content import ReportRecord
from builder.readers.report import read_report

REPORT = """\
id: t
title: {zh: 标题, en: Title}
date: 2025-06-30
editions: [zh, en]
sections:
  - s.yaml
"""


def read(tmp_path: Path, blocks: str, report: str = REPORT) -> tuple[ReportRecord | None, list[str]]:
    """Return the record of a one-section report holding `blocks`, and its problem lines."""
    (tmp_path / "report.yaml").write_text(report, encoding="utf-8")
    (tmp_path / "charts").mkdir(exist_ok=True)
    (tmp_path / "charts" / "c.yaml").write_text("kind: pie\nslices: [{label: a, value: 1}]\n",
                                                encoding="utf-8")
    section = "id: s\ntitle: {zh: 节, en: Section}\nblocks:\n" + textwrap.indent(
        textwrap.dedent(blocks), "  ")
    (tmp_path / "s.yaml").write_text(section, encoding="utf-8")
    record, diag = read_report(tmp_path)
    return record, [f"{Path(d.path).name}:{d.line}: {d.severity}: {d.message}"
                    for d in diag.items]


def only_block(tmp_path: Path, blocks: str):
    record, problems = read(tmp_path, blocks)
    assert problems == []
    assert record is not None
    [block] = record.sections[0].blocks
    return block


def test_a_heading_has_its_level_texts_and_line(tmp_path: Path):
    block = only_block(tmp_path, """\
        - heading: h
          level: 3
          zh: 小标题
          en: Sub-heading
        """)
    assert (block.kind, block.id, block.fields["level"]) == ("heading", "h", 3)
    assert block.fields["text"].values == {"zh": "小标题", "en": "Sub-heading"}
    assert block.loc.line == 4


def test_a_neutral_paragraph_holds_one_text_for_both_languages(tmp_path: Path):
    block = only_block(tmp_path, "- paragraph: p\n  text: AWS, Modal\n")
    assert block.fields["text"].neutral and block.fields["text"].get("en") == "AWS, Modal"


def test_a_nested_ordered_list_keeps_its_tree(tmp_path: Path):
    block = only_block(tmp_path, """\
        - list: l
          ordered: true
          items:
            - id: a
              zh: 甲
              en: A
              items:
                - {id: a1, zh: 甲一, en: A1}
            - {id: b, zh: 乙, en: B}
        """)
    items = block.fields["items"]
    assert block.fields["ordered"] is True
    assert [i.id for i in items] == ["a", "b"] and [c.id for c in items[0].children] == ["a1"]


def test_a_table_has_header_rows_and_alignment(tmp_path: Path):
    block = only_block(tmp_path, """\
        - table: t1
          align: [left, right]
          caption: {zh: 表, en: Table}
          header: [{zh: 年, en: Year}, {zh: 值, en: Value}]
          rows:
            - ['2023', '1']
        """)
    assert block.fields["align"] == ("left", "right")
    assert [c.get("en") for c in block.fields["header"]] == ["Year", "Value"]
    assert [[c.get("zh") for c in row] for row in block.fields["rows"]] == [["2023", "1"]]


def test_a_figure_resolves_its_chart_inside_the_report(tmp_path: Path):
    block = only_block(tmp_path, """\
        - figure: f
          chart: charts/c.yaml
          caption: {zh: 图, en: Figure}
          width: 0.5
        """)
    assert block.fields["chart_file"] == (tmp_path / "charts" / "c.yaml").resolve()
    assert block.fields["width"] == 0.5


def test_callout_kpis_and_references_read(tmp_path: Path):
    record, problems = read(tmp_path, """\
        - callout: c
          title: {zh: 发现, en: Findings}
          items: [{id: c1, zh: 一, en: One}]
        - kpis: k
          items: [{value: 35%, label: {zh: 增长, en: Growth}}]
        - references: r
          items: [{id: r1, target: 'https://example.com', zh: 报告, en: Report}]
        """)
    assert problems == []
    assert [b.kind for b in record.sections[0].blocks] == ["callout", "kpis", "references"]
    assert record.sections[0].blocks[2].fields["items"][0].target == "https://example.com"


@pytest.mark.parametrize(("blocks", "expected"), [
    ("- paragraph: p\n", "s.yaml:4: error: paragraph 'p' has no zh or en text"),
    ("- paragraph: P Q\n  zh: 甲\n  en: A\n", "s.yaml:4: error: invalid id 'P Q'"),
    ("- paragraph: p\n  zh: 甲\n  en: A\n  colour: red\n", "s.yaml:7: error: unknown field "
                                                            "'colour' in paragraph 'p'"),
    ("- paragraph: p\n  zh: 甲\n  en: A\n  fr: B\n", "s.yaml:7: error: unknown field 'fr' in "
                                                     "paragraph 'p'"),
    ("- quote: q\n", "s.yaml:4: error: unknown block kind 'quote'"),
    ("- 5\n", "s.yaml:4: error: a block must be a mapping whose first key names its kind"),
    ("- heading: h\n  level: 1\n  zh: 甲\n  en: A\n", "s.yaml:5: error: heading level must be "
                                                      "2 or 3"),
    ("- paragraph: p\n  style: loud\n  zh: 甲\n  en: A\n", "s.yaml:5: error: paragraph style "
                                                            "must be body or note"),
    ("- list: l\n  items: []\n", "s.yaml:5: error: list must be a non-empty list"),
    ("- list: l\n  items: [{zh: 甲, en: A}]\n", "s.yaml:5: error: list entry has no id"),
    ("- table: t\n  header: [a]\n  rows: [[a, b]]\n", "s.yaml:6: error: table 't' row 1 has 2 "
                                                      "cells, the header has 1"),
    ("- table: t\n  header: [a]\n  rows: [[a]]\n  align: [middle]\n",
     "s.yaml:7: error: table 't' align must list left, center or right"),
    ("- figure: f\n  chart: nope.yaml\n  caption: x\n", "s.yaml:5: error: unknown chart file "
                                                        "'nope.yaml'"),
    ("- figure: f\n  chart: ../../x.yaml\n  caption: x\n", "s.yaml:5: error: chart "
                                                           "'../../x.yaml' is outside"),
    ("- figure: f\n  chart: charts/c.yaml\n  caption: x\n  width: 2\n",
     "s.yaml:7: error: figure width is a fraction from 0.2 to 1"),
    ("- kpis: k\n  items: [{value: 1}]\n", "s.yaml:5: error: a KPI needs a value and a label"),
    ("- references: r\n  items: [{id: r1, zh: 甲, en: A, target: ''}]\n",
     "s.yaml:5: error: reference 'r1' target must be a URL or a relative path"),
    ("- paragraph: p\n  zh: 甲\n  en: A\n- paragraph: p\n  zh: 乙\n  en: B\n",
     "s.yaml:7: error: duplicate id 'p' (first used at"),
    ("- paragraph: p\n  zh: \"甲\\u202e乙\"\n  en: A\n", "s.yaml:5: error: control character "
                                                         "U+202E in text"),
    ("- paragraph: p\n  zh: [甲]\n  en: A\n", "s.yaml:5: error: paragraph 'p'.zh must be a text"),
    ("- callout: c\n  items: [{id: c1, zh: 一, en: One}]\n", "s.yaml:4: error: callout 'c' "
                                                             "has no 'title'"),
])
def test_each_schema_error_is_located(tmp_path: Path, blocks: str, expected: str):
    _, problems = read(tmp_path, blocks)
    assert any(p.startswith(expected) for p in problems), problems


@pytest.mark.parametrize(("change", "expected"), [
    ("date: 2025-06-30", "report.yaml:3: error: date '2025-13-45' is not a date"),
    ("editions: [zh, en]", "report.yaml:4: error: editions must list zh, en or bilingual"),
    ("id: t", "report.yaml:1: error: invalid report id"),
])
def test_report_metadata_errors_are_located(tmp_path: Path, change: str, expected: str):
    broken = {"date: 2025-06-30": "date: 2025-13-45", "editions: [zh, en]": "editions: [fr]",
              "id: t": "id: T T"}[change]
    _, problems = read(tmp_path, "- paragraph: p\n  zh: 甲\n  en: A\n",
                       REPORT.replace(change, broken))
    assert any(p.startswith(expected) for p in problems), problems


def test_a_report_without_a_title_or_sections_is_refused(tmp_path: Path):
    record, problems = read(tmp_path, "", "id: t\n")
    assert record is None
    assert "report.yaml:1: error: report.yaml has no 'title'" in problems
    assert "report.yaml:1: error: report.yaml has no 'sections'" in problems
