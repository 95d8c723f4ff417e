"""Data expressions in text: per-language filters and located, never-empty errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.compose.text import TextError, render_text
from builder.readers.data import DataTable, read_csv

DATA = {"market_size": DataTable("market_size", [
    {"year": 2023, "usd_billion": 3.17}, {"year": 2032, "usd_billion": 47.24}], Path("m.csv"))}


def test_the_same_expression_renders_per_language():
    text = "{{ market_size[2032].usd_billion | usd('billion') }}"
    assert render_text(text, "zh", DATA) == "472.4亿美元"
    assert render_text(text, "en", DATA) == "USD 47.24 billion"


def test_an_unknown_name_is_an_error_not_an_empty_string():
    with pytest.raises(TextError, match="'market' is undefined"):
        render_text("{{ market[2032] }}", "zh", DATA)


def test_a_missing_row_names_the_rows_there_are():
    with pytest.raises(TextError, match=r"has no row 2031 \(rows: 2023, 2032\)"):
        render_text("{{ market_size[2031].usd_billion }}", "en", DATA)


def test_a_filter_on_text_is_an_error():
    with pytest.raises(TextError, match="usd expects a number"):
        render_text("{{ 'abc' | usd }}", "en", DATA)


def test_the_sandbox_refuses_attribute_escapes():
    with pytest.raises(TextError):
        render_text("{{ market_size.__class__.__init__.__globals__ }}", "en", DATA)


def test_a_syntax_error_reports_the_line_inside_the_text():
    with pytest.raises(TextError) as info:
        render_text("line one\n{{ broken( }}", "en", DATA)
    assert info.value.line_offset == 1


def test_csv_cells_become_numbers_and_rows_are_keyed(tmp_path: Path):
    path = tmp_path / "m.csv"
    path.write_text("year,usd_billion,note\n2023,3.17,a\n2032,47.24,b\n", encoding="utf-8")
    table = read_csv(path, "m")
    assert table[2032]["usd_billion"] == 47.24
    assert table["2023"]["note"] == "a"
    assert table.column("year") == [2023, 2032]


def test_dates_are_written_per_language():
    assert render_text("{{ '2025-06-30' | date }}", "zh", DATA) == "2025年6月30日"
    assert render_text("{{ '2025-06-30' | date }}", "en", DATA) == "30 June 2025"
    with pytest.raises(TextError, match="template error"):
        render_text("{{ 'June' | date }}", "en", DATA)
