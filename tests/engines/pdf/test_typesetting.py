"""Punctuation in the PDFs as a typesetter sets it, read back with pdftotext; the content files
keep their half-width brackets and straight quotes (the rules apply at layout time)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.helpers import REPORT

HAN = r"[\u3400-\u9fff]"


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_no_half_width_bracket_or_straight_quote_touches_a_han_character(built: Path):
    sources = "".join(p.read_text(encoding="utf-8") for p in REPORT.rglob("*.yaml"))
    assert re.search(f"{HAN}[(\"]|[)\"]{HAN}", sources)  # the content has them as written
    for edition in ("zh", "bilingual"):
        text = _text(built / f"gpu-market.{edition}.pdf")
        assert re.findall(f".{HAN}[()\"]|[()\"]{HAN}.", text) == [], edition
        flat = re.sub(r"\s+", "", text)  # a quarter em between Han and Latin extracts as a space
        assert "新云（Neoclouds）" in flat and "“复合AI系统”" in flat


def test_no_straight_quote_remains_in_the_english_pdf(built: Path):
    text = _text(built / "gpu-market.en.pdf")
    assert re.findall(r".{0,20}[\"'].{0,20}", text) == []
    assert "“compound AI systems”" in text


def test_ranges_use_one_connector_in_the_chinese_pdf(built: Path):
    text = re.sub(r"\s+", "", _text(built / "gpu-market.zh.pdf"))
    assert re.findall(r"\d{4}-\d{4}", text) == []
    assert "2023–2032年" in text


def _word_gaps_em(pdf: Path) -> list[tuple[float, str]]:
    """Return (widest word space in em, line) for each line of running text of `pdf`."""
    html = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    found = []
    for line in re.findall(r"<line[^>]*>(.*?)</line>", html, re.S):
        words = [(float(x0), float(y0), float(x1), float(y1), w) for x0, y0, x1, y1, w in
                 re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                            r'yMax="([\d.]+)">([^<]*)</word>', line)]
        if len(words) < 5 or words[0][4] in ("Figure", "Table"):  # an en space after a label
            continue
        first = 1 if words[0][4] in ("•", "–") or re.fullmatch(r"\d+\.", words[0][4]) else 0
        em = (words[0][3] - words[0][1]) / 1.362  # Noto Sans: ascender + descender = 1.362 em
        gaps = [(words[i + 1][0] - words[i][2]) / em for i in range(first, len(words) - 1)]
        found.append((max(gaps), " ".join(w for *_, w in words)))
    return found


def test_justified_english_has_no_word_space_wider_than_0_6_em(built: Path):
    gaps = _word_gaps_em(built / "gpu-market.en.pdf")
    assert len(gaps) > 60
    assert [(round(g, 2), line) for g, line in gaps if g > 0.6] == []


def test_english_is_hyphenated_and_the_words_still_extract_whole(built: Path):
    html = subprocess.run(["pdftotext", "-bbox-layout", str(built / "gpu-market.en.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    ends = re.findall(r">([^<>]*)</word>\s*</line>", html)
    assert any(end.endswith("-") and end[:-1].isalpha() for end in ends)  # tech- / nologies
    text = _text(built / "gpu-market.en.pdf")
    assert "differentiated technologies" in text.replace("\n", " ")


def _word_boxes(pdf: Path, page: int) -> list[tuple[float, float, str]]:
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          check=True, capture_output=True, text=True).stdout
    return [(float(x0), float(x1), w) for x0, x1, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>([^<]*)</word>', html)]


def test_han_and_latin_are_a_quarter_em_apart_in_chinese_text(built: Path):
    # "…跃升至40亿美元，专注于“复合AI系统”": the words 复合 | AI | 系统” come apart by ~0.25 em
    words = _word_boxes(built / "gpu-market.zh.pdf", 3)
    index = next(i for i, (_, _, w) in enumerate(words) if w == "AI" and "复合" in words[i - 1][2])
    before, ai, after = words[index - 1], words[index], words[index + 1]
    size = 10.5  # the default theme's body size
    for gap in (ai[0] - before[1], after[0] - ai[1]):
        assert 0.2 * size < gap < 0.3 * size, gap


def test_two_full_width_marks_in_a_row_take_one_and_a_half_em():
    from builder.engines.pdf.richtext import RichText
    from builder.engines.pdf.styles import build_styles
    from builder.model.document import Span
    from builder.themes import load_theme

    styles = build_styles(load_theme("default"))

    def width(text: str, compress: bool) -> float:
        style = styles.body.but(compress_punctuation=compress)
        rich = RichText((Span(text),), style, styles.fonts, zh=True, link_color=styles.link,
                        anchors=frozenset())
        return rich.natural_width()

    size = styles.body.size
    for pair in ("）。", "。”", "，“"):
        assert abs(width(pair, False) - 2 * size) < 0.01 * size, pair
        assert abs(width(pair, True) - 1.5 * size) < 0.01 * size, pair
    assert abs(width("年（", True) - 2 * size) < 0.01 * size  # a Han character is no mark
    assert abs(width("（“", True) - 2 * size) < 0.01 * size  # opening marks are not compressed
