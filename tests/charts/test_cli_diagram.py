"""The `diagram` command through click's CliRunner: render, dump, errors and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from builder.cli_diagram import diagram

SEED_XY = ('xychart-beta\n    title "DGX H100实例每小时成本对比"\n'
           "    x-axis [Hyperscalers, Neoclouds, Serverless]\n"
           '    y-axis "美元/小时" 0 --> 100\n    bar [98, 34, 2.85]\n')


@pytest.fixture
def cli() -> click.Group:
    @click.group()
    def group() -> None:
        pass

    group.add_command(diagram)
    return group


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    good = tmp_path / "cost.mmd"
    good.write_text(SEED_XY, encoding="utf-8")
    bad = tmp_path / "seq.mmd"
    bad.write_text("classDiagram\n  A <|-- B\n", encoding="utf-8")
    spec = tmp_path / "pie.yaml"
    spec.write_text("kind: pie\ntitle: {zh: 份额, en: Share}\nslices:\n"
                    "  - {label: {zh: 其他, en: Others}, value: 3}\n", encoding="utf-8")
    return {"good": good, "bad": bad, "spec": spec}


@pytest.mark.parametrize("suffix", [".svg", ".png", ".pdf"])
def test_renders_one_file_in_the_format_of_out(cli, files, tmp_path, suffix):
    out = tmp_path / f"chart{suffix}"
    result = CliRunner().invoke(cli, ["diagram", str(files["good"]), "--out", str(out)])
    assert result.exit_code == 0, result.output
    head = out.read_bytes()[:8]
    assert {".svg": b"<?xml", ".png": b"\x89PNG", ".pdf": b"%PDF"}[suffix] in head


def test_dump_prints_one_json_line_per_input_and_fails_when_one_fails(cli, files):
    result = CliRunner().invoke(cli, ["diagram", str(files["good"]), str(files["bad"]),
                                      str(files["spec"]), "--dump", "--lang", "en"])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [Path(line["file"]).name for line in lines] == ["cost.mmd", "seq.mmd", "pie.yaml"]
    assert lines[0]["kind"] == "xychart" and lines[0]["series"][0]["values"] == [98, 34, 2.85]
    assert lines[1]["error"].endswith("seq.mmd:1: unsupported mermaid diagram type "
                                      "'classDiagram'")
    assert lines[2]["slices"] == [{"label": "Others", "value": 3}]


def test_dump_of_good_inputs_exits_zero(cli, files):
    result = CliRunner().invoke(cli, ["diagram", str(files["good"]), "--dump"])
    assert result.exit_code == 0
    assert json.loads(result.output)["title"] == "DGX H100实例每小时成本对比"


def test_bad_input_is_one_line_and_exit_one(cli, files, tmp_path):
    result = CliRunner().invoke(cli, ["diagram", str(files["bad"]), "--out",
                                      str(tmp_path / "x.png")])
    assert result.exit_code == 1
    assert "seq.mmd:1: error: unsupported mermaid diagram type" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "x.png").exists()


@pytest.mark.parametrize("args", [
    ["--out", "x.gif"], [], ["--dump", "--out", "x.png"], ["--lang", "fr", "--dump"],
])
def test_usage_errors_exit_two(cli, files, args):
    result = CliRunner().invoke(cli, ["diagram", str(files["good"]), *args])
    assert result.exit_code == 2, result.output


def test_missing_file_is_a_content_error(cli, tmp_path):
    result = CliRunner().invoke(cli, ["diagram", str(tmp_path / "none.mmd"), "--dump"])
    assert result.exit_code == 1 and "chart file not found" in result.output
