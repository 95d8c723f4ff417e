"""build(config): the whole pipeline, stage by stage, from a report folder to PDF and DOCX files.

read content -> read data -> compose every edition (this is also `check`) -> render charts
-> engines -> atomic writes. Nothing is written unless every stage before it succeeded.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Any

from builder.charts.stage import ChartStage, TextRenderer, chart_figures
from builder.config import BuildConfig
from builder.diagnostics import BuildError, Diagnostic, Diagnostics
from builder.engines import ENGINES
from builder.engines.libreoffice import TIMEOUT_S as LAYOUT_TIMEOUT_S
from builder.engines.libreoffice import (
    Office,
    layout_program,
    pages_estimated,
    paginate,
    soffice_version,
)
from builder.incremental import (
    Manifest,
    build_lock,
    count_pdf_pages,
    document_digest,
    document_key,
    input_hashes,
    now,
    output_key,
)
from builder.locale import EDITION_LANGS
from builder.model.document import Document
from builder.output import (
    PartialReplaceError,
    output_folder,
    output_path,
    remove_stale_temporaries,
    replace_together,
    write_atomic,
)
from builder.parallel import OutputPool, executor, worker_count
from builder.readers.content import DataSourceRecord, ParamRef, ReportRecord
from builder.readers.data import DataTable, RowFilter, read_data_source
from builder.readers.params import resolve as resolve_params
from builder.readers.report import read_report, report_theme
from builder.themes import Theme, load_theme
from builder.version import __version__

__all__ = ["BuildResult", "build", "check"]

Progress = Callable[[str], None]

#: The chart files each output format needs besides the drawing (which the PDF engine replays).


@dataclass
class BuildResult:
    """What a build wrote, skipped as up to date, found, and changed since the last build."""

    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    documents: dict[str, Document] = field(default_factory=dict)
    changes: dict[str, list[str]] = field(default_factory=dict)


def read_sources(report_dir: Path, params: Mapping[str, str] | None = None,
                 params_at: tuple[Path, int] | None = None,
                 ) -> tuple[ReportRecord | None, dict[str, DataTable], Diagnostics, bool]:
    """Return the records, the data tables, the problems, and whether every data source read.

    `params` are parameter values over the declared defaults (`build --param`), written at
    `params_at` (else their problems are located at the declarations); the record's
    `param_values` hold the values this build uses.
    """
    record, diag = read_report(report_dir)
    data: dict[str, DataTable] = {}
    if record is not None:
        try:
            record = replace(record, param_values=resolve_params(record.params, params or {},
                                                                 params_at))
        except BuildError as exc:
            diag.items.extend(exc.diagnostics)
            return record, data, diag, False
    data_ok = True
    for source in record.data if record else ():
        try:
            data[source.name] = read_data_source(source.path, source.name, source.query,
                                                 (source.loc.path, source.loc.line),
                                                 record.param_values if record else None,
                                                 _row_filter(source, record))
        except BuildError as exc:
            diag.items.extend(exc.diagnostics)
            data_ok = False
    return record, data, diag, data_ok


def chart_texts(record: ReportRecord, data: Mapping[str, DataTable]) -> TextRenderer:
    """Return the renderer of chart texts' data expressions (`{{ params.region }}`)."""
    from builder.compose.text import text_renderer

    return text_renderer(data, record.param_values)


def _row_filter(source: DataSourceRecord, record: ReportRecord | None) -> RowFilter | None:
    """Return the `where:` of `source` with its parameters replaced by this build's values."""
    if not source.where or source.where_loc is None:
        return None
    values = record.param_values if record else {}
    conditions = tuple((column, values[v.name] if isinstance(v, ParamRef) else v)
                       for column, v in source.where)
    return RowFilter(conditions, (source.where_loc.path, source.where_loc.line))


def read_stage(report_dir: Path, params: Mapping[str, str] | None = None,
               params_at: tuple[Path, int] | None = None,
               ) -> tuple[ReportRecord, dict[str, DataTable], Diagnostics]:
    """Return the report records and data tables; raise BuildError on any error."""
    record, data, diag, ok = read_sources(report_dir, params, params_at)
    if record is None or diag.errors or not ok:
        raise BuildError(diag.items)
    return record, data, diag


def check(config: BuildConfig) -> list[Diagnostic]:
    """Return every problem of the report without rendering anything.

    Composing goes on after content errors, so one run shows as many problems as it can; it
    stops only when the report itself or a data source could not be read.
    """
    record, data, diag, data_ok = read_sources(config.report_dir, dict(config.params),
                                               config.params_at)
    if record is None or not data_ok:
        return diag.items
    from builder.compose.document import compose_documents

    theme = resolve_theme(config)
    charts = ChartStage(data, theme, Path("."), render=False, texts=chart_texts(record, data))
    editions = config.editions or record.editions
    _, composed = compose_documents(record, data, theme, charts, tuple(editions),
                                    strict_translations=True)
    diag.extend(composed)
    return diag.items


