"""`formula` blocks: LaTeX math drawn by mathtext, as vectors in the PDF and SVG + PNG in Word."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.helpers import cli, demo_report, edit, line_of
from tests.libreoffice import pdf_text

CAGR = r"\mathrm{CAGR} = \left(\frac{V_{2032}}{V_{2023}}\right)^{1/9} - 1"


@pytest.fixture()
def report(tmp_path: Path) -> Path:
    return demo_report(tmp_path, (
        f"\n  - formula: cagr\n    tex: '{CAGR}'\n"
        "\n  - paragraph: money\n    zh: 价格从$98降到$34。\n    en: The price fell from $98 to $34.\n"
    ))


def test_a_formula_is_vectors_in_the_pdf_and_dollars_stay_money(report: Path, tmp_path: Path):
    out = tmp_path / "dist"
    code, output = cli("build", str(report), "--out", str(out), "--format", "pdf")
    assert code == 0, output
    for edition in ("zh", "en", "bilingual"):
        pdf = out / "demo" / f"demo.{edition}.pdf"
        images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True,
                                text=True).stdout.splitlines()[2:]
        assert images == []  # drawn, not pasted as a picture
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
        assert "Helvetica" not in fonts and all(" yes yes " in r for r in fonts.splitlines()[2:])
    text = pdf_text(out / "demo" / "demo.en.pdf")
    assert "The price fell from $98 to $34." in " ".join(text.split())
    assert "价格从$98降到$34。" in "".join(pdf_text(out / "demo" / "demo.zh.pdf").split())


def test_the_docx_embeds_the_formula_as_svg_with_its_latex_as_alt_text(report: Path,
                                                                       tmp_path: Path):
    import docx

    out = tmp_path / "dist"
    assert cli("build", str(report), "--out", str(out), "--format", "docx")[0] == 0
    for edition, count in (("zh", 1), ("bilingual", 1)):
        path = out / "demo" / f"demo.{edition}.docx"
        document = docx.Document(str(path))
        formulas = [s for s in document.inline_shapes
                    if s._inline.docPr.get("descr") == CAGR]
        assert len(formulas) == count
        blip = formulas[0]._inline.xpath(".//a:blip")[0]
        svg_id = blip.xpath(".//*[local-name()='svgBlip']/@r:embed")[0]
        assert b"<path" in document.part.related_parts[svg_id].blob
    with zipfile.ZipFile(out / "demo" / "demo.zh.docx") as archive:
        assert any(n.endswith(".svg") for n in archive.namelist())


def test_latex_mathtext_cannot_read_is_a_located_error(report: Path):
    section = report / "sections" / "01-overview.yaml"
    edit(section, CAGR, r"\frac{1}{")
    code, output = cli("check", str(report))
    assert code == 1 and f"01-overview.yaml:{line_of(section, 'formula: cagr')}: error: " \
        f"formula 'cagr': " in output, output


def test_display_math_imports_as_a_formula_and_dollars_stay_text(tmp_path: Path):
    source = tmp_path / "eq.md"
    source.write_text("# 报告\n\n## 公式\n\n$$\\frac{a}{b} = c$$\n\n价格从$98降到$34。\n",
                      encoding="utf-8")
    out = tmp_path / "imported"
    assert cli("import-markdown", str(source), "--out", str(out))[0] == 0
    text = next((out / "sections").glob("*.yaml")).read_text(encoding="utf-8")
    assert "formula: section-1-eq1\n    tex: \\frac{a}{b} = c" in text, text
    assert "zh: 价格从$98降到$34。" in text


@pytest.mark.parametrize(("text", "maths"), [
    ("The price fell from $98 to $34.", []),
    ("成本$98/小时，$34/小时", []),
    ("$5 and x$", []),               # starts with a digit and holds a space: money
    ("a \\$b$ c", []),               # escaped
    ("$$a$$", []),                   # display math is never inline
    ("growth $g = (V_1/V_0)^{1/n} - 1$ and $10^6$ units", ["g = (V_1/V_0)^{1/n} - 1", "10^6"]),
])
def test_the_dollar_rule(text: str, maths: list[str]):
    from builder.compose.inline import to_inline, to_markdown

    spans = to_inline(text)
    assert [s.math.tex for s in spans if s.math is not None] == maths
    assert to_inline(to_markdown(spans)) == spans


def test_inline_math_sits_on_the_line_in_both_formats(report: Path, tmp_path: Path):
    import docx

    section = report / "sections" / "01-overview.yaml"
    edit(section, "    en: The price fell from $98 to $34.",
         "    en: 'Growth is $g = (V_1/V_0)^{1/n} - 1$, and the price fell from $98 to $34.'")
    out = tmp_path / "dist"
    code, output = cli("build", str(report), "--out", str(out), "--edition", "en")
    assert code == 0, output
    pdf = out / "demo" / "demo.en.pdf"
    text = " ".join(pdf_text(pdf).split())
    assert "Growth is , and the price fell from $98 to $34." in text, text  # the formula: paths
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True,
                            text=True).stdout.splitlines()[2:]
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert images == [] and "Helvetica" not in fonts
    document = docx.Document(str(out / "demo" / "demo.en.docx"))
    paragraph = next(p for p in document.paragraphs if "Growth is" in p.text)
    drawings = paragraph._p.xpath(".//wp:docPr")
    assert [d.get("descr") for d in drawings] == [r"g = (V_1/V_0)^{1/n} - 1"]
    position = paragraph._p.xpath(".//w:r[w:drawing]/w:rPr/w:position/@w:val")
    assert position and int(position[0]) < 0  # lowered by the formula's depth


def test_inline_latex_mathtext_cannot_read_is_a_located_error(report: Path):
    section = report / "sections" / "01-overview.yaml"
    edit(section, "    en: The price fell from $98 to $34.", "    en: 'Bad $\\frac{1}{$ math.'")
    code, output = cli("check", str(report))
    assert code == 1 and f"01-overview.yaml:{line_of(section, 'Bad $')}: error: math " \
        in output, output


def test_a_paragraph_of_display_math_is_a_formula(report: Path, tmp_path: Path):
    section = report / "sections" / "01-overview.yaml"
    section.write_text(section.read_text(encoding="utf-8")
                       + "\n  - paragraph: shown\n    text: '$$\\frac{a}{b} = c$$'\n",
                       encoding="utf-8")
    from builder.readers.report import read_report

    record, diag = read_report(report)
    assert record is not None and not diag.errors
    block = next(b for s in record.sections for b in s.blocks if b.id == "shown")
    assert (block.kind, block.fields["tex"]) == ("formula", "\\frac{a}{b} = c")
    out = tmp_path / "dist"
    assert cli("build", str(report), "--out", str(out), "--edition", "en")[0] == 0
    assert "$$" not in pdf_text(out / "demo" / "demo.en.pdf")
