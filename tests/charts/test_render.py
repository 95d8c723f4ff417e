"""Rendered charts: right labels per language, counts, no overlapping or clipped text, files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from matplotlib.patches import Rectangle, Wedge

from builder.charts import describe_chart, read_chart_source, render_chart
from builder.model.charts import PieSlice, PieSpec
from tests.charts.conftest import (
    SPECS,
    clipped_texts,
    drawn,
    overlapping_texts,
    read_spec,
    text_strings,
)

KINDS = ["market-size", "hourly-cost", "demand-share", "fireworks-radar", "competition",
         "participants", "modal", "positioning", "roadmap", "inference",
         "gpu-spend", "strategy"]


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("name", KINDS)
def test_no_text_overlaps_or_leaves_the_figure(name, lang, theme):
    fig = drawn(read_spec(name, lang), theme, lang)
    assert list(overlapping_texts(fig)) == []
    assert clipped_texts(fig) == []
    width_in, height_in = fig.get_size_inches()
    assert width_in <= 6.6 and height_in <= 6.5


def test_bar_chart_has_one_bar_per_category_and_labels_per_language(theme):
    zh = drawn(read_spec("market-size", "zh-CN"), theme, "zh-CN")
    bars = [p for p in zh.axes[0].patches if isinstance(p, Rectangle)]
    assert len(bars) == 3
    assert {"472.4亿美元", "31.7亿美元", "GPU云计算市场规模", "年份"} <= set(text_strings(zh))
    en = drawn(read_spec("market-size", "en"), theme, "en")
    assert {"USD 47.24 billion", "GPU cloud market size", "Year"} <= set(text_strings(en))
    assert not any("亿" in t for t in text_strings(en))


def test_bar_heights_follow_the_data(theme):
    fig = drawn(read_spec("hourly-cost", "en"), theme, "en")
    heights = [p.get_height() for p in fig.axes[0].patches if isinstance(p, Rectangle)]
    assert heights == pytest.approx([98, 34, 2.85])
    assert fig.axes[0].get_ylim() == (0, 100)


def test_pie_has_a_slice_per_value_and_localized_labels(theme):
    fig = drawn(read_spec("demand-share", "zh-CN"), theme, "zh-CN")
    wedges = [p for p in fig.axes[0].patches if isinstance(p, Wedge)]
    assert len(wedges) == 5
    assert {"其他", "Microsoft", "36.4%"} <= set(text_strings(fig))
    en = text_strings(drawn(read_spec("demand-share", "en"), theme, "en"))
    assert "Others" in en and "其他" not in en


def test_pie_labels_of_tiny_neighbouring_slices_do_not_collide(theme):
    spec = PieSpec("Tiny", tuple(PieSlice(f"Item {i}", v) for i, v in
                                 enumerate([80, 2, 1.5, 1, 1, 0.5, 14])))
    assert list(overlapping_texts(drawn(spec, theme, "en"))) == []


def test_radar_draws_each_series_and_axis_label(theme):
    fig = drawn(read_spec("fireworks-radar", "zh-CN"), theme, "zh-CN")
    strings = set(text_strings(fig))
    assert {"性能", "成本", "可扩展性", "创新", "生态系统", "行业平均", "Fireworks.ai"} <= strings
    filled = [p for p in fig.axes[0].patches if p.get_alpha() is not None]
    assert len(filled) == 2


def test_timeline_has_each_period_and_event(theme):
    strings = text_strings(drawn(read_spec("competition", "en"), theme, "en"))
    assert {"2023", "2024", "2025"} <= set(strings)
    assert sum("Severe GPU shortage" in s for s in strings) == 1
    assert len([s for s in strings if s not in ("2023", "2024", "2025")]) == 10  # 9 + title


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_pdf_text_is_searchable_with_embedded_fonts(lang, theme, tmp_path):
    image = render_chart(read_spec("hourly-cost", lang), theme, lang, tmp_path)
    text = subprocess.run(["pdftotext", str(image.pdf_path), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert ("美元/小时" if lang == "zh-CN" else "USD per hour") in text
    fonts = subprocess.run(["pdffonts", str(image.pdf_path)], capture_output=True, text=True,
                           check=True).stdout.splitlines()[2:]
    assert fonts and all(" yes " in line for line in fonts)
    radar = render_chart(read_spec("fireworks-radar", "zh-CN"), theme, "zh-CN", tmp_path)
    assert "行业平均" in subprocess.run(["pdftotext", str(radar.pdf_path), "-"],
                                        capture_output=True, text=True, check=True).stdout


def test_png_is_at_least_200_dpi_and_sizes_match(theme, tmp_path):
    image = render_chart(read_spec("demand-share", "en"), theme, "en", tmp_path)
    png = image.png_path.read_bytes()
    width_px = int.from_bytes(png[16:20], "big")
    assert width_px / (image.width_pt / 72) >= 200
    assert image.svg_path is not None and image.svg_path.read_bytes().startswith(b"<?xml")


def test_render_is_cached_by_content(theme, tmp_path):
    spec = read_spec("hourly-cost", "en")
    first = render_chart(spec, theme, "en", tmp_path)
    stamp = first.pdf_path.stat().st_mtime_ns
    again = render_chart(spec, theme, "en", tmp_path)
    assert again == first and again.pdf_path.stat().st_mtime_ns == stamp
    other = render_chart(read_spec("hourly-cost", "zh-CN"), theme, "zh-CN", tmp_path)
    assert other.pdf_path != first.pdf_path


def test_a_chart_drawn_by_other_code_is_drawn_again(theme, tmp_path, monkeypatch):
    from builder.charts import render

    spec = read_spec("hourly-cost", "en")
    render_chart(spec, theme, "en", tmp_path)
    assert render.cached(spec, theme, "en", tmp_path)
    assert len(render.drawing_code()) == 16
    monkeypatch.setattr(render, "drawing_code", lambda: "another version")
    render._cache_key.cache_clear()
    assert not render.cached(spec, theme, "en", tmp_path)
    render._cache_key.cache_clear()


RENDER_SCRIPT = """
import sys
from pathlib import Path
from builder.charts import read_chart_file, render_chart
from builder.themes import load_theme
out = Path(sys.argv[1])
for name in ("participants", "demand-share", "competition"):
    spec = read_chart_file(Path(sys.argv[2]) / (name + ".yaml"), "zh-CN", {})
    render_chart(spec, load_theme(), "zh-CN", out)
