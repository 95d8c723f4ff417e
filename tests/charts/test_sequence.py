"""Sequence diagrams: the YAML spec, mermaid's statements and errors, and the drawing."""

from __future__ import annotations

from pathlib import Path

import pytest
from matplotlib.patches import Circle, FancyBboxPatch, Rectangle

from builder.charts import describe_chart
from builder.diagnostics import BuildError
from builder.readers.mermaid import read_mermaid
from tests.charts.conftest import (
    drawn,
    mermaid_error,
    read_spec,
    text_strings,
    texts,
    yaml_spec,
)

HERE = Path("doc.mmd")


def _kinds(text: str) -> list[str]:
    return [s.kind for s in read_mermaid(text, HERE).steps]


def test_participants_stand_in_order_of_appearance_unless_declared():
    spec = read_mermaid("sequenceDiagram\n  participant B as Bob\n  A->>B: hi\n  C->>A: yo\n", HERE)
    assert [(p.id, p.label) for p in spec.participants] == [("B", "Bob"), ("A", "A"), ("C", "C")]


def test_arrows_read_as_mermaid_draws_them():
    arrows = {"->": ("solid", "none"), "-->": ("dotted", "none"), "->>": ("solid", "arrow"),
              "-->>": ("dotted", "arrow"), "<<->>": ("solid", "both"),
              "<<-->>": ("dotted", "both"), "-x": ("solid", "cross"), "--x": ("dotted", "cross"),
              "-)": ("solid", "open"), "--)": ("dotted", "open")}
    for arrow, expected in arrows.items():
        step = read_mermaid(f"sequenceDiagram\n  A{arrow}B: t\n", HERE).steps[0]
        assert (step.source, step.target, step.line, step.head) == ("A", "B", *expected), arrow


def test_plus_activates_the_receiver_and_minus_deactivates_the_sender():
    spec = read_mermaid("sequenceDiagram\n  A->>+B: ask\n  B-->>-A: answer\n", HERE)
    assert [(s.kind, s.source) for s in spec.steps] == [
        ("message", "A"), ("activate", "B"), ("message", "B"), ("deactivate", "B")]


@pytest.mark.parametrize(("text", "expected"), [
    ("sequenceDiagram\n  A->>B: hi\n  end\n", "3: 'end' without a block to close"),
    ("sequenceDiagram\n  loop forever\n  A->>B: hi\n", "2: loop block is not closed by 'end'"),
    ("sequenceDiagram\n  opt x\n  else y\n  end\n", "3: 'else' outside a alt block"),
    ("sequenceDiagram\n  A->>B: hi\n  deactivate B\n", "3: 'B' is not active"),
    ("sequenceDiagram\n  A->>B: hi\n  create participant C\n  A->>B: again\n",
     "4: the message after 'create' must go to 'C'"),
    ("sequenceDiagram\n  A->>B: hi\n  destroy B\n", "3: 'B' is destroyed but no message follows from or to it"),
    ("sequenceDiagram\n  A=>B: hi\n", "2: cannot read sequence line 'A=>B: hi'"),
    ("sequenceDiagram\n  participant A@{ \"type\": \"cloud\" }\n", "2: unknown participant type 'cloud'"),
    ("sequenceDiagram\n  Note over A,B,C: wide\n", "2: a note stands over one or two participants"),
    ("sequenceDiagram\n  box Aqua\n  A->>B: hi\n  end\n", "3: a box holds participants only, not 'A->>B: hi'"),
    ("sequenceDiagram\n  autonumber x\n", "2: cannot read autonumber 'x'"),
])
def test_mermaid_errors_are_located(text, expected):
    assert mermaid_error(text) == expected


def test_a_box_takes_a_css_colour_only_when_its_first_word_is_one():
    spec = read_mermaid("sequenceDiagram\n  box Aqua Team one\n  participant A\n  end\n"
                        "  box Team two\n  participant B\n  end\n", HERE)
    assert [(p.box, p.box_color) for p in spec.participants] == [("Team one", "Aqua"),
                                                                 ("Team two", None)]


def test_the_yaml_spec_flattens_blocks_and_numbers_messages():
    spec = read_spec("inference", "en")
    kinds = [s.kind for s in spec.steps]
    assert kinds == ["message", "activate", "message", "activate", "start", "message",
                     "message", "branch", "message", "note", "end", "start", "message", "end",
                     "message", "deactivate", "message", "deactivate", "note"]
    numbers = [s.number for s in spec.steps if s.kind == "message"]
    assert numbers == [str(n) for n in range(1, 9)]
    assert read_spec("inference", "zh-CN").participants[0].label == "客户"


def test_yaml_errors_are_located():
    with pytest.raises(BuildError) as caught:
        yaml_spec("kind: sequence\nparticipants: [{id: a}]\nsteps:\n  - {from: a, to: b}\n")
    d = caught.value.diagnostics[0]
    assert (d.line, d.message) == (4, "unknown participant 'b'")


