"""`report-builder check`: one located line per problem, exit codes 0 / 1 / 2, never a traceback."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from builder.cli import main
from tests.helpers import REPORT, edit, line_of


def run_check(*args: str) -> tuple[int, list[str]]:
    result = CliRunner().invoke(main, ["check", *args])
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line]
    return result.exit_code, lines


def errors(lines: list[str]) -> list[str]:
    return [line for line in lines if ": error: " in line]


def test_the_bundled_report_checks_clean():
    code, lines = run_check(str(REPORT))
    assert code == 0, lines
    assert [line for line in lines if ": error: " in line or ": warning: " in line] == []
    assert lines[-1].endswith("ok (0 warning(s))"), lines


def test_strict_turns_a_missing_link_warning_into_a_failure(report_copy: Path):
    section = report_copy / "sections" / "03-fireworks-ai.yaml"
    edit(section, "(#research-reports)", "(./reports/fireworks.md)", count=2)  # zh and en
    code, lines = run_check(str(report_copy))
    assert code == 0, lines
    warned = [line for line in lines if ": warning: link" in line]  # (and the stale en text)
    block = line_of(section, "- paragraph: fireworks-details")  # reported once, at its block
    assert len(warned) == 1 and f"03-fireworks-ai.yaml:{block}: " \
        "warning: link target './reports/fireworks.md' does not exist" in warned[0], warned
    code, lines = run_check(str(report_copy), "--strict")
    assert code == 1
    assert " 0 error(s), " in lines[-1], lines[-1]


def test_a_yaml_syntax_error_is_located(report_copy: Path):
    section = report_copy / "sections" / "02-market-overview.yaml"
    line = line_of(section, "- heading: market-size")
    edit(section, "  - heading: market-size", "  - heading: [market-size")
    code, lines = run_check(str(report_copy))
    assert code == 1
    assert len(errors(lines)) == 1
    message = errors(lines)[0]
    assert message.startswith(f"{section}:")
    assert ": error: YAML syntax error: " in message
    assert int(message.split(":")[1]) >= line


def test_a_duplicate_id_names_both_places(report_copy: Path):
    section = report_copy / "sections" / "03-fireworks-ai.yaml"
    first = report_copy / "sections" / "01-executive-summary.yaml"
    first_line = line_of(first, "- paragraph: exec-intro")
    text = section.read_text(encoding="utf-8")
    block_id = text.split("- heading: ", 1)[1].split("\n", 1)[0]
    line = line_of(section, f"- heading: {block_id}")
    edit(section, f"- heading: {block_id}", "- heading: exec-intro")
    code, lines = run_check(str(report_copy))
    assert code == 1
    assert errors(lines) == [
        f"{section}:{line}: error: duplicate id 'exec-intro' (first used at "
        f"{first}:{first_line})"]


def test_a_deleted_translation_is_located(report_copy: Path):
    section = report_copy / "sections" / "01-executive-summary.yaml"
    line = line_of(section, "- paragraph: exec-intro")
    lines_of_file = section.read_text(encoding="utf-8").splitlines(keepends=True)
    en_index = next(i for i, text in enumerate(lines_of_file)
                    if i > line and text.lstrip().startswith("en: The GPU compute market"))
    del lines_of_file[en_index]
    section.write_text("".join(lines_of_file), encoding="utf-8")
    code, lines = run_check(str(report_copy))
    assert code == 1
    assert errors(lines) == [
        f"{section}:{line}: error: missing en translation of paragraph 'exec-intro' "
        f"(hint: add `en:` next to `zh:`)"]


def test_an_unknown_figure_chart_is_located(report_copy: Path):
    section = report_copy / "sections" / "05-competitive-landscape.yaml"
    line = line_of(section, "chart: charts/hourly-cost.yaml")
    edit(section, "chart: charts/hourly-cost.yaml", "chart: charts/hourly-costs.yaml")
    code, lines = run_check(str(report_copy))
    assert code == 1
    assert errors(lines) == [
        f"{section}:{line}: error: unknown chart file 'charts/hourly-costs.yaml' "
        f"(hint: chart paths are relative to the report folder)"]


def test_a_mistyped_data_name_is_located_not_printed_empty(report_copy: Path):
    section = report_copy / "sections" / "01-executive-summary.yaml"
    line = line_of(section, "zh: GPU算力市场正经历")
    edit(section, "增长到2032年的{{ market_size[2032]", "增长到2032年的{{ market_sise[2032]")
    code, lines = run_check(str(report_copy))
    assert code == 1
    assert errors(lines) == [
        f"{section}:{line}: error: unknown name in template: 'market_sise' is undefined"]


def test_a_missing_data_row_is_located(report_copy: Path):
    section = report_copy / "sections" / "01-executive-summary.yaml"
    line = line_of(section, "zh: GPU算力市场正经历")
    edit(section, "增长到2032年的{{ market_size[2032]", "增长到2032年的{{ market_size[2031]")
    code, lines = run_check(str(report_copy))
    assert code == 1
    assert errors(lines) == [
        f"{section}:{line}: error: data source 'market_size' has no row 2031 "
        f"(rows: 2023, 2025, 2032)"]


def test_a_character_no_font_covers_is_reported_before_rendering(report_copy: Path):
    section = report_copy / "sections" / "01-executive-summary.yaml"
    line = line_of(section, "zh: GPU算力市场正经历")
    edit(section, "zh: GPU算力市场正经历", "zh: GPU算力市场𓀀正经历")  # an Egyptian hieroglyph
    code, lines = run_check(str(report_copy))
    assert code == 1
    assert errors(lines) == [
        f"{section}:{line}: error: no font of the theme covers '𓀀' (U+13000) "
        f"(hint: replace the character, or list a font that covers it in the theme's "
        f"fonts.fallback)"]


def test_a_control_character_is_rejected(report_copy: Path):
    section = report_copy / "sections" / "01-executive-summary.yaml"
    line = line_of(section, "zh: GPU算力市场正经历")
    edit(section, "zh: GPU算力市场正经历", "zh: GPU算力\\x07市场正经历".replace("\\x07", "\x07"))
    code, lines = run_check(str(report_copy))
    assert code == 1
    assert any(message.startswith(f"{section}:{line}: error: ") for message in errors(lines))


def test_an_unknown_block_kind_lists_the_known_ones(report_copy: Path):
    section = report_copy / "sections" / "01-executive-summary.yaml"
    line = line_of(section, "- paragraph: exec-intro")
    edit(section, "- paragraph: exec-intro", "- paragrap: exec-intro")
    code, lines = run_check(str(report_copy))
    assert code == 1
    assert errors(lines)[0].startswith(
        f"{section}:{line}: error: unknown block kind 'paragrap' (hint: kinds: callout,")


def test_chinese_in_a_neutral_text_is_reported(report_copy: Path):
    section = report_copy / "sections" / "01-executive-summary.yaml"
    edit(section, "      - value: 35%", "      - value: 35%增长")
    line = line_of(section, "      - value: 35%增长")
    code, lines = run_check(str(report_copy))
    assert code == 1
    assert errors(lines) == [
        f"{section}:{line}: error: language-neutral KPI value contains Chinese, so it would "
        f"appear in the English edition (hint: write it as {{zh: …, en: …}})"]


def test_a_folder_without_report_yaml_is_a_usage_error(tmp_path: Path):
    code, lines = run_check(str(tmp_path))
    assert code == 2
    assert "holds no report.yaml" in " ".join(lines)


def test_every_problem_line_has_the_located_form(report_copy: Path):
    section = report_copy / "sections" / "01-executive-summary.yaml"
    edit(section, "- paragraph: exec-intro", "- paragraph: Exec Intro")
    edit(section, "{{ market_size[2023]", "{{ market_size[1999]")
    code, lines = run_check(str(report_copy))
    assert code == 1
    problems = [line for line in lines if ": error: " in line or ": warning: " in line]
    assert len(errors(lines)) == 2
    for line in problems:
        path, number, _ = line.split(":", 2)
        assert Path(path).exists() and number.isdigit()
