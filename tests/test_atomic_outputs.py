"""A build builds what it read, and replaces its outputs together or not at all."""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import filelock
import pytest

from builder.config import BuildConfig
from builder.diagnostics import BuildError
from builder.incremental import build_lock
from builder.pipeline import build
from tests.helpers import REPORT, ROOT, docx_text, edit

SECTION = "sections/01-executive-summary.yaml"


def test_an_edit_saved_while_the_build_waits_for_the_lock_is_built(
        report_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    out = tmp_path / "dist"
    config = BuildConfig(report_dir=report_copy, out_dir=out, editions=("en",),
                         formats=("docx",))
    build(config)
    waiting = threading.Event()

    class ObservedLock(filelock.FileLock):
        def acquire(self, timeout: float | None = None, *args: Any, **kwargs: Any) -> Any:
            if timeout is not None and timeout < 0:
                waiting.set()  # the build found the lock held and now blocks on it
            return super().acquire(timeout, *args, **kwargs)

    monkeypatch.setattr(filelock, "FileLock", ObservedLock)
    edit(report_copy / SECTION, "Executive summary", "Executive summary, first edit")
    errors: list[BaseException] = []
    with build_lock(out / "gpu-market"):  # another build holds the lock
        thread = threading.Thread(target=lambda: _run(config, errors))
        thread.start()
        assert waiting.wait(60)
        edit(report_copy / SECTION, "first edit", "second edit")  # saved while it waits
    thread.join(120)
    assert not errors, errors
    target = out / "gpu-market" / "gpu-market.en.docx"
    assert "Executive summary, second edit" in docx_text(target)
    # And nothing is left for a later build: the manifest holds what was built.
    assert build(config).written == []


def _run(config: BuildConfig, errors: list[BaseException]) -> None:
    try:
        build(config)
    except BaseException as exc:  # noqa: BLE001 - reported by the test
        errors.append(exc)


def _limit_file_size(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_write_that_fails_for_one_output_changes_none(tmp_path: Path):
    report = tmp_path / "gpu-market"
    shutil.copytree(REPORT, report)
    out = tmp_path / "dist"
    build(BuildConfig(report_dir=report, out_dir=out, editions=("en", "zh"), formats=("pdf",)))
    folder = out / "gpu-market"
    before = {p.name: p.read_bytes() for p in folder.glob("gpu-market.*")}
    sizes = sorted(len(data) for data in before.values())
    edit(report / SECTION, "Executive summary", "Executive summary (revised)")
    edit(report / SECTION, "执行摘要", "执行摘要（修订）")
    # Room for the smaller PDF but not the larger: like a disk filling up mid-way.
    limit = (sizes[0] + sizes[-1]) // 2
    result = subprocess.run(
        [sys.executable, "-m", "builder", "build", str(report), "--out", str(out),
         "--edition", "en", "--edition", "zh", "--format", "pdf"],
        capture_output=True, text=True, preexec_fn=lambda: _limit_file_size(limit),
        env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=300)
    assert result.returncode == 1, result.stderr
    assert "cannot write the outputs" in result.stderr and "no output was changed" in \
        result.stderr, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert {p.name: p.read_bytes() for p in folder.glob("gpu-market.*")} == before
    assert not list(folder.glob(".*.tmp"))


def test_a_rename_that_fails_names_the_outputs_already_replaced(tmp_path: Path):
    out = tmp_path / "dist"
    folder = out / "gpu-market"
    blocker = folder / "gpu-market.zh.docx"
    (blocker / "inside").mkdir(parents=True)  # a folder where an output belongs: rename fails
    with pytest.raises(BuildError) as info:
        build(BuildConfig(report_dir=REPORT, out_dir=out, editions=("en", "zh"),
                          formats=("docx",)))
    [problem] = info.value.diagnostics
    assert problem.path.endswith("gpu-market.zh.docx")
    assert "cannot replace the output" in problem.message
    assert "already new: gpu-market.en.docx" in problem.message
    assert not list(folder.glob(".*.tmp"))
