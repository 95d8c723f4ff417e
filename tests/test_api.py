"""The Python API: builder.build() and builder.check(), in a plain process and a Pool worker."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import builder
from tests.helpers import REPORT


def test_check_reports_ok_and_problems(report_copy: Path):
    assert builder.check(REPORT).ok
    section = report_copy / "sections" / "01-executive-summary.yaml"
    section.write_text(section.read_text(encoding="utf-8").replace(
        "market_size[2023]", "market_sise[2023]", 1), encoding="utf-8")
    result = builder.check(report_copy)
    assert not result.ok
    assert any("'market_sise' is undefined" in d.message for d in result.diagnostics)


def test_build_returns_what_it_wrote_and_then_what_is_up_to_date(tmp_path: Path):
    first = builder.build(REPORT, tmp_path, editions=["en"], formats=["docx"])
    assert first.ok and [p.name for p in first.written] == ["gpu-market.en.docx"]
    again = builder.build(REPORT, tmp_path, editions=["en"], formats=["docx"])
    assert again.ok and again.written == [] and len(again.skipped) == 1


def _build_in_worker(out: str) -> tuple[bool, list[str]]:
    result = builder.build(REPORT, out, editions=["en", "zh"], formats=["pdf"])
    return result.ok, sorted(p.name for p in result.written)


def test_build_works_inside_a_daemonic_pool_worker(tmp_path: Path):
    # A Pool's workers are daemonic and may not start processes of their own.
    with multiprocessing.get_context("fork").Pool(1) as pool:
        ok, written = pool.apply(_build_in_worker, (str(tmp_path),))
    assert ok, written
    assert written == ["gpu-market.en.pdf", "gpu-market.zh.pdf"]
