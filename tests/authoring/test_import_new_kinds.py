"""A Markdown report with a quadrant chart, a gantt and a sequence diagram imports and builds
with all three drawn, as searchable text in the PDF and as Word drawings in the DOCX."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from tests.authoring.support import CORPUS, build_report, pdf_text, run
from tests.helpers import squash

WPG = "{http://schemas.microsoft.com/office/word/2010/wordprocessingGroup}wgp"
EXPECTED = {
    "zh": ["GPU云厂商定位", "价格破坏者", "CoreWeave", "建设路线图", "机房改造", "关键任务",
           "里程碑", "客户", "提交推理请求"],
    "en": ["Positioning of GPU clouds", "Disruptors", "CoreWeave", "Build roadmap",
           "Site works", "Critical", "Milestone", "Customer", "Submit a request"],
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_imported_quadrant_gantt_and_sequence_are_drawn(lang: str, tmp_path: Path):
    folder = tmp_path / "plan"
    result = run("import-markdown", str(CORPUS / f"roadmap-{lang}.md"), "--out", str(folder),
                 "--lang", lang)
    assert result.exit_code == 0, result.output
    assert ": warning:" not in result.output  # nothing became a placeholder
    kinds = sorted(p.read_text(encoding="utf-8").split(None, 1)[0]
                   for p in (folder / "charts").glob("*.mmd"))
    assert kinds == ["gantt", "quadrantChart", "sequenceDiagram"]
    out = build_report(folder, tmp_path / "dist", (lang,))
    text = squash(pdf_text(out / f"plan.{lang}.pdf"))
    for words in EXPECTED[lang]:
        assert squash(words) in text, words
    document = docx.Document(str(out / f"plan.{lang}.docx"))
    assert len(list(document.element.body.iter(WPG))) == 3  # each chart as a Word drawing