def data_snapshot(data: Mapping[str, DataTable]) -> dict[str, dict[str, Any]]:
    """Return every data value as `source -> "row.column" -> value`, for change summaries."""
    snapshot: dict[str, dict[str, Any]] = {}
    for name, table in data.items():
        values: dict[str, Any] = {}
        for key, row in table.by_key.items():
            for column, value in row.items():
                if column != table.key:
                    values[f"{key}.{column}"] = value
        snapshot[name] = values
    return snapshot


def summarize_changes(previous: Mapping[str, Any], data: dict[str, dict[str, Any]],
                      sections: dict[str, str], outputs: dict[str, str]) -> dict[str, list[str]]:
    """Return what changed since the previous manifest: data values, sections and outputs."""
    if not previous:
        return {"data": [], "sections": [], "outputs": sorted(outputs), "first_build": ["yes"]}
    changed_data = []
    old_data = previous.get("data", {})
    for source in sorted(set(data) | set(old_data)):
        old, new = old_data.get(source, {}), data.get(source, {})
        for cell in sorted(set(old) | set(new)):
            if old.get(cell) != new.get(cell):
                changed_data.append(f"{source}[{cell}]: {old.get(cell, '—')} -> "
                                    f"{new.get(cell, '—')}")
    old_sections = previous.get("sections", {})
    changed_sections = sorted(name for name in set(sections) | set(old_sections)
                              if sections.get(name) != old_sections.get(name))
    old_outputs = previous.get("outputs", {})
    changed_outputs = sorted(name for name, digest in outputs.items()
                             if old_outputs.get(name, {}).get("sha256") != digest)
    return {"data": changed_data, "sections": changed_sections, "outputs": changed_outputs}


def _section_hashes(record: ReportRecord, inputs: Mapping[str, str]) -> dict[str, str]:
    """Return `section id -> hash of its file` (a section changes when its file does)."""
    hashes = {}
    for section in record.sections:
        rel = section.loc.path.relative_to(record.root).as_posix()
        hashes[section.id] = inputs.get(f"content/{rel}", "")
    return hashes


#: Blocks of an edition from which its DOCX files are laid out by two LibreOffice runs started
#: ahead (when there are two cores and two files): a second start costs about 1.3 s of CPU,
#: and halves a layout pass that takes seconds (5,000 blocks: 5.7 -> 3.6 s).
LONG_BLOCKS = 1500


def _inputs(config: BuildConfig, theme: Theme) -> dict[str, str]:
    """Return the hashes of every input file, and the parameter values given to the build."""
    inputs = input_hashes(config.report_dir, theme, config.reference_docx)
    if config.params:
        inputs["--param"] = json.dumps(sorted(config.params), ensure_ascii=False)
    return inputs


