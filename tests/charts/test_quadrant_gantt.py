"""Quadrant and gantt charts: their YAML specs, mermaid readings, errors and drawings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from matplotlib.colors import to_hex
from matplotlib.patches import Circle, FancyBboxPatch, Polygon

from builder.charts import describe_chart
from builder.charts.gantt import EXCLUDED, critical, tick_label, ticks
from builder.charts.style import chart_style, contrast
from builder.readers.mermaid import read_mermaid
from tests.charts.conftest import (
    drawn,
    mermaid_error,
    read_spec,
    text_strings,
    texts,
    yaml_error,
    yaml_spec,
)

HERE = Path("doc.mmd")


# -- quadrant ------------------------------------------------------------------------------------

def test_a_quadrant_spec_scales_points_onto_its_axes_in_each_language():
    zh, en = read_spec("positioning", "zh-CN"), read_spec("positioning", "en")
    assert zh.quadrants == ("领先者", "挑战者", "利基玩家", "价格破坏者")
    assert en.x_axis == ("Higher price", "Lower price")
    aws = en.points[0]
    assert (aws.label, aws.x, aws.y) == ("AWS", 0.25, pytest.approx(0.92))  # y: 92 of 0-100
    assert en.points[-1].label == "A Chinese cloud" and zh.points[-1].label == "某国内云"
    assert en.points[4].color == "#E9A23B"


def test_quadrant_points_can_come_from_data_columns():
    spec = yaml_spec(
        "kind: quadrant\ndata: clouds\nx_axis: {min: 0, max: 50}\n"
        "points: {label: {column: name}, x: {column: share}, y: {column: growth}}\n",
        {"clouds": [{"name": "A", "share": 25, "growth": 0.5},
                                           {"name": "B", "share": 50, "growth": 0.1}]})
    assert [(p.label, p.x, p.y) for p in spec.points] == [("A", 0.5, 0.5), ("B", 1.0, 0.1)]


def test_a_point_off_its_axis_is_a_located_error():
    message = yaml_error("kind: quadrant\npoints:\n  - {label: A, x: 0.5, y: 0.2}\n"
                          "  - {label: B, x: 1.5, y: 0.2}\n")
    assert message == "4: x 1.5 is outside the axis (0 to 1)"


@pytest.mark.parametrize(("text", "expected"), [
    ("quadrantChart\n  A: [1.0, 0.5]\n", "2: cannot read point 'A: [1.0, 0.5]'"),
    ("quadrantChart\n  A: [0.5, -0.1]\n", "2: cannot read point 'A: [0.5, -0.1]'"),
    ("quadrantChart\n  A:::hot: [0.5, 0.5]\n", "2: unknown class 'hot'"),
    ("quadrantChart\n  A: [0.5, 0.5] size: 3\n", "2: cannot read point style 'size: 3'"),
    ("quadrantChart\n  A: [0.5, 0.5] color: red\n",
     "2: color must be a colour like #ff3300, not 'red'"),
    ("quadrantChart\n  title T\n  quadrant-5 X\n", "3: cannot read quadrantChart line 'quadrant-5 X'"),
])
def test_mermaid_refuses_what_mermaid_refuses_at_its_line(text, expected):
    assert mermaid_error(text) == expected


def test_an_axis_arrow_without_a_right_text_ends_the_left_one_with_an_arrow():
    spec = read_mermaid("quadrantChart\n  x-axis Low -->\n  y-axis Bottom\n", HERE)
    assert spec.x_axis == ("Low ⟶ ", "") and spec.y_axis == ("Bottom", "")


def test_a_quadrant_draws_every_point_and_keeps_labels_clear(theme):
    fig = drawn(read_spec("positioning", "en"), theme, "en")
    dots = [p for p in fig.axes[0].patches if isinstance(p, Circle)]
    assert len(dots) == 8
    strings = set(text_strings(fig))
    assert {"Leaders", "Challengers", "Niche players", "Disruptors", "AWS", "Vast.ai",
            "Higher price", "Larger fleet"} <= strings
    # No label covers a point: each label's box misses every circle's box.
    renderer = fig.canvas.get_renderer()
    circles = [d.get_window_extent(renderer) for d in dots]
    for text in texts(fig):
        box = text.get_window_extent(renderer)
        assert not any(box.overlaps(c) for c in circles), text.get_text()


def test_quadrant_text_is_level_and_legible_on_its_ground(theme):
    for lang in ("zh-CN", "en"):
        fig = drawn(read_spec("positioning", lang), theme, lang)
        for text in texts(fig):
            assert text.get_rotation() == 0, text.get_text()
            assert contrast(to_hex(text.get_color()), "#DCE0E8") >= 4.5, text.get_text()


def test_quadrant_alt_text_names_each_point_and_its_quadrant():
    text = describe_chart(read_spec("positioning", "en"), "en")
    assert text.startswith("Quadrant chart 'Positioning of GPU clouds': x: Higher price → "
                           "Lower price; y: Smaller fleet → Larger fleet; AWS (0.25, 0.92), "
                           "Challengers;")
    assert "CoreWeave (0.62, 0.7), Leaders" in text


# -- gantt ---------------------------------------------------------------------------------------

def _tasks(text: str) -> list[tuple[str, str, str]]:
    return [(t.label, t.start, t.end) for t in read_mermaid(text, HERE).tasks]


def test_gantt_tasks_follow_each_other_after_and_until():
    assert _tasks("gantt\n  section S\n  A :a, 2025-01-06, 3d\n  B :after a, 2d\n  C :1w\n"
                  "  D :until e\n  E :e, 2025-02-03, 1d\n") == [
        ("A", "2025-01-06", "2025-01-09"), ("B", "2025-01-09", "2025-01-11"),
        ("C", "2025-01-11", "2025-01-18"), ("D", "2025-01-18", "2025-02-03"),
        ("E", "2025-02-03", "2025-02-04")]


def test_excluded_weekends_stretch_durations_but_not_dates():
    text = "gantt\n  excludes weekends\n  A :2025-01-09, 3d\n  B :2025-01-09, 2025-01-13\n"
    # Thu 9 + 3 days passes Sat 11 and Sun 12: two days more. A date end stays as written.
    assert _tasks(text) == [("A", "2025-01-09", "2025-01-14"), ("B", "2025-01-09", "2025-01-13")]
    friday = "gantt\n  excludes weekends\n  weekend friday\n  A :2025-01-09, 3d\n"
    assert _tasks(friday) == [("A", "2025-01-09", "2025-01-14")]  # Fri 10 and Sat 11


def test_gantt_reads_its_date_format_tags_and_hours():
    text = ("gantt\n  dateFormat DD.MM.YYYY HH:mm\n  A :crit, done, a1, 06.01.2025 09:30, 90m\n"
            "  M :milestone, 07.01.2025 12:00, 0d\n")
    spec = read_mermaid(text, HERE)
    assert [(t.start, t.end, t.tags, t.milestone) for t in spec.tasks] == [
        ("2025-01-06T09:30", "2025-01-06T11:00", ("done", "crit"), False),
        ("2025-01-07T12:00", "2025-01-07T12:00", (), True)]


@pytest.mark.parametrize(("text", "expected"), [
    ("gantt\n  A :3d\n", "2: the first task needs a start date"),
    ("gantt\n  A :a, after b, 1d\n  B :b, after a, 1d\n",
     "2: the task depends on itself (a cycle of 'after'/'until')"),
    ("gantt\n  A :2025-01-01, 1d\n  B :after zz, 1d\n", "3: unknown task id 'zz' after 'after'"),
    ("gantt\n  A :2025-13-01, 1d\n", "2: not a date: '2025-13-01'"),
    ("gantt\n  A :2025-01-02, 2025-01-01\n",
     "2: the task ends (2025-01-01) before it starts (2025-01-02)"),
    ("gantt\n  A :2025-01-01, 5000y\n", "2: duration '5000y' is too long"),
    ("gantt\n  dateFormat QQ\n  A :2025-01-01, 1d\n", "2: dateFormat token 'Q' is not supported"),
    ("gantt\n  title T\n", "1: gantt chart has no tasks"),
    ("gantt\n  A :a, b, c, d\n", "2: cannot read task 'A :a, b, c, d'"),
])
def test_gantt_errors_are_located(text, expected):
    assert mermaid_error(text) == expected


def test_a_yaml_gantt_reads_sections_dependencies_and_milestones():
    spec = read_spec("roadmap", "en")
    rows = [(t.section, t.label, t.start, t.end, t.tags, t.milestone) for t in spec.tasks]
    assert rows[:2] == [("Planning", "Demand survey", "2025-01-01", "2025-03-01", ("done",), False),
                        ("Planning", "Vendor review", "2025-03-01", "2025-04-01", ("done",),
                         False)]
    assert rows[3][2:4] == ("2025-06-30", "2025-08-30")  # after site (ends 06-30), 2 months
    assert rows[5] == ("Operations", "Open to customers", "2025-08-30", "2025-08-30", (), True)
    assert read_spec("roadmap", "zh-CN").tasks[0].label == "需求调研"


def test_yaml_gantt_errors_are_located():
    assert yaml_error("kind: gantt\ntasks:\n  - {label: A, start: 2025-01-01}\n") \
        == "3: a task needs an 'end', a 'duration' or 'until'"
    assert yaml_error("kind: gantt\ntasks:\n  - {label: A, start: 2025-01-01, end: 1d}\n"
                       "  - {label: B, after: nope, duration: 1d}\n") \
        == "4: unknown task id 'nope' after 'after'"
    assert yaml_error("kind: gantt\ntasks:\n  - {label: A, start: 2025-01-01, duration: 1d, "
                       "status: late}\n") == "3: status must be one of done, active, crit, not 'late'"


def test_ticks_suit_the_span_and_read_in_each_language():
    first = dt.datetime(2025, 1, 1)
    unit, count, marks = ticks(first, dt.datetime(2026, 3, 1), 5)
    assert (unit, count) == ("month", 3) and marks[0] == first and marks[-1] >= dt.datetime(2026, 3, 1)
    assert tick_label(marks[0], unit, count, True, False) == "2025 Q1"
    assert tick_label(dt.datetime(2025, 3, 3), "week", 1, True, True) == "2025年3月3日"
    assert tick_label(dt.datetime(2025, 3, 10), "week", 1, False, False) == "Mar 10"
    assert tick_label(dt.datetime(2025, 2, 1), "month", 1, False, True) == "2月"
    unit, count, marks = ticks(first, dt.datetime(2025, 1, 20), 7)
    assert (unit, count) == ("week", 1) and marks[0] == dt.datetime(2024, 12, 30)  # a Monday


def test_a_gantt_draws_a_bar_per_task_a_diamond_per_milestone_and_its_legend(theme):
    for lang in ("zh-CN", "en"):
        fig = drawn(read_spec("roadmap", lang), theme, lang)
        patches = fig.axes[0].patches
        bars = [p for p in patches if isinstance(p, FancyBboxPatch) and p.get_height() == 9.0]
        assert len(bars) == 6
        diamonds = [p for p in patches if isinstance(p, Polygon)]
        assert len(diamonds) == 2  # the milestone and its legend sample
        strings = set(text_strings(fig))
        if lang == "en":
            assert {"Planning", "Demand survey", "Done", "Critical", "Milestone", "2025 Q1"} <= strings
        else:
            assert {"规划", "需求调研", "已完成", "关键任务", "里程碑"} <= strings
        for text in texts(fig):
            assert text.get_rotation() == 0


def test_bars_stand_where_their_dates_are(theme):
    fig = drawn(read_spec("roadmap", "en"), theme, "en")
    bars = sorted((p for p in fig.axes[0].patches if isinstance(p, FancyBboxPatch)
                   and p.get_height() == 9.0), key=lambda p: p.get_y())
    survey, vendors = bars[0], bars[1]
    # 59 days (Jan + Feb 2025) against 31 (March): widths in that ratio.
    assert survey.get_width() / vendors.get_width() == pytest.approx(59 / 31, rel=1e-6)
    assert survey.get_x() + survey.get_width() == pytest.approx(vendors.get_x())


def _excluded_columns(fig) -> list:
    from matplotlib.patches import Rectangle

    return [p for p in fig.axes[0].patches if type(p) is Rectangle
            and to_hex(p.get_facecolor()).upper() == EXCLUDED.upper()]


def test_excluded_days_are_shaded_where_the_plan_runs_and_named_in_the_legend(theme):
    text = "gantt\n  excludes weekends\n  A :a, 2025-01-06, 10d\n  B :after a, 3d\n"
    spec = read_mermaid(text, HERE)
    # Mon 6 + 10 working days: the end passes the weekends of the 11th and the 18th
    assert _tasks(text) == [("A", "2025-01-06", "2025-01-20"), ("B", "2025-01-20", "2025-01-23")]
    assert spec.excluded == (("2025-01-11", "2025-01-12"), ("2025-01-18", "2025-01-19"))
    assert spec.to_json()["excluded"] == [["2025-01-11", "2025-01-12"], ["2025-01-18", "2025-01-19"]]
    yaml_text = ("kind: gantt\nexcludes: weekends\ntasks:\n"
                 "  - {label: A, id: a, start: 2025-01-06, duration: 10d}\n")
    assert yaml_spec(yaml_text).excluded == spec.excluded
    for lang, name in (("en", "Excluded days"), ("zh-CN", "非工作日")):
        fig = drawn(spec, theme, lang)
        columns = sorted(_excluded_columns(fig), key=lambda p: p.get_x())
        assert len(columns) == 2
        bar = min((p for p in fig.axes[0].patches if isinstance(p, FancyBboxPatch)
                   and p.get_height() == 9.0), key=lambda p: p.get_x())  # A: 14 days
        assert columns[0].get_width() / bar.get_width() == pytest.approx(2 / 14, rel=1e-6)
        assert columns[0].get_x() == pytest.approx(bar.get_x() + bar.get_width() * 5 / 14)
        assert name in text_strings(fig)
    # no excluded days: no column, no legend entry
    plain = drawn(read_mermaid("gantt\n  A :2025-01-06, 10d\n", HERE), theme, "en")
    assert not _excluded_columns(plain) and "Excluded days" not in text_strings(plain)


def test_excluded_days_of_a_long_plan_are_not_drawn_as_hairlines(theme):
    spec = read_mermaid("gantt\n  excludes weekends\n  A :2020-01-06, 1500d\n", HERE)
    assert len(spec.excluded) == 300  # 1,500 working days: 300 weekends, dumped all the same
    fig = drawn(spec, theme, "en")
    assert not _excluded_columns(fig) and "Excluded days" not in text_strings(fig)


def test_critical_work_is_the_themes_reddest_colour(theme):
    assert critical(chart_style(theme, "en")) == "#D1495B"


def test_gantt_alt_text_lists_tasks_with_dates():
    text = describe_chart(read_spec("roadmap", "en"), "en")
    assert text.startswith("Gantt chart 'GPU cluster roadmap': Demand survey 2025-01-01–2025-03-01;")
    assert "Open to customers 2025-08-30" in text
