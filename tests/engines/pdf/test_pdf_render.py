"""The PDF engine read back with poppler and pypdf: text, fonts, navigation, repeatability."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from builder.engines.pdf import render
from builder.engines.pdf.linebreak import CLOSING
from builder.locale import typography
from builder.model.document import (
    ChartImage,
    Document,
    Heading,
    Pair,
    Paragraph,
    Span,
    plain_text,
)
from builder.themes import Theme, load_theme
from tests.engines.pdf.texts import SEED_ZH
from tests.sample_document import sample_document

THEME = load_theme("default")


def make_chart(folder: Path) -> ChartImage:
    """Return a small bar chart recorded as a drawing (in a font the theme lacks) and a PNG."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from builder.charts.vector import record

    with matplotlib.rc_context({"font.family": "DejaVu Sans"}):
        fig = Figure(figsize=(5, 2.5), layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.bar(["Hyperscalers", "Neoclouds", "Serverless"], [98, 34, 2.85])
        ax.set_ylabel("USD per hour")
        (folder / "cost.drawing.json").write_text(json.dumps(record(fig)), encoding="utf-8")
        fig.savefig(folder / "cost.png", dpi=72)
    return ChartImage(folder / "cost.pdf", folder / "cost.png", None, 360, 180,
                      folder / "cost.drawing.json")


def with_cross_references(document: Document) -> Document:
    """Return `document` with a paragraph linking to the figure, the table and a missing id."""
    extra = Paragraph("xref", (Span("详见"), Span("图 1", href="#fig-cost"), Span("与"),
                               Span("表 1", href="#competition"), Span("；缺失目标"),
                               Span("不链接", href="#no-such-id"), Span("。")), "zh-CN")
    return dataclasses.replace(document, blocks=(*document.blocks, extra))


@pytest.fixture(scope="module")
def chart(tmp_path_factory: pytest.TempPathFactory) -> ChartImage:
    return make_chart(tmp_path_factory.mktemp("chart"))


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory, chart: ChartImage) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pdf")
    out = {}
    for edition in ("zh", "en", "bilingual"):
        document = sample_document(edition, chart)
        if edition == "zh":
            document = with_cross_references(document)
        out[edition] = folder / f"{edition}.pdf"
        out[edition].write_bytes(render(document, THEME))
    return out


def poppler(tool: str, *args: str) -> str:
    return subprocess.run([tool, *args], capture_output=True, text=True, check=True).stdout


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_chinese_text_extracts_with_pdftotext(pdfs):
    text = squash(poppler("pdftotext", str(pdfs["zh"]), "-"))
    for block in sample_document("zh").blocks:
        if isinstance(block, Paragraph | Heading):
            assert squash(typography.chinese(plain_text(block.text))) in text


def test_english_edition_has_no_han_characters(pdfs):
    text = poppler("pdftotext", str(pdfs["en"]), "-")
    assert not re.search(r"[\u4e00-\u9fff]", text)
    assert "USD 3.17 billion" in text


@pytest.mark.parametrize("edition", ["zh", "en", "bilingual"])
def test_every_font_is_embedded_and_none_is_helvetica(pdfs, edition):
    rows = poppler("pdffonts", str(pdfs[edition])).splitlines()[2:]
    assert rows
    for row in rows:
        assert "Helvetica" not in row
        assert row.split()[-5] == "yes", row  # the emb column


def images(path: Path) -> list:
    return [x for page in PdfReader(str(path)).pages
            for x in (page["/Resources"].get("/XObject") or {}).values()
            if x.get_object()["/Subtype"] == "/Image"]


def test_the_chart_is_drawn_as_vector_with_searchable_text(pdfs):
    assert not images(pdfs["zh"])  # the logo-less default theme draws no picture at all
    assert "USD per hour" in poppler("pdftotext", str(pdfs["zh"]), "-")
    assert "DejaVuSans" in poppler("pdffonts", str(pdfs["zh"]))  # the chart's own face


def test_a_chart_without_a_readable_drawing_is_drawn_from_its_png(chart, tmp_path):
    broken = tmp_path / "broken.drawing.json"
    broken.write_text("[1, 2", encoding="utf-8")
    for drawing in (None, broken):
        image = dataclasses.replace(chart, drawing_path=drawing)
        path = tmp_path / "fallback.pdf"
        path.write_bytes(render(sample_document("en", image), THEME))
        assert len(images(path)) == 1
        assert "USD per hour" not in poppler("pdftotext", str(path), "-")


def flatten_outline(reader: PdfReader, items: list, level: int = 0) -> list[tuple[str, int, int]]:
    out = []
    for item in items:
        if isinstance(item, list):
            out += flatten_outline(reader, item, level + 1)
        else:
            out.append((item.title, level, reader.get_destination_page_number(item) + 1))
    return out


def headings(document: Document) -> list[tuple[str, int]]:
    return [(plain_text(b.text), b.level - 1) for b in document.blocks if isinstance(b, Heading)]


@pytest.mark.parametrize("edition", ["zh", "en", "bilingual"])
def test_outline_mirrors_the_heading_tree(pdfs, edition):
    reader = PdfReader(str(pdfs[edition]))
    outline = flatten_outline(reader, reader.outline)
    assert [(title, level) for title, level, _ in outline] == headings(sample_document(edition))


