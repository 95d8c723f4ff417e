"""The one registry of chart kinds: kind name -> the module that reads, draws and describes it.

A kind module has:

- `SPEC`: its spec dataclass (in `builder.model.charts`, which the mermaid readers share);
- `read(reader, root) -> SPEC`: the YAML spec (`kind: <name>`), with located errors
  (`builder.readers.chart_yaml` gives the typed node accessors);
- `draw(fig, spec, style)`: matplotlib drawing onto an empty figure;
- `describe(spec, zh) -> (kind word, data text)`: the alt text's parts.

Adding a kind is one module plus one line here. Kind modules import matplotlib only inside
`draw()`, so reading and checking specs never import it.
"""

from __future__ import annotations

import importlib
from types import ModuleType

KINDS: dict[str, str] = {
    "pie": "builder.charts.pie",
    "xychart": "builder.charts.xychart",
    "radar": "builder.charts.radar",
    "timeline": "builder.charts.timeline",
    "flowchart": "builder.charts.flowchart",
    "quadrant": "builder.charts.quadrant",
    "gantt": "builder.charts.gantt",
    "sequence": "builder.charts.sequence",
    "sankey": "builder.charts.sankey",
    "mindmap": "builder.charts.mindmap",
}


def kind_module(kind: str) -> ModuleType:
    """Return the module of chart kind `kind` (imported on first use)."""
    return importlib.import_module(KINDS[kind])
