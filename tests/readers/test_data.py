"""Data sources: CSV, YAML, JSON and SQLite tables keyed by their first column, located errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from builder.config import BuildConfig
from builder.diagnostics import BuildError
from builder.pipeline import build
from builder.readers.data import read_data_source
from tests.helpers import edit, line_of, squash


def make_db(path: Path, value_2032: float = 47.24) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE market (year INTEGER, usd_billion REAL, region TEXT)")
        db.executemany("INSERT INTO market VALUES (?, ?, ?)", [
            (2023, 3.17, "world"), (2025, 4.96, "world"), (2032, value_2032, "world"),
            (2032, 9.9, "emea")])
    db.close()


QUERY = "SELECT year, usd_billion FROM market WHERE region = 'world' ORDER BY year"


def test_a_sqlite_query_becomes_a_keyed_table(tmp_path: Path):
    make_db(tmp_path / "m.sqlite")
    table = read_data_source(tmp_path / "m.sqlite", "market_size", QUERY)
    assert table[2032]["usd_billion"] == 47.24
    assert table.column("year") == [2023, 2025, 2032]


def test_a_bad_query_is_located_at_its_line(tmp_path: Path):
    make_db(tmp_path / "m.sqlite")
    with pytest.raises(BuildError) as info:
        read_data_source(tmp_path / "m.sqlite", "m", "SELECT nope FROM market",
                         (tmp_path / "report.yaml", 12))
    assert info.value.diagnostics[0].line == 12
    assert "SQL error in data source 'm': no such column: nope" in info.value.diagnostics[0].message


def test_the_database_is_opened_read_only(tmp_path: Path):
    make_db(tmp_path / "m.sqlite")
    with pytest.raises(BuildError, match="DELETE market is not allowed"):
        read_data_source(tmp_path / "m.sqlite", "m", "DELETE FROM market")
    assert read_data_source(tmp_path / "m.sqlite", "m", QUERY)[2023]["usd_billion"] == 3.17


def test_csv_rows_must_match_the_header(tmp_path: Path):
    path = tmp_path / "m.csv"
    path.write_text("year,value\n2023,1\n2025\n", encoding="utf-8")
    with pytest.raises(BuildError) as info:
        read_data_source(path, "m")
    assert info.value.diagnostics[0].format().endswith(":3: error: row has 1 cells, the header has 2")


def test_the_report_builds_end_to_end_from_sqlite(report_copy: Path, tmp_path: Path):
    make_db(report_copy / "data" / "market.sqlite", value_2032=50.0)
    report_yaml = report_copy / "report.yaml"
    edit(report_yaml, "  market_size: data/market-size.csv",
         f'  market_size:\n    file: data/market.sqlite\n    query: "{QUERY}"')
    result = build(BuildConfig(report_dir=report_copy, out_dir=tmp_path / "out",
                               editions=("zh", "en"), formats=("pdf",)))
    assert len(result.written) == 2
    import subprocess

    zh = subprocess.run(["pdftotext", str(result.written[0]), "-"], capture_output=True,
                        text=True, check=True).stdout
    en = subprocess.run(["pdftotext", str(result.written[1]), "-"], capture_output=True,
                        text=True, check=True).stdout
    assert "增长到2032年的500亿美元" in squash(zh)
    assert "USD50billionin2032" in squash(en)


def test_check_locates_a_sql_error_in_report_yaml(report_copy: Path):
    make_db(report_copy / "data" / "market.sqlite")
    report_yaml = report_copy / "report.yaml"
    edit(report_yaml, "  market_size: data/market-size.csv",
         '  market_size:\n    file: data/market.sqlite\n    query: "SELECT year, usd_bilion FROM market"')
    line = line_of(report_yaml, "query:")
    result = CliRunner().invoke(main, ["check", str(report_copy)])
    assert result.exit_code == 1
    assert (f"{report_yaml}:{line}: error: SQL error in data source 'market_size': "
            f"no such column: usd_bilion") in result.output
