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
