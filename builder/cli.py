"""The `report-builder` command line: parse options, call the pipeline, print located problems.

Exit codes: 0 success, 1 content or build problem, 2 usage error. No traceback unless `--debug`.
"""

from __future__ import annotations

import os
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click

from builder.cli_support import (
    _guard,
    _print_diagnostics,
    info,
    output_options,
    quiet,
    verbose,
)
from builder.config import EDITIONS, FORMATS, BuildConfig
from builder.engines.libreoffice import DOCX_PAGES

F = TypeVar("F", bound=Callable[..., Any])
#: The report a checkout builds when no REPORT_DIR is given and the current folder holds none.
CHECKOUT_REPORT = Path("content/gpu-market")


@contextmanager
def _progress() -> Iterator[Callable[[str], None]]:
    """Yield a progress callback: a live status line on a terminal, plain log lines elsewhere."""
    stream = sys.stderr  # CliRunner swaps sys.stderr, so tests see what a terminal would
    live = stream.isatty() and not verbose()
    shown = False
    started = time.perf_counter()

    def say(message: str) -> None:
        nonlocal shown
        if quiet():
            return
        stamp = f"{time.perf_counter() - started:6.2f}s"
        if live:
            stream.write(f"\r\033[K{stamp} {message}")
            stream.flush()
            shown = True
        else:
            click.echo(f"{stamp} {message}", err=True)

    try:
        yield say
    finally:
        if live and shown:
            stream.write("\r\033[K")
            stream.flush()


def _watch_line(line: str) -> None:
    """Print a line of watch or schedule: problems always, the rest unless -q."""
    if ": error" in line or "failed" in line or ": warning" in line:
        click.echo(line)
    else:
        info(line)


def _report_dir(value: Path | None) -> Path:
    """Return the report folder: REPORT_DIR, else the current folder when it holds report.yaml
    (as mkdocs and Quarto find their project), else the bundled report of a checkout."""
    if value is None:
        here = Path(".")
        value = here if (here / "report.yaml").is_file() else CHECKOUT_REPORT
        if not (value / "report.yaml").is_file():
            raise click.UsageError("no report.yaml here: run inside a report folder, name one "
                                   "(report-builder build REPORT_DIR), or make one with "
                                   "report-builder new NAME [--example gpu-market]")
    if not (value / "report.yaml").is_file():
        raise click.BadParameter(f"{value} holds no report.yaml", param_hint="REPORT_DIR")
    return value


def _out_folder(_ctx: click.Context, param: click.Parameter, value: Path) -> Path:
    """Refuse an --out that exists and is no folder, or lies below something that is not."""
    probe = value
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    if not probe.is_dir():
        raise click.BadParameter(f"{probe} is not a folder", param=param)
    return value


def _word_file(_ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """Refuse a --reference-docx that is not a Word document."""
    if value is None:
        return None
    try:
        with zipfile.ZipFile(value) as package:
            package.getinfo("word/document.xml")
    except (zipfile.BadZipFile, KeyError, OSError):
        raise click.BadParameter(f"{value} is not a Word (.docx) file", param=param) from None
    return value


def _theme_option(_ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Refuse a --theme that is neither a bundled theme nor a folder holding theme.yaml."""
    from builder.themes import available_themes, theme_file

    if value is not None and theme_file(value, Path.cwd()) is None:
        raise click.BadParameter(f"unknown theme {value!r}: not a folder holding theme.yaml, "
                                 f"nor one of {', '.join(available_themes())}", param=param)
    return value


def _param_option(_ctx: click.Context, param: click.Parameter,
                  value: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Parse repeated `--param NAME=VALUE` options; the report checks names and values."""
    pairs = []
    for item in value:
        name, sep, text = item.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r} is not NAME=VALUE", param=param)
        pairs.append((name.strip(), text))
    return tuple(pairs)


PARAM_OPTION = click.option("--param", "params", multiple=True, callback=_param_option,
                            metavar="NAME=VALUE",
                            help="A value for one of the report's params: (repeatable).")


def _build_options(func: F) -> F:
    """Add the options shared by build, watch and schedule."""
    for option in reversed([
        click.argument("report_dir", required=False,
                       type=click.Path(path_type=Path, file_okay=False)),
        click.option("--out", "out_dir", default=Path("dist"), show_default=True,
                     type=click.Path(path_type=Path, file_okay=False), callback=_out_folder,
                     help="Output folder."),
        click.option("--edition", "editions", multiple=True, type=click.Choice(EDITIONS),
                     help="Build only these editions (repeatable; default: all the report "
                          "declares)."),
        click.option("--format", "formats", multiple=True, type=click.Choice(FORMATS),
                     help="Build only these formats (repeatable; default: pdf and docx)."),
        click.option("--theme", default=None, callback=_theme_option,
                     help="A bundled theme (default, classic) or a theme folder; default: "
                          "report.yaml's theme:, else default."),
        click.option("--font-path", "font_paths", multiple=True,
                     type=click.Path(path_type=Path, file_okay=False, exists=True),
                     help="A folder of font files for the theme (repeatable; also "
                          "REPORT_BUILDER_FONT_PATH)."),
    ]):
        func = option(func)
    return func


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for internal errors.")
@click.version_option(package_name="report-builder")
def main(debug: bool) -> None:
    """Build bilingual (Chinese + English) reports with data-driven charts to PDF and DOCX."""
    del debug


@main.command()
@click.argument("report_dir", required=False, type=click.Path(path_type=Path, file_okay=False))
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--edition", "editions", multiple=True, type=click.Choice(EDITIONS),
              help="Check only these editions (repeatable).")
