"""The mermaid `mindmap`: one root and its topics, nested by indentation.

One mermaid diagram family of `readers/mermaid.py`'s `READERS`; its errors are located
`BuildError`s. As mermaid reads it: a line's parent is the nearest line above it that is
indented less; a second line as far out as the root (or further) is refused, since a mindmap
has one root. Shapes: `id[square]`, `id(rounded)`, `id((circle))`, `id))bang((`, `id)cloud(`,
`id{{hexagon}}` and plain text (default); labels may be quoted or markdown strings and hold
`<br>`. `::icon(…)` lines and `:::class` after a shape are accepted and not drawn.
"""

from __future__ import annotations

import re

from builder.model.charts import MindmapNode, MindmapSpec
from builder.readers.mermaid_common import Line, Source, clean_label, markdown_string, unquote

# (open, close, shape), the longest openings first
_SHAPES = (("((", "))", "circle"), ("))", "((", "bang"), ("{{", "}}", "hexagon"),
           ("[", "]", "square"), ("(", ")", "rounded"), (")", "(", "cloud"))
MAX_NODES = 5_000


def _node(src: Source, line: Line) -> tuple[str, str]:
    """Return (label, shape) of a node line."""
    # Classes (`:::urgent large`) follow a shape; after plain text they are text, as mermaid
    # reads them.
    text = re.sub(r"(?<=[\])}(])\s*:::[\w\s-]*$", "", line.text)
    for opening, closing, shape in _SHAPES:
        i = text.find(opening)
        if i >= 0 and text.endswith(closing) and len(text) >= i + len(opening) + len(closing):
            ident = text[:i].strip()
            if re.fullmatch(r"[^()\[\]{}]*", ident):  # an id may hold spaces, as mermaid's
                inner = text[i + len(opening):len(text) - len(closing)]
                return clean_label(markdown_string(unquote(inner))) or ident, shape
    if any(c in text for c in "[](){}") and not (text.startswith('"') or text.startswith("`")):
        raise src.error(line.number, f"cannot read mindmap node {line.text!r}",
                        hint="shapes: id[text] id(text) id((text)) id))text(( id)text( "
                             "id{{text}}")
    return clean_label(markdown_string(unquote(text))), "default"


def _joined(src: Source, lines: list[Line]) -> list[Line]:
    """Return the lines with a markdown string that spans lines ("`…` over several lines)
    joined into its first line, the breaks kept."""
    out: list[Line] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.text.count('"`') > line.text.count('`"'):
            parts = [line.text]
            while i + 1 < len(lines) and '`"' not in parts[-1]:
                i += 1
                parts.append(lines[i].text)
            if '`"' not in parts[-1]:
                raise src.error(line.number, "a markdown string is not closed by `\"")
            line = Line(line.number, "\n".join(parts), line.indent)
        out.append(line)
        i += 1
    return out


def read_mindmap(src: Source) -> MindmapSpec:
    """Read `mindmap` and its indented lines."""
    head = src.lines[0]
    if head.text != "mindmap":
        raise src.error(head.number, f"cannot read mindmap header {head.text!r}")
    # Each open node: (indent, label, shape, children)
    stack: list[tuple[int, str, str, list[MindmapNode]]] = []
    root: tuple[int, str, str, list[MindmapNode]] | None = None
    count = 0

    def close(until: int) -> None:
        while len(stack) > until:
            indent, label, shape, children = stack.pop()
            node = MindmapNode(label, shape, tuple(children))
            if stack:
                stack[-1][3].append(node)
            else:
                closed.append(node)

    closed: list[MindmapNode] = []
    for line in _joined(src, src.lines[1:]):
        if line.text.startswith("::icon(") or line.text.startswith(":::"):
            continue
        label, shape = _node(src, line)
        if not label:
            raise src.error(line.number, "a mindmap node needs a text")
        count += 1
        if count > MAX_NODES:
            raise src.error(line.number, f"more than {MAX_NODES} nodes in one mindmap")
        if root is None:
            root = (line.indent, label, shape, [])
            stack.append(root)
            continue
        if line.indent <= root[0]:
            raise src.error(line.number, f"there can be only one root: {label!r} is not "
                            "indented under the first node", hint="indent it under the root")
        depth = len(stack)
        while depth > 1 and stack[depth - 1][0] >= line.indent:
            depth -= 1
        close(depth)
        stack.append((line.indent, label, shape, []))
    if root is None:
        raise src.error(head.number, "mindmap has no nodes")
    close(0)
    return MindmapSpec(src.title, closed[0])
