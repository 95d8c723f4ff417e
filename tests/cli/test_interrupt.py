"""Long-running commands behave: Ctrl-C ends a build with one line; watch outlives a bad build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from builder import pipeline
from builder.config import BuildConfig
from builder.schedule import run_once
from tests.helpers import REPORT


def test_ctrl_c_during_a_build_prints_one_line_and_exits_130(tmp_path: Path):
    process = subprocess.Popen(
        [sys.executable, "-m", "builder", "build", str(REPORT), "--out", str(tmp_path),
         "--force"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, env={**os.environ, "PYTHONWARNINGS": ""})
    assert process.stderr is not None
    seen = []
    for line in process.stderr:  # progress lines: wait until charts are being drawn
        seen.append(line)
        if " chart " in line:
            break
    os.killpg(process.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole group
    _, rest = process.communicate(timeout=120)
    err = "".join(seen) + rest
    assert process.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert err.strip().splitlines()[-1] == "interrupted; no output was changed"
    assert not list(tmp_path.rglob("*.pdf"))


def test_run_once_reports_an_internal_error_as_one_line(monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path):
    def broken(config: BuildConfig) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(pipeline, "build", broken)
    lines: list[str] = []
    code = run_once(BuildConfig(report_dir=REPORT, out_dir=tmp_path), lines.append)
    assert code == 1
    assert len(lines) == 1 and "internal error: RuntimeError: disk on fire" in lines[0]
    assert "still watching" in lines[0]
