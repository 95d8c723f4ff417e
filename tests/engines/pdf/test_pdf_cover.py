"""The cover: a theme's logo is drawn on it, and the date is written for readers."""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path

from pypdf import PdfReader

from builder.engines.pdf import render
from builder.themes import load_theme
from tests.sample_document import sample_document


def images_on_first_page(data: bytes) -> int:
    page = PdfReader(io.BytesIO(data)).pages[0]
    xobjects = page["/Resources"].get("/XObject", {})
    return sum(1 for ref in xobjects.values() if ref.get_object()["/Subtype"] == "/Image")


def test_the_classic_theme_draws_its_logo_and_the_default_theme_has_none():
    classic = load_theme("classic")
    assert classic.logo is not None and classic.logo.is_file()
    assert images_on_first_page(render(sample_document("zh"), classic)) == 1
    assert images_on_first_page(render(sample_document("zh"), load_theme("default"))) == 0


def test_the_cover_date_is_written_for_readers(tmp_path: Path):
    from dataclasses import replace

    document = replace(sample_document("zh"), date_display="2025年6月30日")
    path = tmp_path / "cover.pdf"
    path.write_bytes(render(document, load_theme("default")))
    cover = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(path), "-"], check=True,
                           capture_output=True, text=True).stdout
    assert "2025年6月30日" in re.sub(r"\s+", "", cover)  # "2025 年 6 月": a quarter em apart
    assert "发布日期" in cover and "编制单位" in cover
