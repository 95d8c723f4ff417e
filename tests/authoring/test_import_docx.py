"""Editors' round trip: a built DOCX edited (python-docx, then also through LibreOffice) comes
back into the content as exactly the editor's changes, and nothing else."""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from builder.i18n.status import translation_status
from builder.readers.report import read_report
from builder.roundtrip import ImportRefused, import_docx
from tests.authoring.support import build_report, pdf_text, run
from tests.docx_editing import Edited
from tests.helpers import REPORT, edit
from tests.libreoffice import HAVE_LIBREOFFICE

SECTIONS = "sections"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled report's three DOCX files, built once for the module."""
    work = tmp_path_factory.mktemp("built")
    shutil.copytree(REPORT, work / "gpu-market")
    return build_report(work / "gpu-market", work / "out", ("zh", "en", "bilingual"),
                        formats=("docx",))


@pytest.fixture
def report(tmp_path: Path) -> Path:
    """A fresh copy of the content the module's files were built from."""
    shutil.copytree(REPORT, tmp_path / "gpu-market")
    return tmp_path / "gpu-market"


def _snapshot(report: Path) -> dict[str, str]:
    return {str(p.relative_to(report)): p.read_text(encoding="utf-8")
            for p in sorted(report.rglob("*.yaml"))}


def _changed_lines(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Return the added and removed lines of every file, as `-`/`+` lines of a diff."""
    lines: list[str] = []
    for name in sorted(set(before) | set(after)):
        for line in difflib.unified_diff(before.get(name, "").splitlines(),
                                         after.get(name, "").splitlines(), lineterm="", n=0):
            if line[:1] in "+-" and not line.startswith(("+++", "---")):
                lines.append(line)
    return lines


def _libreoffice_round_trip(path: Path, work: Path) -> Path:
    """Return `path` opened and saved again as DOCX by LibreOffice (every part rewritten)."""
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "HOME": str(work)}
    subprocess.run(["soffice", f"-env:UserInstallation=file://{work / 'profile'}", "--headless",
                    "--convert-to", "docx", "--outdir", str(work), str(path)],
                   check=True, capture_output=True, timeout=180, env=env)
    return work / path.name


def _zh_edits(source: Path, target: Path) -> Path:
    e = Edited(source)
    e.set_text("fireworks-positioning", "zh", "Fireworks.ai定位为", ("b", "复合AI系统"),
               "的推理平台。")
    e.set_text("tbl-competition/r1c3", "zh", "$35/小时")
    e.add_paragraph_after("fireworks-positioning", "zh", "编辑新增的一段：市场份额仍在快速变化。")
    e.delete_paragraph("modal-details", "zh")
    e.comment("ms-intro", "zh", "请核对这一段的来源。")
    e.track("modal-features-lead", "zh", "ins", "（已核实）")
    e.track("fireworks-tech-lead", "zh", "del", "：")
    return e.save(target)


EXPECTED_ZH = [
    # the comment, as a note of its block
    '+    note: "Li Wei: 请核对这一段的来源。"',
    # the tracked deletion (accepted)
    '-    zh: "**技术优势**："',
    '+    zh: "**技术优势**"',
    # the edited paragraph, and the one the editor added after it
    "-    zh: '**战略定位**：专注于\"复合AI系统\"，为企业提供多模型集成框架'",
    "+    zh: Fireworks.ai定位为**复合AI系统**的推理平台。",
    "+",
    "+  - paragraph: p-1f4246a5",
    "+    zh: 编辑新增的一段：市场份额仍在快速变化。",
    # the tracked insertion (accepted)
    '-    zh: "**核心特色**："',
    '+    zh: "**核心特色**：（已核实）"',
    # the deleted paragraph
    "-",
    "-  - paragraph: modal-details",
    "-    zh: 详细分析请见：[Modal Labs公司分析报告](#research-reports)",
    "-    en: For a detailed analysis, see the [Modal Labs company analysis report]"
    "(#research-reports).",
    # the table cell
    "-        - zh: $34/小时",
    "+        - zh: $35/小时",
]


@pytest.mark.parametrize("via", ["python-docx", "libreoffice"])
def test_an_editors_changes_come_back_as_exactly_those_changes(via: str, built: Path,
                                                               report: Path, tmp_path: Path):
    if via == "libreoffice" and not HAVE_LIBREOFFICE:
        pytest.skip("LibreOffice is not installed")
    zh = _zh_edits(built / "gpu-market.zh.docx", tmp_path / "edited.zh.docx")
    e = Edited(built / "gpu-market.en.docx")
    e.set_text("ms-highlights/ms-regions", "en", ("b", "Regional distribution"),
               ": North America holds 34% of the market; Asia-Pacific grows fastest")
    en = e.save(tmp_path / "edited.en.docx")
    if via == "libreoffice":
        zh = _libreoffice_round_trip(zh, tmp_path / "lo")
        en = _libreoffice_round_trip(en, tmp_path / "lo")
    before = _snapshot(report)
    first = import_docx(zh, report, changes="accept")
    second = import_docx(en, report, changes="accept")
    assert not first.conflicts and not second.conflicts
    expected = list(EXPECTED_ZH)
    expected[1:1] = [  # the English list entry, in 02-market-overview.yaml
        '-        en: "**Regional distribution**: North America holds a 34% market share, while '
        'Asia-Pacific is the fastest-growing region (25.5% CAGR)"',
        '+        en: "**Regional distribution**: North America holds 34% of the market; '
        'Asia-Pacific grows fastest"']
    assert _changed_lines(before, _snapshot(report)) == expected
    assert (len(first.edited), len(first.added), len(first.removed)) == (4, 1, 1)

    # the content still reads, and a second import of the same files changes nothing
    assert not read_report(report)[1].errors
    after = _snapshot(report)
    assert not import_docx(zh, report, changes="accept").files
    assert not import_docx(en, report, changes="accept").files
    assert _snapshot(report) == after

    # the next build shows the edits; the note comes out as a Word comment again
    out = build_report(report, tmp_path / "rebuilt", ("zh",))
    text = "".join(pdf_text(out / "gpu-market.zh.pdf").split())  # Han-Latin gaps dropped
    assert "Fireworks.ai定位为复合AI系统的推理平台" in text
    assert "编辑新增的一段" in text and "$35/小时" in text
    assert "详细分析请见：ModalLabs公司分析报告" not in text
    assert "详细分析请见：Fireworks.ai公司分析报告" in text
    rebuilt = docx.Document(str(out / "gpu-market.zh.docx"))
    assert any("请核对这一段的来源" in c.text for c in rebuilt.comments)


def test_unchanged_files_change_nothing(built: Path, report: Path, tmp_path: Path):
    before = _snapshot(report)
    files = [built / f"gpu-market.{e}.docx" for e in ("zh", "en", "bilingual")]
    if HAVE_LIBREOFFICE:  # LibreOffice rewrites every part, and updates the REF fields
        files += [_libreoffice_round_trip(f, tmp_path / "lo") for f in files]
    for path in files:
        result = import_docx(path, report)
        assert result.summary() == "0 edited, 0 added, 0 removed, 0 note(s), 0 conflict(s)", \
            (path, result.edited, result.added, result.removed, result.notes)
    assert _snapshot(report) == before


def test_a_tracked_change_is_kept_as_a_note_by_default_and_can_be_rejected(
        built: Path, report: Path, tmp_path: Path):
    e = Edited(built / "gpu-market.zh.docx")
    e.track("modal-features-lead", "zh", "ins", "（已核实）")
    e.track("fireworks-tech-lead", "zh", "del", "：")
    path = e.save(tmp_path / "tracked.docx")
    before = _snapshot(report)
    assert not import_docx(path, report, changes="reject").files
    import_docx(path, report)  # keep
    assert _changed_lines(before, _snapshot(report)) == [
        '+    note: "Tracked deletion by Li Wei (zh): «：»"',
        '+    note: "Tracked insertion by Li Wei (zh): «（已核实）»"']


def test_an_edit_to_a_data_driven_number_is_a_conflict_and_the_expression_survives(
        built: Path, report: Path, tmp_path: Path):
    e = Edited(built / "gpu-market.zh.docx")
    e.set_text("kpi-headline/k1", "zh", "480亿美元")
    e.set_text("ms-intro", "zh", "根据多项市场研究，GPU云计算市场增长迅猛：")
    path = e.save(tmp_path / "number.docx")
    file = report / SECTIONS / "01-executive-summary.yaml"
    expression = "'{{ market_size[2032].usd_billion | usd(\"billion\") }}'"
    result = run("import-docx", str(path), str(report))
    assert result.exit_code == 1, result.output
    assert "01-executive-summary.yaml:12: error: conflict: KPI value" in result.output
    assert expression in file.read_text(encoding="utf-8")  # the expression survives
    assert "Editor's zh text, not applied (generated from data): 480亿美元" in \
        file.read_text(encoding="utf-8")
    # the rest of the file was imported all the same
    assert "GPU云计算市场增长迅猛" in (report / SECTIONS / "02-market-overview.yaml").read_text(
        encoding="utf-8")
    # asked for, the literal replaces the expression
    import_docx(path, report, accept_literal=True)
    assert "value: 480亿美元" in file.read_text(encoding="utf-8")


@pytest.mark.parametrize("via", ["python-docx", "libreoffice"])
def test_words_around_generated_numbers_come_back_with_the_expressions(
        via: str, built: Path, report: Path, tmp_path: Path):
    if via == "libreoffice" and not HAVE_LIBREOFFICE:
        pytest.skip("LibreOffice is not installed")
    e = Edited(built / "gpu-market.zh.docx")
    controls = e.controls("exec-intro", "zh")
    assert [c.find(qn("w:sdtPr")).find(qn("w:lock")).get(qn("w:val")) for c in controls] == \
        ["contentLocked", "contentLocked"]  # the editor sees them locked in Word
    e.replace_words("exec-intro", "zh", "前所未有的增长", "空前的增长")
    path = e.save(tmp_path / "words.docx")
    if via == "libreoffice":
        path = _libreoffice_round_trip(path, tmp_path / "lo")
    before = _snapshot(report)
    result = import_docx(path, report)
    assert not result.conflicts
    old = next(line for line in before[f"{SECTIONS}/01-executive-summary.yaml"].splitlines()
               if "前所未有的增长" in line)
    assert old.count("{{ market_size[20") == 2
    assert _changed_lines(before, _snapshot(report)) == [
        "-" + old, "+" + old.replace("前所未有的增长", "空前的增长")]


def test_a_text_changed_in_the_content_and_in_the_file_is_a_conflict(
        built: Path, report: Path, tmp_path: Path):
    file = report / SECTIONS / "02-market-overview.yaml"
    edit(file, "zh: 根据多项市场研究，GPU云计算市场展现出爆发式增长：",
         "zh: 多项市场研究显示，GPU云计算市场展现出爆发式增长：")  # the analyst, after the build
    e = Edited(built / "gpu-market.zh.docx")
    e.set_text("ms-intro", "zh", "根据多项市场研究，GPU云计算市场增长迅猛：")  # the editor
    result = import_docx(e.save(tmp_path / "both.docx"), report)
    assert len(result.conflicts) == 1
    conflict = result.conflicts[0]
    assert conflict.path.endswith("02-market-overview.yaml") and conflict.line == 23
    text = file.read_text(encoding="utf-8")
    assert "zh: 多项市场研究显示，GPU云计算市场展现出爆发式增长：" in text  # the content wins
    assert "not applied (the content changed too): 根据多项市场研究，GPU云计算市场增长迅猛：" in text


def test_an_edit_of_the_chinese_text_makes_its_translation_stale(built: Path, report: Path,
                                                                   tmp_path: Path):
    record = read_report(report)[0]
    assert record is not None
    stale = {e.ref.key for e in translation_status(record, "en").entries if e.state == "stale"}
    e = Edited(built / "gpu-market.bilingual.docx")
    e.set_text("ms-intro", "zh", "根据多项市场研究，GPU云计算市场增长迅猛：")
    e.set_text("fireworks-positioning", "en", "Positioning: compound AI systems.")
    import_docx(e.save(tmp_path / "bilingual.docx"), report)
    record = read_report(report)[0]
    assert record is not None
    now = {e.ref.key for e in translation_status(record, "en").entries if e.state == "stale"}
    assert now - stale == {"market-overview/ms-intro"}
    text = (report / SECTIONS / "03-fireworks-ai.yaml").read_text(encoding="utf-8")
    assert 'en: "Positioning: compound AI systems."' in text


def test_new_chinese_and_english_paragraphs_in_the_bilingual_file_make_one_block(
        built: Path, report: Path, tmp_path: Path):
    e = Edited(built / "gpu-market.bilingual.docx")
    e.add_paragraph_after("fireworks-positioning", "en", "Positioning: compound AI systems.")
    e.add_paragraph_after("fireworks-positioning", "en", "定位：复合AI系统。")
    before = _snapshot(report)
    import_docx(e.save(tmp_path / "added.docx"), report)
    added = _changed_lines(before, _snapshot(report))
    assert [line for line in added if line != "+"] == [
        "+  - paragraph: p-00a59c4b", "+    zh: 定位：复合AI系统。",
        '+    en: "Positioning: compound AI systems."'], added


def test_files_of_other_origins_are_refused(built: Path, report: Path, tmp_path: Path):
    blank = tmp_path / "blank.docx"
    docx.Document().save(str(blank))
    result = run("import-docx", str(blank), str(report))
    assert result.exit_code == 2
    assert "blank.docx: error: this file was not built by report-builder" in result.output
    edit(report / "report.yaml", "id: gpu-market", "id: another-report")
    with pytest.raises(ImportRefused, match="built from the report 'gpu-market'"):
        import_docx(built / "gpu-market.zh.docx", report)


def test_a_dry_run_prints_the_diff_and_writes_nothing(built: Path, report: Path,
                                                      tmp_path: Path):
    e = Edited(built / "gpu-market.zh.docx")
    e.set_text("ms-intro", "zh", "GPU云计算市场增长迅猛：")
    path = e.save(tmp_path / "dry.docx")
    before = _snapshot(report)
    result = run("import-docx", str(path), str(report), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "+    zh: GPU云计算市场增长迅猛：" in result.output
    assert "-    zh: 根据多项市场研究，GPU云计算市场展现出爆发式增长：" in result.output
    assert result.output.strip().endswith("would change: 1 edited, 0 added, 0 removed, "
                                          "0 note(s), 0 conflict(s)")
    assert _snapshot(report) == before


def test_a_paragraph_added_under_a_section_title_opens_the_section(built: Path, report: Path,
                                                                   tmp_path: Path):
    e = Edited(built / "gpu-market.zh.docx")
    e.add_paragraph_after("market-overview", "zh", "本章概述市场规模与参与者。")
    result = import_docx(e.save(tmp_path / "opening.docx"), report)
    assert len(result.added) == 1 and not result.warnings
    text = (report / SECTIONS / "02-market-overview.yaml").read_text(encoding="utf-8")
    assert "blocks:\n  - paragraph: p-" in text
    assert text.index("本章概述市场规模与参与者。") < text.index("heading: market-size")


def test_an_edit_to_a_text_with_a_footnote_is_a_conflict_and_the_footnote_survives(
        built: Path, report: Path, tmp_path: Path):
    e = Edited(built / "gpu-market.zh.docx")
    e.set_text("ms-highlights/ms-overall", "zh", "整体市场：2023-2032年CAGR约为35%")
    path = e.save(tmp_path / "note.docx")
    file = report / SECTIONS / "02-market-overview.yaml"
    before = file.read_text(encoding="utf-8")
    result = run("import-docx", str(path), str(report))
    assert result.exit_code == 1, result.output
    assert "02-market-overview.yaml:" in result.output and "conflict: list entry" in \
        result.output and "holds a formula or a footnote" in result.output, result.output
    after = file.read_text(encoding="utf-8")
    assert "^[来源：Credence Research，[云GPU市场报告]" in after  # the note is kept
    assert "CAGR约为35%" in after and before != after  # the edit is kept as a note for editors
