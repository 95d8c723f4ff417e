"""Mermaid flowcharts: `flowchart`/`graph` source -> FlowchartSpec.

Nodes in every documented shape, links with texts and styles, chains and `&` groups, nested
subgraphs with titles and directions, and the styling lines (`classDef`, `class`, `:::`,
`style`; `linkStyle` and `click` are ignored). Registered in `mermaid.READERS`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from builder.diagnostics import BuildError
from builder.model.charts import FlowchartSpec, FlowEdge, FlowNode, FlowSubgraph
from builder.readers.mermaid_common import (
    Line,
    Source,
    clean_label,
    markdown_string,
    split_outside_quotes,
    unquote,
)

# -- flowchart ---------------------------------------------------------------------------------

# (opening, closing, shape), longest openings first.
_SHAPES: tuple[tuple[str, str, str], ...] = (
    ("(((", ")))", "double-circle"), ("((", "))", "circle"), ("([", "])", "stadium"),
    ("[[", "]]", "subroutine"), ("[(", ")]", "cylinder"), ("{{", "}}", "hexagon"),
    ("{", "}", "diamond"),
    ("(", ")", "round"), ("[", "]", "rect"), (">", "]", "asymmetric"),
)
_NEW_SHAPES = {
    "rect": "rect", "rounded": "round", "stadium": "stadium", "subproc": "subroutine",
    "subroutine": "subroutine", "cyl": "cylinder", "cylinder": "cylinder", "circle": "circle",
    "circ": "circle", "diam": "diamond", "diamond": "diamond", "decision": "diamond",
    "hex": "hexagon", "hexagon": "hexagon", "lean-r": "parallelogram", "lean-l":
    "parallelogram-alt", "trap-b": "trapezoid", "trap-t": "trapezoid-alt", "dbl-circ":
    "double-circle", "process": "rect", "event": "round", "terminal": "stadium",
    "database": "cylinder", "db": "cylinder",
}
_ID = re.compile(r"[^\s\[\](){}<>|&;:\"'=~.,@-]+(?:[-.][^\s\[\](){}<>|&;:\"'=~.,@-]+)*")
_LINK_TEXT_FORMS = (
    (re.compile(r"\s*(<)?--(?![->ox-])\s*(\"[^\"]*\"|.*?)\s*(-{2,}>|-{3,}|--[ox](?=\s))"), "solid"),
    (re.compile(r"\s*(<)?-\.(?![.->])\s*(\"[^\"]*\"|.*?)\s*(\.+->|\.+-)"), "dotted"),
    (re.compile(r"\s*(<)?==(?![=>])\s*(\"[^\"]*\"|.*?)\s*(={2,}>|={3,})"), "thick"),
)
_LINK = re.compile(r"\s*([<ox])?(?:(-{2,}>|-{3,}|--[ox](?=\s))|(-\.+->|-\.+-)|(={2,}>|={3,})"
                   r"|(~{3,}))")
_STYLE_KEYS = {"fill": "fill", "stroke": "stroke", "color": "color"}


@dataclass
class _Graph:
    direction: str
    nodes: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> label, shape
    order: list[str] = field(default_factory=list)
    edges: list[FlowEdge] = field(default_factory=list)
    subgraphs: dict[str, FlowSubgraph] = field(default_factory=dict)
    members: dict[str, list[str]] = field(default_factory=dict)
    owner: dict[str, str] = field(default_factory=dict)
    class_defs: dict[str, dict[str, str]] = field(default_factory=dict)
    classes: dict[str, list[str]] = field(default_factory=dict)
    styles: dict[str, dict[str, str]] = field(default_factory=dict)
    edge_ids: set[str] = field(default_factory=set)


class _Scanner:
    """A cursor over one flowchart statement."""

    def __init__(self, src: Source, line: int, text: str) -> None:
        self.src, self.line, self.text, self.pos = src, line, text, 0

    def skip(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t":
            self.pos += 1

    def done(self) -> bool:
        self.skip()
        return self.pos >= len(self.text)

    def error(self, message: str, hint: str = "") -> BuildError:
        return self.src.error(self.line, message, hint)


def read_flowchart(src: Source) -> FlowchartSpec:
    """Read `flowchart`/`graph` with nodes, links, chains, subgraphs and styling lines."""
    head = src.lines[0]
    m = re.match(r"(?:flowchart(?:-elk)?|graph)(?:\s+(TB|TD|BT|LR|RL))?\s*;?\s*(.*)$", head.text)
    if not m:
        raise src.error(head.number, f"cannot read flowchart header {head.text!r}")
    g = _Graph("TB" if m.group(1) in (None, "TD") else m.group(1))
    statements = [(head.number, m.group(2))] if m.group(2) else []
    pending: Line | None = None  # a line whose quoted label continues on the next line
    for line in src.lines[1:]:
        if pending is not None:
            line = Line(pending.number, pending.text + "\n" + line.text)
        try:
            statements += [(line.number, s) for s in split_outside_quotes(line.text, ";")]
            pending = None
        except ValueError:
            pending = line
    if pending is not None:
        raise src.error(pending.number, "unclosed quote")
    stack: list[tuple[str, int]] = []
    for number, statement in statements:
        text = statement.strip()
        if text:
            _statement(src, g, stack, number, text)
    if stack:
        raise src.error(stack[-1][1], f"subgraph {stack[-1][0]!r} is not closed by 'end'")
    return _finish(src, g)


def _statement(src: Source, g: _Graph, stack: list[tuple[str, int]], number: int,
               text: str) -> None:
    word = text.split(None, 1)[0]
    rest = text[len(word):].strip()
    if word == "subgraph":
        ident, title = _subgraph_header(src, number, rest)
        if ident in g.subgraphs or ident in g.nodes:
            raise src.error(number, f"subgraph id {ident!r} is already used")
        parent = stack[-1][0] if stack else None
        g.subgraphs[ident] = FlowSubgraph(ident, title, (), parent)
        g.members[ident] = []
        if parent:
            g.members[parent].append(ident)
        stack.append((ident, number))
    elif word == "end" and not rest:
        if not stack:
            raise src.error(number, "'end' without an open subgraph")
        stack.pop()
    elif word == "direction" and re.fullmatch(r"TB|TD|BT|LR|RL", rest):
        if stack:
            sg = g.subgraphs[stack[-1][0]]
            g.subgraphs[sg.id] = FlowSubgraph(sg.id, sg.title, (), sg.parent,
                                              "TB" if rest == "TD" else rest)  # type: ignore[arg-type]
    elif word == "classDef":
        names, _, props = rest.partition(" ")
        for name in names.split(","):
            g.class_defs[name] = _style_props(props)
    elif word == "class":
        ids, _, name = rest.rpartition(" ")
        for ident in ids.split(","):
            g.classes.setdefault(ident.strip(), []).append(name.strip())
    elif word == "style":
        ident, _, props = rest.partition(" ")
        g.styles.setdefault(ident, {}).update(_style_props(props))
    elif word in ("linkStyle", "click", "accTitle", "accDescr") or word.startswith("acc"):
        return  # interactive or edge styling: nothing to apply in print
    elif (m := re.fullmatch(r"([A-Za-z_][\w-]*)@\{.*\}", text, re.S)) and \
            m.group(1) in g.edge_ids:
        return  # `e1@{ animate: true }`: settings of an edge (animation, curve): not drawn
    else:
        _chain(_Scanner(src, number, text), g, stack[-1][0] if stack else None)


def _subgraph_header(src: Source, number: int, rest: str) -> tuple[str, str]:
    if not rest:
        raise src.error(number, "subgraph needs an id or a title")
    if rest.startswith('"'):
        # As mermaid: the id is the text as written (a markdown string without its
        # backticks, its ** kept); the title is what is drawn.
        raw = unquote(rest)
        ident = raw[1:-1] if len(raw) >= 2 and raw[0] == raw[-1] == "`" else raw
        return clean_label(ident), clean_label(markdown_string(raw))
    m = _ID.match(rest)
    if m and m.end() < len(rest) and rest[m.end():].lstrip().startswith("["):
        label = rest[m.end():].strip()
        if not label.endswith("]"):
            raise src.error(number, f"cannot read subgraph title {label!r}")
        return m.group(0), clean_label(markdown_string(unquote(label[1:-1])))
    title = clean_label(rest)
    return (title, title)


def _style_props(props: str) -> dict[str, str]:
    result = {}
    for item in props.split(","):
        key, _, value = item.partition(":")
        value = value.strip().rstrip(";")
        if key.strip() in _STYLE_KEYS and re.fullmatch(r"#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}", value):
            result[_STYLE_KEYS[key.strip()]] = value
    return result


def _chain(sc: _Scanner, g: _Graph, subgraph: str | None) -> None:
    """Read `A & B --> C -- text --> D`: node groups joined by links."""
    groups = [_group(sc, g, subgraph)]
    links: list[tuple[str, str | None, bool]] = []
    while not sc.done():
        edge_id = _EDGE_ID.match(sc.text, sc.pos)
        if edge_id:
            g.edge_ids.add(edge_id.group(0).strip()[:-1])
        links.append(_link(sc))
        groups.append(_group(sc, g, subgraph))
    for (style, label, arrow), sources, targets in zip(links, groups, groups[1:], strict=False):
        for a in sources:
            for b in targets:
                g.edges.append(FlowEdge(a, b, label, style, arrow))  # type: ignore[arg-type]


def _group(sc: _Scanner, g: _Graph, subgraph: str | None) -> list[str]:
    ids = [_node(sc, g, subgraph)]
    while True:
        sc.skip()
        if sc.pos < len(sc.text) and sc.text[sc.pos] == "&":
            sc.pos += 1
            sc.skip()
            ids.append(_node(sc, g, subgraph))
        else:
            return ids


def _node(sc: _Scanner, g: _Graph, subgraph: str | None) -> str:
    sc.skip()
    m = _ID.match(sc.text, sc.pos)
    if not m:
        rest = sc.text[sc.pos:sc.pos + 20]
        raise sc.error(f"expected a node id at {rest!r}" if rest else "expected a node id")
    ident = m.group(0)
    sc.pos = m.end()
    if ident in ("end", "subgraph", "graph", "flowchart"):
        raise sc.error(f"{ident!r} cannot be used as a node id")
    info = g.nodes.get(ident)
    if info is None and ident not in g.subgraphs:
        info = g.nodes[ident] = {"label": ident, "shape": "rect"}
        g.order.append(ident)
    shape = _shape(sc)
    if shape is not None:
        if info is None:
            raise sc.error(f"{ident!r} is a subgraph and cannot have a shape")
        info["shape"], info["label"] = shape
    if sc.text.startswith("@{", sc.pos):
        close = sc.text.find("}", sc.pos)
        if close < 0:
            raise sc.error("node data '@{' is not closed by '}'")
        if info is not None:
            _node_data(sc.text[sc.pos + 2:close], info)
        sc.pos = close + 1
    if sc.text.startswith(":::", sc.pos):
        m2 = re.compile(r"[\w-]+").match(sc.text, sc.pos + 3)
        if not m2:
            raise sc.error("expected a class name after ':::'")
        g.classes.setdefault(ident, []).append(m2.group(0))
        sc.pos = m2.end()
    if subgraph is not None and ident not in g.subgraphs:
        if ident not in g.owner:
            g.owner[ident] = subgraph
            g.members[subgraph].append(ident)
    return ident


def _node_data(body: str, info: dict[str, str]) -> None:
    for item in split_outside_quotes(body, ","):
        key, _, value = item.partition(":")
        key, value = key.strip(), unquote(value.strip())
        if key == "shape" and value in _NEW_SHAPES:
            info["shape"] = _NEW_SHAPES[value]
        elif key == "label":
            info["label"] = clean_label(markdown_string(value))


def _shape(sc: _Scanner) -> tuple[str, str] | None:
    """Return (shape, label) of a shape right at the cursor, or None when there is none."""
    text, pos = sc.text, sc.pos
    if text.startswith(("[/", "[\\"), pos):
        return _slanted(sc)
    for opening, closing, shape in _SHAPES:
        if not text.startswith(opening, pos):
            continue
        start = pos + len(opening)
        if start < len(text) and text[start] == '"':
            end_quote = text.find('"', start + 1)
            if end_quote < 0:
                raise sc.error("unclosed quote in node label")
            if not text.startswith(closing, end_quote + 1):
                raise sc.error(f"node label must end with {closing!r}")
            sc.pos = end_quote + 1 + len(closing)
            return shape, clean_label(markdown_string(text[start + 1:end_quote]))
        end = text.find(closing, start)
        if end < 0:
            raise sc.error(f"node shape {opening!r} is not closed by {closing!r}")
        sc.pos = end + len(closing)
        return shape, clean_label(text[start:end])
    return None


_SLANTED = {("/", "/"): "parallelogram", ("\\", "\\"): "parallelogram-alt",
            ("/", "\\"): "trapezoid", ("\\", "/"): "trapezoid-alt"}


def _slanted(sc: _Scanner) -> tuple[str, str]:
    """Read `[/text/]`, `[\\text\\]`, `[/text\\]` or `[\\text/]`."""
    text, pos = sc.text, sc.pos
    start = pos + 2
    if start < len(text) and text[start] == '"':
        end_quote = text.find('"', start + 1)
        if end_quote < 0:
            raise sc.error("unclosed quote in node label")
        label, end = markdown_string(text[start + 1:end_quote]), end_quote + 1
    else:
        close = text.find("]", start)
        end = close - 1
        if close < 0 or end < start:
            raise sc.error("node shape '[/' is not closed by '/]' or '\\]'")
        label = text[start:end]
    if not (end + 1 < len(text) and text[end] in "/\\" and text[end + 1] == "]"):
        raise sc.error("node shape '[/' is not closed by '/]' or '\\]'")
    sc.pos = end + 2
    return _SLANTED[(text[pos + 1], text[end])], clean_label(label)


_EDGE_ID = re.compile(r"\s*[A-Za-z_][\w-]*@(?=[-=.~<ox])")


def _link(sc: _Scanner) -> tuple[str, str | None, bool]:
    edge_id = _EDGE_ID.match(sc.text, sc.pos)  # `A e1@--> B`: the edge's id only names it
    if edge_id:
        sc.pos = edge_id.end()
    for pattern, style in _LINK_TEXT_FORMS:
        m = pattern.match(sc.text, sc.pos)
        if m and m.group(2).strip():
            sc.pos = m.end()
            arrow = m.group(3).endswith(">") or m.group(3)[-1] in "ox"
            return style, clean_label(markdown_string(unquote(m.group(2)))), arrow
    m = _LINK.match(sc.text, sc.pos)
    if not m:
        rest = sc.text[sc.pos:].strip()[:20]
        raise sc.error(f"expected a link such as --> at {rest!r}")
    sc.pos = m.end()
    token = m.group(0).strip()
    style = ("dotted" if m.group(3) else "thick" if m.group(4) else
             "invisible" if m.group(5) else "solid")
    arrow = token[-1] in ">ox" and not m.group(5)
    label = None
    sc.skip()
    if sc.pos < len(sc.text) and sc.text[sc.pos] == "|":
        close = sc.text.find("|", sc.pos + 1)
        if close < 0:
            raise sc.error("link text is not closed by '|'")
        label = clean_label(markdown_string(unquote(sc.text[sc.pos + 1:close]))) or None
        sc.pos = close + 1
    return style, label, arrow


def _finish(src: Source, g: _Graph) -> FlowchartSpec:
    default = g.class_defs.get("default", {})
    nodes = []
    for ident in g.order:
        look = dict(default)
        for name in g.classes.get(ident, []):
            look.update(g.class_defs.get(name, {}))
        look.update(g.styles.get(ident, {}))
        info = g.nodes[ident]
        nodes.append(FlowNode(ident, info["label"], info["shape"], look.get("fill"),
                              look.get("stroke"), look.get("color")))
    subgraphs = tuple(FlowSubgraph(sg.id, sg.title, tuple(g.members[sg.id]), sg.parent,
                                   sg.direction) for sg in g.subgraphs.values())
    if not nodes and not subgraphs:
        raise src.error(src.lines[0].number, "flowchart has no nodes")
    return FlowchartSpec(src.title, g.direction, tuple(nodes), tuple(g.edges), subgraphs)  # type: ignore[arg-type]
