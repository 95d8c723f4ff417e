"""build(config): the whole pipeline, stage by stage, from a report folder to PDF and DOCX files.

read content -> read data -> compose every edition (this is also `check`) -> render charts
-> engines -> atomic writes. Nothing is written unless every stage before it succeeded.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.compose.document import compose_documents
from builder.config import BuildConfig
from builder.diagnostics import BuildError, Diagnostic, Diagnostics
from builder.model.document import ChartImage, Document
from builder.output import output_path, write_atomic
from builder.readers.content import ReportRecord, read_report
from builder.readers.data import DataTable, read_data_source
from builder.themes import Theme, load_theme

# Output format -> engine module; an engine module has `render(document, theme, **options)`.
ENGINES: dict[str, str] = {
    "pdf": "builder.engines.pdf",
    "docx": "builder.engines.docx",
}

Progress = Callable[[str], None]


@dataclass
class BuildResult:
    """What a build wrote and what it found."""

    written: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    documents: dict[str, Document] = field(default_factory=dict)


class ChartStage:
    """The chart provider handed to compose: reads specs, renders (with a cache), describes."""

    def __init__(self, data: Mapping[str, DataTable], theme: Theme, cache_dir: Path,
                 render: bool) -> None:
        self.rows = {name: table.rows for name, table in data.items()}
        self.theme = theme
        self.cache_dir = cache_dir
        self.render = render

    def spec(self, fields: Mapping[str, Any], lang: str) -> Any:
        """Return the chart spec of a figure in `lang`."""
        from builder import charts

        tag = "zh-CN" if lang == "zh" else "en"
        if "chart_file" in fields:
            return charts.read_chart_file(fields["chart_file"], tag, self.rows)
        text, line, path = fields["chart_mermaid"]
        return charts.read_chart_source(text, path, line, tag, self.rows)

    def image(self, spec: Any, lang: str) -> ChartImage | None:
        """Return the rendered chart (from the cache when unchanged), or None in check mode."""
        if not self.render:
            return None
        from builder import charts

        return charts.render_chart(spec, self.theme, "zh-CN" if lang == "zh" else "en",
                                   self.cache_dir)

    def describe(self, spec: Any, lang: str) -> str:
        """Return alt text for the chart."""
        from builder import charts

        return charts.describe_chart(spec, "zh-CN" if lang == "zh" else "en")


def read_stage(report_dir: Path) -> tuple[ReportRecord, dict[str, DataTable], Diagnostics]:
    """Return the report records and data tables; raise BuildError on any error."""
    record, diag = read_report(report_dir)
    if record is None or diag.errors:
        raise BuildError(diag.items)
    data: dict[str, DataTable] = {}
    for source in record.data:
        try:
            data[source.name] = read_data_source(source.path, source.name)
        except BuildError as exc:
            diag.items.extend(exc.diagnostics)
    if diag.errors:
        raise BuildError(diag.items)
    return record, data, diag


def check(config: BuildConfig) -> list[Diagnostic]:
    """Return every problem of the report without rendering anything."""
    try:
        record, data, diag = read_stage(config.report_dir)
    except BuildError as exc:
        return exc.diagnostics
    theme = load_theme(config.theme)
    charts = ChartStage(data, theme, Path("."), render=False)
    editions = config.editions or record.editions
    _, composed = compose_documents(record, data, theme, charts, tuple(editions))
    diag.extend(composed)
    return diag.items


def build(config: BuildConfig, progress: Progress | None = None) -> BuildResult:
    """Build every requested edition and format of the report; raise BuildError on problems."""
    say = progress or (lambda _message: None)
    # 1. Read content files and data sources into located records.
    record, data, diag = read_stage(config.report_dir)
    theme = load_theme(config.theme)
    editions = config.editions or record.editions
    unknown = [e for e in editions if e not in record.editions]
    if unknown:
        declared = ", ".join(record.editions)
        raise BuildError.at(record.loc.path, 0, f"edition {unknown[0]!r} is not declared by "
                                                f"the report (editions: {declared})")
    # 2. Check and compose: one Document per edition. Charts are drawn here, through the cache.
    cache_dir = config.cache_dir or (config.out_dir / ".cache" / record.id)
    charts = ChartStage(data, theme, cache_dir / "charts", render=config.render_charts)
    documents, composed = compose_documents(record, data, theme, charts, tuple(editions), say)
    diag.extend(composed)
    if diag.failed(config.strict):
        raise BuildError(diag.items)
    # 3. Engines: every output is rendered in memory before any file is replaced.
    outputs: list[tuple[Path, bytes]] = []
    for edition in editions:
        for fmt in config.formats:
            say(f"render {edition}.{fmt}")
            engine = importlib.import_module(ENGINES[fmt])
            options: dict[str, Any] = {}
            if fmt == "docx" and config.reference_docx:
                options["reference_docx"] = config.reference_docx
            data_bytes = engine.render(documents[edition], theme, **options)
            outputs.append((output_path(config.out_dir, record.id, edition, fmt), data_bytes))
    # 4. Write each file atomically (temporary file + rename).
    for path, payload in outputs:
        write_atomic(path, payload)
    return BuildResult([p for p, _ in outputs], diag.items, documents)
