"""Flowchart layout: no overlapping boxes, routes that avoid nodes, clusters that hold their own."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from matplotlib.text import Text

from builder.charts.flowchart import plan
from builder.charts.geometry import Box, Layout
from builder.charts.style import chart_style
from builder.model.charts import FlowchartSpec
from builder.readers.mermaid import read_mermaid
from tests.charts.conftest import drawn, overlapping_texts, read_spec

HERE = Path("doc.mmd")

PLATFORM = Path(__file__).parent / "specs" / "gpu-platform.mmd"


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
        if spec.edges[route.edge].source == spec.edges[route.edge].target:
            continue
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


def on_page_font(spec: FlowchartSpec, theme, lang: str) -> tuple[float, float, float]:
    """Return the drawn chart's width, height and its smallest type as placed on an A4 page."""
    fig = drawn(spec, theme, lang)
    width, height = (float(v) * 72 for v in fig.get_size_inches())
    scale = min(1.0, 470 / width, 0.42 * 842 / height)  # engines/pdf: text width, 42% of A4
    smallest = min(t.get_fontsize() for t in fig.findobj(Text) if t.get_text().strip())
    return width, height, smallest * scale


def platform_flowchart() -> FlowchartSpec:
    return read_mermaid(PLATFORM.read_text(encoding="utf-8"), PLATFORM)


@pytest.mark.parametrize("make", [big_flowchart, platform_flowchart])
def test_large_flowcharts_with_two_subgraphs_fold_to_the_page(make, theme):
    spec = make()
    assert len(spec.nodes) >= 26 and len(spec.subgraphs) == 2
    layout, _, _ = plan(spec, chart_style(theme, "en"))
    check_layout(spec, layout)
    for g in spec.subgraphs:
        cluster = layout.clusters[g.id]
        for ident, box in layout.boxes.items():
            inside = (cluster.left <= box.x <= cluster.right
                      and cluster.top <= box.y <= cluster.bottom)
            assert inside == (ident in g.nodes), (g.id, ident)
        band = Box(cluster.x, cluster.top + layout.bands[g.id] / 2, cluster.w,
                   layout.bands[g.id])
        for route in layout.routes:  # no edge runs along a subgraph's title
            for a, b in itertools.pairwise(route.points):
                assert not (abs(a[1] - b[1]) < 1e-6 and band.top < a[1] < band.bottom
                            and min(a[0], b[0]) < band.right and max(a[0], b[0]) > band.left)
    assert list(overlapping_texts(drawn(spec, theme, "en"))) == []
    width, height, smallest = on_page_font(spec, theme, "en")
    assert height < 1.6 * width  # folded into columns, no longer a tall strip (was 172 x 1840)
    assert smallest >= 7


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


def test_self_loops_are_drawn_beside_their_node(theme):
    spec = read_mermaid("flowchart TB\n A --> B\n B -->|retry| B\n B --> C\n", Path("l.mmd"))
    layout, _, _ = plan(spec, chart_style(theme, "en"))
    (loop,) = [r for r in layout.routes if spec.edges[r.edge].source == "B" ==
               spec.edges[r.edge].target]
    box = layout.boxes["B"]
    assert len(loop.points) == 4 and all(x >= box.right - 0.5 for x, _ in loop.points)
    check_layout(spec, layout)
    assert list(overlapping_texts(drawn(spec, theme, "en"))) == []


def test_boxes_of_one_shape_in_one_rank_share_a_size(theme):
    style = chart_style(theme, "en")
    lr = read_mermaid("flowchart LR\n  A[Start] --> B[Short]\n  A --> C[A much longer label]\n"
                      "  A --> D[(Database)]\n", HERE)
    layout, _, _ = plan(lr, style)
    boxes = layout.boxes
    assert boxes["B"].w == pytest.approx(boxes["C"].w)  # one column, one width
    assert boxes["B"].left == pytest.approx(boxes["C"].left)
    assert boxes["D"].w != pytest.approx(boxes["C"].w)  # a cylinder keeps its own size
    tb = read_mermaid("flowchart TB\n  R[Root] --> X[Hi]\n  R --> Y[A longer label here]\n"
                      "  R --> Z[Two<br>lines]\n", HERE)
    layout, _, _ = plan(tb, style)
    row = [layout.boxes[k] for k in "XYZ"]
    assert len({round(b.top, 3) for b in row}) == 1  # one row starts on one line
    assert len({round(b.h, 3) for b in row}) == 1
    check_layout(tb, layout)


def test_edge_labels_cover_no_node_and_no_other_label(theme):
    spec = read_mermaid("flowchart TD\n  A[Order] -->|paid| B[Ship]\n  A -->|unpaid| C[Remind]\n"
                        "  A -->|cancelled| D[Refund]\n  A -->|fraud suspected| E[Review]\n"
                        "  B -->|delivered| F[Done]\n  C -->|paid later| B\n"
                        "  E -->|cleared| B\n  E -->|confirmed| D\n", HERE)
    fig = drawn(spec, theme, "en")
    renderer = fig.canvas.get_renderer()
    words = {"paid", "unpaid", "cancelled", "fraud suspected", "delivered", "paid later",
             "cleared", "confirmed"}
    labels = [t for t in fig.axes[0].texts if t.get_text() in words]
    assert len(labels) == 8
    boxes = [t.get_bbox_patch().get_window_extent(renderer) for t in labels]
    assert not any(a.overlaps(b) for a, b in itertools.combinations(boxes, 2))
    nodes = [t.get_window_extent(renderer) for t in fig.axes[0].texts
             if t.get_text() in {"Order", "Ship", "Remind", "Refund", "Review", "Done"}]
    assert not any(a.overlaps(b) for a in boxes for b in nodes)
