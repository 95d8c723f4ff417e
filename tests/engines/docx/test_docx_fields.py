"""Fields in the DOCX: a pre-filled TOC, SEQ captions, REF links, PAGE/NUMPAGES footers."""

from __future__ import annotations

import dataclasses
import io
import re
import zipfile

import docx

from builder.engines.docx import render
from builder.engines.docx.context import bookmark_name
from builder.model.document import Paragraph, Span
from builder.themes import load_theme
from tests.engines.docx.docx_xml import NS, instructions, part, w, xml
from tests.sample_document import sample_document


def _field_results(root) -> list[tuple[str, str]]:
    """Return (instruction, cached result) for each simple (non-nested) complex field."""
    out, state, instr, result = [], None, "", []
    for el in root.iter(w("fldChar"), w("instrText"), w("t")):
        if el.tag == w("fldChar"):
            kind = el.get(w("fldCharType"))
            if kind == "begin":
                state, instr, result = "instr", "", []
            elif kind == "separate":
                state = "result"
            elif kind == "end" and state is not None:
                out.append((instr.strip(), "".join(result)))
                state = None
        elif el.tag == w("instrText") and state == "instr":
            instr += el.text
        elif el.tag == w("t") and state == "result":
            result.append(el.text or "")
    return out


def test_toc_field_is_prefilled_with_linked_heading_entries(docx_bytes):
    root = xml(docx_bytes["zh"], "word/document.xml")
    assert 'TOC \\o "1-3" \\h \\z \\u' in instructions(root)
    entries = [p for p in root.iter(w("p"))
               if (s := p.find("w:pPr/w:pStyle", NS)) is not None and s.get(w("val"))
               .startswith("TOC") and s.get(w("val")) != "TOCHeading"]
    texts = ["".join(t.text for t in p.find("w:hyperlink", NS).iter(w("t"))) for p in entries]
    assert [re.sub(r"\d+$", "", t) for t in texts] == ["执行摘要", "市场规模与增长"]
    anchors = [p.find("w:hyperlink", NS).get(w("anchor")) for p in entries]
    assert anchors == ["summary", "landscape"]
    bookmarks = {b.get(w("name")) for b in root.iter(w("bookmarkStart"))}
    assert set(anchors) <= bookmarks
    assert "PAGEREF summary \\h" in instructions(root)


def test_fields_update_when_word_opens_the_file(docx_bytes):
    settings = xml(docx_bytes["zh"], "word/settings.xml")
    assert settings.find("w:updateFields", NS).get(w("val")) == "true"


def test_captions_number_with_seq_fields_cached_with_the_compose_number(docx_bytes):
    root = xml(docx_bytes["zh"], "word/document.xml")
    fields = _field_results(root)
    assert ("SEQ Figure \\* ARABIC", "1") in fields
    assert ("SEQ Table \\* ARABIC", "1") in fields
    en = _field_results(xml(docx_bytes["en"], "word/document.xml"))
    assert ("SEQ Figure \\* ARABIC", "1") in en


def test_bilingual_second_caption_repeats_the_number(docx_bytes):
    fields = _field_results(xml(docx_bytes["bilingual"], "word/document.xml"))
    seqs = [f for f in fields if f[0].startswith("SEQ Figure")]
    assert seqs == [("SEQ Figure \\* ARABIC", "1"), ("SEQ Figure \\* ARABIC \\c", "1")]


def test_figure_and_table_bookmarks_wrap_the_caption_label(docx_bytes):
    document = docx.Document(io.BytesIO(docx_bytes["zh"]))
    root = document.element.body
    start = next(b for b in root.iter(w("bookmarkStart")) if b.get(w("name")) == "fig_cost")
    paragraph = start.getparent()
    assert paragraph.find("w:pPr/w:pStyle", NS).get(w("val")) == "Caption"
    text, inside = [], False
    for el in paragraph.iter(w("bookmarkStart"), w("bookmarkEnd"), w("t")):
        if el.tag == w("bookmarkStart") and el.get(w("name")) == "fig_cost":
            inside = True
        elif el.tag == w("bookmarkEnd") and el.get(w("id")) == start.get(w("id")):
            inside = False
        elif el.tag == w("t") and inside:
            text.append(el.text)
    assert "".join(text) == "图 1"


