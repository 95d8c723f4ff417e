"""`code` blocks: monospaced, highlighted, inside the margin in the PDF; "Source Code" in Word."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from tests.helpers import cli, demo_report, edit, line_of
from tests.libreoffice import pdf_text

LONG = "# 一行很长的注释，用来测试换行：这一行必须在页边距之内折行，绝不能超出页边距，否则就是错误的排版。"
BLOCKS = f"""
  - code: cagr-code
    language: python
    text: |
      def cagr(start: float, end: float, years: int) -> float:
          \"\"\"年复合增长率\"\"\"
          return (end / start) ** (1 / years) - 1
      print(cagr(3.17, 47.24, 9))  {LONG}

  - code: plain
    text: |
      region,usd_billion
      APAC,3.5
"""


@pytest.fixture()
def report(tmp_path: Path) -> Path:
    return demo_report(tmp_path, BLOCKS)


def test_code_is_monospaced_highlighted_and_inside_the_margin(report: Path, tmp_path: Path):
    from pypdf import PdfReader

    out = tmp_path / "dist"
    code, output = cli("build", str(report), "--out", str(out), "--format", "pdf")
    assert code == 0, output
    pdf = out / "demo" / "demo.zh.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout
    assert "NotoSansMono-Regular" in fonts, fonts
    text = pdf_text(pdf)
    assert "def cagr(start: float, end: float, years: int) -> float:" in text
    assert "return (end / start) ** (1 / years) - 1" in text  # indentation and spacing kept
    assert "年复合增长率" in text and "region,usd_billion" in text
    # The long line wraps: every character of it is printed, inside the text block.
    assert "".join(LONG.split()) in "".join(text.split())
    import re

    number = next(i for i, t in enumerate(text.split("\f"), start=1) if "def cagr" in t)
    boxes = subprocess.run(["pdftotext", "-f", str(number), "-l", str(number), "-bbox",
                            str(pdf), "-"], capture_output=True, text=True).stdout
    words = [(float(a), float(b), w) for a, b, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>',
        boxes)]
    from builder.themes import load_theme

    theme = load_theme("default")
    left = theme.page.margin_left_mm * 72 / 25.4
    right = theme.page.width_pt - theme.page.margin_right_mm * 72 / 25.4
    assert words and min(w[0] for w in words) >= left - 0.5, words[:3]
    assert max(w[1] for w in words) <= right + 0.5, max(words, key=lambda w: w[1])
    page = PdfReader(pdf).pages[number - 1]
    # Highlighted: keywords, strings and numbers are drawn in the theme's code colours.
    content = page.get_contents().get_data().decode("latin-1")
    from builder.themes import code_colors

    colours = code_colors(theme)
    for kind in ("keyword", "number", "comment", "function"):
        r, g, b = (int(colours[kind][i:i + 2], 16) / 255 for i in (1, 3, 5))
        assert _has_colour(content, (r, g, b)), kind


def _has_colour(content: str, rgb: tuple[float, float, float]) -> bool:
    import re

    for match in re.finditer(r"([\d.]+) ([\d.]+) ([\d.]+) rg", content):
        values = tuple(float(v) for v in match.groups())
        if all(abs(a - b) < 0.003 for a, b in zip(values, rgb, strict=True)):
            return True
    return False


def test_the_docx_has_a_source_code_paragraph_with_code_styles(report: Path, tmp_path: Path):
    import docx

    from tests.libreoffice import libreoffice_pdf

    out = tmp_path / "dist"
    assert cli("build", str(report), "--out", str(out), "--format", "docx")[0] == 0
    path = out / "demo" / "demo.zh.docx"
    document = docx.Document(str(path))
    code = [p for p in document.paragraphs if p.style.name == "Source Code"]
    assert len(code) == 2
    styles = {r.style.name for r in code[0].runs if r.style is not None}
    assert {"Code Keyword", "Code Function", "Code Number", "Code Comment"} <= styles, styles
    lines = code[0].text.split("\n")
    assert lines[0] == "def cagr(start: float, end: float, years: int) -> float:"
    assert lines[2] == "    return (end / start) ** (1 / years) - 1"
    style = document.styles["Source Code"]
    assert style.font.name == "Noto Sans Mono"
    import zipfile

    with zipfile.ZipFile(path) as archive:  # the monospaced face travels with the file
        table = archive.read("word/fontTable.xml").decode("utf-8")
    mono = table[table.index('w:name="Noto Sans Mono"'):]
    assert "w:embedRegular" in mono[:mono.index("</w:font>")], table
    printed = libreoffice_pdf(path, tmp_path / "lo")
    fonts = subprocess.run(["pdffonts", str(printed)], capture_output=True, text=True).stdout
    assert "NotoSansMono" in fonts, fonts
    assert "return (end / start) ** (1 / years) - 1" in pdf_text(printed)


def test_the_bilingual_edition_shows_code_once(report: Path, tmp_path: Path):
    out = tmp_path / "dist"
    assert cli("build", str(report), "--out", str(out), "--edition", "bilingual")[0] == 0
    assert pdf_text(out / "demo" / "demo.bilingual.pdf").count("def cagr") == 1
    import docx

    document = docx.Document(str(out / "demo" / "demo.bilingual.docx"))
    assert sum("def cagr" in p.text for p in document.paragraphs) == 1


@pytest.mark.parametrize(("old", "new", "message"), [
    ("    language: python\n", "    language: klingon\n",
     "code 'cagr-code' language 'klingon' is not one Pygments knows"),
    ("  - code: plain\n    text: |\n      region,usd_billion\n      APAC,3.5\n",
     "  - code: plain\n    text: ''\n", "code 'plain' text must be the code"),
])
def test_a_bad_code_block_is_a_located_error(report: Path, old: str, new: str, message: str):
    section = report / "sections" / "01-overview.yaml"
    edit(section, old, new)
    code, output = cli("check", str(report))
    assert code == 1 and message in output, output
    needle = "language: klingon" if "klingon" in new else "text: ''"
    assert f"01-overview.yaml:{line_of(section, needle)}: error:" in output, output


def test_markdown_fences_import_as_code_blocks(tmp_path: Path):
    source = tmp_path / "notes.md"
    source.write_text("# 报告\n\n## 附录\n\n```python\ndef f(x):\n    return x  # 注释: 值\n```\n\n"
                      "```\n\n  indented first\n```\n", encoding="utf-8")
    out = tmp_path / "imported"
    result = CliRunner().invoke(main, ["import-markdown", str(source), "--out", str(out)])
    assert result.exit_code == 0, result.output
    from builder.readers.report import read_report

    record, diag = read_report(out)
    assert record is not None and not diag.errors, [d.format() for d in diag.items]
    blocks = [b for s in record.sections for b in s.blocks if b.kind == "code"]
    assert [(b.fields["language"], b.fields["code"]) for b in blocks] == [
        ("python", "def f(x):\n    return x  # 注释: 值"), ("", "\n  indented first")]
