"""The mermaid reader: mermaid diagram source (a `.mmd` file or an inline block) -> ChartSpec.

Reads the subset of mermaid's documented syntax that the chart renderers draw, one module per
family: `flowchart`/`graph` (`mermaid_flowchart.py`), `pie`, `xychart`(-beta), `timeline`,
`radar-beta` and the seed reports' own `radar` dialect (`mermaid_pie.py`, `mermaid_xychart.py`,
`mermaid_timeline.py`, `mermaid_radar.py`), `quadrantChart`, `gantt`, `sequenceDiagram`,
`sankey-beta` and `mindmap` (`mermaid_quadrant.py`, `mermaid_gantt.py`, `mermaid_sequence.py`,
`mermaid_sankey.py`, `mermaid_mindmap.py`). Front matter, `%%` comments, `%%{init}%%`
directives and styling lines are accepted (`mermaid_common.py`); styling is applied where it maps
onto the spec and otherwise ignored. Anything else is one located `BuildError`
(`path:line: error: …`), never another exception.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from builder.diagnostics import BuildError
from builder.model.charts import ChartSpec
from builder.readers.mermaid_common import Source, clean_label, prepare
from builder.readers.mermaid_flowchart import read_flowchart
from builder.readers.mermaid_gantt import read_gantt
from builder.readers.mermaid_mindmap import read_mindmap
from builder.readers.mermaid_pie import read_pie
from builder.readers.mermaid_quadrant import read_quadrant
from builder.readers.mermaid_radar import read_radar_beta, read_radar_seed
from builder.readers.mermaid_sankey import read_sankey
from builder.readers.mermaid_sequence import read_sequence
from builder.readers.mermaid_timeline import read_timeline
from builder.readers.mermaid_xychart import read_xychart

__all__ = ["READERS", "SUPPORTED", "Source", "clean_label", "read_mermaid"]

SUPPORTED = ("flowchart", "graph", "pie", "xychart", "xychart-beta", "timeline", "radar-beta",
             "radar", "quadrantChart", "gantt", "sequenceDiagram", "sankey-beta",
             "mindmap")


def read_mermaid(text: str, path: Path, first_line: int = 1) -> ChartSpec:
    """Return the spec of mermaid `text`; line 1 of `text` is line `first_line` of `path`."""
    source = prepare(text, path, first_line)
    if not source.lines:
        raise BuildError.at(path, first_line, "empty mermaid diagram")
    head = source.lines[0]
    keyword = head.text.split(None, 1)[0].rstrip(";")
    reader = READERS.get(keyword)
    if reader is None:
        raise source.error(head.number, f"unsupported mermaid diagram type {keyword!r}",
                           hint="supported: " + ", ".join(SUPPORTED))
    return reader(source)


READERS: dict[str, Callable[[Source], ChartSpec]] = {
    "flowchart": read_flowchart,
    "flowchart-elk": read_flowchart,
    "graph": read_flowchart,
    "pie": read_pie,
    "xychart": read_xychart,
    "xychart-beta": read_xychart,
    "timeline": read_timeline,
    "radar-beta": read_radar_beta,
    "radar": read_radar_seed,
    "quadrantChart": read_quadrant,
    "gantt": read_gantt,
    "sequenceDiagram": read_sequence,
    "sankey-beta": read_sankey,
    "sankey": read_sankey,
    "mindmap": read_mindmap,
}