def build(config: BuildConfig, progress: Progress | None = None) -> BuildResult:
    """Build the requested editions and formats whose inputs changed; raise BuildError on problems.

    Outputs whose inputs are unchanged since the last build (per the manifest) are skipped
    unless `config.force` is set.
    """
    say = progress or (lambda _message: None)
    started = now()
    # 1. Read content files and data sources into located records. The inputs are hashed
    #    before they are read, so the manifest never records an edit this build did not see.
    theme = resolve_theme(config)
    inputs = _inputs(config, theme)
    record, data, diag = read_stage(config.report_dir, dict(config.params), config.params_at)
    folder = output_folder(config.out_dir, record.id, config.variant)
    with build_lock(folder, wait=config.wait) as waited:
        # An edit saved while this build waited for the lock is built now, not skipped later.
        current = _inputs(config, theme) if waited else inputs
        if current != inputs:
            inputs = current
            record, data, diag = read_stage(config.report_dir, dict(config.params),
                                            config.params_at)
        editions = config.editions or record.editions
        if config.first_edition_only:
            editions = editions[:1]
        unknown = [e for e in editions if e not in record.editions]
        if unknown:
            declared = ", ".join(record.editions)
            raise BuildError.at(record.loc.path, record.editions_line,
                                f"edition {unknown[0]!r} is not declared by the report "
                                f"(editions: {declared})")
        # 2. Decide what to build: outputs whose key (hash of every input) changed.
        remove_stale_temporaries(folder)
        manifest = Manifest.load(folder)
        planned = [(e, f, output_path(config.out_dir, record.id, e, f, config.variant))
                   for e in editions
                   for f in config.formats]
        # The DOCX contents take LibreOffice's page numbers when it is there: its version is
        # an input of the DOCX files.
        layout = layout_program(config.docx_pages)
        inputs_of = {fmt: inputs for fmt in ENGINES}
        if "docx" in inputs_of:
            # the answer is kept beside the build caches, and asked again by --force
            known = None if config.force else config.out_dir / ".cache" / "soffice-version.json"
            inputs_of["docx"] = {**inputs, "docx-pages": soffice_version(layout, known)
                                 if layout else "estimate"}
        keys = {path.name: output_key(inputs_of[f], e, f, theme.name) for e, f, path in planned}
        todo = [(e, f, p) for e, f, p in planned
                if config.force or not manifest.up_to_date(p.name, keys[p.name], p,
                                                           config.outputs_elsewhere)]
        result = BuildResult(skipped=[p for e, f, p in planned if (e, f, p) not in todo])
        if not todo:
            result.diagnostics = diag.items
            return result
        # 3. Check and compose: one Document per edition. Charts missing from the cache are
        #    drawn in worker processes while compose runs (compose waits for each it needs);
        #    on a rebuild the output workers start now and import the engines meanwhile.
        cache_dir = config.cache_dir or (config.out_dir / ".cache" / record.id)
        if config.force:
            shutil.rmtree(cache_dir / "charts", ignore_errors=True)
        needed = tuple(e for e in editions if any(t[0] == e for t in todo))
        formats = tuple(dict.fromkeys(c for _, f, _ in todo for c in ENGINES[f].chart_files))
        charts = ChartStage(data, theme, cache_dir / "charts", render=config.render_charts,
                            progress=say, formats=formats, texts=chart_texts(record, data))
        from builder.compose.document import compose_documents

        # A chart cache with entries means a rebuild: most charts are there, nothing keeps the
        # cores busy, so the output workers start at once. Otherwise they fork after compose.
        early = not config.render_charts or any((cache_dir / "charts").glob("*.json"))
        options: dict[str, dict[str, Any]] = {fmt: {} for fmt in ENGINES}
        if config.reference_docx:
            options["docx"]["reference_docx"] = config.reference_docx
        # subsets of the embedded fonts, kept between builds (the same characters: no work)
        options["docx"]["font_cache"] = cache_dir / "fonts"
        # On a cold build the chart workers start (and load matplotlib) before the specs are read.
        most = len(chart_figures(record)) * len({EDITION_LANGS[e][0] for e in needed})
        cold = config.render_charts and not early and most > 0
        offices: list[Office] = []  # LibreOffice, started once a DOCX is sure to be rendered
        layout_runs = worker_count(config.jobs, 2)  # LibreOffice runs at once, for long files
        with OutputPool(config.jobs, todo, theme, early=early) as output_pool, \
                ExitStack() as lasting:
            with ExitStack() as stack:
                pool = stack.enter_context(executor(worker_count(config.jobs, most), True)) \
                    if cold else None
                missing = charts.uncached(record, needed) if config.render_charts else []
                if pool is None:
                    pool = stack.enter_context(executor(worker_count(config.jobs, len(missing))))
                charts.pool = pool
                for spec, lang in missing:  # in document order: the first edition's come first
                    charts.submit(spec, lang)
                output_pool.prepare()  # imports the engines while the chart workers draw
                doc_keys: dict[str, str] = {}

                def composed_edition(edition: str, document: Document) -> None:
                    # An output whose Document is what its file already shows (an edit of
                    # the other language, a comment) is kept, not rendered again.
                    digest = document_digest(document)  # once per edition, for every format
                    for i, (e, fmt, path) in enumerate(todo):
                        if e == edition:
                            doc_keys[path.name] = document_key(digest, inputs_of[fmt], fmt,
                                                               theme.name)
                            if not config.force and manifest.shows(
                                    path.name, doc_keys[path.name], path,
                                    config.outputs_elsewhere):
                                output_pool.skip.add(i)
                    if layout and not offices and any(
                            e == edition and fmt == "docx" and i not in output_pool.skip
                            for i, (e, fmt, _) in enumerate(todo)):
                        # its start-up overlaps the rest of compose and the engines; a long
                        # report's files are shared between two
                        files = sum(fmt == "docx" for _, fmt, _ in todo)
                        long = len(document.blocks) >= LONG_BLOCKS and files > 1
                        for _ in range(min(layout_runs, 2 if long else 1)):
                            offices.append(lasting.enter_context(Office(layout, files)))
                    output_pool.send(edition, document, todo, theme, options, say)

                documents, composed = compose_documents(
                    record, data, theme, charts, needed, say, on_document=composed_edition)
                charts.pool = None
            diag.extend(composed)
            if diag.failed(config.strict):
                raise BuildError(diag.items)
            # 4. Engines: every output is rendered in memory before any file is replaced (those
            #    of an edition may have started while compose did the next one).
            # One LibreOffice run lays out every DOCX as soon as they are rendered.
            rendered = output_pool.render(
                todo, documents, theme, options, say,
                finish=("docx", "lay out the DOCX files with LibreOffice",
                        partial(paginate, program=layout, offices=offices,
                                runs=layout_runs))
                if layout else None)
            for path, payload, _ in rendered if layout else ():
                if path.suffix == ".docx" and pages_estimated(payload):
                    diag.warning(path, 0, "LibreOffice did not lay the file out (it failed or "
                                 f"took over {LAYOUT_TIMEOUT_S} s a file): the contents' page "
                                 "numbers are estimates, which Word offers to update on opening",
                                 "--docx-pages estimate skips the layout pass")
        # 5. Write every file's temporary, then rename them all (all new or all old), then
        #    the manifest.
        write_outputs([(path, payload) for path, payload, _ in rendered])
        digests = _record_outputs(manifest, rendered, keys, todo, doc_keys)
        kept = [path for i, (_, _, path) in enumerate(todo) if i in output_pool.skip]
        for path in kept:  # shows the same Document: it is up to date with these inputs
            manifest.data["outputs"][path.name]["key"] = keys[path.name]
        result.skipped += kept
        snapshot = data_snapshot(data)
        sections = _section_hashes(record, inputs)
        changes = summarize_changes(manifest.data, snapshot, sections, digests)
        manifest.data = {
            "report": record.id, "tool_version": __version__, "theme": theme.name,
            "inputs": inputs, "data": snapshot, "sections": sections,
            "outputs": manifest.data["outputs"], "changes": changes,
            "seconds": round(now() - started, 3),
        }
        manifest.save()
        if config.archive:
            archive_outputs(folder, [p for _, _, p in planned], config.archive)
        result.written = [p for p, _, _ in rendered]
        result.diagnostics = diag.items
        result.documents = documents
        result.changes = changes
        return result