@click.option("--theme", default=None, callback=_theme_option,
              help="A bundled theme or a theme folder; default: report.yaml's theme:.")
@PARAM_OPTION
@output_options
@_guard
def check(report_dir: Path | None, strict: bool, editions: tuple[str, ...],
          theme: str | None, params: tuple[tuple[str, str], ...]) -> None:
    """Validate a report without rendering (default: content/gpu-market)."""
    from builder.pipeline import check as run_check

    folder = _report_dir(report_dir)
    problems = run_check(BuildConfig(report_dir=folder, editions=editions, theme=theme,
                                     render_charts=False, params=params))
    _print_diagnostics(problems)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if errors or (strict and warnings):
        click.echo(f"{folder}: {errors} error(s), {warnings} warning(s)", err=True)
        sys.exit(1)
    info(f"{folder}: ok ({warnings} warning(s))", err=True)


@main.command()
@_build_options
@click.option("--reference-docx", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              callback=_word_file, help="A Word file whose styles the DOCX uses.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--force", is_flag=True, help="Rebuild everything, ignoring the build caches.")
@click.option("--if-changed", is_flag=True,
              help="Print nothing and exit 0 when no input changed (for cron).")
@click.option("--no-wait", is_flag=True,
              help="Fail at once if another build of the report is running.")
@click.option("--archive", is_flag=True,
              help="Also keep dated copies in DIR/<id>/archive/YYYY-MM-DD/.")
@click.option("--jobs", "-j", default=0, type=click.IntRange(0, 64),
              help="Worker processes for charts and outputs (0: one per core).")
@click.option("--docx-pages", type=click.Choice(DOCX_PAGES), default=None,
              help="The DOCX contents' page numbers: from LibreOffice's layout when it is "
                   "installed (auto, the default; also REPORT_BUILDER_DOCX_PAGES), always "
                   "from LibreOffice, or estimated.")
@PARAM_OPTION
@output_options
@_guard
def build(report_dir: Path | None, out_dir: Path, editions: tuple[str, ...],
          formats: tuple[str, ...], theme: str | None, font_paths: tuple[Path, ...],
          reference_docx: Path | None,
          strict: bool, force: bool, if_changed: bool, no_wait: bool, archive: bool,
          jobs: int, docx_pages: str | None, params: tuple[tuple[str, str], ...]) -> None:
    """Build the PDF and DOCX editions of a report (default: the one in the current folder).

    Outputs whose inputs did not change since the last build are skipped.
    """
    from builder.pipeline import build as run_build

    config = BuildConfig(report_dir=_report_dir(report_dir), out_dir=out_dir, editions=editions,
                         formats=formats or FORMATS, theme=theme, font_paths=font_paths,
                         strict=strict,
                         reference_docx=reference_docx, force=force, wait=not no_wait,
                         archive=archive_day() if archive else None, jobs=jobs,
                         params=params, docx_pages=docx_pages)
    with _progress() as say:
        result = run_build(config, say)
    if if_changed and not result.written:
        return
    _print_diagnostics(result.diagnostics)
    for path in result.skipped:
        info(f"up to date {path}")
    for path in result.written:
        info(f"wrote {path}")
    if not result.written:
        info("nothing changed since the last build")
    for kind in ("data", "sections", "outputs"):
        changed = result.changes.get(kind)
        if changed and "first_build" not in result.changes:
            info(f"changed {kind}: " + "; ".join(changed))


