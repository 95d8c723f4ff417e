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
        assert "新云（Neoclouds）" in text and "“复合AI系统”" in text


def test_no_straight_quote_remains_in_the_english_pdf(built: Path):
    text = _text(built / "gpu-market.en.pdf")
    assert re.findall(r".{0,20}[\"'].{0,20}", text) == []
    assert "“compound AI systems”" in text


def test_ranges_use_one_connector_in_the_chinese_pdf(built: Path):
    text = _text(built / "gpu-market.zh.pdf")
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
