"""Charts: read a chart (YAML spec or mermaid) into a ChartSpec, render it, describe it as alt text.

This package sits between the readers and the engines: compose calls `read_chart_file` or
`read_chart_source` for each figure, then `render_chart` (cached PDF/PNG/SVG files in the build
cache) and `describe_chart` (the figure's alt text). One module per kind reads, draws and
describes it, registered in `kinds.KINDS`. Importing this package does not import matplotlib:
only drawing a chart does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from builder.charts.describe import describe_chart
from builder.charts.kinds import KINDS, kind_module
from builder.charts.render import render_chart
from builder.diagnostics import BuildError
from builder.model.charts import ChartSpec
from builder.readers.chart_yaml import SpecReader, read_spec_text
from builder.readers.mermaid import read_mermaid
from builder.readers.yamlsrc import read_source_text

__all__ = ["describe_chart", "read_chart_file", "read_chart_source", "render_chart"]

YAML_SUFFIXES = (".yaml", ".yml")
MERMAID_SUFFIXES = (".mmd", ".mermaid")


def read_chart_file(path: Path, lang: str, data: Mapping[str, Any]) -> ChartSpec:
    """Return the spec in a chart file: a YAML spec localized to `lang`, or mermaid source.

    `data` maps data-source names to tables (lists of row dicts) for `{column: NAME}` values.
    Raise BuildError located in `path` on any problem.
    """
    suffix = path.suffix.lower()
    if suffix not in YAML_SUFFIXES + MERMAID_SUFFIXES:
        raise BuildError.at(path, 1, f"unknown chart file type {suffix or path.name!r}",
                            hint="use a .yaml chart spec or a .mmd mermaid file")
    text = read_source_text(path, "chart file")
    if suffix in MERMAID_SUFFIXES:
        return read_mermaid(text, path)
    return read_spec_text(text, path, lang, data, _yaml_readers())


def read_chart_source(text: str, path: Path, first_line: int, lang: str,
                      data: Mapping[str, Any]) -> ChartSpec:
    """Return the spec of mermaid source inlined in a content file at `path:first_line`."""
    del lang, data  # mermaid source is single-language and holds its own numbers
    return read_mermaid(text, path, first_line)


def _yaml_readers() -> dict[str, Callable[[SpecReader, Any], ChartSpec]]:
    return {kind: kind_module(kind).read for kind in KINDS}
