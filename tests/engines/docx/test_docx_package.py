"""Block ids, comments, figures, core properties and byte-identical DOCX packages."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile

import docx
import pytest

from builder.engines.docx import render
from builder.engines.docx.context import bookmark_name
from builder.model.document import Callout, ListBlock, ListItem, Pair, References
from builder.themes import load_theme
from tests.engines.docx.docx_xml import NS, part, w, xml
from tests.sample_document import sample_document

WP_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"


def _ids(blocks) -> set[str]:
    ids: set[str] = set()

    def items(entries: tuple[ListItem, ...]) -> None:
        for item in entries:
            ids.add(item.id)
            items(item.children)

    for block in blocks:
        ids.add(block.id)
        if isinstance(block, Pair):
            ids.update(_ids((block.first, block.second)))
        if isinstance(block, ListBlock | Callout):
            items(block.items)
        if isinstance(block, References):
            ids.update(ref.id for ref in block.items)
    return ids


@pytest.mark.parametrize("edition", ["zh", "en", "bilingual"])
def test_every_block_id_travels_as_a_bookmark(docx_bytes, edition):
    root = xml(docx_bytes[edition], "word/document.xml")
    names = [b.get(w("name")) for b in root.iter(w("bookmarkStart"))]
    assert len(names) == len(set(names))
    expected = {bookmark_name(i) for i in _ids(sample_document(edition).blocks)}
    assert expected <= set(names), expected - set(names)
    ends = {e.get(w("id")) for e in root.iter(w("bookmarkEnd"))}
    assert {b.get(w("id")) for b in root.iter(w("bookmarkStart"))} == ends


@pytest.mark.parametrize("block_id, name", [
    ("fig-cost", "fig_cost"),
    ("summary", "summary"),
    ("a" * 40, "a" * 40),
])
def test_plain_ids_map_to_readable_bookmarks(block_id, name):
    assert bookmark_name(block_id) == name


@pytest.mark.parametrize("block_id", ["a_b", "2024-outlook", "市场", "x" * 41, "a.b", "-x"])
def test_other_ids_get_a_hashed_valid_bookmark(block_id):
    name = bookmark_name(block_id)
    assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,39}", name)
    assert name.startswith("id_")
    assert bookmark_name(block_id) == name


def test_bookmark_names_do_not_collide():
    ids = ["a-b", "a_b", "a.b", "a b", "x" * 41, "x" * 42, "市场", "市埸"]
    assert len({bookmark_name(i) for i in ids}) == len(ids)


def test_editor_notes_become_comments_on_their_block(docx_bytes):
    data = docx_bytes["zh"]
    document = docx.Document(io.BytesIO(data))
    comments = list(document.comments)
    assert [c.text for c in comments] == ["Check the 2032 figure."]
    assert comments[0].author == "report-builder"
    assert comments[0].timestamp == dt.datetime(2025, 6, 30, tzinfo=dt.UTC)
    body = document.element.body
    start = body.find(".//w:commentRangeStart", NS)
    paragraph = start.getparent()
    assert "GPU算力市场正经历前所未有的增长" in "".join(t.text for t in paragraph.iter(w("t")))
    assert body.find(".//w:commentReference", NS) is not None


def test_a_note_on_an_unknown_block_is_kept_on_the_title():
    doc = sample_document("en")
    doc = dataclasses.replace(doc, notes=(dataclasses.replace(doc.notes[0], block_id="gone"),))
    document = docx.Document(io.BytesIO(render(doc, load_theme("default"))))
    assert [c.text for c in document.comments] == ["[gone] Check the 2032 figure."]


def test_core_properties_come_from_the_document(docx_bytes):
    props = docx.Document(io.BytesIO(docx_bytes["zh"])).core_properties
    assert props.title == "GPU算力市场分析报告"
    assert props.subject == "Fireworks.ai、Modal与竞争格局研究"
    assert props.author == "Research team"
    assert props.keywords == "GPU, compute"
    assert props.language == "zh-CN"
    assert props.created == props.modified == dt.datetime(2025, 6, 30, tzinfo=dt.UTC)
    assert props.revision == 1


@pytest.mark.parametrize("edition", ["zh", "en", "bilingual"])
def test_the_same_document_renders_to_identical_bytes(docx_bytes, chart, edition):
    again = render(sample_document(edition, chart), load_theme("default"))
    assert again == docx_bytes[edition]


def test_the_package_has_fixed_timestamps_order_and_no_revision_ids(docx_bytes):
    data = docx_bytes["bilingual"]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        assert infos[0].filename == "[Content_Types].xml"
        assert [i.filename for i in infos[1:]] == sorted(i.filename for i in infos[1:])
        assert {i.date_time for i in infos} == {(2025, 6, 30, 0, 0, 0)}
        for info in infos:
            if info.filename.endswith(".xml"):
                text = archive.read(info).decode()
                assert "w:rsid" not in text and "w14:paraId" not in text


def test_charts_stand_at_their_natural_size_with_alt_text(docx_bytes, chart):
    data = docx_bytes["zh"]
    document = docx.Document(io.BytesIO(data))
    shapes = document.inline_shapes
    assert len(shapes) == 1
    section = document.sections[0]
    text_width = section.page_width - section.left_margin - section.right_margin
    natural = round(chart.width_pt * 12700)  # EMU
    assert natural < text_width  # the sample chart is narrower than the text
    assert abs(shapes[0].width - natural) < 12700  # never enlarged: lettering at its size
    assert abs(shapes[0].height / shapes[0].width - 172.8 / 288.0) < 0.01
    descr = document.element.body.find(f".//{WP_DOCPR}").get("descr")
    assert descr.startswith("柱状图：每小时成本")


def test_bilingual_chart_is_drawn_once_with_both_alt_texts(docx_bytes):
    document = docx.Document(io.BytesIO(docx_bytes["bilingual"]))
    assert len(document.inline_shapes) == 1
    descr = document.element.body.find(f".//{WP_DOCPR}").get("descr")
    assert "柱状图" in descr and "Bar chart of hourly cost" in descr


def test_a_chart_that_was_not_rendered_becomes_a_marked_placeholder():
    document = docx.Document(io.BytesIO(render(sample_document("en"), load_theme("default"))))
    assert len(document.inline_shapes) == 0
    placeholder = [p for p in document.paragraphs if p.style.name == "Figure Placeholder"]
    assert len(placeholder) == 1
    assert placeholder[0].text.startswith("[Chart pending]")
    assert "Hyperscalers USD 98" in placeholder[0].text


def test_word_settings_and_content_types_are_well_formed(docx_bytes):
    data = docx_bytes["zh"]
    types = part(data, "[Content_Types].xml")
    assert "comments+xml" in types and "image/png" in types
    settings = xml(data, "word/settings.xml")
    order = [child.tag for child in settings]
    assert order.index(w("updateFields")) < order.index(w("compat"))


def test_a_chart_picture_is_named_by_its_pixels_not_its_cache_file(chart, tmp_path):
    """The chart cache's file names hash the drawing code: a new version of the tool that
    draws the same chart must write the same DOCX."""
    import hashlib
    import shutil

    theme = load_theme("default")
    built = []
    for key in ("0f5def11bcf1866487bd", "49f39ab1c1171a2d244e"):  # two versions' cache keys
        png = tmp_path / f"xychart-{key}.png"
        shutil.copyfile(chart.png_path, png)
        image = dataclasses.replace(chart, png_path=png)
        built.append(render(sample_document("zh", image), theme))
    assert built[0] == built[1]
    pic = "{http://schemas.openxmlformats.org/drawingml/2006/picture}cNvPr"
    names = {e.get("name") for e in xml(built[0], "word/document.xml").iter(pic)}
    digest = hashlib.sha1(chart.png_path.read_bytes()).hexdigest()[:20]
    assert f"xychart-{digest}.png" in names
    assert not any("0f5def11" in (name or "") for name in names)
