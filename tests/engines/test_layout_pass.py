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
