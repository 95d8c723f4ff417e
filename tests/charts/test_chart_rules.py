"""Chart rules: years stand at proportional distances, value labels keep clear of the frame
and of every gridline."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from matplotlib.patches import Rectangle

from builder.charts import read_chart_file
from builder.charts.xychart import LABEL_CLEARANCE_PT, proportional_positions
from tests.charts.conftest import MARKET_SIZE, drawn


def _bar_centres(fig) -> list[float]:
    return [p.get_x() + p.get_width() / 2 for p in fig.axes[0].patches
            if isinstance(p, Rectangle)]


def _spec(tmp_path: Path, text: str, lang: str = "en"):
    path = tmp_path / "chart.yaml"
    path.write_text(text, encoding="utf-8")
    return read_chart_file(path, lang, MARKET_SIZE)


_MARKET = """kind: xychart
data: market_size
x_axis: {{title: Year, categories: {{column: year}}{extra}}}
series:
  - {{type: bar, values: {{column: usd_billion}}}}
value_labels: {{format: usd, scale: billion}}
"""


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_years_stand_at_proportional_distances(tmp_path: Path, theme, lang: str):
    fig = drawn(_spec(tmp_path, _MARKET.format(extra=""), lang), theme, lang)
    first, second, third = _bar_centres(fig)  # 2023, 2025, 2032
    assert (third - second) / (second - first) == pytest.approx(7 / 2)
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["2023", "2025", "2032"]


def test_categorical_keeps_even_spacing(tmp_path: Path, theme):
    fig = drawn(_spec(tmp_path, _MARKET.format(extra=", categorical: true")), theme, "en")
    first, second, third = _bar_centres(fig)
    assert third - second == pytest.approx(second - first)


@pytest.mark.parametrize(("categories", "expected"), [
    (["2023", "2025", "2032"], [2023.0, 2025.0, 2032.0]),
    (["2024-01", "2024-07", "2025-01"], [2024.0, 2024.5, 2025.0]),
    (["0.5", "1", "4"], [0.5, 1.0, 4.0]),
    (["2023", "2025"], None),            # two categories: the same either way
    (["2025", "2023", "2032"], None),    # not increasing
    (["Q1", "Q2", "Q3"], None),          # texts
    (["1900", "2023", "2024"], None),    # bars would be hairlines: evenly spaced
    (["2024-13", "2025-01", "2025-02"], None),
])
def test_which_categories_are_proportional(categories, expected):
    assert proportional_positions(categories) == expected


_BARS = """kind: xychart
x_axis: {{categories: [a, b, c, d]}}
series:
  - {{type: bar, values: [{values}]}}
value_labels: {{format: number}}
"""


@pytest.mark.parametrize("values", ["3.17, 4.96, 47.24, 9.6", "98, 34, 2.85, 49", "10, 20, 30, 40",
                                    "0.5, 19.6, 99, 100"])
@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_value_labels_keep_clear_of_the_frame_and_the_gridlines(tmp_path: Path, theme,
                                                               values: str, lang: str):
    fig = drawn(_spec(tmp_path, _BARS.format(values=values), lang), theme, lang)
    ax = fig.axes[0]
    renderer = fig.canvas.get_renderer()
    top = ax.get_window_extent(renderer).y1
    clearance = LABEL_CLEARANCE_PT * fig.dpi / 72
    grid_y = [ax.transData.transform((0, t))[1] for t in ax.get_yticks()
              if ax.get_ylim()[0] < t <= ax.get_ylim()[1]]
    labels = [t for t in ax.texts if t.get_text()]
    assert len(labels) == 4
    for label in labels:
        box = label.get_bbox_patch().get_window_extent(renderer)
        assert box.y1 <= top - clearance + 0.5, label.get_text()
        assert not any(box.y0 < y < box.y1 for y in grid_y), (label.get_text(), grid_y)


def test_a_set_axis_end_stays_and_its_gridlines_still_keep_off_the_labels(tmp_path: Path, theme):
    text = _BARS.format(values="98, 34, 2.85, 49") + "y_axis: {min: 0, max: 100}\n"
    fig = drawn(_spec(tmp_path, text), theme, "en")
    ax = fig.axes[0]
    assert ax.get_ylim() == (0, 100)
    renderer = fig.canvas.get_renderer()
    grid_y = [ax.transData.transform((0, t))[1] for t in ax.get_yticks() if 0 < t <= 100]
    assert grid_y
    for label in (t for t in ax.texts if t.get_text()):
        box = label.get_bbox_patch().get_window_extent(renderer)
        assert not any(box.y0 < y < box.y1 for y in grid_y), label.get_text()


def test_hundreds_of_categories_label_every_kth_apart_and_lines_drop_markers(theme):
    from builder.model.charts import XAxis, XYChartSpec, XYSeries, YAxis
    from tests.charts.conftest import overlapping_texts

    count = 2000
    spec = XYChartSpec(None, "vertical", XAxis(None, tuple(f"day {i}" for i in range(count)), categorical=True),
                       YAxis(None), (XYSeries("line", None, tuple(float(i % 37) for i in
                                                                  range(count))),))
    fig = drawn(spec, theme, "en")
    ax = fig.axes[0]
    shown = [t.get_text() for t in ax.get_xticklabels()]
    assert 5 <= len(shown) <= 40 and shown[0] == "day 0"  # every k-th, k the same throughout
    steps = {int(b.split()[1]) - int(a.split()[1]) for a, b in itertools.pairwise(shown)}
    assert len(steps) == 1
    assert list(overlapping_texts(fig)) == []
    assert ax.lines[0].get_marker() in (None, "None", "")
    few = XYChartSpec(None, "vertical", XAxis(None, ("a", "b", "c")), YAxis(None),
                      (XYSeries("line", None, (1.0, 2.0, 3.0)),))
    assert drawn(few, theme, "en").axes[0].lines[0].get_marker() == "o"
