"""The mermaid `pie`: quoted labels and their values; `showData` and titles.

One mermaid diagram family of `readers/mermaid.py`'s `READERS`; its errors are located
`BuildError`s.
"""

from __future__ import annotations

import re

from builder.model.charts import (
    PieSlice,
    PieSpec,
)
from builder.readers.mermaid_common import (
    Source,
    clean_label,
    parse_number,
    title_line,
    unquote,
)


def read_pie(src: Source) -> PieSpec:
    """Read `pie [showData] [title …]` and `"label" : value` lines."""
    head = src.lines[0]
    m = re.match(r"pie(\s+showData)?(?:\s+title\s+(.*)|\s*)$", head.text)
    if not m:
        raise src.error(head.number, f"cannot read pie header {head.text!r}")
    show_data = bool(m.group(1))
    title = clean_label(unquote(m.group(2))) if m.group(2) else src.title
    slices: list[PieSlice] = []
    for line in src.lines[1:]:
        if line.text == "showData":
            show_data = True
            continue
        found = title_line(src, line)
        if found is not None:
            title = found
            continue
        m = re.match(r"""(["'])(.*?)\1\s*:\s*(\S+)\s*;?$""", line.text)
        if not m:
            raise src.error(line.number, f"cannot read pie slice {line.text!r}",
                            hint='write "label" : value')
        value = parse_number(src, line.number, m.group(3), "slice value")
        label = clean_label(m.group(2))
        if value < 0:
            raise src.error(line.number, f'"{label}" has negative value {m.group(3)}; '
                            "negative values are not allowed in pie charts")
        if all(s.label != label for s in slices):  # mermaid keeps the first of a repeated label
            slices.append(PieSlice(label, value))
    if not slices:
        raise src.error(head.number, "pie chart has no slices")
    if not any(s.value > 0 for s in slices):
        raise src.error(head.number, "every slice of the pie is 0: there is nothing to draw")
    return PieSpec(title=title, slices=tuple(slices), show_data=show_data)
