"""End to end: build the bundled report and read all six files back with real readers."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.helpers import (
    CLOSING,
    HAN_RE,
    OPENING,
    docx_text,
    printed,
    seed_texts,
    squash,
)

EDITIONS = ("zh", "en", "bilingual")


def pdftotext(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *args, str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def seed_sentences() -> list[str]:
    pieces = []
    for unit in seed_texts():
        # a source the seed cites inline ("35% [来源：…](url)") is a footnote in the content
        pieces.extend(p for p in re.split(r"[。；！？：]| (?=来源)", unit) if HAN_RE.search(p))
    return pieces


def test_all_six_files_are_written(built: Path):
    names = sorted(p.name for p in built.glob("gpu-market.*"))
    assert names == sorted(f"gpu-market.{e}.{f}" for e in EDITIONS for f in ("docx", "pdf"))


@pytest.mark.parametrize("edition", ["zh", "bilingual"])
def test_every_chinese_sentence_of_the_seed_is_in_the_pdf(built: Path, edition: str):
    text = printed(pdftotext(built / f"gpu-market.{edition}.pdf"))
    # as the PDF sets them: 新云（Neoclouds）, “复合AI系统”, 2023–2032年 (locale.typography)
    missing = [s for s in seed_sentences() if printed(s) not in text]
    assert missing == []


@pytest.mark.parametrize("edition", ["zh", "bilingual"])
def test_every_chinese_sentence_of_the_seed_is_in_the_docx(built: Path, edition: str):
    text = printed(docx_text(built / f"gpu-market.{edition}.docx"))
    missing = [s for s in seed_sentences() if printed(s) not in text]
    assert missing == []


def test_the_english_edition_has_no_han_characters(built: Path):
    pdf = pdftotext(built / "gpu-market.en.pdf")
    word = docx_text(built / "gpu-market.en.docx")
    assert HAN_RE.findall(pdf) == []
    assert HAN_RE.findall(word) == []
    # Chinese punctuation and full-width forms never appear in English text either.
    cjk_punctuation = re.compile(r"[\u3000-\u303f\uff00-\uffef]")
    assert cjk_punctuation.findall(pdf) == []
    assert cjk_punctuation.findall(word) == []
    for text in (pdf, word):
        assert "USD 47.24 billion" in text
        assert "Executive summary" in text


def test_the_bilingual_edition_carries_both_languages(built: Path):
    text = squash(pdftotext(built / "gpu-market.bilingual.pdf"))
    assert squash("The GPU compute market is experiencing unprecedented growth") in text
    assert squash("GPU算力市场正经历前所未有的增长") in text


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_pdf_font_is_embedded(built: Path, edition: str):
    out = subprocess.run(["pdffonts", str(built / f"gpu-market.{edition}.pdf")], check=True,
                         capture_output=True, text=True).stdout.splitlines()[2:]
    assert out, "no fonts listed"
    for line in out:
        # Columns end with: emb sub uni object-number generation.
        assert line.split()[-5] == "yes", line
        assert "Helvetica" not in line and "Times" not in line


@pytest.mark.parametrize("edition", ["zh", "bilingual"])
def test_no_pdf_line_starts_with_closing_or_ends_with_opening_punctuation(built: Path,
                                                                         edition: str):
    text = pdftotext(built / f"gpu-market.{edition}.pdf", "-layout")
    bad = []
    for line in text.splitlines():
        for column in re.split(r"\s{3,}", line.strip()):
            if column and (column[0] in CLOSING or column[-1] in OPENING):
                bad.append(column)
    assert bad == []


def test_market_size_numbers_come_from_the_data(built: Path):
    zh = pdftotext(built / "gpu-market.zh.pdf")
    en = pdftotext(built / "gpu-market.en.pdf")
    assert "472.4亿美元" in zh
    assert "USD 47.24 billion" in en
