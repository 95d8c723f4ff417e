"""Sankey diagrams and mindmaps: YAML specs, mermaid readings and errors, drawings."""

from __future__ import annotations

from pathlib import Path

import pytest
from matplotlib.patches import PathPatch, Rectangle

from builder.charts import describe_chart
from builder.charts.sankey import columns
from builder.readers.mermaid import read_mermaid
from tests.charts.conftest import (
    drawn,
    mermaid_error,
    read_spec,
    text_strings,
    texts,
    yaml_error,
)

HERE = Path("doc.mmd")


# -- sankey --------------------------------------------------------------------------------------

def test_sankey_fields_are_read_as_csv():
    spec = read_mermaid('sankey-beta\n  "A, Inc.",B,1.5\n  """Q"" x",B,2\n  B,C,3\n', HERE)
    assert spec.nodes == ("A, Inc.", "B", '"Q" x', "C")
    assert [k.value for k in spec.links] == [1.5, 2.0, 3.0]


@pytest.mark.parametrize(("text", "expected"), [
    ("sankey-beta\n  A,B\n", "2: a sankey line has 3 fields, not 2: 'A,B'"),
    ("sankey-beta\n  A,B,x\n", "2: flow value is not a number: 'x'"),
    ("sankey-beta\n  A,B,0\n", "2: a flow value must be more than 0, not '0'"),
    ("sankey-beta\n  A,B,1\n  B,C,1\n  C,A,1\n", "4: the flow C → A closes a loop; a sankey diagram flows one way"),
    ('sankey-beta\n  "A,B,1\n', "2: a quoted field is not closed"),
    ("sankey-beta\n", "1: sankey diagram has no flows"),
])
def test_sankey_errors_are_located(text, expected):
    assert mermaid_error(text) == expected


def test_sinks_stand_in_the_last_column_and_sources_in_the_first():
    spec = read_mermaid("sankey-beta\n  A,B,5\n  B,C,3\n  A,D,2\n  C,E,3\n", HERE)
    assert columns(spec) == {"A": 0, "B": 1, "C": 2, "D": 3, "E": 3}


def test_a_sankey_draws_nodes_as_tall_as_their_flow_and_a_band_per_link(theme):
    spec = read_spec("gpu-spend", "en")
    fig = drawn(spec, theme, "en")
    bands = [p for p in fig.axes[0].get_children() if isinstance(p, PathPatch)]
    assert len(bands) == len(spec.links) == 10
    nodes = {round(p.get_height(), 3) for p in fig.axes[0].get_children()
             if isinstance(p, Rectangle) and p.get_width() == 9.0}
    heights = sorted(nodes)
    # Hyperscalers 300 and Enterprises 55: heights in the ratio of their flows.
    assert heights[-1] / heights[0] == pytest.approx(300 / 55, rel=1e-3)
    assert {"Hyperscalers 300", "Training 270", "H100 260", "Other GPUs 200"} <= set(
        text_strings(fig))
    zh = set(text_strings(drawn(read_spec("gpu-spend", "zh-CN"), theme, "zh-CN")))
    assert "超大规模云 300" in zh


def test_sankey_labels_never_overlap_in_a_small_chart(theme):
    fig = drawn(read_spec("gpu-spend", "en"), theme, "en")
    renderer = fig.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in texts(fig)]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_yaml_sankey_errors_are_located():
    assert yaml_error("kind: sankey\nlinks:\n  - {source: A, target: B, value: 1}\n"
                       "  - {source: B, target: A, value: 1}\n") \
        == "4: the flow B → A closes a loop; a sankey diagram flows one way"
    assert yaml_error("kind: sankey\nlinks:\n  - {source: A, target: B, value: -1}\n") \
        == "3: a flow value must be more than 0, not -1"


def test_sankey_alt_text_lists_the_flows():
    text = describe_chart(read_spec("gpu-spend", "en"), "en")
    assert text.startswith("Sankey diagram 'Where GPU spending goes (USD 100 million)': "
                           "Hyperscalers → Training 180; Hyperscalers → Inference 120;")


# -- mindmap -------------------------------------------------------------------------------------

def _tree(node) -> object:
    return (node.label, [_tree(c) for c in node.children]) if node.children else node.label


def test_indentation_makes_the_tree_as_mermaid_reads_it():
    spec = read_mermaid("mindmap\n  root\n    A\n      A1\n     A2\n    B\n  \tC\n", HERE)
    # A2 is indented less than A1 but more than A: a child of A. C (tab) is past the root.
    assert _tree(spec.root) == ("root", [("A", ["A1", "A2"]), "B", "C"])


@pytest.mark.parametrize(("text", "expected"), [
    ("mindmap\n  root\n  second\n", "3: there can be only one root: 'second' is not indented under the first node"),
    ("mindmap\n  root\n    a[open\n", "3: cannot read mindmap node 'a[open'"),
    ("mindmap\n", "1: mindmap has no nodes"),
    ('mindmap\n  root["`open\n    still open\n', "2: a markdown string is not closed by `\""),
])
def test_mindmap_errors_are_located(text, expected):
    assert mermaid_error(text) == expected


def test_a_mindmap_splits_its_branches_and_draws_every_topic_level(theme):
    for lang in ("zh-CN", "en"):
        fig = drawn(read_spec("strategy", lang), theme, lang)
        strings = set(" ".join(s.split()) for s in text_strings(fig))
        expected = {"GPU cloud", "Price", "Supply", "Ecosystem", "Service", "B200", "MI300X",
                    "Per-second billing"} if lang == "en" else {"GPU 云", "价格", "按秒计费",
                                                                 "新一代芯片"}
        assert expected <= strings
        for text in texts(fig):
            assert text.get_rotation() == 0
        xs = {" ".join(t.get_text().split()): t.get_position()[0] for t in texts(fig)}
        root = xs["GPU cloud" if lang == "en" else "GPU 云"]
        first, last = ("Price", "Service") if lang == "en" else ("价格", "服务")
        assert xs[first] > root > xs[last]  # the first branch right, the last one left
        renderer = fig.canvas.get_renderer()
        boxes = [t.get_window_extent(renderer) for t in texts(fig)]
        assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_mindmap_alt_text_names_branches_and_subtopics():
    text = describe_chart(read_spec("strategy", "en"), "en")
    assert text.startswith("Mind map 'What GPU clouds compete on': GPU cloud: Price "
                           "(Per-second billing, Spot instances); Supply (H100 stock, "
                           "Next-generation chips, B200, MI300X);")
