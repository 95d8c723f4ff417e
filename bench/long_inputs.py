"""Inputs that could make a build crawl: prints seconds per size and the growth against the
previous row (2.0 for linear when the size doubles), each a fresh `build --force` (or `check`)
in a subprocess, of a report scaffolded by `report-builder new`.

    python bench/long_inputs.py [--rows 100,200,400]

Rows: a table of N rows x 24 columns (the widest a page takes), all six outputs; a YAML alias
bomb (nested aliases of 60 levels) that `check` must refuse with a located error.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _report(work: Path, name: str) -> Path:
    subprocess.run([sys.executable, "-m", "builder", "new", name, "--dir", str(work), "-q"],
                   cwd=ROOT, check=True, capture_output=True)
    return work / name


def _append(report: Path, text: str) -> None:
    section = report / "sections" / "01-overview.yaml"
    section.write_text(section.read_text(encoding="utf-8").rstrip("\n") + "\n" + text,
                       encoding="utf-8")


def _timed(cmd: list[str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    return time.perf_counter() - start, result.returncode, result.stderr


def table(work: Path, rows: int) -> float:
    report = _report(work, f"table-{rows}")
    cells = [[f"cell {r}-{c}" if c % 3 == 0 else f"{r * c}.5" for c in range(24)]
             for r in range(rows)]
    _append(report, "\n  - table: big\n    caption: {zh: 大表, en: Big table}\n"
                    f"    header: {json.dumps([f'col {c}' for c in range(24)])}\n"
                    "    rows:\n" + "".join(f"      - {json.dumps(row)}\n" for row in cells))
    seconds, code, err = _timed([sys.executable, "-m", "builder", "build", str(report),
                                 "--out", str(work / "out"), "--force", "-q"])
    if code != 0:
        raise SystemExit(f"table of {rows} rows: exit {code}\n{err[-2000:]}")
    return seconds


def alias_bomb(work: Path) -> tuple[float, str]:
    report = _report(work, "bomb")
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 60)]
    section = report / "sections" / "01-overview.yaml"
    section.write_text("\n".join(lines) + "\n" + section.read_text(encoding="utf-8"),
                       encoding="utf-8")
    seconds, code, err = _timed([sys.executable, "-m", "builder", "check", str(report)])
    first = next((line for line in err.splitlines() if ": error: " in line), "no error line")
    if code != 1:
        raise SystemExit(f"alias bomb: check exited {code}, expected 1\n{err[-2000:]}")
    return seconds, first.split(": error: ", 1)[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="100,200,400", help="table sizes, comma separated")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="report-builder-long-") as folder:
        work = Path(folder)
        print(f"{'input':<44} {'seconds':>8} {'growth':>7}")
        previous = None
        for rows in (int(n) for n in args.rows.split(",")):
            seconds = table(work, rows)
            growth = f"{seconds / previous:7.2f}" if previous else "      -"
            print(f"{f'table {rows} x 24, 3 editions x PDF+DOCX':<44} {seconds:>8.2f} {growth}")
            previous = seconds
            shutil.rmtree(work / "out", ignore_errors=True)
        seconds, message = alias_bomb(work)
        print(f"{'YAML alias bomb, check (refused)':<44} {seconds:>8.2f}        {message[:60]}")


if __name__ == "__main__":
    main()
