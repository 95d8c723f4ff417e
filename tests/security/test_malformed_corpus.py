"""A corpus of malformed content, data and chart files: each ends in located errors, never a crash.

Each case breaks a small scaffolded report in one way a careless or hostile user would, then
runs `check` and `build` through the real command line. The assertions are the same for every
case: exit 0 or 1, no traceback, no "internal error", and every error line names `path:line`.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.authoring.scaffold import scaffold
from builder.cli import main

Mutation = Callable[[Path], None]
ERROR_LINE = re.compile(r"^\S+:\d+: error: \S")
BLOCKS = "sections/01-overview.yaml"


def replace(rel: str, old: str, new: str) -> Mutation:
    def apply(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return apply


def write(rel: str, content: str | bytes) -> Mutation:
    def apply(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return apply


def add_block(yaml_block: str) -> Mutation:
    """Append a block (YAML, indented as a list item under `blocks:`) to the section."""
    def apply(root: Path) -> None:
        path = root / BLOCKS
        path.write_text(path.read_text(encoding="utf-8").rstrip() + "\n\n" + yaml_block,
                        encoding="utf-8")
    return apply


def chart(spec: str) -> Mutation:
    return write("charts/sales.yaml", spec)


def deep_list(depth: int) -> str:
    lines = ["  - list: deep", "    items:"]
    indent = "      "
    for level in range(depth):
        lines.append(f"{indent}- id: lvl{level}")
        lines.append(f"{indent}  zh: 第{level}层")
        lines.append(f"{indent}  en: level {level}")
        if level < depth - 1:
            lines.append(f"{indent}  items:")
            indent += "    "
    return "\n".join(lines) + "\n"


PIE = """kind: pie
title: {zh: 份额, en: Share}
slices:
  - {label: A, value: 0}
  - {label: B, value: 0}
