"""End to end: LibreOffice opens the zh DOCX and prints every Chinese text in embedded Noto Sans SC.

Needs `soffice` (Debian: libreoffice-writer) and poppler (`pdftotext`, `pdffonts`); see
tests/libreoffice.py for how the bundled fonts reach LibreOffice.
"""

from __future__ import annotations

import re
import subprocess

import pytest

from builder.engines.docx.ooxml import has_cjk
from builder.locale.typography import chinese
from builder.model.document import Callout, ListBlock, ListItem, Pair, Table, plain_text
from tests.libreoffice import HAVE_LIBREOFFICE, libreoffice_pdf
from tests.sample_document import sample_document

pytestmark = pytest.mark.skipif(not HAVE_LIBREOFFICE,
                                reason="LibreOffice (soffice) is not installed")


def _chinese_texts(blocks) -> list[str]:
    texts: list[str] = []

    def items(entries: tuple[ListItem, ...]) -> None:
        for item in entries:
            texts.append(plain_text(item.text))
            items(item.children)

    for block in blocks:
        if isinstance(block, Pair):
            texts.extend(_chinese_texts((block.first,)))
        elif isinstance(block, ListBlock | Callout):
            items(block.items)
        elif isinstance(block, Table):
            texts.extend(plain_text(c) for row in (block.header, *block.rows) for c in row)
        elif hasattr(block, "text"):
            texts.append(plain_text(block.text))
    return [t for t in texts if has_cjk(t)]


def test_libreoffice_prints_the_zh_docx_with_embedded_chinese_fonts(docx_bytes, tmp_path):
    source = tmp_path / "sample.zh.docx"
    source.write_bytes(docx_bytes["zh"])
    pdf = libreoffice_pdf(source, tmp_path)

    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    flat = re.sub(r"\s+", "", text)
    for sentence in _chinese_texts(sample_document("zh").blocks):
        assert re.sub(r"\s+", "", chinese(sentence)) in flat, sentence  # punctuation by rule
    assert "目录" in flat and "第2页" in flat  # TOC heading; footer from page 2 (no cover footer)
    assert "图1" in flat and "表1" in flat  # SEQ caption numbers

    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    names = [line.split()[0] for line in fonts]
    assert any("NotoSansSC" in name for name in names), names
    assert all(line.split()[-5] == "yes" for line in fonts), fonts  # every font embedded
    assert not any("DejaVu" in name or "Liberation" in name for name in names), names
