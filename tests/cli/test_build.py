"""`report-builder build`: progress lines off a terminal, and a failed build changes nothing."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from builder.cli import main
from tests.helpers import edit


def test_progress_is_plain_log_lines_when_not_on_a_terminal(report_copy: Path, tmp_path: Path):
    result = CliRunner().invoke(main, ["build", str(report_copy), "--out", str(tmp_path),
                                       "--edition", "en", "--format", "docx", "--jobs", "1"])
    assert result.exit_code == 0, result.output
    log = result.stderr.splitlines()
    assert any(line.endswith("compose en") for line in log), log
    assert any(line.endswith("render gpu-market.en.docx") for line in log), log
    assert "\r" not in result.stderr and "\033[" not in result.stderr
    assert f"wrote {tmp_path / 'gpu-market' / 'gpu-market.en.docx'}" in result.stdout


def test_a_broken_build_leaves_the_last_good_outputs_byte_for_byte(report_copy: Path,
                                                                   tmp_path: Path):
    args = ["build", str(report_copy), "--out", str(tmp_path), "--edition", "zh"]
    assert CliRunner().invoke(main, args).exit_code == 0
    folder = tmp_path / "gpu-market"
    good = {p.name: p.read_bytes() for p in folder.glob("gpu-market.*")}
    edit(report_copy / "sections" / "01-executive-summary.yaml", "{{ market_size[2032]",
         "{{ market_size[2099]")
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "error: data source 'market_size' has no row 2099" in result.stderr
    assert "build failed: " in result.stderr and "no output was changed" in result.stderr
    assert {p.name: p.read_bytes() for p in folder.glob("gpu-market.*")} == good
