"""Shared fixtures: private copies of the bundled report to break."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.helpers import REPORT

# Builds in tests estimate the DOCX contents' page numbers: a LibreOffice layout pass would add
# seconds to each of them. The session build below and tests/engines/docx/test_contents_pages.py
# run the pass (the default when LibreOffice is installed).
os.environ.setdefault("REPORT_BUILDER_DOCX_PAGES", "estimate")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite tests/golden/<case>/expected/ from this build.")


@pytest.fixture
def report_copy(tmp_path: Path) -> Path:
    """Return a private copy of the bundled report that a test may edit."""
    target = tmp_path / "gpu-market"
    shutil.copytree(REPORT, target)
    return target


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build all six outputs of the bundled report once per test session; return the folder."""
    from builder.config import BuildConfig
    from builder.pipeline import build

    out = tmp_path_factory.mktemp("dist")
    result = build(BuildConfig(report_dir=REPORT, out_dir=out, docx_pages="auto"))
    assert len(result.written) == 6
    if shutil.which("soffice"):  # the layout pass ran to its end for every DOCX
        assert not [d for d in result.diagnostics if "did not lay the file out" in d.message]
    return out / "gpu-market"
