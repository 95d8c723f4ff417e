"""Incremental builds: no-op rebuilds write nothing, data edits flow everywhere, locks and kills."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from builder.cli import main
from builder.config import BuildConfig
from builder.diagnostics import BuildError
from builder.incremental import build_lock
from builder.pipeline import build
from tests.helpers import edit, squash

ROOT = Path(__file__).resolve().parents[1]


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def docx_xml(path: Path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return zf.read("word/document.xml").decode("utf-8")


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Build a private copy of the report once; return (report folder, output folder)."""
    import shutil

    from tests.helpers import REPORT

    base = tmp_path_factory.mktemp("incremental")
    report = base / "gpu-market"
    shutil.copytree(REPORT, report)
    out = base / "dist"
    result = build(BuildConfig(report_dir=report, out_dir=out))
    assert len(result.written) == 6
    return report, out


def test_a_no_op_rebuild_rewrites_nothing_and_says_so(first_build: tuple[Path, Path]):
    report, out = first_build
    folder = out / "gpu-market"
    before = {p.name: p.stat().st_mtime_ns for p in folder.glob("gpu-market.*")}
    manifest_before = (folder / "manifest.json").read_bytes()
    result = CliRunner().invoke(main, ["build", str(report), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "nothing changed since the last build" in result.output
    assert result.output.count("up to date") == 6
    after = {p.name: p.stat().st_mtime_ns for p in folder.glob("gpu-market.*")}
    assert after == before
    assert (folder / "manifest.json").read_bytes() == manifest_before


def test_if_changed_prints_nothing_when_nothing_changed(first_build: tuple[Path, Path]):
    report, out = first_build
    result = CliRunner().invoke(main, ["build", str(report), "--out", str(out), "--if-changed"])
    assert result.exit_code == 0
    assert result.output == ""


def test_the_manifest_records_hashes_sizes_pages_and_timings(first_build: tuple[Path, Path]):
    _, out = first_build
    manifest = json.loads((out / "gpu-market" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tool_version"]
    assert "content/data/market-size.csv" in manifest["inputs"]
    pdf = manifest["outputs"]["gpu-market.zh.pdf"]
    real = out / "gpu-market" / "gpu-market.zh.pdf"
    assert pdf["size"] == real.stat().st_size
    assert pdf["pages"] == len(PdfReader(real).pages)
    assert pdf["seconds"] >= 0
    assert manifest["data"]["market_size"]["2032.usd_billion"] == 47.24


def test_editing_the_2032_value_changes_text_and_charts_of_all_six_outputs(
        first_build: tuple[Path, Path]):
    report, out = first_build
    folder = out / "gpu-market"
    edit(report / "data" / "market-size.csv", "2032,47.24", "2032,51.3")
    result = CliRunner().invoke(main, ["build", str(report), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.count("wrote ") == 6
    assert "changed data: market_size[2032.usd_billion]: 47.24 -> 51.3" in result.output
    zh = squash(pdf_text(folder / "gpu-market.zh.pdf"))
    en = squash(pdf_text(folder / "gpu-market.en.pdf"))
    bi = squash(pdf_text(folder / "gpu-market.bilingual.pdf"))
    # The sentence and the KPI strip, from the data.
    assert "增长到2032年的513亿美元" in zh and "472.4亿美元" not in zh
    assert "USD51.3billionin2032" in en and "47.24" not in en
    assert "513亿美元" in bi and "USD51.3billion" in bi
    # The chart's bar label (searchable vector text in the PDF).
    assert zh.count("513亿美元") >= 3
    for edition in ("zh", "en", "bilingual"):
        xml = docx_xml(folder / f"gpu-market.{edition}.docx")
        assert ("513亿美元" in xml) or ("USD 51.3 billion" in xml)
        assert "472.4亿美元" not in xml and "USD 47.24 billion" not in xml


def test_an_english_edit_rebuilds_only_the_outputs_that_show_english(
        first_build: tuple[Path, Path]):
    report, out = first_build
    folder = out / "gpu-market"
    before = {p.name: p.read_bytes() for p in folder.glob("gpu-market.*")}
    edit(report / "sections" / "02-market-overview.yaml",
         "the GPU cloud computing market is growing explosively",
         "the GPU cloud market is growing explosively")
    result = build(BuildConfig(report_dir=report, out_dir=out))
    assert sorted(p.name for p in result.written) == [
        "gpu-market.bilingual.docx", "gpu-market.bilingual.pdf",
        "gpu-market.en.docx", "gpu-market.en.pdf"]
    assert sorted(p.name for p in result.skipped) == ["gpu-market.zh.docx", "gpu-market.zh.pdf"]
    for name in ("gpu-market.zh.pdf", "gpu-market.zh.docx"):
        assert (folder / name).read_bytes() == before[name]
    assert "GPUcloudmarketisgrowingexplosively" in squash(pdf_text(folder / "gpu-market.en.pdf"))
    # the kept outputs are up to date with the new inputs: the next build does nothing
    assert build(BuildConfig(report_dir=report, out_dir=out)).written == []


def test_an_edit_no_output_shows_rebuilds_nothing(first_build: tuple[Path, Path]):
    report, out = first_build
    file = report / "sections" / "03-fireworks-ai.yaml"
    file.write_text(file.read_text(encoding="utf-8") + "# a reviewer's remark\n",
                    encoding="utf-8")
    result = build(BuildConfig(report_dir=report, out_dir=out))
    assert result.written == [] and len(result.skipped) == 6
    manifest = json.loads((out / "gpu-market" / "manifest.json").read_text(encoding="utf-8"))
    assert all(len(o["document_key"]) == 64 for o in manifest["outputs"].values())


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_starts_ahead_only_when_a_docx_is_sure_to_be_rendered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from tests.helpers import REPORT, logging_soffice

    report = tmp_path / "report"
    shutil.copytree(REPORT, report)
    program, log = logging_soffice(tmp_path)
    monkeypatch.setenv("REPORT_BUILDER_SOFFICE", str(program))

    def runs() -> list[str]:
        lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
        log.unlink(missing_ok=True)
        return [line for line in lines if line != "--version"]

    config = BuildConfig(report_dir=report, out_dir=tmp_path / "out", formats=("docx",),
                         editions=("zh", "en"), docx_pages="libreoffice")
    assert len(build(config).written) == 2
    first = runs()
    assert len(first) == 2 and "--nodefault" in first[0] and first[1].count(".docx") == 2
    # an edit that neither file shows: both are kept, LibreOffice is not started
    file = report / "sections" / "03-fireworks-ai.yaml"
    file.write_text(file.read_text(encoding="utf-8") + "# a remark\n", encoding="utf-8")
    assert build(config).written == []
    assert runs() == []
    # an English edit: the started program lays out the English file alone
    edit(report / "sections" / "02-market-overview.yaml",
         "the GPU cloud computing market is growing explosively",
         "the GPU cloud market is growing explosively")
    assert [p.name for p in build(config).written] == ["gpu-market.en.docx"]
    second = runs()
    assert len(second) == 2 and "--nodefault" in second[0] and "--convert-to" in second[1]
    assert second[1].count(".docx") == 1, second


def test_a_second_build_waits_or_fails_fast_with_no_wait(tmp_path: Path):
    from tests.helpers import REPORT

    folder = tmp_path / "dist" / "gpu-market"
    with build_lock(folder):
        with pytest.raises(BuildError, match="another build of this report is running"):
            build(BuildConfig(report_dir=REPORT, out_dir=tmp_path / "dist", wait=False,
                              formats=("docx",), editions=("en",)))
    result = CliRunner().invoke(main, ["build", str(REPORT), "--out", str(tmp_path / "dist"),
                                       "--edition", "en", "--format", "docx", "--no-wait"])
    assert result.exit_code == 0, result.output


def test_a_build_killed_at_any_moment_leaves_the_previous_outputs_valid(
        first_build: tuple[Path, Path], tmp_path: Path):
    report, out = first_build
    folder = out / "gpu-market"
    good = {p.name: p.read_bytes() for p in folder.glob("gpu-market.*")}
    edit(report / "sections" / "01-executive-summary.yaml", "Executive summary",
         "Executive summary (revised)")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # Spread over reading, composing, rendering and writing (a full build takes several seconds).
    for delay in (0.3, 1.5, 3.0, 4.5, 6.0, 7.5):
        proc = subprocess.Popen([sys.executable, "-m", "builder", "build", str(report), "--out",
                                 str(out), "--force"], env=env, cwd=tmp_path,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for name, data in good.items():
            current = (folder / name).read_bytes()
            if current != data:  # replaced by a complete new file: it must still be valid
                if name.endswith(".pdf"):
                    assert current.startswith(b"%PDF") and b"%%EOF" in current[-1024:]
                    assert len(PdfReader(folder / name).pages) > 3
                else:
                    import docx

                    assert docx.Document(str(folder / name)).paragraphs
    # The next build finishes the job and sweeps up the temporary files of the killed ones.
    result = CliRunner().invoke(main, ["build", str(report), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []
    assert "Executive summary (revised)" in pdf_text(folder / "gpu-market.en.pdf")


def test_two_concurrent_builds_queue_on_the_lock_and_leave_valid_outputs(tmp_path: Path):
    from tests.helpers import REPORT

    out = tmp_path / "dist"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "builder", "build", str(REPORT), "--out", str(out),
               "--force", "--edition", "zh", "--edition", "en"]
    first = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    results = [p.communicate(timeout=300) for p in (first, second)]
    assert [first.returncode, second.returncode] == [0, 0], results
    assert all(out_text.count("wrote ") == 4 for out_text, _ in results)
    folder = out / "gpu-market"
    for edition in ("zh", "en"):
        assert len(PdfReader(folder / f"gpu-market.{edition}.pdf").pages) > 5
        import docx

        assert docx.Document(str(folder / f"gpu-market.{edition}.docx")).paragraphs
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["outputs"]) == sorted(
        f"gpu-market.{e}.{f}" for e in ("zh", "en") for f in ("pdf", "docx"))


def test_archive_keeps_dated_copies_beside_the_latest(tmp_path: Path, monkeypatch):
    from tests.helpers import REPORT

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1751241600")  # 2025-06-30
    out = tmp_path / "dist"
    result = CliRunner().invoke(main, ["build", str(REPORT), "--out", str(out), "--edition",
                                       "en", "--format", "docx", "--archive"])
    assert result.exit_code == 0, result.output
    folder = out / "gpu-market"
    archived = folder / "archive" / "2025-06-30" / "gpu-market.en.docx"
    assert archived.read_bytes() == (folder / "gpu-market.en.docx").read_bytes()
