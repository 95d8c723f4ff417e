"""Page flow of the bundled report, read from the PDFs: no holes, and the right running header.

A page's empty share is measured on poppler's rendering of it (the lowest inked row of the text
area), chapters and their pages come from the PDF outline (pypdf), and the running header from
pdftotext's word boxes, so the tests see what a reader sees.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import numpy as np
import pypdf
import pytest
from PIL import Image

from builder.config import BuildConfig
from builder.pipeline import build
from builder.themes import load_theme
from tests.helpers import REPORT

MAX_HOLE = 0.20  # of the text area, on any page but a chapter's last
MM = 72 / 25.4


@pytest.fixture(scope="module", params=["default", "classic"])
def outputs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
            built: Path) -> tuple[str, Path]:
    if request.param == "default":
        return "default", built
    out = tmp_path_factory.mktemp("classic")
    build(BuildConfig(report_dir=REPORT, out_dir=out, theme="classic", formats=("pdf",)))
    return "classic", out / "gpu-market"


def _chapters(pdf: Path) -> list[tuple[str, int, float]]:
    """Return (title, page, top y) of every level-1 heading, from the outline."""
    reader = pypdf.PdfReader(pdf)
    return [(str(item.title), reader.get_destination_page_number(item) + 1, float(item.top))
            for item in reader.outline if not isinstance(item, list)]


def _empty_shares(pdf: Path, theme: str, work: Path) -> list[float]:
    """Return, per page, the share of the text area below its lowest inked row."""
    page = load_theme(theme).page
    dpi = 36
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(pdf), str(work / "p")], check=True)
    shares = []
    files = sorted(work.glob("p-*.pgm"), key=lambda f: int(f.stem.rsplit("-", 1)[1]))
    for file in files:
        pixels = np.asarray(Image.open(file))
        per_mm = dpi / 25.4
        top = int(page.margin_top_mm * per_mm)
        bottom = pixels.shape[0] - int(page.margin_bottom_mm * per_mm)
        inked = np.where((pixels[top:bottom] < 200).any(axis=1))[0]
        last = int(inked.max()) + 1 if len(inked) else 0
        shares.append(1 - last / (bottom - top))
    return shares


@pytest.mark.parametrize("edition", ["zh", "en", "bilingual"])
def test_no_page_but_a_chapters_last_is_more_than_a_fifth_empty(outputs, edition, tmp_path):
    theme, folder = outputs
    pdf = folder / f"gpu-market.{edition}.pdf"
    shares = _empty_shares(pdf, theme, tmp_path)
    page = load_theme(theme).page
    frame_top = page.height_pt - page.margin_top_mm * MM
    chapters = _chapters(pdf)
    # A chapter's last page is the one before a page whose first line starts a chapter.
    fresh = {start for _, start, top in chapters if top >= frame_top - 1}
    holes = {number: round(share, 2) for number, share in enumerate(shares, start=1)
             if number >= chapters[0][1] and number + 1 not in fresh and number != len(shares)
             and share > MAX_HOLE}
    assert holes == {}, f"{theme} {edition}: pages with more than {MAX_HOLE:.0%} empty: {holes}"


def _header(pdf: Path, number: int, margin_top_pt: float, width: float) -> str:
    """Return the right-hand text of the running header of page `number`."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(number), "-l", str(number), str(pdf),
                           "-"], check=True, capture_output=True, text=True).stdout
    words = sorted((float(x0), float(x1), word) for x0, y0, x1, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)"[^>]*>([^<]*)</word>', html)
        if float(y0) < margin_top_pt - 5 * MM)  # the header band, above the text area
    # The header holds the report title on the left and the chapter on the right: the chapter
    # is the right-aligned run of words, cut off from the title by the widest gap.
    if not words or words[-1][1] < width / 2:
        return ""
    gaps = [(words[i + 1][0] - words[i][1], i + 1) for i in range(len(words) - 1)]
    start = max(gaps)[1] if gaps else 0
    return " ".join(word for _, _, word in words[start:])


@pytest.mark.parametrize("edition", ["zh", "en", "bilingual"])
def test_the_running_header_names_the_chapter_in_force_at_the_top_of_the_page(outputs, edition):
    theme, folder = outputs
    pdf = folder / f"gpu-market.{edition}.pdf"
    page = load_theme(theme).page
    frame_top = page.height_pt - page.margin_top_mm * MM
    chapters = _chapters(pdf)
    total = len(pypdf.PdfReader(pdf).pages)
    checked = 0
    for number in range(chapters[0][1], total + 1):
        in_force = [title for title, start, top in chapters
                    if start < number or (start == number and top >= frame_top - 1)]
        expected = in_force[-1] if in_force else ""
        header = _header(pdf, number, page.margin_top_mm * MM, page.width_pt)
        assert header.replace(" ", "") == expected.replace(" ", ""), (theme, edition, number)
        checked += 1
    assert checked >= 5
