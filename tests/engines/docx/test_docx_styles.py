"""The DOCX engine styles every paragraph with a real Word style from the reference."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from builder.engines.docx import render
from builder.engines.docx.reference import build_reference
from builder.themes import available_themes, load_theme
from tests.engines.docx.docx_xml import NS, w, xml
from tests.sample_document import sample_document

ALLOWED = {
    "Title", "Subtitle", "Title Secondary", "Subtitle Secondary", "Cover Meta", "TOC Heading",
    "toc 1", "toc 2", "Heading 1", "Heading 2", "Heading Secondary", "Normal", "Note",
    "List Bullet", "List Bullet 2", "Bilingual Secondary", "Bilingual Secondary List",
    "Bilingual Secondary List 2", "Caption", "Caption Secondary", "Figure Source", "Figure",
    "Figure Placeholder", "Key Findings Title", "Key Findings", "Key Findings Secondary",
    "KPI Value", "KPI Label", "KPI Label Secondary", "Table Text", "Table Header",
    "Table Text Secondary", "Reference", "Reference Secondary",
}


def _all_paragraphs(document: docx.document.Document) -> list:
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    return paragraphs


@pytest.mark.parametrize("edition", ["zh", "en", "bilingual"])
def test_every_paragraph_uses_a_named_engine_style(docx_bytes, edition):
    document = docx.Document(io.BytesIO(docx_bytes[edition]))
    names = {p.style.name for p in _all_paragraphs(document)}
    assert names <= ALLOWED, names - ALLOWED
    assert {"Title", "Heading 1", "Heading 2", "List Bullet", "Caption", "Key Findings",
            "toc 1", "Table Text", "Reference"} <= names


def test_blocks_map_to_the_expected_styles(docx_bytes):
    document = docx.Document(io.BytesIO(docx_bytes["zh"]))
    by_text = {p.text: p.style.name for p in _all_paragraphs(document) if p.text}
    assert by_text["执行摘要"] == "Heading 1"
    assert by_text["市场规模与增长"] == "Heading 2"
    assert by_text["2023年NVIDIA数据中心收入40%来自推理"] == "List Bullet 2"
    assert by_text["关键发现"] == "Key Findings Title"
    assert by_text["本报告基于2024–2025年最新市场数据和行业研究编制"] == "Note"  # a range: –
    assert by_text["图 1\u3000DGX H100实例每小时成本对比"] == "Caption"
    assert by_text["表 1\u3000主要竞争维度"] == "Caption"
    assert document.paragraphs[0].style.name == "Title"


def test_english_half_of_a_pair_uses_the_secondary_styles(docx_bytes):
    document = docx.Document(io.BytesIO(docx_bytes["bilingual"]))
    by_text = {p.text: p.style.name for p in _all_paragraphs(document) if p.text}
    assert by_text["Executive summary"] == "Heading Secondary"
    assert by_text["The GPU compute market is growing at an unprecedented pace, from USD 3.17 "
                   "billion in 2023 to USD 47.24 billion in 2032, a compound annual growth "
                   "rate of 35%."] == "Bilingual Secondary"
    assert by_text["From training to inference"] == "Bilingual Secondary List"
    assert by_text["Figure 1: Hourly cost of a DGX H100 instance"] == "Caption Secondary"
    assert by_text["Key findings"] == "Key Findings Secondary"
    assert by_text["Cost"] == "Table Text Secondary"


@pytest.mark.parametrize("edition", ["zh", "en", "bilingual"])
def test_body_runs_carry_no_direct_font_size_colour_or_font(docx_bytes, edition):
    root = xml(docx_bytes[edition], "word/document.xml")
    for rpr in root.iter(w("rPr")):
        assert rpr.find(w("sz")) is None and rpr.find(w("szCs")) is None
        assert rpr.find(w("color")) is None
        fonts = rpr.find(w("rFonts"))
        if fonts is not None:  # only the East Asian font, never a Latin override
            assert set(fonts.attrib) <= {w("eastAsia"), w("hint")}


def test_tables_use_the_theme_table_style_with_a_repeated_header(docx_bytes):
    root = xml(docx_bytes["zh"], "word/document.xml")
    tables = root.findall(".//w:tbl", NS)
    styles = [t.find("w:tblPr/w:tblStyle", NS).get(w("val")) for t in tables]
    assert styles == ["KPITable", "ReportTable"]
    data = tables[1]
    rows = data.findall("w:tr", NS)
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
    look = data.find("w:tblPr/w:tblLook", NS)
    assert look.get(w("firstRow")) == "1" and look.get(w("noHBand")) == "0"
    second_column = [r.findall("w:tc", NS)[1] for r in rows]
    assert all(tc.find("w:p/w:pPr/w:jc", NS).get(w("val")) == "right" for tc in second_column)
    assert rows[1].findall("w:tc", NS)[0].find("w:p/w:pPr/w:jc", NS) is None


@pytest.mark.parametrize("name", available_themes())
def test_committed_reference_matches_the_generator(name):
    theme = load_theme(name)
    committed = theme.path.parent / "reference.docx"
    assert committed.read_bytes() == build_reference(theme), \
        "run `python -m builder.engines.docx.reference` and commit the result"


def test_reference_has_every_required_style():
    document = docx.Document(io.BytesIO(build_reference(load_theme("default"))))
    names = {s.name for s in document.styles}
    assert {"Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3",
            "List Bullet", "List Bullet 2", "List Number", "List Number 2", "Caption",
            "Key Findings", "Bilingual Secondary", "Report Table", "toc 1", "toc 2",
            "toc 3"} <= names


def test_a_user_reference_docx_restyles_the_output(tmp_path: Path):
    reference = docx.Document(io.BytesIO(build_reference(load_theme("default"))))
    reference.styles["Heading 1"].font.size = docx.shared.Pt(31)
    path = tmp_path / "company.docx"
    reference.save(path)
    out = render(sample_document("zh"), load_theme("default"), reference_docx=path)
    styles = docx.Document(io.BytesIO(out)).styles
    assert styles["Heading 1"].font.size == docx.shared.Pt(31)


def test_a_foreign_reference_gains_the_missing_styles_and_loses_theme_fonts(tmp_path: Path):
    path = tmp_path / "plain.docx"
    docx.Document().save(path)  # python-docx's template: theme fonts, no custom styles
    out = render(sample_document("bilingual"), load_theme("default"), reference_docx=path)
    document = docx.Document(io.BytesIO(out))
    names = {s.name for s in document.styles}
    assert {"Bilingual Secondary", "Key Findings", "Report Table"} <= names
    styles_xml = xml(out, "word/styles.xml")
    for fonts in styles_xml.iter(w("rFonts")):
        assert not {w("asciiTheme"), w("hAnsiTheme"), w("eastAsiaTheme"), w("cstheme")} \
            & set(fonts.attrib)
    defaults = styles_xml.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert defaults.get(w("eastAsia")) == "Noto Sans SC"
