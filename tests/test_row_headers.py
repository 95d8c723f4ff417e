"""A table's `row_headers`: the first column names the rows, bold in both engines.

In the DOCX the bold comes from the table style's first-column rule (`tblLook firstColumn`), so
an editor switches it with Word's "First Column" box; no run carries it. Checked on the bundled
report's competition table (`row_headers: true`) in the files themselves and in LibreOffice's
rendering of the DOCX.
"""

from __future__ import annotations

import zipfile

import pytest
from lxml import etree

from tests.engines.docx.docx_xml import NS, w
from tests.helpers import cli, demo_report
from tests.libreoffice import HAVE_LIBREOFFICE, libreoffice_pdf, text_by_font

ROW_NAMES = ("成本", "部署速度", "生态系统", "客户基础")


def _bold_text(pdf) -> str:
    return "".join(text for font, text in text_by_font(pdf).items() if "Bold" in font)


def test_the_pdf_sets_the_row_names_in_bold(built):
    bold = _bold_text(built / "gpu-market.zh.pdf")
    assert all(name in bold for name in ROW_NAMES), bold
    assert "$98/小时" not in bold and "数天" not in bold  # the other cells stay regular


def test_the_docx_table_style_makes_the_first_column_bold(built):
    package = zipfile.ZipFile(built / "gpu-market.zh.docx")
    document = etree.fromstring(package.read("word/document.xml"))
    table = next(t for t in document.iter(w("tbl"))
                 if "部署速度" in "".join(t.itertext()))
    look = table.find("w:tblPr/w:tblLook", NS)
    assert look.get(w("firstColumn")) == "1" and int(look.get(w("val")), 16) & 0x80
    first_cells = [row.findall("w:tc", NS)[0] for row in table.findall("w:tr", NS)[1:]]
    assert ["".join(c.itertext()) for c in first_cells] == list(ROW_NAMES)
    assert not [b for c in first_cells for b in c.iter(w("b"))]  # no direct bold
    styles = etree.fromstring(package.read("word/styles.xml"))
    rule = styles.find(".//w:style[@w:styleId='ReportTable']/w:tblStylePr[@w:type='firstCol']",
                       NS)
    assert rule is not None and rule.find("w:rPr/w:b", NS) is not None


@pytest.mark.skipif(not HAVE_LIBREOFFICE, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_draws_the_row_names_in_bold(built, tmp_path):
    bold = _bold_text(libreoffice_pdf(built / "gpu-market.zh.docx", tmp_path))
    assert all(name in bold for name in ROW_NAMES), bold
    assert "数天" not in bold


def test_row_headers_must_be_a_boolean(tmp_path):
    report = demo_report(tmp_path, """
  - table: t
    row_headers: yes please
    header: [a, b]
    rows: [[x, "1"]]
""")
    code, out = cli("check", str(report))
    assert code == 1
    assert "row_headers must be true or false" in out and ".yaml:" in out
