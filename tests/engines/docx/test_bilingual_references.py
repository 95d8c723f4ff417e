"""In the bilingual DOCX an English sentence's cross-reference repeats the English label
("Figure 5", "Table 1"), also after Word or LibreOffice update the fields; tables are REF fields
like figures, so they renumber."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx.oxml.ns import qn

from builder.config import BuildConfig
from builder.pipeline import build
from tests.helpers import REPORT
from tests.libreoffice import HAVE_LIBREOFFICE, libreoffice_pdf, pdf_text


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bilingual")
    written = build(BuildConfig(report_dir=REPORT, out_dir=out, editions=("bilingual",),
                                formats=("docx",))).written
    return written[0]


def _bookmark_texts(path: Path) -> dict[str, str]:
    import docx

    body = docx.Document(str(path)).element.body
    texts: dict[str, str] = {}
    for start in body.iter(qn("w:bookmarkStart")):
        ident, parts, element = start.get(qn("w:id")), [], start.getnext()
        while element is not None and not (element.tag == qn("w:bookmarkEnd")
                                            and element.get(qn("w:id")) == ident):
            parts.extend(t.text or "" for t in element.iter(qn("w:t")))
            element = element.getnext()
        texts[start.get(qn("w:name"))] = "".join(parts)
    return texts


def test_every_ref_field_of_an_english_sentence_points_at_english_text(bilingual: Path):
    import docx

    body = docx.Document(str(bilingual)).element.body
    texts = _bookmark_texts(bilingual)
    checked = 0
    for p in body.iter(qn("w:p")):
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is None or "Secondary" not in style.get(qn("w:val")):
            continue  # the English half of a pair
        for instr in p.iter(qn("w:instrText")):
            match = re.match(r"\s*REF (\S+)", instr.text or "")
            if match:
                target = texts[match.group(1)]
                assert target and not re.search(r"[\u4e00-\u9fff]", target), target
                checked += 1
    assert checked >= 2  # Table 1 and Figure 5 in the competition section


def test_libreoffice_shows_the_english_labels_after_updating_the_fields(bilingual: Path,
                                                                        tmp_path: Path):
    if not HAVE_LIBREOFFICE:
        pytest.skip("LibreOffice is not installed")
    text = " ".join(pdf_text(libreoffice_pdf(bilingual, tmp_path)).split())
    assert "Table 1 compares Hyperscalers and Neoclouds" in text
    assert "the cost gap matches Figure 5." in text
    assert "表 1从成本" in text.replace("表 1 从", "表 1从")  # the Chinese sentence keeps 表 1