def test_the_drawing_has_every_participant_message_note_and_frame(theme):
    for lang in ("zh-CN", "en"):
        fig = drawn(read_spec("inference", lang), theme, lang)
        strings = set(text_strings(fig))
        if lang == "en":
            assert {"Customer", "API gateway", "Submit a request", "Waits 30 s at most",
                    "alt", "[A GPU is free]", "[No GPU free]", "loop", "[Every 10 s]"} <= strings
        else:
            assert {"客户", "提交推理请求", "条件", "循环", "[有空闲 GPU]"} <= strings
        numbers = [t for t in texts(fig) if t.get_text().isdigit()]
        assert sorted(int(t.get_text()) for t in numbers) == list(range(1, 9))
        for text in texts(fig):
            assert text.get_rotation() == 0
        patches = fig.axes[0].patches
        bars = [p for p in patches if isinstance(p, Rectangle) and p.get_width() == 7.0]
        assert len(bars) == 2  # the gateway's and the scheduler's activations
        notes = [p for p in patches if isinstance(p, FancyBboxPatch)
                 and p.get_facecolor()[:3] == pytest.approx((1.0, 0xF6 / 255, 0xCC / 255))]
        assert len(notes) == 2
        assert sum(isinstance(p, Circle) for p in patches) >= 9  # 8 numbers and a head


def test_messages_run_top_to_bottom_in_order(theme):
    fig = drawn(read_spec("inference", "en"), theme, "en")
    order = ["Submit a request", "Ask for a GPU", "Start the container", "Ready", "Queued",
             "Check the queue", "Node address", "The result"]
    ys = {" ".join(t.get_text().split()): t.get_position()[1] for t in texts(fig)}
    assert [ys[o] for o in order] == sorted(ys[o] for o in order)


def test_alt_text_lists_the_messages():
    text = describe_chart(read_spec("inference", "en"), "en")
    assert text.startswith("Sequence diagram 'One inference request': Customer → API gateway: "
                           "Submit a request; API gateway → Scheduler: Ask for a GPU;")


_TYPED = """sequenceDiagram
    participant P as Plain
    participant B@{ "type": "boundary", "alias": "Portal" }
    participant C@{ "type": "control" }
    participant E@{ "type": "entity" }
    participant D@{ "type": "database", "alias": "Warehouse" }
    participant L@{ "type": "collections" }
    participant Q@{ "type": "queue" }
    P->>Q: across every lifeline
"""


def test_each_participant_type_has_its_symbol_above_a_white_name_box(theme):
    from matplotlib.patches import Arc, Ellipse, Polygon

    spec = read_mermaid(_TYPED, HERE)
    assert [p.type for p in spec.participants] == [
        "", "boundary", "control", "entity", "database", "collections", "queue"]
    fig = drawn(spec, theme, "en")
    ax = fig.axes[0]
    heads = sorted((p for p in ax.patches if isinstance(p, FancyBboxPatch)),
                   key=lambda p: p.get_x())
    assert len(heads) == 7
    # the plain participant's name box is filled; every typed one is white with a symbol
    assert heads[0].get_facecolor()[:3] != (1.0, 1.0, 1.0)
    assert all(h.get_facecolor()[:3] == (1.0, 1.0, 1.0) for h in heads[1:])

    def above(head: FancyBboxPatch) -> list[object]:
        """The patches and lines drawn in the symbol's room above `head`."""
        middle, top = head.get_x() + head.get_width() / 2, head.get_y()
        found: list[object] = []
        for artist in [*ax.patches, *ax.lines]:
            box = artist.get_window_extent().transformed(ax.transData.inverted())
            if abs((box.x0 + box.x1) / 2 - middle) < 16 and max(box.y0, box.y1) < top:
                found.append(artist)
        return found

    kinds = [sorted(type(a).__name__ for a in above(h)) for h in heads]
    assert kinds[0] == []
    assert kinds[1] == ["Circle", "Line2D", "Line2D"]  # boundary |-O
    assert kinds[2] == ["Circle", "Polygon"]  # control: circle and arrowhead
    assert kinds[3] == ["Circle", "Line2D"]  # entity: circle over a line
    assert kinds[4] == ["Arc", "Ellipse", "Line2D", "Line2D", "Rectangle"]  # database
    assert kinds[5] == ["Rectangle", "Rectangle"]  # collections: stacked cards
    assert kinds[6] == ["Arc", "Ellipse", "Line2D", "Line2D", "Rectangle"]  # queue
    assert {Arc, Ellipse, Polygon} <= {type(a) for a in ax.patches}
    # the message over five lifelines stands on a white ground
    (label,) = [t for t in texts(fig) if t.get_text() == "across every lifeline"]
    assert label.get_bbox_patch() is not None
    assert label.get_bbox_patch().get_facecolor()[:3] == (1.0, 1.0, 1.0)


def test_the_yaml_spec_takes_a_participant_type():
    spec = yaml_spec("kind: sequence\nparticipants: [{id: a, type: database}, {id: b}]\n"
                     "steps:\n  - {from: a, to: b, text: rows}\n")
    assert [p.type for p in spec.participants] == ["database", ""]
    with pytest.raises(BuildError) as caught:
        yaml_spec("kind: sequence\nparticipants: [{id: a, type: disk}]\nsteps: []\n")
    assert caught.value.diagnostics[0].line == 2
