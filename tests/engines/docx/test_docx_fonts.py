"""Fonts and languages of the DOCX live in the styles: the document defaults and a few base
styles name them, every other style and every run inherits (runs only say `w:hint`), and no
theme font attribute survives. Changing a style's East Asian font in Word changes the text."""

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


def test_only_the_defaults_and_the_base_styles_name_fonts(docx_bytes):
    from builder.engines.docx.styles import FONT_STYLES

    styles = xml(docx_bytes["zh"], "word/styles.xml")
    naming = {style.get(w("styleId")) for style in styles.findall("w:style", NS)
              if style.find("w:rPr/w:rFonts", NS) is not None}
    # Code styles name their monospaced Latin face only; East Asian text in code inherits.
    code = {"InlineCode", "SourceCode"}
    assert naming == set(FONT_STYLES) | code
    for style in styles.findall("w:style", NS):
        if style.get(w("styleId")) in code:
            fonts = style.find("w:rPr/w:rFonts", NS)
            assert fonts.get(w("ascii")) == "Noto Sans Mono" and fonts.get(w("eastAsia")) is None
    for style in styles.findall("w:style", NS):
        if style.get(w("styleId")) in FONT_STYLES:
            assert style.find("w:rPr/w:rFonts", NS).get(w("eastAsia")) == "Noto Sans SC"
            assert style.find("w:rPr/w:lang", NS).get(w("eastAsia")) == "zh-CN"


@pytest.mark.parametrize("edition", ["zh", "en", "bilingual"])
@pytest.mark.parametrize("name", ["word/document.xml", "word/numbering.xml",
                                  "word/header2.xml", "word/footer2.xml"])
def test_no_theme_font_attribute_survives(docx_bytes, edition, name):
    """Only styles point at theme fonts (where the theme's faces are ours, below)."""
    try:
        text = part(docx_bytes[edition], name)
    except KeyError:
        pytest.skip(f"{name} not in the package")
    for attr in THEME_ATTRS:
        assert f"w:{attr}=" not in text


@pytest.mark.parametrize("edition", ["zh", "en", "bilingual"])
def test_runs_name_no_font_and_no_language_only_the_east_asian_hint(docx_bytes, edition):
    data = docx_bytes[edition]
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = [n for n in archive.namelist() if n.startswith(("word/header", "word/footer"))
                 or n in ("word/document.xml", "word/comments.xml")]
    chinese = 0
    for name in names:
        for run in xml(data, name).iter(w("r")):
            text = "".join(t.text or "" for t in run.findall("w:t", NS))
            fonts = run.find("w:rPr/w:rFonts", NS)
            assert run.find("w:rPr/w:lang", NS) is None, (name, text)
            named = {k for k in (fonts.attrib if fonts is not None else {}) if k != w("hint")}
            if named:  # only a fallback face (symbols, emoji) the styles cannot give
                assert not has_cjk(text) and fonts.get(w("eastAsia")) != "Noto Sans SC", text
            if has_cjk(text):
                chinese += 1
                assert fonts is not None and fonts.get(w("hint")) == "eastAsia", (name, text)
    assert chinese == 0 if edition == "en" else chinese > 40


def test_the_english_defaults_are_british(docx_bytes):
    styles = xml(docx_bytes["en"], "word/styles.xml")
    assert styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS).get(w("val")) == "en-GB"


@pytest.mark.parametrize("path", sorted(ROOT_FONTS.glob("*.ttf")), ids=lambda p: p.name)
def test_family_names_read_from_the_name_table_match_fonttools(path):
    from fontTools.ttLib import TTFont

    from builder.engines.docx.fontnames import family_of_file

    with TTFont(path, lazy=True) as font:
        expected = font["name"].getDebugName(16) or font["name"].getDebugName(1)
    assert family_of_file(path) == expected


def _with_east_asian_font(data: bytes, style_id: str, family: str) -> bytes:
    """Return the DOCX `data` with the East Asian font of style `style_id` (or of the document
    defaults, for Normal's text) set to `family`, as an editor does in Word's style dialog."""
    import re
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            payload = src.read(item.filename)
            if item.filename == "word/styles.xml":
                text = payload.decode("utf-8")
                start = text.index(f'w:styleId="{style_id}"')
                end = text.index("</w:style>", start)
                style = re.sub(r'w:eastAsia="Noto Sans SC"', f'w:eastAsia="{family}"',
                               text[start:end], count=1)
                # Word's style dialog drops the theme font the name replaces.
                style = re.sub(r' w:eastAsiaTheme="[A-Za-z]+"', "", style, count=1)
                assert style != text[start:end], f"{style_id} names no East Asian font"
                payload = (text[:start] + style + text[end:]).encode("utf-8")
            dst.writestr(item, payload)
    return out.getvalue()


@pytest.mark.parametrize("style_id", ["Heading1", "Normal"])
def test_changing_a_styles_east_asian_font_changes_its_chinese_text(
        docx_bytes, style_id: str, tmp_path: Path):
    from tests.libreoffice import (
        HAVE_LIBREOFFICE,
        libreoffice_pdf,
        renamed_font,
        text_by_font,
    )

    if not HAVE_LIBREOFFICE:
        pytest.skip("LibreOffice is not installed")
    font = renamed_font(ROOT_FONTS / "NotoSansSC-Regular.ttf", "Test Han Sans",
                        tmp_path / "TestHanSans.ttf")
    edited = tmp_path / "edited.docx"
    edited.write_bytes(_with_east_asian_font(docx_bytes["zh"], style_id, "Test Han Sans"))
    drawn = text_by_font(libreoffice_pdf(edited, tmp_path / "lo", (font,)))
    changed = drawn.get("TestHanSans-Regular", "")
    kept = "".join(text for name, text in drawn.items() if name.startswith("NotoSansSC"))
    heading = "执行摘要"  # the sample's level-1 heading
    body = "算力市场正经历前所未有的增长"  # a body paragraph (Normal)
    if style_id == "Heading1":
        assert heading in changed and "目录" in changed, drawn  # TOC Heading is based on it
        assert body not in changed and body in kept
    else:
        assert body in changed, drawn
        assert heading in drawn["NotoSansSC-Bold"]  # a heading names its own font


