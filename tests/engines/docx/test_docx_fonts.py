"""Chinese text in the DOCX carries an East Asian font and zh-CN language, never theme fonts."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from builder.engines.docx import render
from builder.engines.docx.ooxml import has_cjk
from builder.themes import load_theme
from tests.engines.docx.docx_xml import NS, part, w, xml
from tests.sample_document import sample_document

THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
ROOT_FONTS = Path(__file__).resolve().parents[3] / "assets" / "fonts"


def test_document_defaults_name_both_fonts_and_the_east_asian_language(docx_bytes):
    styles = xml(docx_bytes["zh"], "word/styles.xml")
    rpr = styles.find("w:docDefaults/w:rPrDefault/w:rPr", NS)
    fonts = rpr.find("w:rFonts", NS)
    assert fonts.get(w("eastAsia")) == "Noto Sans SC"
    assert fonts.get(w("ascii")) == fonts.get(w("hAnsi")) == "Noto Sans"
    assert rpr.find("w:lang", NS).get(w("eastAsia")) == "zh-CN"


def test_classic_theme_uses_its_serif_latin_font():
    out = render(sample_document("en"), load_theme("classic"))
    fonts = xml(out, "word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
    assert fonts.get(w("ascii")) == "Noto Serif"
    assert fonts.get(w("eastAsia")) == "Noto Sans SC"


def test_every_text_style_carries_the_east_asian_font_and_language(docx_bytes):
    styles = xml(docx_bytes["zh"], "word/styles.xml")
    checked = 0
    for style in styles.findall("w:style", NS):
        if style.get(w("type")) not in ("paragraph", "character", "table"):
            continue
        rpr = style.find("w:rPr", NS)
        assert rpr.find("w:rFonts", NS).get(w("eastAsia")) == "Noto Sans SC", \
            style.get(w("styleId"))
        assert rpr.find("w:lang", NS).get(w("eastAsia")) == "zh-CN"
        checked += 1
    assert checked > 30


@pytest.mark.parametrize("edition", ["zh", "en", "bilingual"])
@pytest.mark.parametrize("name", ["word/styles.xml", "word/document.xml", "word/numbering.xml",
                                  "word/header2.xml", "word/footer2.xml"])
def test_no_theme_font_attribute_survives(docx_bytes, edition, name):
    try:
        text = part(docx_bytes[edition], name)
    except KeyError:
        pytest.skip(f"{name} not in the package")
    for attr in THEME_ATTRS:
        assert f"w:{attr}=" not in text


@pytest.mark.parametrize("edition", ["zh", "bilingual"])
def test_every_chinese_run_has_the_east_asian_font_and_language(docx_bytes, edition):
    root = xml(docx_bytes[edition], "word/document.xml")
    chinese = 0
    for run in root.iter(w("r")):
        text = "".join(t.text or "" for t in run.findall("w:t", NS))
        if not has_cjk(text):
            continue
        chinese += 1
        fonts = run.find("w:rPr/w:rFonts", NS)
        assert fonts is not None and fonts.get(w("eastAsia")) == "Noto Sans SC", text
        assert fonts.get(w("hint")) == "eastAsia"
        assert run.find("w:rPr/w:lang", NS).get(w("eastAsia")) == "zh-CN", text
    assert chinese > 40


def test_english_runs_carry_no_east_asian_markup(docx_bytes):
    root = xml(docx_bytes["en"], "word/document.xml")
    assert root.find(".//w:rFonts", NS) is None


def test_chinese_in_comments_headers_and_footers_is_marked(docx_bytes):
    data = docx_bytes["zh"]
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if n.startswith("word/header")
                 or n.startswith("word/footer")]
    texts = [part(data, n) for n in names]
    assert any("仅供内部参考" in t for t in texts)
    for text in texts:
        if "仅供内部参考" in text:
            assert 'w:eastAsia="Noto Sans SC"' in text


@pytest.mark.parametrize("path", sorted(ROOT_FONTS.glob("*.ttf")), ids=lambda p: p.name)
def test_family_names_read_from_the_name_table_match_fonttools(path):
    from fontTools.ttLib import TTFont

    from builder.engines.docx.fontnames import _family_from_file

    with TTFont(path, lazy=True) as font:
        expected = font["name"].getDebugName(16) or font["name"].getDebugName(1)
    assert _family_from_file(path) == expected
