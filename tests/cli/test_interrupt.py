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
    try:
        _, rest = process.communicate(timeout=120)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail("the build did not end within 120 s of Ctrl-C:\n" + "".join(seen))
    err = "".join(seen) + rest
    assert process.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert err.strip().splitlines()[-1] == "interrupted; no output was changed"
    assert not list(tmp_path.rglob("*.pdf"))


# Ctrl-C while a pool forks its workers: the second fork raises KeyboardInterrupt, as the signal
# would, after the first worker started and before the pool's own thread exists.
_FORKING = """
import os, sys
from builder import parallel

real_fork, forks = os.fork, []

def fork():
    forks.append(1)
    if len(forks) == 2:
        raise KeyboardInterrupt
    return real_fork()

os.fork = fork
try:
    with parallel.executor(2, warm_charts=%s) as pool:
        pool.submit(parallel.available_cores)
except KeyboardInterrupt:
    print("interrupted", flush=True)
    sys.exit(130)
"""


@pytest.mark.parametrize("warm", [False, True])
def test_ctrl_c_while_workers_are_forked_still_ends_the_process(warm: bool):
    process = subprocess.Popen([sys.executable, "-c", _FORKING % warm], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        pytest.fail("the process waited for a worker that never gets work")
    assert (process.returncode, out) == (130, "interrupted\n"), err


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