def archive_day() -> str:
    """Return the archive folder's date: SOURCE_DATE_EPOCH's day when set, else today."""
    import datetime as dt

    from builder.locale import source_date_epoch

    epoch = source_date_epoch()
    return (epoch.date() if epoch else dt.date.today()).isoformat()


@main.command()
@_build_options
@click.option("--debounce", default=0.1, show_default=True, type=click.FloatRange(0.0, 10.0),
              help="Seconds to wait for a burst of saves to end (a third of it after a "
                   "file is closed or moved into place).")
@PARAM_OPTION
@output_options
@_guard
def watch(report_dir: Path | None, out_dir: Path, editions: tuple[str, ...],
          formats: tuple[str, ...], theme: str | None, font_paths: tuple[Path, ...],
          debounce: float, params: tuple[tuple[str, str], ...]) -> None:
    """Rebuild a report whenever one of its files changes (one line per rebuild).

    After an edit the first edition's PDF is built on its own first (the file a writer
    keeps open), then the other outputs.
    """
    from builder.pipeline import resolve_theme
    from builder.schedule import watch as run_watch

    # A preview: the DOCX contents keep estimated page numbers (a LibreOffice layout pass
    # would hold every rebuild back by seconds) unless REPORT_BUILDER_DOCX_PAGES asks.
    config = BuildConfig(report_dir=_report_dir(report_dir), out_dir=out_dir, editions=editions,
                         formats=formats or FORMATS, theme=theme, font_paths=font_paths,
                         params=params,
                         docx_pages=os.environ.get("REPORT_BUILDER_DOCX_PAGES") or "estimate")
    try:
        run_watch(config, _watch_line, debounce, extra_paths=(resolve_theme(config).path.parent,))
    except KeyboardInterrupt:
        info("stopped")


@main.command()
@_build_options
@click.option("--cron", required=True, help='When to build, e.g. "0 7 * * MON".')
@click.option("--dry-run", is_flag=True, help="Print the next five run times and exit.")
@click.option("--start", type=click.DateTime(formats=["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d"]),
              help="Count run times from this moment instead of now (with --dry-run).")
@PARAM_OPTION
@output_options
@_guard
def schedule(report_dir: Path | None, out_dir: Path, editions: tuple[str, ...],
             formats: tuple[str, ...], theme: str | None, font_paths: tuple[Path, ...],
             cron: str, dry_run: bool,
             start: Any, params: tuple[tuple[str, str], ...]) -> None:
    """Rebuild a report on a cron schedule, in the foreground (for containers and servers)."""
    import datetime as dt

    from builder.schedule import next_runs
    from builder.schedule import schedule as run_schedule

    try:
        origin = start or dt.datetime.now().astimezone()
        upcoming = next_runs(cron, origin)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--cron") from None
    if dry_run:
        for moment in upcoming:
            click.echo(moment.isoformat(timespec="seconds"))
        return
    config = BuildConfig(report_dir=_report_dir(report_dir), out_dir=out_dir, editions=editions,
                         formats=formats or FORMATS, theme=theme, font_paths=font_paths,
                         params=params)
    try:
        run_schedule(config, cron, _watch_line)
    except KeyboardInterrupt:
        info("stopped")


@main.command()
@click.argument("variants_file", metavar="VARIANTS",
                type=click.Path(path_type=Path, dir_okay=False, exists=True))
@_build_options
@click.option("--force", is_flag=True, help="Rebuild every variant, ignoring the build caches.")
@click.option("--jobs", "-j", default=0, type=click.IntRange(0, 64),
              help="Variants built at once in worker processes (0: one per core).")
