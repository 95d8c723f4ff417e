"""The `diagram` command: render one chart file to SVG/PNG/PDF, or dump parsed specs as JSON lines.

A thin click command over `builder.charts` (read, render); the main CLI group adds it with
`cli.add_command(diagram)`. Exit codes: 0 ok, 1 an input failed, 2 usage. No tracebacks.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import click

from builder.cli_support import info, output_options
from builder.diagnostics import BuildError, Diagnostic, display_path
from builder.locale import LANG_TAGS
from builder.themes import load_theme

if TYPE_CHECKING:  # the chart package loads only when a diagram command runs
    from builder.model.charts import ChartSpec

FORMATS = (".svg", ".png", ".pdf")


def _short(d: Diagnostic) -> str:
    """Return `path:line: message` (the --dump error form)."""
    where = f"{d.path}:{d.line}" if d.line else d.path
    return f"{where}: {d.message}"


def _read(path: Path, lang: str) -> ChartSpec:
    try:
        from builder.charts import read_chart_file

        return read_chart_file(path, lang, {})
    except BuildError:
        raise
    except Exception as exc:  # a reader bug must still give one line, not a traceback
        raise BuildError.at(path, 0, f"internal error while reading: {exc!r}") from None


@click.command("diagram")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(path_type=Path, dir_okay=False))
@click.option("--out", "out", type=click.Path(path_type=Path, dir_okay=False),
              help="Output file; its suffix (.svg, .png, .pdf) picks the format.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of a bilingual YAML chart spec.")
@click.option("--theme", "theme_name", default="default", show_default=True,
              help="Theme whose colours and fonts the chart uses.")
@click.option("--dump", is_flag=True, help="Print each input's parsed spec as one JSON line.")
@output_options
def diagram(files: tuple[Path, ...], out: Path | None, lang: str, theme_name: str,
            dump: bool) -> None:
    """Render a chart (a .mmd mermaid file or a .yaml chart spec), or dump parsed specs."""
    bcp47 = LANG_TAGS[lang]
    if dump:
        if out is not None:
            raise click.UsageError("--dump and --out cannot be combined")
        failed = False
        for path in files:
            record: dict[str, object] = {"file": str(path)}
            try:
                record.update(_read(path, bcp47).to_json())
            except BuildError as exc:
                failed = True
                record["error"] = "; ".join(_short(d) for d in exc.diagnostics)
            click.echo(json.dumps(record, ensure_ascii=False))
        raise SystemExit(1 if failed else 0)
    if out is None:
        raise click.UsageError("give --out OUT.svg|png|pdf, or --dump")
    if len(files) != 1:
        raise click.UsageError("--out renders exactly one FILE")
    if out.suffix.lower() not in FORMATS:
        raise click.UsageError(f"--out must end in {', '.join(FORMATS)}, not {out.name!r}")
    try:
        theme = load_theme(theme_name)
        spec = _read(files[0], bcp47)
        with tempfile.TemporaryDirectory(prefix="report-builder-diagram-") as cache:
            from builder.charts import render_chart

            image = render_chart(spec, theme, bcp47, Path(cache), (out.suffix.lower()[1:],))
            source = {".pdf": image.pdf_path, ".png": image.png_path,
                      ".svg": image.svg_path}[out.suffix.lower()]
            if source is None:
                raise BuildError.at(out, 0, "this renderer wrote no SVG")
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
            shutil.copyfile(source, tmp)
            os.replace(tmp, out)
    except BuildError as exc:
        for d in exc.diagnostics:
            click.echo(d.format(), err=True)
        raise SystemExit(1) from None
    except OSError as exc:
        click.echo(f"{display_path(out)}: error: cannot write: {exc.strerror}", err=True)
        raise SystemExit(1) from None
    info(f"wrote {display_path(out)}")
