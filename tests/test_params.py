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


# -- `where:` filters, chart texts and the bundled company-brief example ------------------------

EXAMPLE = Path(__file__).resolve().parents[1] / "content" / "company-brief"


@pytest.fixture()
def brief(tmp_path: Path) -> Path:
    import shutil

    root = tmp_path / "company-brief"
    shutil.copytree(EXAMPLE, root)
    return root


def test_where_keeps_the_rows_of_the_variant_for_text_and_charts(brief: Path, tmp_path: Path):
    out = tmp_path / "dist"
    texts = {}
    for company in ("fireworks", "modal"):
        code, output = run("build", str(brief), "--out", str(out / company), "--format", "pdf",
                           "--edition", "en", "--param", f"company={company}")
        assert code == 0, output
        texts[company] = " ".join(pdf_text(out / company / "company-brief" /
                                           "company-brief.en.pdf").split())
    fireworks, modal = texts["fireworks"], texts["modal"]
    # The text's loop over `figures` and the chart's bars see only the variant's rows.
    assert "Key figures: Current valuation: USD 552 million; Valuation sought: USD 4 billion" \
        in fireworks, fireworks
    assert "Key figures: Total funding: USD 32 million; Pre-Series A valuation (2023): USD 138 " \
        "million." in modal, modal
    assert "Total funding" not in fireworks and "Valuation sought" not in modal
    # Chart labels are drawn as text: the bars of the other company are not there.
    assert fireworks.count("USD 4 billion") == 2 and modal.count("USD 138 million") == 2
    assert "Modal Labs: company brief" in modal and "Fireworks.ai" not in modal


def test_a_chart_text_renders_the_parameters(brief: Path, tmp_path: Path):
    from builder.charts.stage import ChartStage, chart_figures
    from builder.pipeline import chart_texts, read_stage
    from builder.themes import load_theme

    record, data, _ = read_stage(brief, {"company": "modal"})
    stage = ChartStage(data, load_theme("default"), tmp_path, render=False,
                       texts=chart_texts(record, data))
    figure = next(iter(chart_figures(record)))
    zh, en = stage.spec(figure.fields, "zh"), stage.spec(figure.fields, "en")
    assert (zh.title, zh.series[0].title) == ("Modal Labs关键数字", "Modal Labs")
    assert (en.title, en.x_axis.categories) == ("Modal Labs: key figures",
                                         ("Total funding", "Pre-Series A valuation (2023)"))
    assert zh.x_axis.categories == ("融资总额", "估值（2023年A轮前）")


def test_a_bad_chart_template_is_located_in_the_chart_file(brief: Path):
    chart = brief / "charts" / "key-figures.yaml"
    edit(chart, "en: '{{ companies[params.company].name_en }}: key figures'",
         "en: '{{ companies[params.company].nickname }}: key figures'")
    code, output = run("check", str(brief))
    line = line_of(chart, "nickname")
    assert code == 1 and f"key-figures.yaml:{line}: error: " in output, output


@pytest.mark.parametrize(("where", "message"), [
    ("{company: '{{ params.firm }}'}", "where names the undeclared parameter 'firm' "
                                       "(hint: declared: company)"),
    ("{firm: '{{ params.company }}'}", "data source 'figures' has no column 'firm' to filter on"),
    ("{company: '{{ params.company | upper }}'}", "must be a literal or '{{ params.NAME }}'"),
    ("{company: [a, b]}", "where value of column 'company' must be a number or a text"),
    ("{company: nobody}", "data source 'figures' has no row where company = 'nobody'"),
])
def test_a_bad_where_is_a_located_error(brief: Path, where: str, message: str):
    edit(brief / "report.yaml", "where: {company: '{{ params.company }}'}", f"where: {where}")
    code, output = run("check", str(brief))
    line = line_of(brief / "report.yaml", "where:")
    assert code == 1 and f"report.yaml:{line}" in output and message in output, output


def test_the_example_variants_build_as_a_batch_with_different_numbers(brief: Path,
                                                                       tmp_path: Path):
    out = tmp_path / "dist"
    code, output = run("batch", str(brief / "variants.csv"), str(brief), "--out", str(out))
    assert code == 0 and "2 built, 0 skipped, 0 failed" in output, output
    for company, number in (("fireworks", "40亿美元"), ("modal", "3200万美元")):
        folder = out / "company-brief" / company
        assert len(list(folder.glob("company-brief.*.pdf"))) == 3
        assert len(list(folder.glob("company-brief.*.docx"))) == 3
        assert number in "".join(pdf_text(folder / "company-brief.zh.pdf").split())


def test_a_one_chapter_report_has_no_contents(brief: Path, tmp_path: Path):
    import docx

    out = tmp_path / "dist"
    code, output = run("build", str(brief), "--out", str(out), "--edition", "zh")
    assert code == 0, output
    pdf = out / "company-brief" / "company-brief.zh.pdf"
    from pypdf import PdfReader

    assert len(PdfReader(pdf).pages) == 2  # the cover and the brief
    assert "目录" not in pdf_text(pdf)
    document = docx.Document(str(out / "company-brief" / "company-brief.zh.docx"))
    instructions = " ".join(t.text or "" for t in document.element.body.iter(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}instrText"))
    assert "TOC" not in instructions and "PAGEREF" not in instructions
    assert "PAGEREF _LastPage" in "".join(  # the footer's total (numbering after the cover)
        t.text or "" for s in document.sections for p in s.footer.paragraphs
        for t in p._p.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}instrText"))
