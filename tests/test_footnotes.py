"""Footnotes: `^[note]` in any text; at the foot of its page in the PDF, a Word footnote in DOCX."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from builder.compose.inline import to_inline, to_markdown
from tests.helpers import cli, demo_report, edit
from tests.libreoffice import pdf_text

CR = "https://www.credenceresearch.com/report/cloud-gpu-market"


@pytest.fixture()
def report(tmp_path: Path) -> Path:
    root = demo_report(tmp_path)
    section = root / "sections" / "01-overview.yaml"
    edit(section, "    zh: '市场规模预计从2024年", f"    zh: '市场规模预计从2024年^[来源：Credence Research，[报告]({CR})]")
    edit(section, "    en: 'The market is expected", f"    en: 'The market^[Source: Credence Research, [report]({CR})] is expected")
    edit(section, "        zh: 每个文本同时写中文和英文", "        zh: 每个文本同时写中文和英文^[翻译由 i18n 命令导出。]")
    edit(section, "        en: Every text holds Chinese and English side by side",
         "        en: Every text holds Chinese and English side by side^[Translations go out "
         "with the i18n commands.]")
    # a third note on a later page: a long paragraph pushes it there
    section.write_text(section.read_text(encoding="utf-8") + "\n".join(
        [f"\n  - paragraph: filler-{i}\n    zh: {'市场规模持续增长，' * 40}\n"
         f"    en: {'The market keeps growing, ' * 30}" for i in range(4)])
        + "\n\n  - paragraph: late\n    zh: 最后一段^[第三个脚注。]。\n"
          "    en: The last paragraph^[The third footnote.].\n", encoding="utf-8")
    return root


def test_inline_notes_parse_and_write_back():
    spans = to_inline(f"达35%^[来源：[报告]({CR})]，另见^[注 *二*]。\\^[不是脚注]")
    notes = [s for s in spans if s.note is not None]
    assert len(notes) == 2 and notes[0].text == ""
    assert [(s.text, s.href) for s in notes[0].note] == [("来源：", None), ("报告", CR)]
    assert notes[1].note[1].italic
    assert "".join(s.text for s in spans) == "达35%，另见。^[不是脚注]"  # escaped: literal
    assert to_inline(to_markdown(spans)) == spans  # the DOCX import writes them back
    from builder.model.document import Span

    assert to_inline("a^[b^[c]]")[1].note == (Span("b^[c]"),)  # no note inside a note


def _pages(pdf: Path) -> list[str]:
    return [" ".join(page.split()) for page in pdf_text(pdf).split("\f")]


def test_pdf_footnotes_are_numbered_and_at_the_foot_of_their_page(report: Path, tmp_path: Path):
    out = tmp_path / "dist"
    code, output = cli("build", str(report), "--out", str(out), "--format", "pdf")
    assert code == 0, output
    for edition, texts in (("zh", ("来源：Credence Research，报告", "翻译由 i18n 命令导出。",
                                   "第三个脚注。")),
                           ("en", ("Source: Credence Research, report",
                                   "Translations go out with the i18n commands.",
                                   "The third footnote."))):
        pages = _pages(out / "demo" / f"demo.{edition}.pdf")
        for number, text in enumerate(texts, start=1):
            page = next(p for p in pages if f"{number} {text}" in p)
            # the mark is on the same page: the text it follows, then its number
            anchor = {1: ("年", "market"), 2: ("中文和英文", "side by side"),
                      3: ("最后一段", "last paragraph")}[number][edition == "en"]
            assert re.search(re.escape(anchor) + r"\s?" + str(number), page), (number, page)
        assert any("第三个脚注" in p or "third footnote" in p for p in pages[3:]), \
            "the third note is on a later page than the first"
    # every note is drawn once: on its page, not repeated elsewhere
    pages = _pages(out / "demo" / "demo.zh.pdf")
    assert sum("第三个脚注。" in p for p in pages) == 1
    # the bilingual edition numbers its Chinese and English notes in document order
    pages = _pages(out / "demo" / "demo.bilingual.pdf")
    text = " ".join(pages)
    assert "1 来源：Credence Research" in text and "2 Source: Credence Research" in text


def test_the_docx_has_word_footnotes_that_libreoffice_prints(report: Path, tmp_path: Path):
    from openxml_audit import OpenXmlValidator

    from tests.libreoffice import libreoffice_pdf

    out = tmp_path / "dist"
    assert cli("build", str(report), "--out", str(out), "--format", "docx")[0] == 0
    path = out / "demo" / "demo.en.docx"
    with zipfile.ZipFile(path) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
        notes = archive.read("word/footnotes.xml").decode("utf-8")
        settings = archive.read("word/settings.xml").decode("utf-8")
    assert body.count("<w:footnoteReference") == 3
    assert notes.count("<w:footnoteRef/>") == 3 and 'w:type="separator"' in notes
    assert "Translations go out with the i18n commands." in notes and CR not in body.split(
        "The market")[0]
    assert "<w:footnotePr" in settings
    result = OpenXmlValidator().validate(str(path))
    assert result.error_count == 0, [str(e) for e in result.errors]
    printed = libreoffice_pdf(path, tmp_path / "lo")
    pages = _pages(printed)
    first = next(p for p in pages if "The market" in p)
    assert "Source: Credence Research, report" in first, first


def test_markdown_footnotes_import_as_inline_notes(tmp_path: Path):
    source = tmp_path / "notes.md"
    source.write_text("# 报告\n\n## 市场\n\n整体市场CAGR达35%[^cr]，另见^[内联注释]。未定义[^x]。\n\n"
                      f"[^cr]: 来源：Credence Research，[报告]({CR})\n    第二行。\n",
                      encoding="utf-8")
    out = tmp_path / "imported"
    code, output = cli("import-markdown", str(source), "--out", str(out))
    assert code == 0 and "notes.md:5: warning: footnote [^x] has no definition" in output, output
    text = next((out / "sections").glob("*.yaml")).read_text(encoding="utf-8")
    assert f"35%^[来源：Credence Research，[报告]({CR}) 第二行。]" in text, text
    assert "另见^[内联注释]" in text
    pdf = tmp_path / "dist"
    code, output = cli("build", str(out), "--out", str(pdf), "--edition", "zh", "--format",
                       "pdf")
    assert code == 0, output
    joined = " ".join(_pages(pdf / "imported" / "imported.zh.pdf"))
    assert "1 来源：Credence Research，报告 第二行。" in joined and "2 内联注释" in joined


def test_the_pdf_footnote_marks_are_raised_and_small(report: Path, tmp_path: Path):
    from pypdf import PdfReader

    from builder.themes import load_theme

    out = tmp_path / "dist"
    assert cli("build", str(report), "--out", str(out), "--format", "pdf", "--edition",
               "en")[0] == 0
    pdf = out / "demo" / "demo.en.pdf"
    number = next(i for i, p in enumerate(_pages(pdf)) if "The market" in p)
    content = PdfReader(pdf).pages[number].get_contents().get_data().decode("latin-1")
    body = load_theme("default").type.body_pt
    # the mark: text raised (a positive `Ts`), in a font of 0.62 of the body size
    rises = [float(m) for m in re.findall(r"([\d.]+) Ts", content)]
    assert any(abs(rise - body * 0.38) < 0.05 for rise in rises), rises
    sizes = {float(m) for m in re.findall(r"/F\d+\+?\d* ([\d.]+) Tf", content)}
    assert any(abs(size - body * 0.62) < 0.05 for size in sizes), sizes


def test_many_footnotes_each_print_once_on_the_page_of_their_mark(tmp_path: Path):
    """Sixty notes of varying length: a note that would push its own mark to the next page
    keeps its room on both pages (the layout settles), so every note prints once, on the page
    its mark is on (the mark ends its paragraph: the paragraph's first page or the next)."""
    blocks = "".join(
        f"\n  - paragraph: p{i}\n    zh: 第{i}段{'市场持续增长，' * (5 + i % 17)}结束^[第{i}个脚注，"
        f"{'说明文字' * (1 + i % 9)}。]。\n    en: 'Paragraph {i}^[Note {i}.]'\n" for i in range(60))
    root = demo_report(tmp_path, blocks)
    code, output = cli("build", str(root), "--out", str(tmp_path / "d"), "--edition", "zh",
                       "--format", "pdf")
    assert code == 0, output
    pages = ["".join(p.split()) for p in pdf_text(tmp_path / "d" / "demo" / "demo.zh.pdf")
             .split("\f")]
    for i in range(60):
        notes = [k for k, page in enumerate(pages) if f"{i + 1}第{i}个脚注" in page]
        starts = [k for k, page in enumerate(pages) if f"第{i}段" in page]
        assert len(notes) == 1 and notes[0] in (starts[0], starts[-1] + 1), (i, starts, notes)
