"""Helpers of the authoring tests: the CLI runner, builds, and text read back from outputs."""

from __future__ import annotations

import subprocess
from pathlib import Path

from click.testing import CliRunner, Result

from builder.cli import main
from builder.config import BuildConfig
from builder.pipeline import build
from tests.helpers import docx_text

__all__ = ["build_report", "docx_text", "pdf_text", "run"]

CORPUS = Path(__file__).resolve().parent / "corpus"


def run(*args: str) -> Result:
    """Invoke `report-builder ARGS` and fail on a traceback."""
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    return result


def build_report(folder: Path, out: Path, editions: tuple[str, ...],
                 formats: tuple[str, ...] = ("pdf", "docx")) -> Path:
    """Build `folder` and return the output folder of the report."""
    result = build(BuildConfig(report_dir=folder, out_dir=out, editions=editions,
                               formats=formats))
    assert result.written
    return result.written[0].parent


def pdf_text(path: Path) -> str:
    """Return the text of a PDF as poppler's pdftotext extracts it."""
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


