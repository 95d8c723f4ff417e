"""The bilingual PDF lets an English reader read every chart and figure of merit: chart texts in
both languages, KPI values in both formats; the one-language editions stay in one language."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from builder.charts.stage import ChartStage, chart_figures
from builder.model.charts import spec_texts
from builder.pipeline import read_stage
from builder.themes import load_theme
from tests.helpers import REPORT


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pdf_text(pdf: Path) -> str:
    return _flat(subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                                text=True).stdout)


def _english_chart_lines() -> set[str]:
    """Return the text lines the English specs of the bundled charts add to the Chinese ones."""
    record, data, _ = read_stage(REPORT)
    stage = ChartStage(data, load_theme("default"), Path("."), render=False)
    lines: set[str] = set()
    for block in chart_figures(record):
        zh = {line for text in spec_texts(stage.spec(block.fields, "zh"))
              for line in text.split("\n")}
        for text in spec_texts(stage.spec(block.fields, "en")):
            lines.update(line for line in text.split("\n")
                         if line and line not in zh and re.search("[A-Za-z]", line))
    # The chart title is the caption's job (it is not drawn inside the chart).
    return lines - {t for b in chart_figures(record) for t in _titles(stage, b.fields)}


def _titles(stage: ChartStage, fields) -> set[str]:
    return {getattr(stage.spec(fields, lang), "title", "") or "" for lang in ("zh", "en")}


def test_every_english_chart_text_is_in_the_bilingual_pdf(built: Path):
    lines = _english_chart_lines()
    assert {"Industry average", "Others", "Year"} <= lines
    text = _pdf_text(built / "gpu-market.bilingual.pdf")
    assert "Hyperscalers" in text
    # a value axis in each language's unit (from the value labels' scale), no third unit
    assert _flat("亿美元") in text and _flat("USD billion") in text
    assert "十亿美元" not in text
    missing = sorted(line for line in lines if _flat(line) not in text)
    assert missing == []


def test_the_zh_edition_charts_stay_chinese(built: Path):
    text = _pdf_text(built / "gpu-market.zh.pdf")
    assert "Industryaverage" not in text and "行业平均" in text


@pytest.mark.parametrize(("zh", "en"), [("472.4亿美元", "USD 47.24 billion")])
def test_the_bilingual_kpi_cards_show_both_values(built: Path, zh: str, en: str):
    text = _pdf_text(built / "gpu-market.bilingual.pdf")
    kpi_start = text.index("472.4亿美元USD47.24billion")  # the card: value, then the other
    assert kpi_start >= 0
    document = docx.Document(str(built / "gpu-market.bilingual.docx"))
    # every w:t of a cell: python-docx's `cell.text` skips content controls (generated text)
    cells = ["\n".join("".join(t.text or "" for t in p.iter(qn("w:t")))
                       for p in cell._tc.iter(qn("w:p")))
             for table in document.tables for row in table.rows for cell in row.cells]
    assert any(zh in cell and en in cell for cell in cells), cells
