"""Shared fixtures: private copies of the bundled report to break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers import REPORT


@pytest.fixture
def report_copy(tmp_path: Path) -> Path:
    """Return a private copy of the bundled report that a test may edit."""
    target = tmp_path / "gpu-market"
    shutil.copytree(REPORT, target)
    return target