def test_the_fonts_travel_embedded_subset_and_obfuscated(docx_bytes):
    import zipfile

    from builder.engines.docx.embedding import obfuscate

    data = docx_bytes["zh"]
    table = xml(data, "word/fontTable.xml")
    embedded = {f.get(w("name")): [e.tag.split("}")[1] for e in f if e.tag.startswith(
        w("embed"))] for f in table.findall("w:font", NS)}
    assert embedded["Noto Sans SC"] == ["embedRegular", "embedBold"]
    assert embedded["Noto Sans"] == ["embedRegular", "embedBold", "embedItalic",
                                     "embedBoldItalic"]
    assert table.find("w:font/w:altName", NS).get(w("val")) == "Noto Sans CJK SC"
    settings = xml(data, "word/settings.xml")
    assert settings.find("w:embedTrueTypeFonts", NS) is not None
    key = table.find("w:font[@w:name='Noto Sans SC']/w:embedRegular", NS).get(w("fontKey"))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(n for n in archive.namelist() if n.endswith(".odttf"))
        assert len(names) == 6
        sizes = {n: archive.getinfo(n).file_size for n in names}
        font = obfuscate(archive.read(names[-2]), key)  # the 5th is Noto Sans SC Regular
    assert font[:4] == b"\x00\x01\x00\x00"  # a TrueType font again once the key is applied
    assert max(sizes.values()) < 400_000  # subset: the full face is 10.5 MB


def test_libreoffice_without_noto_fonts_draws_with_the_embedded_ones(docx_bytes,
                                                                      tmp_path: Path):
    from tests.libreoffice import HAVE_LIBREOFFICE, libreoffice_pdf, pdf_fonts

    if not HAVE_LIBREOFFICE:
        pytest.skip("LibreOffice is not installed")
    path = tmp_path / "zh.docx"
    path.write_bytes(docx_bytes["zh"])
    names = {name.split("+")[-1] for name, _ in
             pdf_fonts(libreoffice_pdf(path, tmp_path / "lo", bundled=False))}
    assert {"NotoSansSC-Regular", "NotoSansSC-Bold", "NotoSans-Regular"} <= names, names
    assert not any(n.startswith("DejaVu") for n in names), names  # no stand-in face


def test_a_font_whose_licence_forbids_embedding_is_not_embedded(tmp_path: Path):
    from fontTools.ttLib import TTFont

    from builder.engines.docx.embedding import embeddable

    source = ROOT_FONTS / "NotoSans-Regular.ttf"
    assert embeddable(source)  # OFL: installable
    for flag in (0x0002, 0x0100):  # restricted licence; no subsetting
        font = TTFont(str(source))
        font["OS/2"].fsType = flag
        target = tmp_path / f"restricted-{flag}.ttf"
        font.save(str(target))
        assert not embeddable(target)


def test_the_styles_take_their_fonts_from_the_theme_for_design_fonts(docx_bytes):
    """Word's Design ▸ Fonts changes the theme's fonts: the font-naming styles point at them
    (body fonts for the defaults and Normal, heading fonts for Title and the headings), and
    each theme font is the face named beside it, so no reader sees another font."""
    data = docx_bytes["zh"]
    theme = xml(data, "word/theme/theme1.xml")
    a = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    faces = {kind: {script: theme.find(f".//a:{kind}Font/a:{script}", a).get("typeface")
                    for script in ("latin", "ea")} for kind in ("major", "minor")}
    styles = xml(data, "word/styles.xml")
    expected = {"Normal": "minor", "Title": "major", "Heading1": "major", "Heading2": "major"}
    found = {"docDefaults": styles.find("w:docDefaults//w:rFonts", NS)}
    found |= {sid: styles.find(f"w:style[@w:styleId='{sid}']/w:rPr/w:rFonts", NS)
              for sid in expected}
    for name, fonts in found.items():
        kind = expected.get(name, "minor")
        assert fonts.get(w("asciiTheme")) == fonts.get(w("hAnsiTheme")) == f"{kind}HAnsi", name
        assert fonts.get(w("eastAsiaTheme")) == f"{kind}EastAsia", name
        assert fonts.get(w("ascii")) == faces[kind]["latin"] == "Noto Sans"
        assert fonts.get(w("eastAsia")) == faces[kind]["ea"] == "Noto Sans SC"
    # Every theme font in the styles resolves to the face named beside it (none is the
    # reference's Calibri or 等线).
    for fonts in styles.iter(w("rFonts")):
        for attr, script, explicit in (("asciiTheme", "latin", "ascii"),
                                       ("eastAsiaTheme", "ea", "eastAsia")):
            if fonts.get(w(attr)):
                kind = fonts.get(w(attr)).removesuffix("HAnsi").removesuffix("EastAsia")
                assert faces[kind][script] == fonts.get(w(explicit)), fonts.attrib
