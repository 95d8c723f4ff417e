"""The mermaid reader: mermaid's documented examples, the seed's diagrams, errors, and fuzzing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.diagnostics import BuildError
from builder.readers.mermaid import read_mermaid

HERE = Path("doc.mmd")
SEED = Path(__file__).resolve().parents[1] / "data" / "gpu-market-report.zh.md"


def read(text: str) -> dict:
    return read_mermaid(text, HERE).to_json()


def error_of(text: str) -> str:
    with pytest.raises(BuildError) as caught:
        read_mermaid(text, HERE)
    (diagnostic,) = caught.value.diagnostics
    return diagnostic.format()


# -- pie (mermaid docs: syntax/pie.md) ----------------------------------------------------------

def test_documented_pie_example():
    spec = read('pie title Pets adopted by volunteers\n    "Dogs" : 386\n    "Cats" : 85\n'
                '    "Rats" : 15\n')
    assert spec == {"kind": "pie", "title": "Pets adopted by volunteers", "show_data": False,
                    "slices": [{"label": "Dogs", "value": 386}, {"label": "Cats", "value": 85},
                               {"label": "Rats", "value": 15}]}


def test_documented_pie_with_front_matter_and_show_data():
    spec = read('---\nconfig:\n  pie:\n    textPosition: 0.5\n---\npie showData\n'
                '    title Key elements in Product X\n    "Calcium" : 42.96\n'
                '    "Potassium" : 50.05\n    "Magnesium" : 10.01\n    "Iron" :  5\n')
    assert spec["title"] == "Key elements in Product X" and spec["show_data"] is True
    assert [s["value"] for s in spec["slices"]] == [42.96, 50.05, 10.01, 5]


def test_negative_pie_value_is_a_located_error():
    assert error_of('pie\n  "A" : 10\n  "B" : -2\n') == \
        'doc.mmd:3: error: "B" has negative value -2; negative values are not allowed in pie charts'


# -- xychart (syntax/xyChart.md) ----------------------------------------------------------------

SALES = "[5000, 6000, 7500, 8200, 9500, 10500, 11000, 10200, 9200, 8500, 7000, 6000]"

def test_documented_xychart_example():
    spec = read('xychart-beta\n    title "Sales Revenue"\n'
                '    x-axis [jan, feb, mar, apr, may, jun, jul, aug, sep, oct, nov, dec]\n'
                '    y-axis "Revenue (in $)" 4000 --> 11000\n'
                f'    bar {SALES}\n'
                f'    line {SALES}\n')
    assert spec["title"] == "Sales Revenue" and spec["orientation"] == "vertical"
    assert spec["x_axis"]["categories"][:3] == ["jan", "feb", "mar"]
    assert spec["y_axis"] == {"title": "Revenue (in $)", "min": 4000, "max": 11000}
    assert [s["type"] for s in spec["series"]] == ["bar", "line"]
    assert spec["series"][0]["values"][-1] == 6000


def test_documented_xychart_variants():
    assert read("xychart\n    line [+1.3, .6, 2.4, -.34]\n")["series"][0]["values"] == \
        [1.3, 0.6, 2.4, -0.34]
    spec = read('xychart horizontal\n  x-axis "categoriesX" ["Category 1", "Category 2"]\n'
                '  y-axis valuesY\n  bar [20,30]\n')
    assert spec["orientation"] == "horizontal"
    assert spec["x_axis"] == {"title": "categoriesX", "categories": ["Category 1", "Category 2"]}
    assert spec["y_axis"] == {"title": "valuesY", "min": None, "max": None}
    numeric = read("xychart-beta\n  x-axis title 1 --> 10\n  bar [1, 2]\n")
    assert numeric["x_axis"]["min"] == 1 and numeric["x_axis"]["max"] == 10


@pytest.mark.parametrize("line", ["bar [1, two, 3]", "bar [1,, 3]", "bar []", "bar [1, 2"])
def test_malformed_number_lists_are_errors(line):
    assert error_of(f"xychart-beta\n  x-axis [a, b, c]\n  {line}\n").startswith("doc.mmd:3: error:")


# -- timeline (syntax/timeline.md) --------------------------------------------------------------

def test_documented_timeline_with_continuations():
    spec = read("timeline\n    title History of Social Media Platform\n    2002 : LinkedIn\n"
                "    2004 : Facebook\n         : Google\n    2005 : YouTube\n    2006 : Twitter\n")
    assert spec["periods"][1] == {"label": "2004", "section": None,
                                  "events": ["Facebook", "Google"]}
    assert len(spec["periods"]) == 4


def test_documented_timeline_sections_and_line_breaks():
    spec = read("timeline\n    title Timeline of Industrial Revolution\n"
                "    section 17th-20th century\n"
                "        Industry 1.0 : Machinery, Water power, Steam <br>power\n"
                "        Industry 2.0 : Electricity, Internal combustion engine, Mass production\n"
                "    section 21st century\n"
                "        Industry 4.0 : Internet, Robotics, Internet of Things\n")
    assert [p["section"] for p in spec["periods"]] == ["17th-20th century"] * 2 + ["21st century"]
    assert spec["periods"][0]["events"] == ["Machinery, Water power, Steam\npower"]
    two = read("timeline\n  2021-10-12 14:00 : launch : party\n")
    assert two["periods"][0] == {"label": "2021-10-12 14:00", "section": None,
                                 "events": ["launch", "party"]}


# -- radar (syntax/radar.md) and the seed dialect -----------------------------------------------

def test_documented_radar_example():
    spec = read('---\ntitle: "Grades"\n---\nradar-beta\n'
                '  axis m["Math"], s["Science"], e["English"]\n'
                '  axis h["History"], g["Geography"], a["Art"]\n'
                '  curve a["Alice"]{85, 90, 80, 70, 75, 90}\n'
                '  curve b["Bob"]{70, 75, 85, 80, 90, 85}\n\n  max 100\n  min 0\n')
    assert spec["title"] == "Grades" and spec["min"] == 0 and spec["max"] == 100
    assert [a["label"] for a in spec["axes"]] == ["Math", "Science", "English", "History",
                                                  "Geography", "Art"]
    assert spec["series"][1] == {"id": "b", "label": "Bob", "values": [70, 75, 85, 80, 90, 85]}


def test_radar_curves_by_axis_name_and_several_per_line():
    spec = read("radar-beta\n  axis axis1, axis2, axis3\n  curve id1[\"Label1\"]{1, 2, 3}\n"
                "  curve id2[\"Label2\"]{4, 5, 6}, id3{7, 8, 9}\n"
                "  curve id4{ axis3: 30, axis1: 20, axis2: 10 }\n")
    assert [s["id"] for s in spec["series"]] == ["id1", "id2", "id3", "id4"]
    assert spec["series"][3]["values"] == [20, 10, 30]
    assert spec["max"] == 30  # mermaid: the largest value when max is not given


def test_seed_diagrams_read(tmp_path):
    blocks = re.findall(r"```mermaid\n(.*?)```", SEED.read_text(encoding="utf-8"), re.S)
    kinds = [read(b)["kind"] for b in blocks]
    assert kinds == ["flowchart", "flowchart", "radar", "flowchart", "xychart", "timeline", "pie"]
    radar = read(blocks[2])
    assert radar["series"][1] == {"id": "行业平均", "label": "行业平均",
                                  "values": [70, 60, 70, 65, 80]}
    assert radar["max"] == 100
    tree = read(blocks[1])
    assert len(tree["nodes"]) == 14 and len(tree["edges"]) == 13
    assert tree["nodes"][1]["label"] == "超大规模云\nHyperscalers"


# -- flowchart (syntax/flowchart.md) ------------------------------------------------------------

def test_documented_flowchart_shapes_and_link_texts():
    spec = read("flowchart LR\n    A[Hard edge] -->|Link text| B(Round edge)\n"
                "    B --> C{Decision}\n    C -->|One| D[Result one]\n"
                "    C -->|Two| E[Result two]\n")
    assert spec["direction"] == "LR"
    assert [(n["id"], n["shape"]) for n in spec["nodes"]] == [
        ("A", "rect"), ("B", "round"), ("C", "diamond"), ("D", "rect"), ("E", "rect")]
    assert spec["edges"][0] == {"from": "A", "to": "B", "label": "Link text", "style": "solid"}


@pytest.mark.parametrize(("source", "shape", "label"), [
    ('id1(["This is the text in the box"])', "stadium", "This is the text in the box"),
    ("id1[[This is the text in the box]]", "subroutine", "This is the text in the box"),
    ("id1[(Database)]", "cylinder", "Database"),
    ("id1((This is the text in the circle))", "circle", "This is the text in the circle"),
    ("id1>This is the text in the box]", "asymmetric", "This is the text in the box"),
    ("id1{{This is the text in the box}}", "hexagon", "This is the text in the box"),
    ("A[/Christmas/]", "parallelogram", "Christmas"),
    ("B[\\Go shopping\\]", "parallelogram-alt", "Go shopping"),
    ("A[/Christmas\\]", "trapezoid", "Christmas"),
    ("B[\\Go shopping/]", "trapezoid-alt", "Go shopping"),
    ("id1(((This is the text in the circle)))", "double-circle", "This is the text in the circle"),
    ('A["A double quote:#quot;"]', "rect", 'A double quote:"'),
    ('a("`The **cat**\n  in the hat`")', "round", "The cat\nin the hat"),
    ("A[超大规模云<br/>Hyperscalers]", "rect", "超大规模云\nHyperscalers"),
])
def test_documented_node_shapes(source, shape, label):
    node = read(f"flowchart TD\n    {source}\n")["nodes"][0] if "\n" not in source else \
        read(f"flowchart TD\n    {source}\n")["nodes"][0]
    assert (node["shape"], node["label"]) == (shape, label)


def test_link_kinds_chains_and_ampersands():
    spec = read("flowchart LR\n   A -- text --> B -- text2 --> C\n   a --> b & c--> d\n"
                "   E & F--> G & H\n   I -.-> J\n   K ==> L\n   M ~~~ N\n   O --- P\n"
                "   Q -. dotted text .-> R\n   S == thick text ==> T\n")
    edges = [(e["from"], e["to"], e["label"], e["style"]) for e in spec["edges"]]
    assert edges[:2] == [("A", "B", "text", "solid"), ("B", "C", "text2", "solid")]
    assert edges[2:6] == [("a", "b", None, "solid"), ("a", "c", None, "solid"),
                          ("b", "d", None, "solid"), ("c", "d", None, "solid")]
    assert [(f, t) for f, t, _, _ in edges[6:10]] == [("E", "G"), ("E", "H"), ("F", "G"),
                                                      ("F", "H")]
    assert [s for _, _, _, s in edges[10:14]] == ["dotted", "thick", "invisible", "solid"]
    assert edges[14] == ("Q", "R", "dotted text", "dotted")
    assert edges[15] == ("S", "T", "thick text", "thick")


def test_documented_subgraphs_with_titles_and_direction():
    spec = read("flowchart TB\n    c1-->a2\n    subgraph one\n    a1-->a2\n    end\n"
                "    subgraph ide1 [two]\n    direction LR\n    b1-->b2\n    end\n"
                "    one --> ide1\n")
    assert spec["subgraphs"] == [{"id": "one", "title": "one", "nodes": ["a1", "a2"]},
                                 {"id": "ide1", "title": "two", "nodes": ["b1", "b2"]}]
    assert [n["id"] for n in spec["nodes"]] == ["c1", "a2", "a1", "b1", "b2"]
    assert {"from": "one", "to": "ide1", "label": None, "style": "solid"} in spec["edges"]


def test_styling_comments_directives_and_semicolons_are_accepted():
    spec = read("%%{init: {'theme': 'forest'}}%%\ngraph TD;\n  %% a comment\n"
                "  A:::hot --> B;B --> C\n  classDef hot fill:#f96,stroke:#333\n"
                "  style C fill:#e1f5e1\n  class B hot\n  linkStyle 0 stroke:#ff3\n"
                "  click A callback \"Tooltip\"\n  accTitle: Title\n")
    assert [e["to"] for e in spec["edges"]] == ["B", "C"]
    from builder.readers.mermaid import read_mermaid as raw
    nodes = {n.id: n for n in raw("graph TD\n A:::hot --> B\n classDef hot fill:#f96\n"
                                  " style B fill:#e1f5e1\n", HERE).nodes}
    assert nodes["A"].fill == "#f96" and nodes["B"].fill == "#e1f5e1"


@pytest.mark.parametrize(("source", "line", "message"), [
    ("classDiagram\n  A <|-- B\n", 1, "unsupported mermaid diagram type 'classDiagram'"),
    ("flowchart TD\n  A[open --> B\n", 2, "node shape '[' is not closed by ']'"),
    ("flowchart TD\n  subgraph one\n  A --> B\n", 2, "subgraph 'one' is not closed by 'end'"),
    ("flowchart TD\n  A --> B\n  end\n", 3, "'end' without an open subgraph"),
    ("timeline\n  : orphan\n", 2, "event continuation before any time period"),
    ("radar-beta\n  axis a, b, c\n  curve x{1, 2}\n", 3, "curve has 2 values for 3 axes"),
    ("", 1, "empty mermaid diagram"),
])
def test_malformed_input_gives_one_located_error(source, line, message):
    assert error_of(source).split(" (hint:")[0] == f"doc.mmd:{line}: error: {message}"


def test_inline_source_lines_are_offset():
    with pytest.raises(BuildError) as caught:
        read_mermaid("pie\n  \"A\" : x\n", Path("sections/02.yaml"), first_line=40)
    assert caught.value.diagnostics[0].line == 41


MERMAID_ALPHABET = st.sampled_from(list("ABab12 .:;,-=>|&[](){}<>/\\\"'`~%@#:\n\t中文") +
                                   ["-->", "---", "==>", "-.->", "~~~", "subgraph ", "end",
                                    "<br>", "title ", "section ", "axis ", "curve ", "bar ",
                                    "x-axis ", "y-axis ", "label ", "data ", "showData",
                                    "quadrant-1 ", ": [0.5, 1]", ":::c", "classDef c ",
                                    "radius: 3", "dateFormat ", "YYYY", "after ", "until ",
                                    "excludes weekends", "milestone, ", "2025-01-06", "3d"])
HEADERS = st.sampled_from(["flowchart LR\n", "graph TD\n", "pie\n", "pie showData title x\n",
                           "xychart-beta\n", "xychart horizontal\n", "timeline\n", "radar-beta\n",
                           "radar\n", "quadrantChart\n", "gantt\n", "sequenceDiagram\n",
                           "sankey-beta\n", "mindmap\n", "---\ntitle: t\n---\n",
                           ""])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HEADERS, st.lists(MERMAID_ALPHABET, max_size=40).map("".join))
def test_no_input_crashes_the_reader(header, body):
    try:
        read_mermaid(header + body, HERE)
    except BuildError as exc:
        assert all(d.path == "doc.mmd" and d.line >= 0 for d in exc.diagnostics)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_no_arbitrary_text_crashes_the_reader(text):
    try:
        read_mermaid(text, HERE)
    except BuildError:
        pass


# -- mermaid's documented examples as fixtures: `examples/NAME.mmd` reads as `NAME.json` --------

# `examples/docs/` holds every example of mermaid's syntax pages for the ten kinds (see its
# README); each dump was checked against mermaid 11's own reading with bench/mermaid_parity.py.
EXAMPLES = sorted((Path(__file__).parent / "examples").rglob("*.mmd"))


@pytest.mark.parametrize("example", EXAMPLES,
                         ids=lambda p: f"{p.parent.name}/{p.stem}" if p.parent.name == "docs"
                         else p.stem)
def test_documented_example_reads_as_mermaid_does(example):
    import json

    expected = json.loads(example.with_suffix(".json").read_text(encoding="utf-8"))
    text = example.read_text(encoding="utf-8")
    if "error" in expected:  # refused on purpose (see examples/docs/README.md)
        with pytest.raises(BuildError) as caught:
            read_mermaid(text, example)
        assert caught.value.diagnostics[0].message == expected["error"]
        return
    assert read_mermaid(text, example).to_json() == expected


def test_documented_examples_cover_every_kind():
    import json

    kinds = {json.loads(p.with_suffix(".json").read_text(encoding="utf-8")).get("kind")
             for p in EXAMPLES} - {None}
    assert kinds == {"flowchart", "pie", "xychart", "timeline", "radar", "quadrant", "gantt",
                     "sequence", "sankey", "mindmap"}
