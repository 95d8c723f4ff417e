"""The chart stage compose uses: read each figure's spec once, draw it (cached) and describe it.

It sits in the chart layer: the pipeline hands it an executor (a worker pool) to draw charts in
while compose runs; without one, or for a chart the cache holds, it draws in this process.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import Any, TypeVar

from builder.diagnostics import BuildError
from builder.locale import EDITION_LANGS, LANG_TAGS, PAIRED, typography
from builder.model.charts import map_texts, paired_texts
from builder.model.document import ChartImage
from builder.readers.content import BlockRecord, ReportRecord
from builder.readers.data import DataTable
from builder.themes import Theme

T = TypeVar("T")
Progress = Callable[[str], None]

_TAGS: dict[str, str] = {**LANG_TAGS, PAIRED: "zh-CN+en"}


class InlineExecutor(Executor):
    """An executor that runs each task at once in this process (for `jobs=1`)."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        """Run `fn(*args, **kwargs)` now and return its finished future."""
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # noqa: BLE001 - handed to the caller through the future
            future.set_exception(exc)
        return future


def chart_figures(record: ReportRecord) -> list[BlockRecord]:
    """Return the figures of the report that show a chart (a chart file or inline mermaid)."""
    return [block for section in record.sections for block in section.blocks
            if block.kind == "figure" and ("chart_file" in block.fields
                                           or "chart_mermaid" in block.fields)]


#: Renders the data expressions of one chart text in a language; raises ValueError with the
#: message of a problem.
TextRenderer = Callable[[str, str], str]


def _line_of(source: str, text: str) -> int:
    """Return the 0-based line of `source` where `text` (or its first line) is written."""
    first = text.splitlines()[0] if text else ""
    for number, line in enumerate(source.splitlines()):
        if first and first in line:
            return number
    return 0


class ChartStage:
    """The chart provider handed to compose: reads specs, renders (with a cache), describes.

    The pipeline `submit`s every chart the cache lacks to `pool` before compose starts, so
    charts are drawn in worker processes while compose runs; `image` then waits for its chart.
    Only the chart files the output formats need are drawn (`formats`; see `render_chart`).
    """

    def __init__(self, data: Mapping[str, DataTable], theme: Theme, cache_dir: Path,
                 render: bool, progress: Progress | None = None,
                 formats: tuple[str, ...] = ("png",), pool: Executor | None = None,
                 texts: TextRenderer | None = None) -> None:
        self.rows = {name: table.rows for name, table in data.items()}
        self.texts = texts
        self.theme = theme
        self.cache_dir = cache_dir
        self.render = render
        self.progress = progress
        self.formats = formats
        self.pool = pool
        self._specs: dict[tuple[int, str], tuple[Mapping[str, Any], Any]] = {}
        self._pending: dict[tuple[str, str], Future[ChartImage]] = {}

    def spec(self, fields: Mapping[str, Any], lang: str) -> Any:
        """Return the chart spec of a figure in `lang` (read once per figure and language)."""
        key = (id(fields), lang)
        if key in self._specs:
            return self._specs[key][1]
        from builder import charts

        tag = LANG_TAGS[lang]
        if "chart_file" in fields:
            spec = charts.read_chart_file(fields["chart_file"], tag, self.rows)
        else:
            text, line, path = fields["chart_mermaid"]
            spec = charts.read_chart_source(text, path, line, tag, self.rows)
        if self.texts is not None:
            spec = self._render_texts(spec, fields, lang)
        if self.theme.layout.punctuation:  # set as the text around it is (locale.typography)
            spec = map_texts(spec, typography.chinese if lang == "zh" else typography.english)
        self._specs[key] = (fields, spec)  # holding `fields` keeps its id unique
        return spec

    def _render_texts(self, spec: Any, fields: Mapping[str, Any], lang: str) -> Any:
        """Return `spec` with the templates in its texts (`{{ params.region }}`) rendered."""
        render = self.texts
        assert render is not None

        def change(text: str) -> str:
            try:
                return render(text, lang)
            except ValueError as exc:
                if "chart_file" in fields:
                    path, first = Path(fields["chart_file"]), 1
                    source = path.read_text(encoding="utf-8", errors="replace")
                else:
                    source, first, path = fields["chart_mermaid"]
                raise BuildError.at(path, first + _line_of(source, text), str(exc)) from None

        return map_texts(spec, change)

    def paired_spec(self, fields: Mapping[str, Any]) -> Any:
        """Return the chart of a bilingual figure: the Chinese spec with every text that
        differs in English on a second line (see `paired_texts`); draw it as `PAIRED`."""
        key = (id(fields), PAIRED)
        if key in self._specs:
            return self._specs[key][1]
        spec = paired_texts(self.spec(fields, "zh"), self.spec(fields, "en"))
        self._specs[key] = (fields, spec)
        return spec

    def _job(self, spec: Any, lang: str) -> tuple[tuple[str, str], Any, str]:
        from builder.charts.render import cache_key

        if getattr(spec, "title", ""):
            # The numbered caption under the figure names the chart; a title inside the drawing
            # would say the same thing twice.
            spec = dataclasses.replace(spec, title="")
        tag = _TAGS[lang]
        return (spec.kind, cache_key(spec, self.theme, tag)), spec, tag

    def _submit(self, spec: Any, lang: str) -> Future[ChartImage]:
        from builder.charts.render import cached, render_chart

        key, spec, tag = self._job(spec, lang)
        if key not in self._pending:
            if self.progress:
                self.progress(f"chart {getattr(spec, 'kind', 'chart')} ({lang})")
            pool = self.pool
            if pool is None or cached(spec, self.theme, tag, self.cache_dir, self.formats):
                pool = InlineExecutor()
            self._pending[key] = pool.submit(render_chart, spec, self.theme, tag,
                                             self.cache_dir, self.formats)
        return self._pending[key]

    def uncached(self, record: ReportRecord, editions: tuple[str, ...]) -> list[tuple[Any, str]]:
        """Return `(spec, lang)` of every chart of `editions` that the cache does not hold.

        Specs that fail to read are left out here; compose reports them with their location.
        """
        from builder.charts.render import cached

        found: dict[tuple[str, str], tuple[Any, str]] = {}
        for edition in editions:
            # A one-language edition draws its charts in its language; the bilingual one draws
            # each chart once with both languages' texts.
            lang = EDITION_LANGS[edition][0] if len(EDITION_LANGS[edition]) == 1 else PAIRED
            for block in chart_figures(record):
                try:
                    spec = self.paired_spec(block.fields) if lang == PAIRED \
                        else self.spec(block.fields, lang)
                except BuildError:
                    continue
                key, bare, tag = self._job(spec, lang)
                if key not in found and not cached(bare, self.theme, tag, self.cache_dir,
                                                   self.formats):
                    found[key] = (spec, lang)
        return list(found.values())

    def submit(self, spec: Any, lang: str) -> None:
        """Start drawing a chart now (in `pool` when set), for `image` to collect later."""
        self._submit(spec, lang)

    def image(self, spec: Any, lang: str) -> ChartImage | None:
        """Return the rendered chart (from the cache when unchanged), or None in check mode."""
        if not self.render:
            return None
        return self._submit(spec, lang).result()

    def describe(self, spec: Any, lang: str) -> str:
        """Return alt text for the chart."""
        from builder import charts

        return charts.describe_chart(spec, _TAGS[lang])
