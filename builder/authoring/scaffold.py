"""Scaffold a new report folder (`report-builder new`): the smallest report that checks and builds.

It sits before the pipeline: it only writes files. Every file carries comments that explain its
fields, the source language comes first in every text, and the translation lock is written so
that `check` reports the report as fully translated from the start.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from builder.diagnostics import BuildError
from builder.output import write_atomic

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")

# Texts of the scaffold: (key, zh, en). The source language is written first in each text.
TEXTS: dict[str, tuple[str, str]] = {
    "title": ("新报告", "New report"),
    "subtitle": ("副标题：一句话说明报告的主题", "Subtitle: the subject of the report in a line"),
    "organisation": ("研究部", "Research"),
    "section": ("概述", "Overview"),
    "heading": ("市场规模", "Market size"),
    "intro": ('市场规模预计从2024年的{{ sales[2024].usd_billion | usd("billion") }}增长到'
              '2026年的{{ sales[2026].usd_billion | usd("billion") }}。',
              'The market is expected to grow from {{ sales[2024].usd_billion | usd("billion") }} '
              'in 2024 to {{ sales[2026].usd_billion | usd("billion") }} in 2026.'),
    "point-1": ("**数据**写在 data/ 下的 CSV 文件里，正文和图表共用", "**Numbers** live in CSV "
                "files under data/, shared by text and charts"),
    "point-2": ("每个文本同时写中文和英文", "Every text holds Chinese and English side by side"),
    "caption": ("市场规模（2024–2026年）", "Market size, 2024–2026"),
    "chart": ("市场规模", "Market size"),
    "axis-x": ("年份", "Year"),
    "axis-y": ("十亿美元", "USD billion"),
}


def _text(key: str, lang: str, indent: str, inline: bool = False) -> str:
    """Return a `{zh, en}` text with the source language `lang` first."""
    zh, en = TEXTS[key]
    pairs = [("zh", zh), ("en", en)] if lang == "zh" else [("en", en), ("zh", zh)]

    def quote(value: str) -> str:
        needs = re.search(r"[:{}#\"]", value) or value[:1] in "*&!|>%@`[-?,"
        return "'" + value.replace("'", "''") + "'" if needs else value

    if inline:
        return "{" + ", ".join(f"{k}: {quote(v)}" for k, v in pairs) + "}"
    return "\n".join(f"{indent}{k}: {quote(v)}" for k, v in pairs)


def _files(name: str, lang: str) -> dict[str, str]:
    t = _text
    report = f"""\
# The report's metadata and the order of its sections. Reference: docs/content-format.md.
id: {name}                     # output names: dist/<id>/<id>.<edition>.pdf|docx
source_lang: {lang}                  # the language the report is written in
title:                             # every text holds both languages side by side
{t("title", lang, "  ")}
subtitle:
{t("subtitle", lang, "  ")}
date: 2025-01-01                   # printed on the cover (ISO date)
organisation:
{t("organisation", lang, "  ")}
authors: [Research team]
editions: [zh, en, bilingual]      # which editions `build` makes
data:                              # name -> CSV file; text and charts quote it by name
  sales: data/sales.csv
sections:                          # one file per chapter, in reading order
  - sections/01-overview.yaml
"""
    section = f"""\
# A chapter: its id (stable: translations and links follow it), its title and its blocks.
# Each block's first key names its kind and holds its id.
id: overview
title:
{t("section", lang, "  ")}
blocks:
  - heading: market-size           # a level-2 heading (add `level: 3` for a level-3 one)
{t("heading", lang, "    ")}

  - paragraph: intro               # {{{{ … }}}} quotes the data, formatted per language
{t("intro", lang, "    ")}

  - list: how-it-works             # bullets; `ordered: true` numbers them
    items:
      - id: point-data
{t("point-1", lang, "        ")}
      - id: point-languages
{t("point-2", lang, "        ")}

  - figure: fig-sales              # a chart drawn from charts/sales.yaml
    chart: charts/sales.yaml
    caption:
{t("caption", lang, "      ")}
"""
    chart = f"""\
# A chart spec: data, not a picture (docs/charts.md lists the kinds and their fields).
kind: xychart
title: {t("chart", lang, "", inline=True)}
data: sales                        # a data source named in report.yaml
x_axis:
  title: {t("axis-x", lang, "", inline=True)}
  categories: {{column: year}}       # the CSV column holding the categories
y_axis:
  title: {t("axis-y", lang, "", inline=True)}
  min: 0
series:
  - type: bar
    title: {t("chart", lang, "", inline=True)}
    values: {{column: usd_billion}}
value_labels: {{format: usd, scale: billion}}
"""
    data = "year,usd_billion\n2024,1.2\n2025,1.8\n2026,2.6\n"
    return {"report.yaml": report, "sections/01-overview.yaml": section,
            "charts/sales.yaml": chart, "data/sales.csv": data}


def scaffold(target: Path, name: str, lang: str) -> list[Path]:
    """Write a new report folder `target` with id `name` written in `lang`; return its files.

    Raise BuildError when `target` exists (nothing is overwritten).
    """
    if target.exists():
        raise BuildError.at(target, 0, "the folder already exists; nothing was written")
    written = []
    for rel, content in _files(name, lang).items():
        path = target / rel
        write_atomic(path, content.encode("utf-8"))
        written.append(path)
    # Both languages are written by hand here, so the translations are current: stamp them.
    from builder.authoring.po import stamp

    stamp(target, "en" if lang == "zh" else "zh")
    written.append(target / "translations.yaml")
    return written


def copy_example(example: Path, target: Path, name: str) -> list[Path]:
    """Copy the example report folder `example` to `target` with report id `name`; return the
    files written. Refuses (BuildError) when `target` exists."""
    if target.exists():
        raise BuildError.at(target, 0, "the folder already exists; nothing was written")
    shutil.copytree(example, target, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    report = target / "report.yaml"
    text = report.read_text(encoding="utf-8")
    old_id = re.search(r"^id:\s*(\S+)", text, re.M)
    if old_id and old_id.group(1) != name:
        report.write_text(text[:old_id.start(1)] + name + text[old_id.end(1):], encoding="utf-8")
    return sorted(p for p in target.rglob("*") if p.is_file())
