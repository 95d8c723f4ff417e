"""What real reports contain, together: two images (SVG and PNG), three footnotes, a code block
and two formulas in one report, built in every edition and read back with real readers; and a
Markdown file using all of them imported into a report that checks and builds untouched."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.helpers import cli, demo_report
from tests.libreoffice import libreoffice_pdf, pdf_text

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120"><rect width="300" '
       'height="120" rx="10" fill="#1f3a5f"/><text x="150" y="70" fill="#ffffff" '
       'font-size="20" text-anchor="middle">推理平台 Inference</text></svg>')
BLOCKS = """
  - paragraph: sourced
    zh: 整体市场CAGR达35%^[来源：Credence Research。]，推理市场增速更快^[来源：MarketsandMarkets。]。
    en: 'The market grows at a 35% CAGR^[Source: Credence Research.], inference faster^[Source: MarketsandMarkets.].'

  - image: fig-platform
    file: images/platform.svg
    caption: {zh: 推理平台, en: The inference platform}

  - image: fig-racks
    file: images/racks.png
    width: 50mm
    caption: {zh: 机柜, en: Racks}

  - code: query
    language: sql
    text: |
      SELECT year, usd_billion FROM sales ORDER BY year;

  - formula: cagr
    tex: '\\mathrm{CAGR} = (V_1 / V_0)^{1/n} - 1'

  - formula: share
    tex: 'S_i = \\frac{R_i}{\\sum_j R_j}'

  - paragraph: last
    zh: 第三个脚注在这里^[第三个脚注。]。
    en: The third footnote is here^[The third footnote.].
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from PIL import Image

    root = demo_report(tmp_path_factory.mktemp("report"), BLOCKS)
    (root / "images").mkdir()
    (root / "images" / "platform.svg").write_text(SVG, encoding="utf-8")
    Image.new("RGB", (600, 300), "#e8a33d").save(root / "images" / "racks.png", dpi=(300, 300))
    out = root.parent / "dist"
    code, output = cli("build", str(root), "--out", str(out))
    assert code == 0, output
    return out / "demo"


@pytest.mark.parametrize(("edition", "notes"), [
    ("zh", ("来源：Credence Research。", "来源：MarketsandMarkets。", "第三个脚注。")),
    ("en", ("Source: Credence Research.", "Source: MarketsandMarkets.", "The third footnote.")),
])
def test_every_edition_prints_notes_at_their_page_foot_and_the_code(built: Path, edition: str,
                                                                   notes: tuple[str, ...]):
    pages = [" ".join(p.split()) for p in pdf_text(built / f"demo.{edition}.pdf").split("\f")]
    for number, note in enumerate(notes, start=1):
        page = next(p for p in pages if f"{number} {note}" in p)
        # the note is the last text above the footer: at the bottom of its page
        assert page.index(f"{number} {note}") > len(page) * 0.6, page
    text = " ".join(pages)
    assert "SELECT year, usd_billion FROM sales ORDER BY year;" in text
    assert "推理平台 Inference" in text  # the SVG's text, drawn as text
    images = subprocess.run(["pdfimages", "-list", str(built / f"demo.{edition}.pdf")],
                            capture_output=True, text=True).stdout.splitlines()[2:]
    assert len(images) == 1  # the PNG; the SVG and the formulas are vectors


def test_the_bilingual_edition_builds_with_both_languages_notes(built: Path):
    text = " ".join(pdf_text(built / "demo.bilingual.pdf").split())
    assert "来源：Credence Research。" in text and "Source: Credence Research." in text
    assert text.count("SELECT year, usd_billion") == 1


def test_the_docx_has_footnotes_and_images_at_their_size_and_libreoffice_renders_them(
        built: Path, tmp_path: Path):
    import docx
    from docx.shared import Mm

    for edition in ("zh", "en", "bilingual"):
        path = built / f"demo.{edition}.docx"
        with zipfile.ZipFile(path) as archive:
            notes = archive.read("word/footnotes.xml").decode("utf-8")
        expected = 6 if edition == "bilingual" else 3
        assert notes.count("<w:footnoteRef/>") == expected, edition
        document = docx.Document(str(path))
        racks = next(s for s in document.inline_shapes
                     if s._inline.docPr.get("title") in ("机柜", "Racks"))
        assert abs(racks.width - Mm(50)) < Mm(0.1)
    printed = libreoffice_pdf(built / "demo.zh.docx", tmp_path / "lo")
    text = " ".join(pdf_text(printed).split())
    assert "来源：Credence Research。" in text and "第三个脚注。" in text
    assert "SELECT year, usd_billion FROM sales ORDER BY year;" in text


def test_markdown_with_all_of_them_imports_checks_and_builds(tmp_path: Path):
    from PIL import Image

    notes = tmp_path / "notes"
    notes.mkdir()
    Image.new("RGB", (400, 200), "#1f3a5f").save(notes / "rack.png")
    (notes / "flow.svg").write_text(SVG, encoding="utf-8")
    source = notes / "report.md"
    source.write_text(
        "# 市场报告\n\n## 概况\n\n整体市场CAGR达35%[^cr]，另见^[内联注释]。\n\n"
        "![机柜](rack.png)\n\n![流程](flow.svg)\n\n```python\nprint('hi')\n```\n\n"
        "$$\\frac{a}{b}$$\n\n价格从$98降到$34。\n\n[^cr]: 来源：Credence Research\n",
        encoding="utf-8")
    out = tmp_path / "imported"
    code, output = cli("import-markdown", str(source), "--out", str(out))
    assert code == 0, output
    code, output = cli("check", str(out), "--edition", "zh")
    assert code == 0, output
    code, output = cli("build", str(out), "--out", str(tmp_path / "dist"))
    assert code == 0, output
    text = " ".join(pdf_text(tmp_path / "dist" / "imported" / "imported.zh.pdf").split())
    assert "1 来源：Credence Research" in text and "2 内联注释" in text
    assert "print('hi')" in text and "图 1 机柜" in text and "图 2 流程" in text
