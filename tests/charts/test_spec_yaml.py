"""YAML chart specs: localization, data columns, and located errors for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from builder.charts import read_chart_file
from builder.diagnostics import BuildError
from tests.charts.conftest import MARKET_SIZE, read_spec


def test_bilingual_labels_are_localized_and_neutral_strings_kept():
    zh, en = read_spec("demand-share", "zh-CN"), read_spec("demand-share", "en")
    assert [s.label for s in zh.slices] == ["Microsoft", "Google", "AWS", "Meta", "其他"]
    assert en.slices[-1].label == "Others" and en.title == "Demand for high-end AI servers"


def test_data_columns_fill_categories_and_values():
    spec = read_spec("market-size", "en")
    assert spec.x_axis.categories == ("2023", "2025", "2032")
    assert spec.series[0].values == (3.17, 4.96, 47.24)
    assert spec.value_labels is not None and spec.value_labels.scale == "billion"


def test_every_kind_matches_the_dump_contract():
    assert read_spec("fireworks-radar", "en").to_json()["series"][1] == {
        "id": "average", "label": "Industry average", "values": [70, 60, 70, 65, 80]}
    flow = read_spec("participants", "en").to_json()
    assert flow["direction"] == "TB" and len(flow["nodes"]) == 14
    assert flow["edges"][0] == {"from": "A", "to": "B", "label": None, "style": "solid"}
    assert read_spec("competition", "zh-CN").to_json()["periods"][0]["events"][0] == "GPU严重短缺"


def error(tmp_path: Path, text: str, lang: str = "en") -> str:
    path = tmp_path / "chart.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        read_chart_file(path, lang, MARKET_SIZE)
    (diagnostic,) = caught.value.diagnostics
    return f"{diagnostic.line}: {diagnostic.message}"


@pytest.mark.parametrize(("text", "expected"), [
    ("kind: pie\nslices:\n  - {label: A, value: 1, colour: red}\n",
     "3: slice: unknown key 'colour'"),
    ("kind: pie\nslices:\n  - {label: A, value: ten}\n",
     "3: slice value must be a number, not 'ten'"),
    ("kind: pie\nslices:\n  - {label: A, value: -1}\n", "3: slice value must not be negative: -1"),
    ("kind: pie\ntitle: {zh: 标题}\nslices: [{label: A, value: 1}]\n", "2: title has no 'en' text"),
    ("kind: bars\n", "1: kind must be one of pie, xychart, radar, timeline, flowchart, quadrant, gantt, sequence, sankey, mindmap, not 'bars'"),
    ("kind: xychart\ndata: sales\nseries: [{values: [1]}]\n", "2: unknown data source 'sales'"),
    ("kind: xychart\ndata: market_size\nseries:\n  - values: {column: usd}\n",
     "4: unknown column 'usd' in 'market_size'"),
    ("kind: xychart\nx_axis: {categories: [a, b]}\nseries:\n  - values: [1, 2, 3]\n",
     "4: series has 3 values for 2 categories"),
    ("kind: radar\naxes: [{id: a}, {id: b}]\nseries: [{id: s, values: [1, 2]}]\n",
     "2: a radar chart needs at least 3 axes"),
    ("kind: flowchart\nnodes: [{id: A}]\nedges:\n  - {from: A, to: Z}\n",
     "4: edge to unknown node 'Z'"),
    ("kind: flowchart\nnodes: [{id: A, shape: blob}]\n", "2: shape must be one of"),
    ("kind: timeline\nperiods: [{label: x, events: [a]}\n", "3: invalid YAML"),
])
def test_bad_specs_give_one_located_error(tmp_path, text, expected):
    assert error(tmp_path, text).startswith(expected)


def test_missing_and_unknown_files_are_errors(tmp_path):
    with pytest.raises(BuildError, match="chart file not found"):
        read_chart_file(tmp_path / "nope.yaml", "en", {})
    with pytest.raises(BuildError, match="unknown chart file type"):
        read_chart_file(tmp_path / "chart.png", "en", {})
