"""SQLite data sources: queries only read, reach no other file, and cannot run away."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from builder.diagnostics import BuildError
from builder.readers.data import read_data_source


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "report" / "m.sqlite"
    path.parent.mkdir()
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE market (year INTEGER, usd_billion REAL)")
        db.executemany("INSERT INTO market VALUES (?, ?)", [(2023, 3.17), (2032, 47.24)])
    db.close()
    return path


def query(database: Path, sql: str) -> str:
    """Return the one error line that running `sql` gives, located at report.yaml:9."""
    with pytest.raises(BuildError) as info:
        read_data_source(database, "m", sql, (database.parent / "report.yaml", 9))
    [diagnostic] = info.value.diagnostics
    assert diagnostic.line == 9
    return diagnostic.message


@pytest.mark.parametrize("name", ["attach", "vacuum"])
def test_a_query_cannot_create_a_file_outside_the_report(database: Path, tmp_path: Path,
                                                         name: str):
    target = tmp_path / "outside" / f"{name}.db"
    target.parent.mkdir()
    sql = {"attach": f"ATTACH DATABASE '{target}' AS x",
           "vacuum": f"VACUUM INTO '{target}'"}[name]
    assert "is not allowed" in query(database, sql)
    assert list(target.parent.iterdir()) == []


@pytest.mark.parametrize("sql", [
    "DELETE FROM market",
    "INSERT INTO market VALUES (2040, 1)",
    "UPDATE market SET usd_billion = 0",
    "DROP TABLE market",
    "CREATE TABLE t (a)",
    "PRAGMA writable_schema = 1",
    "PRAGMA table_info(market)",
    "SELECT load_extension('/tmp/evil.so')",
    "BEGIN",
])
def test_anything_but_reading_is_refused(database: Path, sql: str):
    assert "not allowed" in query(database, sql)
    assert read_data_source(database, "m", "SELECT * FROM market")[2032]["usd_billion"] == 47.24


def test_an_endless_recursive_query_is_stopped(database: Path):
    message = query(database, "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
                              "SELECT count(*) FROM r")
    assert "runs too long" in message


def test_a_query_returning_endless_rows_is_stopped(database: Path):
    message = query(database, "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
                              "SELECT n FROM r")
    assert "more than 100,000 rows" in message


@pytest.mark.parametrize("sql", ["SELECT randomblob(900000000)", "SELECT zeroblob(900000000)",
                                 "SELECT hex(zeroblob(900000000))"])
def test_memory_bombs_are_refused(database: Path, sql: str):
    assert "is not allowed" in query(database, sql)


def test_a_string_doubling_query_hits_the_length_limit(database: Path):
    message = query(database, "WITH RECURSIVE r(s) AS (SELECT 'x' UNION ALL SELECT s || s FROM r) "
                              "SELECT s FROM r")
    assert "too big" in message


def test_ordinary_queries_still_work(database: Path):
    table = read_data_source(database, "m", "WITH t AS (SELECT year, usd_billion * 10 AS v FROM "
                                            "market) SELECT year, round(v, 1) AS v FROM t "
                                            "ORDER BY year")
    assert [row["v"] for row in table] == [31.7, 472.4]
