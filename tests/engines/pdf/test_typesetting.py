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
