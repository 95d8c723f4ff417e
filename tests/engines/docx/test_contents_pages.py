"""The DOCX contents are right when opened: each entry's page is where LibreOffice sets the heading.

The session build (tests/conftest.py `built`) runs the default layout pass. Each file is then
printed by LibreOffice on its own, with only the machine's fonts (no Noto: the faces come from
the file), and the contents page is read back with poppler: every entry's number must be the
page whose text starts with that heading, and the footers must count from the page after the
cover. Needs `soffice` and poppler.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from builder.engines.docx.frame import LAST_PAGE_BOOKMARK
from tests.libreoffice import HAVE_LIBREOFFICE, libreoffice_pdf

pytestmark = pytest.mark.skipif(not HAVE_LIBREOFFICE,
                                reason="LibreOffice (soffice) is not installed")

_ENTRY = re.compile(r"^\s*(.+?)\s*\.{3,}\s*(\d+)\s*$")


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text.split("\f")[:-1]


def _entries(contents_page: str) -> list[tuple[str, int]]:
    return [(m[1], int(m[2])) for line in contents_page.splitlines()
            if (m := _ENTRY.match(line))]


def _heading_pages(pages: list[str], titles: list[str]) -> list[int | None]:
    """Return the page index where each title (in order) first starts a line after the last."""
    found: list[int | None] = []
    at = 2  # the body starts after the cover (0) and the contents (1)
    for title in titles:
        page = next((i for i in range(at, len(pages))
                     if any(line.strip() == title for line in pages[i].splitlines())), None)
        found.append(page)
        at = page if page is not None else at
    return found


@pytest.mark.parametrize("edition", ["zh", "en", "bilingual"])
def test_the_contents_shows_the_pages_libreoffice_sets_the_headings_on(built, edition,
                                                                        tmp_path):
    docx = built / f"gpu-market.{edition}.docx"
    pages = _pages(libreoffice_pdf(docx, tmp_path, bundled=False))
    entries = _entries(pages[1])
    assert len(entries) == 22, pages[1]
    titles = [title for title, _ in entries]
    assert [number for _, number in entries] == _heading_pages(pages, titles)
    # Numbering starts after the cover: page index i prints i, out of the pages after it.
    last = len(pages) - 1
    for index, page in enumerate(pages[1:], start=1):
        footer = re.sub(r"\s+", "", page.strip().splitlines()[-1])
        expected = f"Page{index}of{last}" if edition == "en" else f"第{index}页/共{last}页"
        assert footer.endswith(expected), footer
    assert "共" not in pages[0] and "Page" not in pages[0]  # the cover has no footer
    # The numbers are right as cached, so Word is not asked to update fields on opening.
    settings = zipfile.ZipFile(docx).read("word/settings.xml").decode()
    assert "updateFields" not in settings
    assert LAST_PAGE_BOOKMARK in zipfile.ZipFile(docx).read("word/document.xml").decode()
