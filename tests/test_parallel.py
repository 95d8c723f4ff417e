"""Parallel builds: the same bytes as a serial build, and commands import only what they need."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from builder.charts.stage import InlineExecutor
from builder.config import BuildConfig
from builder.parallel import split_workers, worker_count
from builder.pipeline import build
from tests.helpers import REPORT, edit

ROOT = Path(__file__).resolve().parents[1]


def outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("gpu-market.*"))}


def test_parallel_and_serial_builds_write_the_same_bytes(tmp_path: Path):
    report = tmp_path / "gpu-market"
    shutil.copytree(REPORT, report)
    serial = build(BuildConfig(report_dir=report, out_dir=tmp_path / "serial", jobs=1))
    parallel = build(BuildConfig(report_dir=report, out_dir=tmp_path / "parallel", jobs=2))
    assert len(serial.written) == len(parallel.written) == 6
    first = outputs(tmp_path / "parallel" / "gpu-market")
    assert first == outputs(tmp_path / "serial" / "gpu-market")
    # A rebuild after an edit (charts cached: output workers start before compose).
    edit(report / "sections" / "02-market-overview.yaml", "爆发式增长", "快速增长")
    again = build(BuildConfig(report_dir=report, out_dir=tmp_path / "parallel", jobs=2))
    assert len(again.written) == 4  # a Chinese edit: the English edition stays as it was
    fresh = build(BuildConfig(report_dir=report, out_dir=tmp_path / "fresh", jobs=1))
    assert len(fresh.written) == 6
    edited = outputs(tmp_path / "parallel" / "gpu-market")
    assert edited == outputs(tmp_path / "fresh" / "gpu-market")
    assert edited != first


def test_a_docx_only_build_writes_no_chart_svg(tmp_path: Path):
    build(BuildConfig(report_dir=REPORT, out_dir=tmp_path, editions=("en",),
                      formats=("docx",), jobs=1))
    cache = tmp_path / ".cache" / "gpu-market" / "charts"
    assert list(cache.glob("*.png")) and not list(cache.glob("*.svg"))


def test_worker_counts_follow_jobs_and_tasks():
    assert worker_count(1, 6) == 1
    assert worker_count(4, 2) <= 2
    assert worker_count(2, 0) == 1
    future = InlineExecutor().submit(divmod, 7, 2)
    assert future.result() == (3, 1)


def test_output_workers_are_split_by_format_so_each_sets_up_one_engine():
    todo = [(e, f, Path(f"{e}.{f}")) for e in ("zh", "en", "bilingual") for f in ("pdf", "docx")]
    assert split_workers(1, todo) == {"": 1}  # one worker does everything
    assert split_workers(2, todo) == {"pdf": 1, "docx": 1}
    assert split_workers(3, todo) == {"pdf": 2, "docx": 1}  # PDFs are the longer share
    assert split_workers(6, todo) == {"pdf": 3, "docx": 2}
    assert split_workers(8, todo[:2]) == {"pdf": 1, "docx": 1}  # never more than the outputs
    assert split_workers(2, [o for o in todo if o[1] == "pdf"]) == {"": 2}


def test_check_and_a_no_op_build_import_no_renderer(tmp_path: Path):
    script = ("import sys\n"
              "from builder.cli import main\n"
              "try:\n"
              "    main(sys.argv[1:])\n"
              "except SystemExit:\n"
              "    pass\n"
              "print('loaded:', sorted(m for m in ('matplotlib', 'reportlab', 'docx')"
              " if m in sys.modules))\n")
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    out = tmp_path / "dist"
    build(BuildConfig(report_dir=REPORT, out_dir=out, editions=("en",), formats=("docx",)))
    for args in (["check", str(REPORT)],
                 ["build", str(REPORT), "--out", str(out), "--edition", "en", "--format",
                  "docx"]):
        result = subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                                text=True, cwd=ROOT, env=env, check=True)
        assert "loaded: []" in result.stdout, (args, result.stdout, result.stderr)
