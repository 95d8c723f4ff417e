"""Golden outputs: the bundled report and a report with every block and chart kind, every edition.

A change to what a PDF or DOCX contains shows up as a diff of readable files under
tests/golden/<case>/expected/. After checking that the change is intended, rewrite them with
`python -m pytest tests/golden --update-golden` and say in the commit why the output changed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder.config import BuildConfig
from builder.pipeline import build
from tests.golden.support import compare, snapshot
from tests.helpers import REPORT, edit

GOLDEN = Path(__file__).parent
CASES = {"gpu-market": REPORT, "every-kind": GOLDEN / "every-kind" / "report"}


def build_snapshot(report: Path, out: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")
    result = build(BuildConfig(report_dir=report, out_dir=out, force=True))
    report_id = result.written[0].parent.name
    return snapshot(out / report_id, report_id, result.documents)


@pytest.mark.parametrize("case", CASES)
def test_the_outputs_match_the_golden_files(case: str, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            request: pytest.FixtureRequest):
    files = build_snapshot(CASES[case], tmp_path, monkeypatch)
    update = bool(request.config.getoption("--update-golden"))
    differ = compare(GOLDEN / case / "expected", files, update)
    assert not differ, (f"{case}: {', '.join(differ)} differ from tests/golden/{case}/expected/ "
                        f"(if intended: pytest tests/golden --update-golden)")


def test_a_one_word_change_shows_in_every_edition(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch):
    report = tmp_path / "every-kind"
    shutil.copytree(CASES["every-kind"], report)
    section = report / "sections" / "01-text.yaml"
    edit(section, "zh: 第二点", "zh: 第三点")
    edit(section, "en: Second point", "en: Third point")
    files = build_snapshot(report, tmp_path / "out", monkeypatch)
    differ = set(compare(GOLDEN / "every-kind" / "expected", files, update=False))
    for edition in ("zh", "en", "bilingual"):
        assert {f"{edition}.document.json", f"{edition}.docx.document.xml",
                f"{edition}.pdf.txt"} <= differ, sorted(differ)
