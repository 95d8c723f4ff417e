"""-q prints nothing on success, -v prints every step, --color and NO_COLOR decide colour."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from tests.helpers import ROOT


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    assert CliRunner().invoke(main, ["new", "demo", "--dir", str(tmp_path), "-q"]).output == ""
    return tmp_path / "demo"


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def test_quiet_prints_nothing_on_success(demo: Path, tmp_path: Path):
    out = str(tmp_path / "dist")
    for args in (["check", str(demo), "-q"],
                 ["build", str(demo), "--out", out, "--edition", "en", "--format", "docx", "-q"],
                 ["build", str(demo), "--out", out, "--edition", "en", "--format", "docx", "-q"]):
        result = invoke(*args)
        assert result.exit_code == 0 and result.output == "", (args, result.output)


def test_quiet_still_prints_every_problem(demo: Path):
    section = demo / "sections" / "01-overview.yaml"
    section.write_text(section.read_text(encoding="utf-8").replace("sales[2024]", "sale[2024]"),
                       encoding="utf-8")
    result = invoke("check", str(demo), "-q")
    assert result.exit_code == 1
    assert "error: unknown name in template: 'sale' is undefined" in result.output


def on_a_terminal(*args: str) -> str:
    """Return what the command writes to stderr when stderr is a terminal (a pseudo-terminal)."""
    leader, follower = os.openpty()
    with os.fdopen(leader, "rb", buffering=0) as reader:
        process = subprocess.Popen([sys.executable, "-m", "builder", *args], stderr=follower,
                                   stdout=subprocess.DEVNULL,
                                   env={**os.environ, "PYTHONPATH": str(ROOT)})
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = reader.read(4096)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.wait(timeout=300) == 0
    return b"".join(chunks).decode("utf-8", "replace")


def test_verbose_prints_each_step_as_a_line_where_a_terminal_shows_one_live_line(
        demo: Path, tmp_path: Path):
    args = ["build", str(demo), "--edition", "en", "--format", "pdf", "--force"]
    live = on_a_terminal(*args, "--out", str(tmp_path / "a"))
    assert "\r\x1b[K" in live  # one status line, rewritten in place
    logged = on_a_terminal(*args, "--out", str(tmp_path / "b"), "-v")
    assert "\r\x1b[K" not in logged
    assert any(line.strip().endswith("compose en") for line in logged.splitlines()), logged


def broken(demo: Path) -> Path:
    section = demo / "sections" / "01-overview.yaml"
    section.write_text(section.read_text(encoding="utf-8").replace("sales[2024]", "sale[2024]"),
                       encoding="utf-8")
    return demo


def test_color_always_colours_the_severity_and_never_or_no_color_does_not(demo: Path):
    broken(demo)
    coloured = invoke("check", str(demo), "--color", "always")
    assert "\x1b[31m\x1b[1merror\x1b[0m" in coloured.output
    assert "\x1b[" not in invoke("check", str(demo), "--color", "never").output
    assert "\x1b[" not in invoke("check", str(demo), env={"NO_COLOR": "1"}).output
    assert "\x1b[" not in invoke("check", str(demo)).output  # not a terminal
