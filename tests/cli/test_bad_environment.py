"""Bad options and a hostile machine (full disk, no folder) are clear one-line errors."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from builder.cli import main
from tests.helpers import REPORT, ROOT


def test_an_out_that_is_not_a_folder_is_a_usage_error(tmp_path: Path):
    for out in ("/dev/null", "/dev/null/below"):
        result = CliRunner().invoke(main, ["build", str(REPORT), "--out", out])
        assert result.exit_code == 2, result.output
        assert "/dev/null is not a folder" in result.output


def test_a_reference_docx_that_is_no_word_file_is_a_usage_error(tmp_path: Path):
    fake = tmp_path / "styles.docx"
    fake.write_text("not a zip", encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(REPORT), "--out", str(tmp_path / "o"),
                                       "--reference-docx", str(fake)])
    assert result.exit_code == 2, result.output
    assert "is not a Word (.docx) file" in result.output
    assert not (tmp_path / "o").exists()


def _tiny_disk() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


def test_a_full_disk_names_the_file_it_could_not_write(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "builder", "build", str(REPORT), "--out", str(tmp_path), "--force"],
        capture_output=True, text=True, preexec_fn=_tiny_disk, timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert ": error: File too large; the previous outputs are unchanged" in last, result.stderr
    assert "internal error" not in result.stderr and "Traceback" not in result.stderr
    assert not list(tmp_path.rglob("*.pdf"))
