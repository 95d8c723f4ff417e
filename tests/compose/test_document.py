"""compose/document.py: editions, numbering, cross-references and untranslated marking."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.charts.stage import ChartStage
from builder.compose.document import compose_documents
from builder.model.document import Document, Figure, Heading, Pair, Paragraph, Table
from builder.pipeline import read_sources
from builder.themes import load_theme
from tests.helpers import edit

EVERY_KIND = Path(__file__).parents[1] / "golden" / "every-kind" / "report"


def compose(report: Path, editions: tuple[str, ...] = ("zh", "en", "bilingual"),
            strict: bool = False) -> tuple[dict[str, Document], list[str]]:
    record, data, diag, ok = read_sources(report)
    assert record is not None and ok, [d.format() for d in diag.items]
    theme = load_theme("default")
    charts = ChartStage(data, theme, Path("."), render=False)
    documents, composed = compose_documents(record, data, theme, charts, editions,
                                            strict_translations=strict)
    return documents, [d.format() for d in composed.items]


def text(inline) -> str:
    return "".join(span.text for span in inline)


def flat(document: Document) -> list:
    out = []
    for block in document.blocks:
        out.extend([block.first, block.second] if isinstance(block, Pair) else [block])
    return out


@pytest.fixture(scope="module")
def documents() -> dict[str, Document]:
    documents, problems = compose(EVERY_KIND)
    assert problems == []
    return documents


def test_each_edition_is_in_its_language(documents: dict[str, Document]):
    assert (documents["zh"].lang, documents["en"].lang, documents["bilingual"].lang) == \
           ("zh-CN", "en", "zh-CN")
    assert documents["zh"].title == "全部内容类型示例"
    assert documents["en"].title == "Every kind of content"
    assert documents["bilingual"].secondary_title == "Every kind of content"
    assert documents["en"].date_display == "30 June 2025"
    assert documents["zh"].date_display == "2025年6月30日"


def test_figures_and_tables_are_numbered_in_order_per_language(documents: dict[str, Document]):
    figures = [b for b in flat(documents["en"]) if isinstance(b, Figure)]
    assert [(f.id, f.caption.label) for f in figures] == [
        ("fig-sales", "Figure 1"), ("fig-pie", "Figure 2"), ("fig-radar", "Figure 3"),
        ("fig-timeline", "Figure 4"), ("fig-flow", "Figure 5"), ("fig-inline", "Figure 6")]
    [table] = [b for b in flat(documents["zh"]) if isinstance(b, Table)]
    assert table.caption is not None and table.caption.label == "表 1"


def test_the_bilingual_edition_pairs_every_block_with_its_translation(
        documents: dict[str, Document]):
    pairs = [b for b in documents["bilingual"].blocks if isinstance(b, Pair)]
    intro = next(p for p in pairs if p.id == "intro")
    assert isinstance(intro.first, Paragraph) and intro.first.lang == "zh-CN"
    assert intro.second.lang == "en"
    headings = [b for b in documents["bilingual"].blocks if isinstance(b, Heading)]
    assert headings[0].secondary is not None and text(headings[0].secondary) == "Text"
    # One chart per figure, in the main language, with both captions.
    figure = next(b for b in documents["bilingual"].blocks
                  if isinstance(b, Figure) and b.id == "fig-sales")
    assert figure.caption.secondary is not None
    assert figure.caption.secondary.label == "Figure 1"


def test_cross_references_take_the_label_of_their_language(documents: dict[str, Document]):
    def intro(document: Document) -> Paragraph:
        return next(b for b in flat(document) if isinstance(b, Paragraph) and b.id == "intro"
                    and b.lang == document.lang)

    zh_links = [(s.text, s.href) for s in intro(documents["zh"]).text if s.href]
    en_links = [(s.text, s.href) for s in intro(documents["en"]).text if s.href]
    assert ("图 1", "#fig-sales") in zh_links and ("表 1", "#tbl-sales") in zh_links
    assert ("Figure 1", "#fig-sales") in en_links and ("Table 1", "#tbl-sales") in en_links


def test_data_expressions_render_per_language(documents: dict[str, Document]):
    zh = text(next(b for b in flat(documents["zh"]) if getattr(b, "id", "") == "intro").text)
    en = text(next(b for b in flat(documents["en"]) if getattr(b, "id", "") == "intro").text)
    assert "472.4亿美元" in zh and "USD 47.24 billion" in en


def test_a_missing_translation_is_marked_in_a_build_and_an_error_in_check(tmp_path: Path):
    report = tmp_path / "r"
    shutil.copytree(EVERY_KIND, report)
    edit(report / "sections" / "01-text.yaml", "        en: Second point\n", "")
    documents, problems = compose(report, ("en",))
    item = next(i for b in flat(documents["en"]) if getattr(b, "id", "") == "bullets"
                for i in b.items if i.id == "b-two")
    assert text(item.text) == "[untranslated] 第二点"
    assert any("warning: missing en translation of list entry 'b-two'" in p for p in problems)
    _, strict = compose(report, ("en",), strict=True)
    assert any("error: missing en translation of list entry 'b-two'" in p for p in strict)


def test_an_unknown_cross_reference_is_a_located_error(tmp_path: Path):
    report = tmp_path / "r"
    shutil.copytree(EVERY_KIND, report)
    edit(report / "sections" / "01-text.yaml", "[](#fig-sales)", "[](#fig-nope)")
    _, problems = compose(report, ("zh",))
    assert any(p.endswith("error: cross-reference to unknown id 'fig-nope'") and "01-text.yaml:"
               in p for p in problems), problems
