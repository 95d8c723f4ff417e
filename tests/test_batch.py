"""`report-builder batch`: one report folder, a table of variants, each built incrementally."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.cli import main
from tests.libreoffice import pdf_text
from tests.test_params import report  # noqa: F401 - the parameterised report fixture

VARIANTS = "id,region,detailed\nglobal,global,\napac,APAC,yes\nemea,EMEA,no\n"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_batch_builds_every_variant_then_skips_then_rebuilds_one_row(
        report: Path, tmp_path: Path, jobs: str):  # noqa: F811
    table = tmp_path / "variants.csv"
    table.write_text(VARIANTS, encoding="utf-8")
    out = tmp_path / "dist"
    args = ("batch", str(table), str(report), "--out", str(out), "--format", "pdf",
            "--edition", "zh", "--edition", "en", "--jobs", jobs)
    code, output = run(*args)
    assert code == 0, output
    assert "3 variant(s): 3 built, 0 skipped, 0 failed" in output, output
    for variant, region, value in (("global", "global", "10"), ("apac", "APAC", "3.5"),
                                   ("emea", "EMEA", "2.25")):
        folder = out / "demo" / variant
        assert sorted(p.name for p in folder.glob("*.pdf")) == ["demo.en.pdf", "demo.zh.pdf"]
        assert (folder / "manifest.json").is_file()
        text = "".join(pdf_text(folder / "demo.en.pdf").split())
        assert f"Region{region}in2024:{value}" in text, (variant, text)
    assert "(detailed)" in pdf_text(out / "demo" / "apac" / "demo.en.pdf")
    code, output = run(*args)
    assert code == 0 and "3 variant(s): 0 built, 3 skipped, 0 failed" in output, output
    table.write_text(VARIANTS.replace("emea,EMEA,no", "emea,EMEA,yes"), encoding="utf-8")
    code, output = run(*args)
    assert code == 0 and "3 variant(s): 1 built, 2 skipped, 0 failed" in output, output
    assert "built emea" in output


def test_a_variant_with_a_bad_parameter_fails_alone_at_its_row(report: Path,  # noqa: F811
                                                               tmp_path: Path):
    table = tmp_path / "variants.csv"
    table.write_text(VARIANTS.replace("apac,APAC", "apac,Mars"), encoding="utf-8")
    out = tmp_path / "dist"
    code, output = run("batch", str(table), str(report), "--out", str(out), "--format", "pdf",
                       "--edition", "en", "--jobs", "1")
    assert code == 1, output
    assert "variants.csv:3: error: parameter 'region': 'Mars' is not one of global, APAC, " \
           "EMEA [variant apac]" in output, output
    assert "3 variant(s): 2 built, 0 skipped, 1 failed" in output, output
    assert (out / "demo" / "global" / "demo.en.pdf").is_file()
    assert (out / "demo" / "emea" / "demo.en.pdf").is_file()
    assert not (out / "demo" / "apac").exists()


@pytest.mark.parametrize(("text", "message"), [
    ("region\nAPAC\n", "variants.csv:1: error: the header row names no 'id' column"),
    ("id,region\na,APAC\na,EMEA\n", "variants.csv:3: error: duplicate variant id 'a' (first at "
                                    "line 2)"),
    ("id,region\n../x,APAC\n", "variants.csv:2: error: variant id '../x' must be"),
    ("id,region\na,APAC,extra\n", "variants.csv:2: error: row has 3 cells, the header 2"),
])
def test_a_bad_variants_file_is_a_located_error(report: Path, tmp_path: Path,  # noqa: F811
                                                text: str, message: str):
    table = tmp_path / "variants.csv"
    table.write_text(text, encoding="utf-8")
    code, output = run("batch", str(table), str(report), "--out", str(tmp_path / "d"))
    assert code == 1 and message in output, output
    assert not (tmp_path / "d").exists()


def test_a_yaml_variants_file(report: Path, tmp_path: Path):  # noqa: F811
    table = tmp_path / "variants.yaml"
    table.write_text("- {id: apac, region: APAC, detailed: true}\n- {id: base}\n",
                     encoding="utf-8")
    code, output = run("batch", str(table), str(report), "--out", str(tmp_path / "d"),
                       "--format", "pdf", "--edition", "en", "--jobs", "1")
    assert code == 0 and "2 variant(s): 2 built" in output, output
    text = "".join(pdf_text(tmp_path / "d" / "demo" / "apac" / "demo.en.pdf").split())
    assert "RegionAPACin2024:3.5(detailed)" in text
    text = "".join(pdf_text(tmp_path / "d" / "demo" / "base" / "demo.en.pdf").split())
    assert "Regionglobalin2024:10" in text


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.pdf"))}


def test_a_dask_batch_gives_the_same_bytes_and_survives_a_lost_worker(
        report: Path, tmp_path: Path):  # noqa: F811
    """Variants on a 2-worker LocalCluster; one worker is killed while it builds a variant.

    The workers are sent the report and return the bytes: the one killed holds the build lock
    of its own temporary folder, never a file of the client's output folder.
    """
    distributed = pytest.importorskip("distributed")
    import os
    import signal
    import threading
    import time

    from builder.batch import read_variants, run_batch
    from builder.config import BuildConfig

    table = tmp_path / "variants.csv"
    table.write_text(VARIANTS, encoding="utf-8")
    variants = read_variants(table)
    config = BuildConfig(report_dir=report, formats=("pdf",), editions=("en",), jobs=1,
                         out_dir=tmp_path / "local")
    assert [r.status for r in run_batch(config, variants, 1)] == ["built"] * 3

    # Kill the worker process that holds a variant's build lock (it is building that variant).
    import psutil

    killed: list[int] = []
    touched: set[str] = set()  # files of the client's output folder a worker held open
    out = tmp_path / "dask"

    def killer() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not killed:
            for process in psutil.Process().children(recursive=True):
                try:
                    files = [f.path for f in process.open_files()]
                    touched.update(f for f in files if f.startswith(str(out)))
                    if any("report-builder-variant-" in f and f.endswith(".build.lock")
                           for f in files):
                        os.kill(process.pid, signal.SIGKILL)
                        killed.append(process.pid)
                        return
                except psutil.Error:
                    continue
            time.sleep(0.02)

    thread = threading.Thread(target=killer, daemon=True)
    thread.start()
    dask_config = BuildConfig(report_dir=report, formats=("pdf",), editions=("en",), jobs=1,
                              out_dir=out)
    results = run_batch(dask_config, variants, 2, scheduler="local")
    thread.join(5)
    assert killed, "no worker was killed: the test did not test a lost worker"
    assert [r.status for r in results] == ["built"] * 3, [r.diagnostics for r in results]
    assert distributed  # imported above
    assert not touched, touched
    assert _files(tmp_path / "dask" / "demo") == _files(tmp_path / "local" / "demo")
    # The client sent each variant's manifest: nothing changed, so every worker skips.
    again = run_batch(dask_config, variants, 2, scheduler="local")
    assert [r.status for r in again] == ["skipped"] * 3, [r.diagnostics for r in again]
    # Workers that share the folders write the same bytes themselves.
    shared = BuildConfig(report_dir=report, formats=("pdf",), editions=("en",), jobs=1,
                         out_dir=tmp_path / "shared")
    assert [r.status for r in run_batch(shared, variants, 2, scheduler="local",
                                        shared=True)] == ["built"] * 3
    assert _files(tmp_path / "shared" / "demo") == _files(tmp_path / "local" / "demo")


def test_a_worker_builds_from_the_bytes_it_is_sent_and_writes_nothing_of_the_client(
        report: Path, tmp_path: Path):  # noqa: F811
    import shutil

    from builder.batch import (
        Variant,
        build_variant_remote,
        bundle_report,
        checked_manifest,
        write_remote,
    )
    from builder.config import BuildConfig

    bundle = bundle_report(report)
    client_out = tmp_path / "client-out"
    # The worker sees a copy only: the report folder the config names is gone.
    gone = tmp_path / "elsewhere" / "demo"
    shutil.copytree(report, gone)
    config = BuildConfig(report_dir=gone, out_dir=client_out, formats=("pdf",),
                         editions=("en",), jobs=1)
    shutil.rmtree(gone)
    apac = Variant("apac", (("region", "APAC"),), tmp_path / "variants.csv", 3)
    remote = build_variant_remote(config, apac, bundle, None)
    assert remote.result.status == "built", remote.result.diagnostics
    assert sorted(remote.files) == ["demo.en.pdf", "manifest.json"]
    assert not client_out.exists()
    written = write_remote(client_out / "demo" / "apac", remote)
    assert written.written == [client_out / "demo" / "apac" / "demo.en.pdf"]
    assert "RegionAPACin2024:3.5" in "".join(pdf_text(written.written[0]).split())
    # The manifest it sends back makes the next build a skip; a damaged output is rebuilt.
    manifest = checked_manifest(client_out / "demo" / "apac")
    assert build_variant_remote(config, apac, bundle, manifest).result.status == "skipped"
    (client_out / "demo" / "apac" / "demo.en.pdf").write_bytes(b"%PDF-1.4 damaged")
    manifest = checked_manifest(client_out / "demo" / "apac")
    assert build_variant_remote(config, apac, bundle, manifest).result.status == "built"
    # A problem in the report's files is located at the client's path of that file.
    section = report / "sections" / "01-overview.yaml"
    section.write_text(section.read_text(encoding="utf-8").replace("paragraph: regional",
                                                                   "paragraph: [regional"),
                       encoding="utf-8")
    broken = build_variant_remote(config, apac, bundle_report(report), None).result
    assert broken.status == "failed"
    assert any(d.path == str(gone / "sections" / "01-overview.yaml") for d in broken.diagnostics), \
        [d.format() for d in broken.diagnostics]


def test_a_terminal_shows_a_progress_bar_and_a_pipe_only_lines(report: Path,  # noqa: F811
                                                                tmp_path: Path):
    import os
    import subprocess
    import sys

    variants = tmp_path / "variants.csv"
    variants.write_text(VARIANTS, encoding="utf-8")
    command = [sys.executable, "-m", "builder", "batch", str(variants), str(report), "--out",
               str(tmp_path / "dist"), "--edition", "en", "--format", "docx", "--jobs", "1"]
    master, slave = os.openpty()  # stderr is a terminal, stdout a pipe
    process = subprocess.run(command, stdout=subprocess.PIPE, stderr=slave, timeout=300)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    terminal = b"".join(chunks).decode("utf-8")
    assert process.returncode == 0, terminal
    frames = [f for f in terminal.split("\r\x1b[K") if f.strip()]
    assert frames[0].startswith("░" * 24 + " 0/3"), frames
    assert frames[-1].startswith("█" * 24 + " 3/3 · 3 built · 0 skipped · 0 failed"), frames
    assert terminal.endswith("\r\x1b[K")  # the bar is gone when the table prints
    lines = process.stdout.decode("utf-8")
    assert "[3/3] built" in lines and "█" not in lines and "3 built, 0 skipped" in lines


def test_what_workers_could_not_see_is_a_usage_error(report: Path, tmp_path: Path):  # noqa: F811
    pytest.importorskip("distributed")
    variants = tmp_path / "variants.csv"
    variants.write_text(VARIANTS, encoding="utf-8")
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    code, output = run("batch", str(variants), str(report), "--out", str(tmp_path / "d"),
                       "--scheduler", "local", "--font-path", str(fonts))
    assert code == 2 and "--font-path folders are on this machine only" in output \
        and "--shared-out" in output, output
    code, output = run("batch", str(variants), str(report), "--shared-out")
    assert code == 2 and "--shared-out goes with --scheduler" in output, output
    assert not (tmp_path / "d").exists()
