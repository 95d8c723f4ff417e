"""`new NAME` and `build NAME` agree on where NAME is; REPORT_DIR defaults to the current folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_new_writes_into_the_current_folder_and_build_finds_it_there(cwd: Path):
    runner = CliRunner()
    assert runner.invoke(main, ["new", "demo"]).exit_code == 0
    assert (cwd / "demo" / "report.yaml").is_file()
    result = runner.invoke(main, ["build", "demo", "--edition", "en", "--format", "docx"])
    assert result.exit_code == 0, result.output
    assert (cwd / "dist" / "demo" / "demo.en.docx").is_file()


def test_build_inside_a_report_folder_builds_that_report(cwd: Path,
                                                         monkeypatch: pytest.MonkeyPatch):
    runner = CliRunner()
    assert runner.invoke(main, ["new", "demo"]).exit_code == 0
    monkeypatch.chdir(cwd / "demo")
    assert runner.invoke(main, ["check"]).exit_code == 0
    result = runner.invoke(main, ["build", "--edition", "zh", "--format", "pdf"])
    assert result.exit_code == 0, result.output
    assert (cwd / "demo" / "dist" / "demo" / "demo.zh.pdf").is_file()


def test_no_report_anywhere_is_a_usage_error_that_says_what_to_do(cwd: Path):
    result = CliRunner().invoke(main, ["build"])
    assert result.exit_code == 2
    assert "no report.yaml here" in result.output and "--example gpu-market" in result.output


def test_new_with_an_example_copies_it_under_the_new_id(cwd: Path):
    result = CliRunner().invoke(main, ["new", "q3", "--example", "gpu-market"])
    assert result.exit_code == 0, result.output
    assert "id: q3" in (cwd / "q3" / "report.yaml").read_text(encoding="utf-8")
    assert len(list((cwd / "q3" / "sections").glob("*.yaml"))) >= 5
    assert CliRunner().invoke(main, ["check", "q3"]).exit_code == 0
    unknown = CliRunner().invoke(main, ["new", "x", "--example", "nope"])
    assert unknown.exit_code == 2 and "examples: company-brief, gpu-market" in unknown.output


def test_i18n_status_and_export_default_to_the_report_in_the_current_folder(
        cwd: Path, monkeypatch: pytest.MonkeyPatch):
    runner = CliRunner()
    assert runner.invoke(main, ["new", "demo"]).exit_code == 0
    monkeypatch.chdir(cwd / "demo")
    result = runner.invoke(main, ["i18n", "status"])
    assert result.exit_code == 0 and "overview" in result.output, result.output
    result = runner.invoke(main, ["i18n", "export", "--out", "en.po"])
    assert result.exit_code == 0, result.output
    assert 'msgctxt "overview/intro"' in (cwd / "demo" / "en.po").read_text(encoding="utf-8")
    monkeypatch.chdir(cwd)
    result = runner.invoke(main, ["i18n", "status"])
    assert result.exit_code == 2 and "holds no report.yaml" in result.output, result.output
