"""report-builder: bilingual reports with data-driven charts, built to PDF and DOCX.

The Python API (docs/api.md): `build()` and `check()`. Importing `builder` imports only the
stdlib-only diagnostics; the pipeline loads on the first call.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path

from builder.diagnostics import BuildError, Diagnostic
from builder.version import __version__

__all__ = ["BuildError", "Result", "__version__", "build", "check"]


@dataclass
class Result:
    """What `build()` did: the files it wrote, those up to date, and every diagnostic.

    `ok` is False when the build failed; then `written` is empty and no output was changed.
    """

    ok: bool
    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def build(report: str | PathLike[str], out: str | PathLike[str] = "dist", *,
          editions: Sequence[str] = (), formats: Sequence[str] = (), theme: str | None = None,
          force: bool = False, strict: bool = False, jobs: int = 0) -> Result:
    """Build `report` (a folder holding report.yaml) into `out`/<id>/; return a Result.

    `editions` and `formats` default to every edition the report declares and every format.
    Content problems do not raise: they come back as `diagnostics` with `ok=False`. In a
    daemonic worker (multiprocessing.Pool, Celery) the build runs in the calling process.
    """
    from builder.config import FORMATS, BuildConfig
    from builder.pipeline import build as run_build

    config = BuildConfig(report_dir=Path(report), out_dir=Path(out), editions=tuple(editions),
                         formats=tuple(formats) or FORMATS, theme=theme, force=force,
                         strict=strict, jobs=jobs)
    try:
        result = run_build(config)
    except BuildError as exc:
        return Result(False, diagnostics=list(exc.diagnostics))
    return Result(True, result.written, result.skipped, list(result.diagnostics))


def check(report: str | PathLike[str], *, theme: str | None = None,
          strict: bool = False) -> Result:
    """Check `report` without rendering; return a Result whose `ok` says whether it builds."""
    from builder.config import BuildConfig
    from builder.pipeline import check as run_check

    try:
        problems = run_check(BuildConfig(report_dir=Path(report), theme=theme,
                                         render_charts=False))
    except BuildError as exc:
        problems = list(exc.diagnostics)
    failed = any(p.severity == "error" for p in problems) or (strict and bool(problems))
    return Result(not failed, diagnostics=list(problems))