def _record_outputs(manifest: Manifest, rendered: list[tuple[Path, bytes, float]],
                    keys: dict[str, str], todo: list[tuple[str, str, Path]],
                    doc_keys: dict[str, str]) -> dict[str, str]:
    """Record each written output (key, hash, size, pages) in the manifest; return the hashes."""
    outputs = dict(manifest.data.get("outputs", {}))
    digests = {}
    format_of = {path: fmt for _, fmt, path in todo}
    for path, payload, seconds in rendered:
        digest = hashlib.sha256(payload).hexdigest()
        digests[path.name] = digest
        outputs[path.name] = {
            "key": keys[path.name], "document_key": doc_keys.get(path.name),
            "sha256": digest, "size": len(payload),
            "mtime_ns": path.stat().st_mtime_ns, "seconds": round(seconds, 3),
            "pages": count_pdf_pages(payload) if ENGINES[format_of[path]].paged else None,
        }
    manifest.data["outputs"] = outputs
    return digests


def resolve_theme(config: BuildConfig) -> Theme:
    """Return the theme of a build: --theme, else report.yaml's `theme:`, else "default"."""
    if config.theme is not None:
        return load_theme(config.theme, Path.cwd(), config.font_paths)
    chosen = report_theme(config.report_dir)
    return load_theme(chosen or "default", config.report_dir, config.font_paths)


def write_outputs(files: list[tuple[Path, bytes]]) -> None:
    """Replace every output together; raise BuildError naming the files on a write problem."""
    try:
        replace_together(files)
    except PartialReplaceError as exc:
        new = ", ".join(p.name for p in exc.replaced)
        raise BuildError.at(exc.failed, 0, f"cannot replace the output: {exc.cause.strerror}; "
                                           f"already new: {new or 'none'}; the others are "
                                           f"from the previous build") from None
    except OSError as exc:
        where = exc.filename or (files[0][0] if files else "")
        raise BuildError.at(Path(str(where)), 0, f"cannot write the outputs: "
                                                 f"{exc.strerror or exc}; no output was "
                                                 f"changed") from None




def archive_outputs(folder: Path, paths: list[Path], day: str) -> Path:
    """Copy the current outputs into `folder/archive/<day>/` and return that folder."""
    target = folder / "archive" / day
    for path in paths:
        if path.is_file():
            write_atomic(target / path.name, path.read_bytes())
    return target
