"""A hostile report cannot touch a file outside its own folder and the output folder.

The report below tries every way in we know of: template attribute walks that read, write and
delete, SQL that attaches or vacuums into another folder, paths and symlinks that point out of
the report. `check` and `build` run on it; a canary folder beside it must be unchanged to the
byte, and nothing may appear beside the report but the output folder.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from builder.authoring.scaffold import scaffold
from builder.cli import main


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def hostile_templates(root: Path, canary: Path) -> None:
    """Templates that walk to files, write, delete; a chart outside the report."""
    scaffold(root, "demo", "zh")
    section = root / "sections" / "01-overview.yaml"
    walks = [
        "{{ (sales.path.parents[-1] / 'etc' / 'passwd').read_text() }}",
        "{{ sales.path.parent.parent.parent.joinpath('canary', 'new.txt').write_text('x') }}",
        "{{ sales.path.unlink() }}",
        "{{ cycler.__init__.__globals__.os.remove('" + str(canary / "secret.csv") + "') }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    ]
    blocks = "".join(f"  - paragraph: walk-{i}\n    zh: \"{w}\"\n    en: \"{w}\"\n"
                     for i, w in enumerate(walks))
    blocks += ("  - figure: fig-out\n    chart: ../../canary/chart.yaml\n"
               "    caption: {zh: 外, en: Out}\n")
    section.write_text(section.read_text(encoding="utf-8") + "\n" + blocks, encoding="utf-8")


def hostile_paths(root: Path, canary: Path) -> None:
    """SQL that attaches or vacuums elsewhere; data and section files outside or linked out."""
    scaffold(root, "demo", "zh")
    db = root / "data" / "m.sqlite"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE t (k INTEGER, v REAL)")
    connection.close()
    (root / "data" / "link.csv").symlink_to(canary / "secret.csv")
    report = root / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8").replace(
        "  sales: data/sales.csv",
        "  sales: data/sales.csv\n"
        f"  attach: {{file: data/m.sqlite, query: \"ATTACH DATABASE '{canary / 'a.db'}' AS x\"}}\n"
        f"  vacuum: {{file: data/m.sqlite, query: \"VACUUM INTO '{canary / 'v.db'}'\"}}\n"
        "  outside: ../canary/secret.csv\n"
        "  linked: data/link.csv\n"), encoding="utf-8")
    (report.parent / "sections" / "02-out.yaml").symlink_to(canary / "section.yaml")
    report.write_text(report.read_text(encoding="utf-8").replace(
        "  - sections/01-overview.yaml",
        "  - sections/01-overview.yaml\n  - sections/02-out.yaml\n  - ../canary/section.yaml"),
        encoding="utf-8")


EXPECTED = {
    hostile_templates: ("no attribute 'path'", "'cycler' is undefined",
                        "no attribute '__class__'", "chart '../../canary/chart.yaml' is outside"),
    hostile_paths: ("ATTACH", "data file '../canary/secret.csv' is outside",
                    "data file 'data/link.csv' is outside", "section file 'sections/02-out.yaml'"
                    " is outside", "section file '../canary/section.yaml' is outside"),
}


@pytest.mark.parametrize("attack", EXPECTED, ids=lambda f: f.__name__)
def test_check_and_build_leave_a_canary_folder_untouched(tmp_path: Path, attack):
    canary = tmp_path / "canary"
    canary.mkdir()
    (canary / "secret.csv").write_text("k,v\n1,2\n", encoding="utf-8")
    (canary / "chart.yaml").write_text("kind: pie\nslices: [{label: a, value: 1}]\n",
                                       encoding="utf-8")
    (canary / "section.yaml").write_text("id: s\ntitle: {zh: 外, en: Out}\nblocks: []\n",
                                         encoding="utf-8")
    os.utime(canary / "secret.csv", ns=(1_000_000_000, 1_000_000_000))
    before = snapshot(canary)
    root = tmp_path / "demo"
    attack(root, canary)
    runner = CliRunner()
    checked = runner.invoke(main, ["check", str(root)])
    built = runner.invoke(main, ["build", str(root), "--out", str(tmp_path / "dist")])
    for result in (checked, built):
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output and "internal error" not in result.output
    for expected in EXPECTED[attack]:
        assert expected in checked.output, checked.output
    assert snapshot(canary) == before
    # Nothing beside the report; the failed build made at most its (empty) output folder.
    assert {p.name for p in tmp_path.iterdir()} <= {"canary", "demo", "dist"}
    assert not any(p.is_file() for p in (tmp_path / "dist").rglob("*.pdf")) \
        if (tmp_path / "dist").exists() else True
    assert (root / "data" / "sales.csv").is_file()