"""
WIDE = ",".join(f"c{i}" for i in range(40))
CASES: dict[str, list[Mutation]] = {
    "dollar signs in a chart label": [replace("charts/sales.yaml", "en: Market size}",
                                              "en: From $98 to $34}")],
    "dollar signs in a pie label": [chart(PIE.replace("label: A, value: 0",
                                                      "label: From $98 to $34, value: 3"))],
    "all-zero pie": [chart(PIE)],
    "paragraph without languages": [add_block("  - paragraph: empty-para\n")],
    "heading without languages": [add_block("  - heading: empty-heading\n")],
    "table without header": [add_block("  - table: no-header\n    rows:\n      - [a, b]\n")],
    "table with 40 columns": [add_block(
        "  - table: wide\n    header: [" + WIDE + "]\n    rows:\n      - [" + WIDE + "]\n")],
    "list 40 levels deep": [add_block(deep_list(40))],
    "a huge number in data": [write("data/sales.csv", "year,usd_billion\n2024,1e308\n"
                                                      "2025,1.8\n2026,2.6\n")],
    "a 4000-digit number in data": [write("data/sales.csv", "year,usd_billion\n2024," + "9" * 4000
                                          + "\n2025,1.8\n2026,2.6\n")],
    "infinity in a template": [replace(BLOCKS, '{{ sales[2024].usd_billion | usd("billion") }}',
                                       "{{ 1e309 | usd }}")],
    "a 128 kB CSV field": [write("data/sales.csv", "year,usd_billion,note\n2024,1.2,"
                                 + "x" * 140_000 + "\n2025,1.8,a\n2026,2.6,b\n")],
    "a non-UTF-8 CSV file": [write("data/sales.csv", "year,usd_billion\n2024,1.2\n2025,\xff\n"
                                   .encode("latin-1"))],
    "a non-UTF-8 JSON data file": [
        write("data/extra.json", b'[{"k": "\xff"}]'),
        replace("report.yaml", "  sales: data/sales.csv", "  sales: data/sales.csv\n"
                                                         "  extra: data/extra.json")],
    "a non-UTF-8 section file": [write(BLOCKS, b"id: overview\ntitle: {zh: \xff, en: x}\n")],
    "duplicate CSV keys": [write("data/sales.csv", "year,usd_billion\n2024,1\n2024,2\n2026,3\n")],
    "keywords as a number": [replace("report.yaml", "authors: [Research team]",
                                     "authors: [Research team]\nkeywords: {zh: 5}")],
    "a recursive macro": [replace(BLOCKS, '{{ sales[2024].usd_billion | usd("billion") }}',
                                  "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}")],
    "an empty chart spec": [chart("")],
    "a chart spec that is a list": [chart("- 1\n- 2\n")],
    "an undeclared edition in the config": [replace("report.yaml",
                                                    "editions: [zh, en, bilingual]",
                                                    "editions: [zh, fr]")],
    "an impossible date": [replace("report.yaml", "date: 2025-01-01", "date: 2025-13-45")],
    "a right-to-left override in text": [replace(BLOCKS, "en: Market size\n",
                                                 "en: Market \u202esize\n")],
    "an isolate control in text": [replace(BLOCKS, "en: Market size\n",
                                           "en: Market \u2066size\u2069\n")],
    "a NUL in text": [replace(BLOCKS, "en: Market size\n", 'en: "Market \\0size"\n')],
    "a YAML alias bomb": [write(BLOCKS, "id: overview\ntitle: {zh: 概述, en: Overview}\n"
                                + "a: &a [x, x, x, x, x, x, x, x, x]\n"
                                + "".join(f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, "
                                          f"*{p}, *{p}]\n"
                                          for p, c in zip("abcdefgh", "bcdefghi", strict=True))
                                + "blocks: []\n")],
    "a YAML syntax error": [write(BLOCKS, "id: overview\ntitle: {zh: 概述\nblocks: [\n")],
    "a chart with unknown kind": [chart("kind: doughnut\n")],
    "a chart column that does not exist": [replace("charts/sales.yaml",
                                                   "values: {column: usd_billion}",
                                                   "values: {column: nope}")],
    "a negative bar value with a log axis": [replace("charts/sales.yaml", "min: 0",
                                                     "min: 0\n  scale: log")],
    "a mermaid file with garbage": [
        write("charts/flow.mmd", "flowchart LR\n  A --> \n  ))((\n"),
        add_block("  - figure: fig-flow\n    chart: charts/flow.mmd\n"
                  "    caption: {zh: 流程, en: Flow}\n")],
    "a figure pointing outside the report": [add_block(
        "  - figure: fig-out\n    chart: ../../../etc/passwd\n    caption: {zh: 外, en: Out}\n")],
}


# What `check` must say for cases that are refused (a substring of one error line), or None
# for cases that must build. Cases not listed may go either way, as long as it is clean.
EXPECTED: dict[str, str | None] = {
    "dollar signs in a chart label": None,
    "dollar signs in a pie label": None,
    "all-zero pie": "every slice of the pie is 0",
    "paragraph without languages": "has no zh or en text",
    "heading without languages": "has no zh or en text",
    "table without header": "has no 'header'",
    "table with 40 columns": "has 40 columns; at most 24 fit a page",
    "list 40 levels deep": "at most 9 levels can be printed",
    "a huge number in data": "outside what a report can print",
    "a 4000-digit number in data": "outside what a report can print",
    "infinity in a template": "out of range",
    "a 128 kB CSV field": "field larger than field limit",
    "a non-UTF-8 CSV file": "data file is not UTF-8 text",
    "a non-UTF-8 JSON data file": "data file is not UTF-8 text",
    "a non-UTF-8 section file": "file is not UTF-8 text",
    "duplicate CSV keys": "repeats the value 2024 (first on line 2)",
    "keywords as a number": "keywords.zh must be a list of words",
    "a recursive macro": "macros cannot be used",
    "an empty chart spec": "the chart spec is empty",
    "an undeclared edition in the config": "editions must list",
    "an impossible date": "date '2025-13-45' is not a date",
    "a right-to-left override in text": "control character U+202E",
    "an isolate control in text": "control character U+2066",
    "a NUL in text": "control character U+0000",
    "a YAML alias bomb": "YAML aliases expand to more than",
    "a figure pointing outside the report": "outside the report folder",
}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("pristine") / "demo"
    scaffold(root, "demo", "zh")
    return root


def run(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, args)
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def assert_clean(code: int, output: str) -> None:
    assert code in (0, 1), output
    assert "Traceback" not in output, output
    assert "internal error" not in output, output
    for line in output.splitlines():
        if ": error: " in line or line.startswith("error:"):
            assert ERROR_LINE.match(line), f"unlocated error line: {line!r}"


@pytest.mark.parametrize("name", CASES)
def test_a_malformed_report_gives_located_errors_never_a_crash(name: str, pristine: Path,
                                                               tmp_path: Path):
    root = tmp_path / "demo"
    shutil.copytree(pristine, root)
    for mutation in CASES[name]:
        mutation(root)
    code, output = run(["check", str(root)])
    assert_clean(code, output)
    checked_ok = code == 0
    if name in EXPECTED:
        expected = EXPECTED[name]
        if expected is None:
            assert checked_ok, output
        else:
            assert any(expected in line for line in output.splitlines()
                       if ": error: " in line), output
    code, output = run(["build", str(root), "--out", str(tmp_path / "dist"), "--edition", "en",
                        "--edition", "zh"])
    assert_clean(code, output)
    # `check` and `build` agree: what check passes builds, what it refuses does not.
    assert (code == 0) == checked_ok, output
