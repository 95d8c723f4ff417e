"""BuildConfig: every option of a build, documented where it is defined; made by the CLI."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from builder.engines import formats
from builder.locale import EDITIONS, source_date_epoch

__all__ = ["EDITIONS", "FORMATS", "BuildConfig", "source_date_epoch"]

#: The output formats, from the engine registry (builder/engines/__init__.py).
FORMATS: tuple[str, ...] = formats()


@dataclass(frozen=True)
class BuildConfig:
    """What to build and where."""

    # The report folder holding report.yaml.
    report_dir: Path = Path("content/gpu-market")
    # Outputs go to out_dir/<report id>/<report id>.<edition>.<format>.
    out_dir: Path = Path("dist")
    # Editions to build; empty means every edition the report declares.
    editions: tuple[str, ...] = ()
    # Build only the first of those editions (watch's preview of an edit, before the rest).
    first_edition_only: bool = False
    # Output formats to build.
    formats: tuple[str, ...] = FORMATS
    # Theme: a bundled theme name or a theme folder (relative to the working folder); None takes
    # report.yaml's `theme:` (a bundled name or a folder inside the report), else "default".
    theme: str | None = None
    # Extra font folders searched after the theme's own folder (also REPORT_BUILDER_FONT_PATH).
    font_paths: tuple[Path, ...] = ()
    # Turn warnings into errors (a warning then fails the build).
    strict: bool = False
    # A Word document whose styles replace the theme's reference.docx.
    reference_docx: Path | None = None
    # Where rendered charts are cached between builds; None means out_dir/.cache.
    cache_dir: Path | None = None
    # Render charts (False in `check`, which validates chart specs without drawing them).
    render_charts: bool = True
    # Rebuild every output and redraw every chart, ignoring the manifest and the chart cache.
    force: bool = False
    # Wait for another build of the same report to finish (False: fail at once).
    wait: bool = True
    # Also copy the outputs to out_dir/<id>/archive/<this date>/ (an ISO date), when set.
    archive: str | None = None
    # Worker processes for drawing charts and rendering outputs; 0 means one per available
    # core, 1 builds everything in this process. Outputs are the same bytes either way.
    jobs: int = 0
    # Report parameter values (name, value as text), over the defaults report.yaml declares.
    params: tuple[tuple[str, str], ...] = ()
    # Where those values were written (a variants file's row), for their errors; None locates
    # them at the parameters' declarations in report.yaml.
    params_at: tuple[Path, int] | None = None
    # A variant of a batch: outputs and manifest go to out_dir/<report id>/<variant>/.
    variant: str | None = None
    # The outputs live with the caller, not in out_dir (a Dask worker's build for a client
    # that checked its files against the manifest it sent): an output whose manifest record
    # has this build's key counts as up to date without its file.
    outputs_elsewhere: bool = False
    # How the DOCX contents get their page numbers: "auto" (LibreOffice's layout when it is
    # installed, else the engine's estimate), "libreoffice" or "estimate"; None reads
    # REPORT_BUILDER_DOCX_PAGES, else "auto" (builder/engines/libreoffice.py).
    docx_pages: str | None = None
    # Extra per-run settings for engines (e.g. the bilingual layout of the PDF engine).
    options: dict[str, str] = field(default_factory=dict)
