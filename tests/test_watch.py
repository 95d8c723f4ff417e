"""`watch` rebuilds on a file change, debounced, one line per rebuild; `run_once` never raises."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from builder.config import BuildConfig
from builder.schedule import run_once, watch
from tests.helpers import edit


def wait_for(lines: list[str], needle: str, count: int, timeout_s: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if sum(needle in line for line in lines) >= count:
            return True
        time.sleep(0.05)
    return False


@contextmanager
def watching(config: BuildConfig, debounce_s: float
             ) -> Iterator[tuple[list[str], threading.Thread]]:
    """Run `watch` in a thread until the block ends; yield its lines (once it is watching)
    and the thread."""
    lines: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(config, lines.append, debounce_s, stop),
                              daemon=True)
    thread.start()
    try:
        assert wait_for(lines, "watching", 1), lines
        yield lines, thread
    finally:
        stop.set()
        thread.join(timeout=10)


def test_a_burst_of_saves_rebuilds_once(report_copy: Path, tmp_path: Path):
    config = BuildConfig(report_dir=report_copy, out_dir=tmp_path / "out", editions=("en",),
                         formats=("docx",))
    with watching(config, 0.5) as (lines, thread):
        assert any("rebuilt 1 output(s)" in line for line in lines)
        section = report_copy / "sections" / "01-executive-summary.yaml"
        for word in ("one", "two", "three"):  # three saves within the debounce window
            edit(section, "Executive summary", f"Executive summary {word}")
            time.sleep(0.05)
        assert wait_for(lines, "rebuilt 1 output(s)", 2), lines
        time.sleep(1.0)
        assert sum("rebuilt" in line for line in lines) == 2, lines
        # Outputs written by the build itself must not trigger another build.
        assert not any("up to date" in line for line in lines[2:]), lines
    assert not thread.is_alive()


def test_a_failed_rebuild_prints_located_lines_and_keeps_going(report_copy: Path,
                                                             tmp_path: Path):
    config = BuildConfig(report_dir=report_copy, out_dir=tmp_path / "out", editions=("en",),
                         formats=("docx",))
    lines: list[str] = []
    assert run_once(config, lines.append) == 0
    section = report_copy / "sections" / "01-executive-summary.yaml"
    edit(section, "- paragraph: exec-intro", "- paragraph: [exec-intro")
    assert run_once(config, lines.append) == 1
    assert any(": error: YAML syntax error" in line for line in lines)
    assert "build failed" in lines[-1] and "outputs unchanged" in lines[-1]


def test_warming_up_with_a_broken_theme_does_nothing_instead_of_failing(report_copy: Path,
                                                                        tmp_path: Path):
    from builder.schedule import warm_up

    config = BuildConfig(report_dir=report_copy, out_dir=tmp_path / "out", theme="no-such-theme")
    warm_up(config)  # returns: the builds themselves report the unknown theme
    lines: list[str] = []
    assert run_once(config, lines.append) == 1
    assert any("unknown theme" in line for line in lines), lines


def test_watch_builds_the_variant_its_parameters_name(tmp_path: Path):
    import shutil

    from tests.libreoffice import pdf_text

    report = tmp_path / "company-brief"
    shutil.copytree(Path(__file__).resolve().parents[1] / "content" / "company-brief", report)
    config = BuildConfig(report_dir=report, out_dir=tmp_path / "out", editions=("en",),
                         formats=("pdf",), params=(("company", "modal"),))
    with watching(config, 0.2):
        pass
    text = " ".join(pdf_text(tmp_path / "out" / "company-brief" / "company-brief.en.pdf").split())
    assert "Modal Labs at a glance" in text and "Fireworks" not in text, text


def test_an_edit_reaches_the_first_editions_pdf_in_its_own_build_before_the_rest(
        report_copy: Path, tmp_path: Path):
    from tests.libreoffice import pdf_text

    config = BuildConfig(report_dir=report_copy, out_dir=tmp_path / "out", editions=("zh", "en"),
                         formats=("pdf", "docx"), docx_pages="estimate")
    section = report_copy / "sections" / "01-executive-summary.yaml"
    zh_pdf = tmp_path / "out" / "gpu-market" / "gpu-market.zh.pdf"
    with watching(config, 0.1) as (lines, _):
        assert any("rebuilt 4 output(s)" in line for line in lines), lines
        first = len(lines)
        edit(section, "GPU算力市场正经历", "GPU算力市场（预览）正经历")
        assert wait_for(lines, "gpu-market.zh.docx", 2), lines
        time.sleep(0.5)
        seen = [line for line in lines[first:] if "rebuilt" in line or "up to date" in line]
        # the zh PDF first, alone; the full build after it finds that file up to date (and
        # the English outputs showing the same documents)
        assert len(seen) == 2, seen
        assert seen[0].split(" output(s)")[0].endswith("rebuilt 1"), seen
        assert seen[0].endswith(": gpu-market.zh.pdf"), seen
        assert seen[1].endswith(": gpu-market.zh.docx"), seen
        assert "（预览）" in pdf_text(zh_pdf)

        # An English edit: the zh PDF shows the same document, so the preview says nothing.
        first = len(lines)
        edit(section, "Executive summary", "Executive summary, revised")
        assert wait_for(lines, "rebuilt 2 output(s)", 1), lines
        time.sleep(0.5)
        seen = [line for line in lines[first:] if "rebuilt" in line or "up to date" in line]
        assert len(seen) == 1 and seen[0].endswith("gpu-market.en.pdf, gpu-market.en.docx"), seen

        # A broken edit is reported once (the full build would say the same).
        first = len(lines)
        edit(section, "- paragraph: exec-intro", "- paragraph: [exec-intro")
        assert wait_for(lines, "build failed", 1), lines
        time.sleep(1.0)
        assert sum("build failed" in line for line in lines[first:]) == 1, lines[first:]
        assert sum(": error: YAML syntax error" in line for line in lines[first:]) == 1


def test_no_preview_when_the_first_editions_pdf_is_all_that_is_built():
    from builder.schedule import preview_of

    only = BuildConfig(editions=("en",), formats=("pdf",))
    assert preview_of(only) is None
    assert preview_of(BuildConfig(formats=("docx",))) is None
    preview = preview_of(BuildConfig(editions=("en", "zh"), formats=("docx", "pdf"), force=True))
    assert preview is not None
    assert (preview.editions, preview.formats, preview.first_edition_only, preview.force) == (
        ("en", "zh"), ("pdf",), True, False)


def test_a_full_build_left_with_nothing_after_the_preview_prints_nothing(report_copy: Path,
                                                                          tmp_path: Path):
    config = BuildConfig(report_dir=report_copy, out_dir=tmp_path / "out", editions=("zh", "en"),
                         formats=("pdf",))
    section = report_copy / "sections" / "01-executive-summary.yaml"
    with watching(config, 0.1) as (lines, _):
        first = len(lines)
        # a Chinese edit: the preview rebuilds the zh PDF; the en PDF shows the same document
        edit(section, "GPU算力市场正经历", "GPU算力市场（一）正经历")
        assert wait_for(lines, "rebuilt", 2), lines
        time.sleep(1.0)
        seen = lines[first:]
        assert [line.split(": ")[-1] for line in seen if "rebuilt" in line] == [
            "gpu-market.zh.pdf"], seen
        assert not any("up to date" in line for line in seen), seen
