"""Flowchart layout: no overlapping boxes, routes that avoid nodes, clusters that hold their own."""

from __future__ import annotations

import itertools
import time

import pytest

from builder.charts.flowchart import plan
from builder.charts.layout import Box, Layout
from builder.charts.style import chart_style
from builder.model.charts import FlowchartSpec
from builder.readers.mermaid import read_mermaid
from tests.charts.conftest import drawn, overlapping_texts, read_spec


def crosses(box: Box, a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Return True when the axis-parallel or straight segment a-b passes through `box`'s inside."""
    inner = Box(box.x, box.y, box.w - 2, box.h - 2)
    steps = 40
    for i in range(1, steps):
        x = a[0] + (b[0] - a[0]) * i / steps
        y = a[1] + (b[1] - a[1]) * i / steps
        if inner.left < x < inner.right and inner.top < y < inner.bottom:
            return True
    return False


def check_layout(spec: FlowchartSpec, layout: Layout) -> None:
    for (a, ba), (b, bb) in itertools.combinations(layout.boxes.items(), 2):
        assert not ba.overlaps(bb, gap=2), (a, b)
    for route in layout.routes:
        edge = spec.edges[route.edge]
        for ident, box in layout.boxes.items():
            if ident in (edge.source, edge.target):
                continue
            for a, b in itertools.pairwise(route.points):
                assert not crosses(box, a, b), (edge, ident)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
@pytest.mark.parametrize("name", ["participants", "modal"])
def test_report_flowcharts_have_clean_layouts(name, lang, theme):
    spec = read_spec(name, lang)
    layout, _, size = plan(spec, chart_style(theme, lang))
    check_layout(spec, layout)
    assert size >= 8
    assert layout.width <= 6.5 * 72


def test_participant_hierarchy_is_a_tree_of_3_then_4_3_3(theme):
    spec = read_spec("participants", "zh-CN")
    layout, _, _ = plan(spec, chart_style(theme, "zh-CN"))
    boxes = layout.boxes
    assert all(boxes[k].top > boxes["A"].bottom for k in "BCD")
    assert boxes["B"].y == boxes["C"].y == boxes["D"].y
    assert boxes["B"].x < boxes["C"].x < boxes["D"].x
    for parent, kids in {"B": ["B1", "B2", "B3"], "C": ["C1", "C2", "C3", "C4"],
                         "D": ["D1", "D2", "D3"]}.items():
        ys = [boxes[k].y for k in kids]
        assert ys == sorted(ys) and all(boxes[k].top > boxes[parent].bottom for k in kids)
        assert all(boxes[parent].left <= boxes[k].x <= boxes[parent].right for k in kids)


def big_flowchart() -> FlowchartSpec:
    lines = ["flowchart TB", "  start([Start]) --> a0"]
    lines.append("  subgraph ingest [Ingest stage]")
    lines += [f"    a{i} --> a{i + 1}" for i in range(9)] + ["    a3 --> a7", "  end"]
    lines.append("  subgraph serve [Serving stage]")
    lines += [f"    b{i} -->|step {i}| b{i + 1}" for i in range(8)] + ["    b2 -.-> b6", "  end"]
    lines += ["  a9 --> b0", "  a5 --> x{Check}", "  x -->|yes| b4", "  x -->|no| c1"]
    lines += [f"  c{i} --> c{i + 1}" for i in range(1, 8)] + ["  c8 --> stop((Stop))",
                                                               "  b8 --> stop"]
    return read_mermaid("\n".join(lines), __import__("pathlib").Path("big.mmd"))


def test_thirty_node_flowchart_with_two_subgraphs_is_readable_and_fast(theme):
    spec = big_flowchart()
    assert len(spec.nodes) >= 30 and len(spec.subgraphs) == 2
    style = chart_style(theme, "en")
    started = time.perf_counter()
    layout, _, _ = plan(spec, style)
    elapsed = time.perf_counter() - started
    for a, b in itertools.combinations(layout.boxes.values(), 2):
        assert not a.overlaps(b, gap=2)
    for g in spec.subgraphs:
        cluster = layout.clusters[g.id]
        for ident, box in layout.boxes.items():
            inside = (cluster.left <= box.x <= cluster.right
                      and cluster.top <= box.y <= cluster.bottom)
            assert inside == (ident in g.nodes), (g.id, ident)
    assert elapsed < 1.0
    assert list(overlapping_texts(drawn(spec, theme, "en"))) == []


@pytest.mark.parametrize("direction", ["LR", "RL", "TB", "BT"])
def test_every_direction_lays_out_without_overlap(direction, theme):
    spec = read_mermaid(f"flowchart {direction}\n A --> B & C\n B --> D{{Q}}\n C --> D\n"
                        " D -- loop --> A\n E[(db)] --- A\n", __import__("pathlib").Path("d.mmd"))
    layout, _, _ = plan(spec, chart_style(theme, "en"))
    for a, b in itertools.combinations(layout.boxes.values(), 2):
        assert not a.overlaps(b)
    first, last = layout.boxes["A"], layout.boxes["B"]
    forward = {"LR": last.x > first.x, "RL": last.x < first.x, "TB": last.y > first.y,
               "BT": last.y < first.y}
    assert forward[direction]