@click.option("--scheduler", metavar="ADDRESS|local",
              help="Build on a Dask cluster: its scheduler's address (tcp://host:8786), or "
                   "local for a LocalCluster of --jobs workers (pip install "
                   "'report-builder[dask]').")
@click.option("--shared-out", is_flag=True,
              help="With --scheduler: workers read the report and write the outputs "
                   "themselves, in folders every worker mounts at the same paths (default: "
                   "workers are sent the report and return the bytes).")
@output_options
@_guard
def batch(variants_file: Path, report_dir: Path | None, out_dir: Path,
          editions: tuple[str, ...], formats: tuple[str, ...], theme: str | None,
          font_paths: tuple[Path, ...], force: bool, jobs: int, scheduler: str | None,
          shared_out: bool) -> None:
    """Build every variant listed in VARIANTS (.csv or .yaml: an id and parameter values).

    Each variant goes to OUT/<report>/<variant>/ and is skipped when unchanged; a failing variant
    never stops the others (exit 1 at the end).
    """
    from builder.batch import SchedulerError, VariantResult, read_variants, run_batch
    from builder.parallel import worker_count

    folder = _report_dir(report_dir)
    variants = read_variants(variants_file)
    config = BuildConfig(report_dir=folder, out_dir=out_dir, editions=editions,
                         formats=formats or FORMATS, theme=theme, font_paths=font_paths,
                         force=force, jobs=1)
    workers = worker_count(jobs, len(variants))
    started = time.perf_counter()
    bar = _BatchBar(len(variants), started)
    finished = 0

    def done(result: VariantResult) -> None:
        nonlocal finished
        finished += 1
        bar.clear()
        _print_diagnostics(result.diagnostics, f"variant {result.variant.id}")
        info(f"[{finished}/{len(variants)}] {result.status} {result.variant.id} "
             f"({result.seconds:.1f} s)")
        bar.count(result.status)

    bar.draw()
    try:
        if shared_out and not scheduler:
            raise click.UsageError("--shared-out goes with --scheduler")
        results = run_batch(config, variants, workers, done, scheduler, shared_out)
    except SchedulerError as exc:
        raise click.UsageError(str(exc)) from None
    finally:
        bar.clear()
    counts = {s: sum(r.status == s for r in results) for s in ("built", "skipped", "failed")}
    width = max(len("variant"), *(len(r.variant.id) for r in results))
    info(f"{'variant':<{width}}  status   seconds  outputs")
    for r in results:
        info(f"{r.variant.id:<{width}}  {r.status:<7}  {r.seconds:7.1f}  {len(r.written)}")
    info(f"{len(results)} variant(s): {counts['built']} built, {counts['skipped']} skipped, "
         f"{counts['failed']} failed in {time.perf_counter() - started:.1f} s")
    if counts["failed"]:
        sys.exit(1)


class _BatchBar:
    """A progress bar on stderr when it is a terminal (`████░░░░ 3/8 · 2 built · …`); the
    per-variant lines print above it. Nothing is drawn elsewhere, or with -q or -v."""

    WIDTH = 24

    def __init__(self, total: int, started: float) -> None:
        self.total = total
        self.started = started
        self.counts = {"built": 0, "skipped": 0, "failed": 0}
        self.live = sys.stderr.isatty() and not quiet() and not verbose()

    def count(self, status: str) -> None:
        self.counts[status] = self.counts.get(status, 0) + 1
        self.draw()

    def draw(self) -> None:
        if not self.live:
            return
        done = sum(self.counts.values())
        filled = round(self.WIDTH * done / self.total) if self.total else self.WIDTH
        parts = " · ".join(f"{n} {status}" for status, n in self.counts.items())
        elapsed = time.perf_counter() - self.started
        sys.stderr.write(f"\r\033[K{'█' * filled}{'░' * (self.WIDTH - filled)} "
                         f"{done}/{self.total} · {parts} · {elapsed:.0f} s")
        sys.stderr.flush()

    def clear(self) -> None:
        if self.live:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _register_optional_commands() -> None:
    """Add commands whose modules live beside this one."""
    from builder.cli_authoring import COMMANDS
    from builder.cli_diagram import diagram

    main.add_command(diagram)
    for command in COMMANDS:
        main.add_command(command)


_register_optional_commands()


if __name__ == "__main__":  # pragma: no cover
    main()