@pytest.mark.parametrize("edition", ["zh", "en", "bilingual"])
def test_contents_page_numbers_are_the_pages_the_headings_land_on(pdfs, edition):
    reader = PdfReader(str(pdfs[edition]))
    contents = poppler("pdftotext", "-layout", "-f", "2", "-l", "2", str(pdfs[edition]), "-")
    secondary = {plain_text(b.text): plain_text(b.secondary)
                 for b in sample_document(edition).blocks
                 if isinstance(b, Heading) and b.secondary}
    for title, _, page in flatten_outline(reader, reader.outline):
        # A bilingual entry carries the English title after the Chinese one.
        entry = re.escape(title)
        if title in secondary:
            entry += r"\s+" + re.escape(secondary[title])
        match = re.search(entry + r"\s+(\d+)\s*$", contents, re.M)
        assert match, title
        # The entry shows the number the heading's page prints, its page label: the cover is
        # "封面"/"Cover" and numbering starts at 1 on the page after it.
        assert match.group(1) == reader.page_labels[page - 1] == str(page - 1)
        on_page = poppler("pdftotext", "-f", str(page), "-l", str(page), str(pdfs[edition]), "-")
        assert squash(title) in squash(on_page)


def test_every_internal_link_resolves_and_missing_targets_are_plain_text(pdfs):
    reader = PdfReader(str(pdfs["zh"]))
    pages = {page.indirect_reference.idnum for page in reader.pages}
    internal = external = 0
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if "/Dest" in annotation:
                internal += 1
                assert annotation["/Dest"][0].idnum in pages
            else:
                external += 1
                assert annotation["/A"]["/URI"].startswith("https://")
    assert internal == 2 + 2  # two contents entries, figure and table references
    assert external == 1


def test_footer_says_page_x_of_y(pdfs):
    zh = poppler("pdftotext", "-f", "2", "-l", "2", str(pdfs["zh"]), "-")
    # The cover has no number: the contents page (the second) is page 1 of the pages after it.
    total = len(PdfReader(str(pdfs["zh"])).pages) - 1
    assert f"第1页/共{total}页" in squash(zh)  # pdftotext drops spaces next to Han
    en = poppler("pdftotext", "-f", "2", "-l", "2", str(pdfs["en"]), "-")
    assert f"Page 1 of {len(PdfReader(str(pdfs['en'])).pages) - 1}" in en


def test_cover_has_no_running_header_or_footer(pdfs):
    cover = poppler("pdftotext", "-f", "1", "-l", "1", str(pdfs["zh"]), "-")
    assert "页" not in cover
    assert "GPU算力市场分析报告" in squash(cover)  # a quarter em after "GPU" extracts as a space


def test_metadata_is_set_from_the_document(pdfs):
    reader = PdfReader(str(pdfs["zh"]))
    meta = reader.metadata
    assert meta.title == "GPU算力市场分析报告"
    assert meta["/Keywords"] == "GPU, compute"
    assert meta["/CreationDate"].startswith("D:20250630")
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"


def test_two_renders_are_byte_identical(chart):
    document = sample_document("bilingual", chart)
    assert render(document, THEME) == render(document, THEME)


def test_bilingual_columns_layout_renders_differently():
    document = sample_document("bilingual")
    stacked = render(document, THEME)
    columns = render(document, THEME, bilingual_layout="columns")
    assert stacked != columns
    text = squash(poppler_bytes(columns))
    assert "GPUcomputemarketisgrowing" in text and "GPU算力市场正经历" in text


def poppler_bytes(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


def long_document() -> Document:
    base = sample_document("zh")
    paragraphs = tuple(Paragraph(f"long-{i}", (Span("".join(SEED_ZH)),), "zh-CN")
                       for i in range(4))
    return dataclasses.replace(base, blocks=(*base.blocks[:1], *paragraphs, *base.blocks[1:]))


def theme_with_margin(theme: Theme, margin_mm: float) -> Theme:
    page = dataclasses.replace(theme.page, margin_left_mm=margin_mm, margin_right_mm=margin_mm)
    return dataclasses.replace(theme, page=page)


@pytest.mark.parametrize("margin_mm", [15, 22, 31, 44, 58])
def test_no_extracted_line_starts_with_closing_punctuation(margin_mm):
    data = render(long_document(), theme_with_margin(THEME, margin_mm))
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()
    bad = [line for line in text.splitlines() if line.strip() and line.strip()[0] in CLOSING]
    assert bad == []


def test_a_long_paragraph_splits_across_pages_without_losing_text():
    document = long_document()
    many = tuple(Paragraph(f"p{i}", (Span("".join(SEED_ZH) * 2),), "zh-CN") for i in range(6))
    document = dataclasses.replace(document, blocks=(*document.blocks, *many))
    # The text area only: a paragraph split across pages must read on without the running
    # header and footer between its halves.
    page = THEME.page
    top, height = page.margin_top_mm * 72 / 25.4 - 4, page.height_pt - (
        page.margin_top_mm + page.margin_bottom_mm) * 72 / 25.4 + 8
    text = squash(subprocess.run(
        ["pdftotext", "-x", "0", "-y", f"{top:.0f}", "-W", f"{page.width_pt:.0f}",
         "-H", f"{height:.0f}", "-", "-"], input=render(document, THEME), capture_output=True,
        check=True).stdout.decode())
    assert text.count(squash(typography.chinese("".join(SEED_ZH) * 2))) >= 1
    assert text.count(squash(typography.chinese(SEED_ZH[3]))) == 4 + 6 * 2


def test_pair_blocks_render_both_languages():
    document = sample_document("bilingual")
    assert any(isinstance(b, Pair) for b in document.blocks)
    text = squash(poppler_bytes(render(document, THEME)))
    assert "ExecutiveSummary".lower() in text.lower() and "执行摘要" in text