"""


def test_two_processes_render_identical_bytes(tmp_path):
    digests = []
    for run in ("a", "b"):
        out = tmp_path / run
        subprocess.run([sys.executable, "-c", RENDER_SCRIPT, str(out), str(SPECS)], check=True,
                       env={"PYTHONHASHSEED": run == "a" and "1" or "2", "PATH": "/usr/bin:/bin",
                            "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
        digests.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert len(digests[0]) == 15  # 3 charts: drawing, PDF, PNG, SVG and size
    assert digests[0] == digests[1]


FLOWCHART_SCRIPT = """
import hashlib, io, random
from pathlib import Path
import matplotlib
from builder.charts.render import draw_figure
from builder.charts.style import chart_style
from builder.readers.mermaid import read_mermaid
from builder.themes import load_theme
rng = random.Random(7)
lines = ["flowchart TD", "    n0[Start]"]
for i in range(1, 400):
    lines.append(f"    n{rng.randrange(max(0, i - 40), i)} --> n{i}[Task {i}]")
for _ in range(40):
    a = rng.randrange(399)
    lines.append(f"    n{a} -.-> n{rng.randrange(a + 1, 400)}")
spec = read_mermaid("\\n".join(lines) + "\\n", Path("big.mmd"))
style = chart_style(load_theme(), "en")
with matplotlib.rc_context({**style.rc(), "svg.hashsalt": "fixed"}):
    out = io.BytesIO()
    draw_figure(spec, style).savefig(out, format="svg", metadata={"Date": None})
