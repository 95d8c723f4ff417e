"""The mermaid `sankey-beta` (or `sankey`): `source,target,value` lines, CSV style.

One mermaid diagram family of `readers/mermaid.py`'s `READERS`; its errors are located
`BuildError`s. As mermaid reads it: three comma-separated fields a line, a field in double
quotes may hold commas and `""` for a quote; names are trimmed and HTML entities decoded; a
value is a number more than 0. A flow that leads back to where it came from is refused, as
mermaid's layout (d3-sankey) cannot draw it.
"""

from __future__ import annotations

from builder.model.charts import SankeyLink, SankeySpec
from builder.readers.mermaid_common import Line, Source, clean_label, parse_number, title_line

MAX_LINKS = 5_000


def _fields(src: Source, line: Line) -> list[str]:
    fields, buf, quoted, i, text = [], [], False, 0, line.text
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == '"' and text[i + 1:i + 2] == '"':
                buf.append('"')
                i += 1
            elif ch == '"':
                quoted = False
            else:
                buf.append(ch)
        elif ch == '"' and not "".join(buf).strip():
            quoted, buf = True, []
        elif ch == ",":
            fields.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
        i += 1
    if quoted:
        raise src.error(line.number, "a quoted field is not closed")
    fields.append("".join(buf))
    return fields


def read_sankey(src: Source) -> SankeySpec:
    """Read `sankey-beta` and its CSV lines."""
    head = src.lines[0]
    if head.text not in ("sankey-beta", "sankey"):
        raise src.error(head.number, f"cannot read sankey header {head.text!r}")
    title = src.title
    links: list[SankeyLink] = []
    numbers: list[int] = []
    for line in src.lines[1:]:
        found = title_line(src, line)
        if found is not None:
            title = found
            continue
        fields = _fields(src, line)
        if len(fields) != 3:
            raise src.error(line.number, f"a sankey line has 3 fields, not {len(fields)}: "
                            f"{line.text!r}", hint="write source,target,value")
        source, target = clean_label(fields[0]), clean_label(fields[1])
        if not source or not target:
            raise src.error(line.number, "a sankey flow needs a source and a target name")
        value = parse_number(src, line.number, fields[2], "flow value")
        if value <= 0:
            raise src.error(line.number, f"a flow value must be more than 0, not {fields[2]!r}")
        if len(links) >= MAX_LINKS:
            raise src.error(line.number, f"more than {MAX_LINKS} flows in one sankey diagram")
        links.append(SankeyLink(source, target, value))
        numbers.append(line.number)
    if not links:
        raise src.error(head.number, "sankey diagram has no flows")
    spec = SankeySpec(title, tuple(links))
    cycle = find_cycle(spec)
    if cycle is not None:
        raise src.error(numbers[cycle], f"the flow {links[cycle].source} → {links[cycle].target} "
                        "closes a loop; a sankey diagram flows one way")
    return spec


def find_cycle(spec: SankeySpec) -> int | None:
    """Return the index of a link that closes a loop, or None when the flows have none."""
    out: dict[str, list[tuple[str, int]]] = {}
    for i, link in enumerate(spec.links):
        out.setdefault(link.source, []).append((link.target, i))
    state: dict[str, int] = {}
    for start in spec.nodes:
        if state.get(start):
            continue
        stack = [(start, iter(out.get(start, ())))]
        state[start] = 1
        while stack:
            node, edges = stack[-1]
            step = next(edges, None)
            if step is None:
                state[node] = 2
                stack.pop()
                continue
            target, index = step
            if state.get(target) == 1:
                return index
            if not state.get(target):
                state[target] = 1
                stack.append((target, iter(out.get(target, ()))))
    return None