def test_header_footer_fields_and_a_plain_cover(docx_bytes):
    data = docx_bytes["en"]
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert section.header.paragraphs[0].text.startswith("GPU Compute Market Report")
    assert all(not p.text for p in section.first_page_header.paragraphs)
    footer_xml = section.footer._element
    fields = _field_results(footer_xml)
    # The total is the page of the bookmark at the end of the body: NUMPAGES would count the
    # cover, which is page 0 (numbering starts on the page after it).
    assert [f[0] for f in fields] == ["PAGE \\* ARABIC", "PAGEREF _LastPage"]
    assert section._sectPr.find(w("pgNumType")).get(w("start")) == "0"
    body = document.element.body
    starts = [b for b in body.iter(w("bookmarkStart")) if b.get(w("name")) == "_LastPage"]
    assert len(starts) == 1 and starts[0].getnext().tag == w("r")  # it holds text
    text = "".join(t.text for t in footer_xml.iter(w("t")))
    assert text.startswith("For internal use only") and "Page 1 of" in text


def test_zh_footer_uses_the_localized_page_format():
    doc = sample_document("zh")
    terms = dataclasses.replace(doc.terms, page_format="第 {page} 页 / 共 {total} 页")
    out = render(dataclasses.replace(doc, terms=terms), load_theme("default"))
    footer = docx.Document(io.BytesIO(out)).sections[0].footer
    text = "".join(t.text for t in footer._element.iter(w("t")))
    assert "第 1 页 / 共" in text and text.endswith(" 页")


def _linked_document():
    doc = sample_document("zh")
    linking = Paragraph("see", (Span("如"), Span("图 1", href="#fig-cost"), Span("与"),
                                Span("引言", href="#intro"), Span("所示；另见"),
                                Span("官网", href="https://example.com/a?b=1&c=2"),
                                Span("和"), Span("不存在", href="#nowhere")), "zh-CN")
    return dataclasses.replace(doc, blocks=(*doc.blocks, linking))


def test_internal_links_are_ref_fields_or_anchor_hyperlinks():
    out = render(_linked_document(), load_theme("default"))
    root = xml(out, "word/document.xml")
    assert ("REF fig_cost \\h", "图 1") in _field_results(root)
    anchors = [h.get(w("anchor")) for h in root.iter(w("hyperlink"))]
    assert bookmark_name("intro") in anchors
    assert "nowhere" not in anchors and "nowhere" not in " ".join(instructions(root))
    names = {b.get(w("name")) for b in root.iter(w("bookmarkStart"))}
    assert {"fig_cost", "intro"} <= names


def test_a_link_is_a_ref_field_only_when_it_shows_what_the_field_would_show():
    """Updating a REF field replaces its text by the target's label or title: a link with its
    own words must stay a hyperlink, or Word and LibreOffice rewrite the sentence."""
    doc = sample_document("zh")
    linking = Paragraph("see", (Span("见"), Span("市场规模与增长", href="#landscape"),
                                Span("、"), Span("规模一节", href="#landscape"),
                                Span("与"), Span("成本图", href="#fig-cost")), "zh-CN")
    out = render(dataclasses.replace(doc, blocks=(*doc.blocks, linking)), load_theme("default"))
    root = xml(out, "word/document.xml")
    results = _field_results(root)
    assert ("REF landscape \\h", "市场规模与增长") in results
    assert not any(text in ("规模一节", "成本图") for _, text in results), results
    linked = {"".join(t.text for t in h.iter(w("t"))): h.get(w("anchor"))
              for h in root.iter(w("hyperlink"))}
    assert linked["规模一节"] == "landscape" and linked["成本图"] == "fig_cost", linked


def test_external_links_are_real_hyperlinks():
    out = render(_linked_document(), load_theme("default"))
    root = xml(out, "word/document.xml")
    rels = part(out, "word/_rels/document.xml.rels")
    rid = f"{{{NS['r']}}}id"
    ids = [h.get(rid) for h in root.iter(w("hyperlink")) if h.get(w("anchor")) is None]
    assert len(ids) == 2  # the source link in the list and the new one
    assert 'Target="https://example.com/a?b=1&amp;c=2" TargetMode="External"' in rels
    assert 'Target="https://www.credenceresearch.com/report/cloud-gpu-market"' in rels


def test_a_reference_with_a_missing_target_is_plain_text(docx_bytes):
    root = xml(docx_bytes["zh"], "word/document.xml")
    for link in root.iter(w("hyperlink")):
        assert "Task 1" not in "".join(t.text for t in link.iter(w("t")))
    assert "Task 1: Fireworks.ai公司深度分析" in "".join(t.text for t in root.iter(w("t")))


def test_every_field_is_balanced(docx_bytes):
    for data in docx_bytes.values():
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():
                if name.endswith(".xml") and name.startswith("word/"):
                    text = archive.read(name).decode()
                    assert text.count('fldCharType="begin"') == text.count('fldCharType="end"')
