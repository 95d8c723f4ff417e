"""Every character a Chinese business report uses: names beyond GB 2312, symbols, arrows and
emoji build in both formats, extract from the PDF, and print from the DOCX in LibreOffice."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from builder.authoring.scaffold import scaffold
from builder.cli import main
from tests.helpers import edit
from tests.libreoffice import HAVE_LIBREOFFICE, libreoffice_pdf, pdf_fonts, pdf_text

NAMES = "张喆、李珺、王䶮"
SYMBOLS = "✅ ⭐ 🚀 ⇑ ⇓ ❌ ⚠️ ∑ √ ∞"
TEAM = "👨\u200d💻"  # a ZWJ sequence: man, joiner, laptop
CHART_LABEL = "年份 ✅ 🚀 ⇑"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("characters")
    root = work / "demo"
    scaffold(root, "demo", "zh")
    section = root / "sections" / "01-overview.yaml"
    section.write_text(section.read_text(encoding="utf-8") + (
        f"\n  - paragraph: people\n"
        f"    zh: '负责人{NAMES}。状态：{SYMBOLS} 团队 {TEAM}'\n"
        f"    en: 'Owners {NAMES}. Status: {SYMBOLS} team {TEAM}'\n"), encoding="utf-8")
    edit(root / "charts" / "sales.yaml", "title: {zh: 年份, en: Year}",
         f"title: {{zh: {CHART_LABEL}, en: Year ✅ 🚀 ⇑}}")
    result = CliRunner().invoke(main, ["build", str(root), "--out", str(work / "dist")])
    assert result.exit_code == 0, result.output
    return work / "dist" / "demo"


@pytest.mark.parametrize("edition", ["zh", "en", "bilingual"])
def test_every_character_extracts_from_the_pdf(built: Path, edition: str):
    pdf = built / f"demo.{edition}.pdf"
    text = pdf_text(pdf)
    for char in NAMES + SYMBOLS.replace("\ufe0f", "") + "👨💻":
        if char != " ":
            assert char in text, (char, edition)
    assert "🚀" in text and "\ufffd" not in text  # astral characters are not cut to 16 bits
    assert ("年份 ✅ 🚀 ⇑" if edition != "en" else "Year ✅ 🚀 ⇑") in text  # chart text too
    fonts = pdf_fonts(pdf)
    assert all(embedded for _, embedded in fonts), fonts
    names = {name.split("+")[-1] for name, _ in fonts}
    assert {"NotoEmoji-Regular", "NotoSansMath-Regular"} <= names, names


def test_the_docx_names_the_fallback_face_and_keeps_the_joiner(built: Path):
    document = docx.Document(str(built / "demo.zh.docx"))
    runs = [run for p in document.paragraphs for run in p.runs]
    rocket = next(run for run in runs if "🚀" in run.text)
    fonts = rocket._r.rPr.rFonts
    assert {fonts.get(f"{{{fonts.nsmap['w']}}}{slot}") for slot in
            ("ascii", "hAnsi", "eastAsia", "cs")} == {"Noto Emoji"}
    assert any(TEAM in run.text for run in runs)
    names = next(run for run in runs if "张喆" in run.text)
    assert "Noto Emoji" not in (names._r.rPr.rFonts.get(
        f"{{{names._r.rPr.rFonts.nsmap['w']}}}eastAsia") or "")


@pytest.mark.skipif(not HAVE_LIBREOFFICE, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_prints_every_character_of_the_docx(built: Path, tmp_path: Path):
    pdf = libreoffice_pdf(built / "demo.zh.docx", tmp_path)
    flat = "".join(pdf_text(pdf).split())
    for char in NAMES + SYMBOLS.replace(" ", "").replace("\ufe0f", "") + "👨💻":
        assert char in flat, char
    fonts = pdf_fonts(pdf)
    assert all(embedded for _, embedded in fonts), fonts
    names = {name.split("+")[-1] for name, _ in fonts}
    assert "NotoEmoji-Regular" in names, names
    assert not any("DejaVu" in name or "Liberation" in name for name in names), names
