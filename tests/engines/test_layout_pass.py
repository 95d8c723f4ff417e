"""The DOCX layout pass gives up on a LibreOffice that hangs, and leaves nothing running."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from builder.engines import libreoffice


def _alive(pid: int) -> bool:
    """Whether process `pid` still runs (a killed one may linger as a zombie until reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    try:
        state = next(line for line in status.read_text().splitlines() if line.startswith("State"))
    except (OSError, StopIteration):
        return True
    return "zombie" not in state


def test_a_hanging_layout_program_is_killed_with_its_children(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch):
    child_pid = tmp_path / "child.pid"
    program = tmp_path / "soffice"
    # Like LibreOffice's launcher: the program starts the real worker as a child.
    program.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > {child_pid}\nwait\n",
                       encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setattr(libreoffice, "TIMEOUT_S", 1)

    started = time.monotonic()
    assert libreoffice.laid_out_pages(b"not a docx", ["h1"], str(program)) == {}
    assert time.monotonic() - started < 30
    pid = int(child_pid.read_text(encoding="utf-8"))
    for _ in range(50):  # the kill is delivered at once; reaping by init can lag a little
        if not _alive(pid):
            break
        time.sleep(0.1)
    assert not _alive(pid), "the layout program's child is still running"


def test_a_program_that_cannot_start_gives_no_pages(tmp_path: Path):
    assert libreoffice.laid_out_pages(b"x", ["h1"], str(tmp_path / "missing")) == {}


def test_a_build_whose_layout_pass_fails_says_the_page_numbers_are_estimates(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from builder.config import BuildConfig
    from builder.pipeline import build
    from tests.helpers import REPORT

    program = tmp_path / "broken-soffice"
    program.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")  # writes no PDF
    program.chmod(0o755)
    monkeypatch.setenv("REPORT_BUILDER_SOFFICE", str(program))
    result = build(BuildConfig(report_dir=REPORT, out_dir=tmp_path / "out", formats=("docx",),
                               editions=("en",), docx_pages="libreoffice"))
    (written,) = result.written
    warnings = [d.format() for d in result.diagnostics if "did not lay the file out" in d.message]
    assert len(warnings) == 1 and written.name in warnings[0]
    assert libreoffice.pages_estimated(written.read_bytes())


def test_a_build_with_estimates_asked_for_says_nothing_of_them(tmp_path: Path):
    from builder.config import BuildConfig
    from builder.pipeline import build
    from tests.helpers import REPORT

    result = build(BuildConfig(report_dir=REPORT, out_dir=tmp_path / "out", formats=("docx",),
                               editions=("en",), docx_pages="estimate"))
    assert libreoffice.pages_estimated(result.written[0].read_bytes())
    assert not [d for d in result.diagnostics if "did not lay the file out" in d.message]
