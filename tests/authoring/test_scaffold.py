"""`report-builder new`: a commented report that checks clean and builds at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.authoring.support import build_report, docx_text, pdf_text, run


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_new_report_checks_clean_and_builds(tmp_path: Path, lang: str):
    result = run("new", "q3-outlook", "--lang", lang, "--dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    folder = tmp_path / "q3-outlook"
    assert {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} == {
        "report.yaml", "sections/01-overview.yaml", "charts/sales.yaml", "data/sales.csv",
        "translations.yaml"}
    assert "# " in (folder / "report.yaml").read_text(encoding="utf-8")  # commented
    check = run("check", str(folder), "--strict")
    assert check.exit_code == 0, check.output
    assert "ok (0 warning(s))" in check.output
    out = build_report(folder, tmp_path / "dist", ("zh", "en"))
    zh = pdf_text(out / "q3-outlook.zh.pdf")
    en = pdf_text(out / "q3-outlook.en.pdf")
    assert "12亿美元" in zh and "26亿美元" in zh  # the data file flows into the text
    assert "USD 1.2 billion" in en and "[untranslated]" not in en
    assert "市场规模" in docx_text(out / "q3-outlook.zh.docx")


def test_new_refuses_an_existing_folder(tmp_path: Path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "keep.txt").write_text("mine", encoding="utf-8")
    result = run("new", "taken", "--dir", str(tmp_path))
    assert result.exit_code == 2
    assert "already exists; nothing was written" in result.output
    assert [p.name for p in (tmp_path / "taken").iterdir()] == ["keep.txt"]


def test_new_rejects_a_name_that_is_not_an_id(tmp_path: Path):
    result = run("new", "Q3 Outlook", "--dir", str(tmp_path))
    assert result.exit_code == 2
    assert not any(tmp_path.iterdir())