print(hashlib.sha256(out.getvalue()).hexdigest())
"""


def test_a_large_flowchart_is_drawn_alike_in_every_process():
    # grandalf keeps a graph's edges in a set, whose order follows the objects' addresses:
    # one 400-node chart in four came out differently before the edges were given in order
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    digests = {subprocess.run([sys.executable, "-c", FLOWCHART_SCRIPT], check=True, env=env,
                              capture_output=True, text=True).stdout.strip() for _ in range(4)}
    assert len(digests) == 1 and len(next(iter(digests))) == 64


def test_inline_mermaid_reads_and_renders(theme, tmp_path):
    spec = read_chart_source('pie title "需求分布"\n  "Microsoft" : 20.2\n  "其他" : 79.8\n',
                             Path("content/x.yaml"), 12, "zh-CN", {})
    image = render_chart(spec, theme, "zh-CN", tmp_path)
    assert json.loads(image.pdf_path.with_suffix(".json").read_text())["width_pt"] > 0


def test_descriptions_name_the_kind_title_and_data():
    assert describe_chart(read_spec("hourly-cost", "en"), "en") == (
        "Bar chart 'Hourly cost of a DGX H100 instance': Hyperscalers 98, Neoclouds 34, "
        "Serverless 2.85 (USD per hour).")
    zh = describe_chart(read_spec("demand-share", "zh-CN"), "zh-CN")
    assert zh.startswith("饼图“高端AI服务器需求分布”：") and "其他 36.4%" in zh
    assert "Industry average: Performance 70" in describe_chart(
        read_spec("fireworks-radar", "en"), "en")
    flow = describe_chart(read_spec("modal", "en"), "en")
    assert "Modal's strengths → Python-native" in flow
    assert describe_chart(read_spec("competition", "zh-CN"), "zh-CN").startswith("时间线")


CONTENT = Path(__file__).resolve().parents[2] / "content" / "gpu-market" / "charts"


@pytest.mark.skipif(not CONTENT.is_dir(), reason="content/gpu-market/charts not written yet")
@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_every_report_chart_reads_and_draws_cleanly(lang, theme):
    from builder.charts import read_chart_file
    from tests.charts.conftest import MARKET_SIZE

    for path in sorted(CONTENT.iterdir()):
        if path.suffix in (".yaml", ".mmd"):
            fig = drawn(read_chart_file(path, lang, MARKET_SIZE), theme, lang)
            assert list(overlapping_texts(fig)) == [], path.name
            assert clipped_texts(fig) == [], path.name


def test_a_value_axis_counts_in_the_value_labels_unit_of_each_language(theme):
    # the spec's axis title says 十亿美元 / USD billion, its value labels are in billions
    def ticks(fig) -> list[str]:
        low, high = fig.axes[0].get_ylim()
        return [t.get_text() for t in fig.axes[0].get_yticklabels()
                if low <= t.get_position()[1] <= high]

    zh = drawn(read_spec("market-size", "zh-CN"), theme, "zh-CN")
    # one unit: 亿美元 (the top gridline is 400 or 500, never through the 472.4 label's line)
    assert 400 <= int(ticks(zh)[-1]) <= 500 and "472.4亿美元" in text_strings(zh)
    label = zh.axes[0].yaxis.label
    assert label.get_text() == "亿美元" and label.get_rotation() == 0  # level, not sideways
    en = drawn(read_spec("market-size", "en"), theme, "en")
    assert 40 <= int(ticks(en)[-1]) <= 50
    assert en.axes[0].yaxis.label.get_text() == "USD billion"
    assert not zh.axes[0].child_axes and not en.axes[0].child_axes  # one language, one axis


def test_a_chart_both_languages_read_has_an_axis_in_each_unit_on_the_same_gridlines(theme):
    fig = drawn(read_spec("market-size", "zh-CN+en"), theme, "zh-CN+en")
    (main,) = fig.axes
    (second,) = main.child_axes  # the second language's axis

    def shown(axis) -> dict[float, str]:
        low, high = sorted(main.get_ylim())
        return {round(t.get_position()[1], 6): t.get_text() for t in axis.get_ticklabels()
                if low <= t.get_position()[1] <= high and t.get_text()}

    left, right = shown(main.yaxis), shown(second.yaxis)
    assert left.keys() == right.keys() and len(left) >= 3  # the same gridlines
    for value in left:  # 亿美元 on the left counts ten times USD billion on the right
        assert float(left[value]) == pytest.approx(10 * float(right[value]))
    assert 400 <= max(map(float, left.values())) <= 500
    assert main.yaxis.label.get_text() == "亿美元" and main.yaxis.label.get_rotation() == 0
    assert second.yaxis.label.get_text() == "USD billion"
    assert second.yaxis.label.get_rotation() == 0
    strings = text_strings(fig)
    assert "十亿美元 / USD billion" not in strings and "十亿美元" not in " ".join(strings)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_pies_numbers_share_one_format_and_every_label_is_legible(theme, lang):
    import re

    from matplotlib.colors import to_hex

    from builder.charts.style import contrast

    fig = drawn(read_spec("demand-share", lang), theme, lang)
    numbers = [t for t in text_strings(fig) if re.fullmatch(r"[\d.]+%", t)]
    assert len(numbers) == 5
    assert len({len(n.partition(".")[2]) for n in numbers}) == 1, numbers  # 16.0%, not 16%
    for text in fig.axes[0].texts:
        if text.get_text().strip():
            assert contrast(to_hex(text.get_color())) >= 4.5, (text.get_text(),
                                                               to_hex(text.get_color()))


@pytest.mark.parametrize(("largest", "factor", "unit"), [
    (4000.0, 0.01, "亿美元"),    # 4,000 million: ticks 0–40亿美元, not 0–400,000万美元
    (138.0, 0.01, "亿美元"),     # 1.38亿
    (32.0, 100.0, "万美元"),     # 3,200万
    (0.005, 1e6, "美元"),        # 5,000美元
])
def test_a_chinese_axis_counts_in_the_largest_unit_the_data_reach(largest, factor, unit):
    from builder.locale.numbers import axis_unit

    got = axis_unit("zh", "usd", "million", largest=largest)
    assert got[1] == unit and got[0] == pytest.approx(factor)
    assert axis_unit("zh", "usd", "billion", largest=47.24) == (10.0, "亿美元")
    # English too counts in the largest unit the data reach, as its value labels do
    assert axis_unit("en", "usd", "million", largest=4000.0) == (pytest.approx(0.001),
                                                                  "USD billion")
    assert axis_unit("en", "usd", "million", largest=138.0) == (1.0, "USD million")
    assert axis_unit("en", "number", "thousand", largest=300.0) == (1000.0, "")


def test_a_charts_value_labels_name_the_unit_its_axis_counts_in(theme):
    from tests.charts.conftest import yaml_spec

    source = ("kind: xychart\norientation: horizontal\n"
              "x_axis: {categories: [CoreWeave, Lambda, Fireworks]}\n"
              "y_axis: {title: {zh: 十亿美元, en: USD billion}, min: 0}\n"
              "series:\n  - {type: bar, values: [1.9, 0.6, 0.3]}\n"
              "value_labels: {format: usd, scale: billion}\n")
    labels = {lang: sorted(t for t in text_strings(drawn(yaml_spec(source, lang=lang), theme,
                                                         lang)) if "美元" in t or "USD" in t)
              for lang in ("en", "zh-CN", "zh-CN+en")}
    # one unit per language: never "USD 600 million" beside "USD 1.9 billion"
    assert labels["en"] == ["USD 0.3 billion", "USD 0.6 billion", "USD 1.9 billion",
                            "USD billion"]
    assert labels["zh-CN"] == ["19亿美元", "3亿美元", "6亿美元", "亿美元"]
    assert "6亿美元\nUSD 0.6 billion" in labels["zh-CN+en"]
