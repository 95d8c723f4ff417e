"""`image` blocks: PNG, JPEG and SVG files placed as numbered figures in the PDF and the DOCX."""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.helpers import cli, demo_report, edit, line_of
from tests.libreoffice import pdf_text

SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 160" width="400" height="160">
  <style>.t { font-family: Arial, sans-serif; font-size: 18px; }</style>
  <rect x="10" y="10" width="180" height="140" rx="12" fill="#1f3a5f"/>
  <text x="100" y="80" class="t" fill="#ffffff" text-anchor="middle">推理平台</text>
  <text x="300" y="80" font-family="Helvetica" font-size="18" font-weight="bold">GPU Cloud</text>
</svg>
"""

BLOCKS = """
  - image: fig-racks
    file: images/racks.png
    width: 0.8
    caption: {zh: 数据中心机柜, en: Data-centre racks}
    source: {zh: 来源：示例, en: 'Source: sample'}
    alt: {zh: 一排机柜。, en: A row of racks.}

  - paragraph: see-platform
    zh: 平台结构见[图 3](#fig-platform)。
    en: See [Figure 3](#fig-platform).

  - image: fig-platform
    file: images/platform.svg
    caption: {zh: 推理平台结构, en: Structure of the platform}
    alt: {zh: 推理平台的方框图。, en: A box diagram of the platform.}

  - image: fig-photo
    file: images/photo.jpg
    width: 60mm
    caption: {zh: 照片, en: A photo}
"""


def _png(path: Path, size: tuple[int, int], dpi: float | None = 150) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, "#dfe8f2")
    ImageDraw.Draw(image).rectangle([size[0] // 4, size[1] // 4, size[0] // 2, size[1]],
                                    fill="#1f3a5f")
    image.save(path, dpi=(dpi, dpi)) if dpi else image.save(path)


@pytest.fixture()
def report(tmp_path: Path) -> Path:
    from PIL import Image

    root = demo_report(tmp_path, BLOCKS)
    images = root / "images"
    images.mkdir()
    _png(images / "racks.png", (1200, 600))
    Image.new("RGB", (800, 600), "#e8a33d").save(images / "photo.jpg", quality=90)
    (images / "platform.svg").write_text(SVG, encoding="utf-8")
    return root


def test_images_are_numbered_figures_in_every_output(report: Path, tmp_path: Path):
    out = tmp_path / "dist"
    code, output = cli("build", str(report), "--out", str(out))
    assert code == 0, output
    folder = out / "demo"
    for edition in ("zh", "en", "bilingual"):
        pdf = folder / f"demo.{edition}.pdf"
        text = " ".join(pdf_text(pdf).split())
        # The SVG is drawn as vectors: its text is text, in the theme's font.
        assert "推理平台" in text and "GPU Cloud" in text, text
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        rows = fonts.splitlines()[2:]
        assert rows and all(" yes yes " in row for row in rows), fonts  # all embedded, subset
        assert "Helvetica" not in fonts and "DejaVu" not in fonts, fonts
        images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True,
                                text=True).stdout.splitlines()[2:]
        sizes = sorted((int(r.split()[3]), int(r.split()[4])) for r in images)
        assert sizes == [(800, 600), (1200, 600)], images  # the PNG and the JPEG, as they are
    zh = " ".join(pdf_text(folder / "demo.zh.pdf").split())
    assert "图 2 数据中心机柜" in zh and "图 3 推理平台结构" in zh and "图 4 照片" in zh, zh
    assert "平台结构见图 3。" in zh
    en = " ".join(pdf_text(folder / "demo.en.pdf").split())
    assert "Figure 3 Structure of the platform" in en and "See Figure 3." in en, en


def test_the_docx_embeds_each_image_at_its_width_and_the_svg_with_a_png_fallback(
        report: Path, tmp_path: Path):
    import docx
    from docx.shared import Mm
    from openxml_audit import OpenXmlValidator
    from PIL import Image

    out = tmp_path / "dist"
    code, output = cli("build", str(report), "--out", str(out), "--format", "docx")
    assert code == 0, output
    path = out / "demo" / "demo.zh.docx"
    document = docx.Document(str(path))
    shapes = document.inline_shapes
    by_title = {s._inline.docPr.get("title"): s for s in shapes}
    photo, racks = by_title["照片"], by_title["数据中心机柜"]
    assert abs(photo.width - Mm(60)) < Mm(0.1)  # `width: 60mm`
    text_width = document.sections[0].page_width - document.sections[0].left_margin \
        - document.sections[0].right_margin
    assert abs(racks.width - 0.8 * text_width) < Mm(0.2)  # `width: 0.8`
    assert racks._inline.docPr.get("descr") == "一排机柜。"
    platform = by_title["推理平台结构"]
    assert abs(platform.width - Mm(400 * 0.75 * 25.4 / 72)) < Mm(0.2)  # its own size
    blip = platform._inline.xpath(".//a:blip")[0]
    svg_ids = blip.xpath(".//*[local-name()='svgBlip']/@r:embed")
    assert len(svg_ids) == 1
    part = document.part.related_parts[svg_ids[0]]
    assert part.content_type == "image/svg+xml" and b"Noto Sans SC" in part.blob
    fallback = document.part.related_parts[blip.get(
        "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")]
    with Image.open(io.BytesIO(fallback.blob)) as png:  # drawn at 220 dpi, not blank
        assert png.format == "PNG" and png.width == round(300 / 72 * 220)
        assert len(png.convert("L").getcolors(maxcolors=4096) or ()) > 10
    result = OpenXmlValidator().validate(str(path))
    assert result.error_count == 0, [str(e) for e in result.errors]
    with zipfile.ZipFile(path) as archive:
        assert sum(n.startswith("word/media/") for n in archive.namelist()) >= 4


def test_libreoffice_shows_the_svg_and_the_images(report: Path, tmp_path: Path):
    from tests.libreoffice import libreoffice_pdf

    out = tmp_path / "dist"
    assert cli("build", str(report), "--out", str(out), "--format", "docx",
               "--edition", "en")[0] == 0
    printed = libreoffice_pdf(out / "demo" / "demo.en.docx", tmp_path / "lo")
    images = subprocess.run(["pdfimages", "-list", str(printed)], capture_output=True,
                            text=True).stdout.splitlines()[2:]
    assert len(images) >= 2, images  # the PNG and the JPEG (the SVG may be vectors)
    pages = pdf_text(printed).split("\f")
    page = next(i for i, t in enumerate(pages, start=1) if "Figure 3: Structure" in t)
    # The SVG's dark blue box is on that page: LibreOffice drew the SVG (or its fallback).
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", str(page), "-l", str(page),
                    str(printed), str(tmp_path / "page")], check=True)
    from PIL import Image

    with Image.open(next(tmp_path.glob("page*.png"))) as shot:
        colours = shot.convert("RGB").getcolors(maxcolors=1 << 20) or []
    blue = sum(n for n, (r, g, b) in colours if abs(r - 31) < 12 and abs(g - 58) < 12
               and abs(b - 95) < 12)
    assert blue > 200, blue


def test_an_image_shown_larger_than_its_size_is_a_warning(report: Path):
    _png(report / "images" / "racks.png", (300, 150), dpi=None)
    code, output = cli("check", str(report))
    line = line_of(report / "sections" / "01-overview.yaml", "image: fig-racks")
    assert code == 0 and f"01-overview.yaml:{line}: warning: image 'fig-racks' is shown " \
        in output and "so it prints blurred" in output, output
    edit(report / "sections" / "01-overview.yaml", "    width: 0.8\n", "")
    code, output = cli("check", str(report))
    assert "fig-racks" not in output, output  # at its own size (300 px at 96 dpi) it is sharp


@pytest.mark.parametrize(("svg", "message"), [
    ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
     'width="10" height="10"><image xlink:href="file:///etc/passwd" width="5" height="5"/></svg>',
     "the SVG refers to 'file:///etc/passwd'"),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image '
     'href="../../secret.png" width="5" height="5"/></svg>', "the SVG refers to '../../secret"),
    ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
     '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&x;</text></svg>',
     "an SVG with a DOCTYPE is not allowed"),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)'
     '</script></svg>', "SVG <script> is not allowed"),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><style>@import '
     'url(http://example.com/a.css);</style></svg>', "SVG style sheets may not @import"),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="5" '
     'height="5" style="fill: url(http://example.com/x)"/></svg>', "only url(#id) is allowed"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect width="5" height="5"/></svg>',
     "the SVG has no size"),
    ("<html><body>not an svg</body></html>", "the file is not an SVG"),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect id="a" width="1" '
     'height="1"/><g id="b"><use href="#a"/><use href="#a"/></g><g id="c"><use href="#b"/>'
     '<use href="#b"/></g></svg>', "an SVG <use> of something that holds a <use> is not "
                                   "allowed"),
    ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect', "invalid SVG"),
])
def test_an_unsafe_or_broken_svg_is_a_located_error(report: Path, tmp_path: Path, svg: str,
                                                    message: str):
    (report / "images" / "platform.svg").write_text(svg, encoding="utf-8")
    out = tmp_path / "dist"
    code, output = cli("build", str(report), "--out", str(out), "--format", "pdf")
    assert code == 1 and "platform.svg:" in output and message in output, output
    assert not (out / "demo").exists() or not list((out / "demo").glob("*.pdf"))


def test_a_bad_image_file_or_path_is_a_located_error(report: Path):
    from PIL import Image

    section = report / "sections" / "01-overview.yaml"
    # A JPEG named .png, a decompression bomb, and paths that leave the folder or lead nowhere.
    Image.new("RGB", (20, 20)).save(report / "images" / "racks.png", format="JPEG")
    Image.new("1", (9000, 9000)).save(report / "images" / "photo.jpg", format="JPEG")
    code, output = cli("check", str(report))
    assert code == 1, output
    assert "racks.png: error: the file is a JPEG image, not PNG as its name says" in output
    assert "photo.jpg: error: the image has 81,000,000 pixels, more than 50,000,000" in output
    edit(section, "file: images/platform.svg", "file: ../../outside.svg")
    edit(section, "file: images/photo.jpg", "file: images/missing.jpg")
    edit(section, "file: images/racks.png", "file: images/notes.txt")
    code, output = cli("check", str(report))
    for needle, message in (("../../outside.svg", "image '../../outside.svg' is outside the "
                                                  "report folder"),
                            ("images/missing.jpg", "image file not found: images/missing.jpg"),
                            ("images/notes.txt", "image 'images/notes.txt' is not a PNG, JPEG or SVG file")):
        assert f"01-overview.yaml:{line_of(section, needle)}: error: {message}" in output, output


@pytest.mark.parametrize(("width", "ok"), [("0.5", True), ("40mm", True), ("1.5", False),
                                           ("'wide'", False), ("0", False)])
def test_an_image_width_is_a_share_or_millimetres(report: Path, width: str, ok: bool):
    edit(report / "sections" / "01-overview.yaml", "width: 0.8", f"width: {width}")
    code, output = cli("check", str(report))
    assert (code == 0) == ok, output
    if not ok:
        assert "width is a fraction of the text width from 0.1 to 1, or a length such as " \
               "60mm" in output


def test_svg_text_no_theme_font_covers_is_a_located_error(report: Path):
    edit(report / "images" / "platform.svg", "GPU Cloud", "GPU ⇑")
    code, output = cli("check", str(report))
    line = line_of(report / "sections" / "01-overview.yaml", "image: fig-platform")
    assert code == 1 and f"01-overview.yaml:{line}: error: the text of image 'fig-platform' " \
        f"has '⇑' (U+21D1)" in output, output
