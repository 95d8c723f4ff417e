"""Report parameters: `params:` in report.yaml, `--param NAME=VALUE`, templates and bound SQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.authoring.scaffold import scaffold
from builder.cli import main
from tests.helpers import edit, line_of
from tests.libreoffice import pdf_text

PARAMS = """params:
  region:
    type: text
    default: global
    values: [global, APAC, EMEA]
    label: {zh: 地区, en: Region}
  detailed:
    type: boolean
    default: false
"""


@pytest.fixture()
def report(tmp_path: Path) -> Path:
    root = tmp_path / "demo"
    scaffold(root, "demo", "zh")
    with sqlite3.connect(root / "data" / "regions.sqlite") as connection:
        connection.execute("CREATE TABLE sales (region TEXT, year INTEGER, usd_billion REAL)")
        connection.executemany("INSERT INTO sales VALUES (?, ?, ?)", [
            ("global", 2024, 10.0), ("APAC", 2024, 3.5), ("EMEA", 2024, 2.25),
            ("x' OR '1'='1", 2024, 99.0)])
    edit(root / "report.yaml", "data:", PARAMS + "data:")
    edit(root / "report.yaml", "  sales: data/sales.csv", "  sales: data/sales.csv\n"
         "  regional: {file: data/regions.sqlite, query: 'SELECT year, usd_billion FROM sales "
         "WHERE region = :region'}")
    section = root / "sections" / "01-overview.yaml"
    section.write_text(section.read_text(encoding="utf-8") + (
        "\n  - paragraph: regional\n"
        "    zh: '{{ params.region }}地区2024年规模：{{ regional[2024].usd_billion }}"
        "{% if params.detailed %}（详细版）{% endif %}'\n"
        "    en: 'Region {{ params.region }} in 2024: {{ regional[2024].usd_billion }}"
        "{% if params.detailed %} (detailed){% endif %}'\n"), encoding="utf-8")
    return root


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def test_a_parameter_value_reaches_the_text_and_binds_the_query(report: Path, tmp_path: Path):
    out = tmp_path / "dist"
    code, output = run("build", str(report), "--out", str(out), "--format", "pdf",
                       "--edition", "en", "--param", "region=APAC", "--param", "detailed=yes")
    assert code == 0, output
    text = "".join(pdf_text(out / "demo" / "demo.en.pdf").split())
    assert "RegionAPACin2024:3.5(detailed)" in text, text
    # Defaults when no value is given.
    code, output = run("build", str(report), "--out", str(out), "--format", "pdf",
                       "--edition", "en")
    assert code == 0, output
    text = "".join(pdf_text(out / "demo" / "demo.en.pdf").split())
    assert "Regionglobalin2024:10" in text and "(detailed)" not in text, text


def test_a_value_is_bound_never_formatted_into_the_sql(report: Path, tmp_path: Path):
    edit(report / "report.yaml", "values: [global, APAC, EMEA]", "values: [global, \"x' OR '1'='1\"]")
    code, output = run("build", str(report), "--out", str(tmp_path / "d"), "--format", "pdf",
                       "--edition", "en", "--param", "region=x' OR '1'='1")
    assert code == 0, output  # the hostile text is one value: the row that holds exactly it
    text = "".join(pdf_text(tmp_path / "d" / "demo" / "demo.en.pdf").split())
    assert "in2024:99" in text, text


def test_changing_a_parameter_rebuilds_and_repeating_it_skips(report: Path, tmp_path: Path):
    out = str(tmp_path / "dist")
    args = ("build", str(report), "--out", out, "--format", "pdf", "--edition", "zh")
    assert run(*args, "--param", "region=EMEA")[1].count("wrote ") == 1
    assert "up to date" in run(*args, "--param", "region=EMEA")[1]
    assert run(*args, "--param", "region=APAC")[1].count("wrote ") == 1


@pytest.mark.parametrize(("given", "message"), [
    ("region=Mars", "parameter 'region': 'Mars' is not one of global, APAC, EMEA"),
    ("detailed=maybe", "parameter 'detailed': 'maybe' is not a boolean (true or false)"),
    ("colour=red", "unknown parameter 'colour' (hint: declared: region, detailed)"),
])
def test_a_bad_value_is_a_located_error(report: Path, tmp_path: Path, given: str, message: str):
    for command in ("check", "build"):
        extra = ("--out", str(tmp_path / "d")) if command == "build" else ()
        code, output = run(command, str(report), *extra, "--param", given)
        assert code == 1, output
        name = given.split("=")[0] if given.split("=")[0] != "colour" else "region"
        line = line_of(report / "report.yaml", f"  {name}:")
        assert f"report.yaml:{line}: error: {message}" in output, output
    assert not (tmp_path / "d" / "demo").exists() or not list((tmp_path / "d" / "demo").glob("*.pdf"))


def test_a_malformed_param_option_is_a_usage_error(report: Path):
    code, output = run("build", str(report), "--param", "region")
    assert code == 2 and "'region' is not NAME=VALUE" in output, output


@pytest.mark.parametrize(("declaration", "message"), [
    ("params:\n  region: {type: colour, default: x}\n", "parameter 'region' type must be"),
    ("params:\n  region: {type: text}\n", "parameter 'region' needs a default"),
    ("params:\n  n: {type: integer, default: many}\n", "parameter 'n': is not an integer"),
    ("params:\n  r: {default: a, values: [b, c]}\n", "the default 'a' is not one of its values"),
])
def test_a_bad_declaration_is_a_located_error(report: Path, declaration: str, message: str):
    edit(report / "report.yaml", PARAMS, declaration)
    edit(report / "sections" / "01-overview.yaml", "{{ params.region }}", "", count=2)
    code, output = run("check", str(report))
    assert code == 1 and "report.yaml:" in output and message in output, output
