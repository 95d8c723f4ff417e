"""Inputs that could make a build crawl: prints seconds per size and the growth against the
previous row (2.0 for linear when the size doubles), each a fresh `build --force` (or `check`)
in a subprocess, of a report scaffolded by `report-builder new`.

    python bench/long_inputs.py [--rows 100,200,400] [--blocks 1250,2500,5000]
        [--points 1250,2500,5000] [--chars 250000,500000,1000000] [--only table,blocks,...]

Rows, each all six outputs (3 editions x PDF+DOCX) unless said: a table of N rows x 24 columns
(the widest a page takes); N paragraphs; an xychart line of N points (also `diagram --out pdf`
alone); one paragraph of N characters in each language (DOCX page numbers estimated: the
LibreOffice layout pass gives up after 60 s on such a file, and says so); a YAML alias bomb
(nested aliases of 60 levels) that `check` must refuse with a located error.
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


def _build(report: Path, work: Path, what: str, *extra: str) -> float:
    seconds, code, err = _timed([sys.executable, "-m", "builder", "build", str(report),
                                 "--out", str(work / "out"), "--force", "-q", *extra])
    if code != 0:
        raise SystemExit(f"{what}: exit {code}\n{err[-2000:]}")
    shutil.rmtree(work / "out", ignore_errors=True)
    return seconds


def blocks(work: Path, count: int) -> float:
    report = _report(work, f"blocks-{count}")
    text = "".join(f"\n  - paragraph: p{i}\n    zh: 第{i}段：GPU算力市场持续增长，价格逐步下降。\n"
                   f'    en: "Paragraph {i}: the GPU compute market keeps growing."\n'
                   for i in range(count))
    _append(report, text)
    return _build(report, work, f"{count} blocks")


def points(work: Path, count: int) -> tuple[float, float]:
    report = _report(work, f"points-{count}")
    values = ", ".join(f"{(i * 37) % 101}.5" for i in range(count))
    chart = report / "charts" / "long.mmd"
    chart.write_text("xychart-beta\n  x-axis [" + ", ".join(f'"d{i}"' for i in range(count))
                     + f"]\n  line [{values}]\n", encoding="utf-8")
    _append(report, "\n  - figure: fig-long\n    chart: charts/long.mmd\n"
                    "    caption: {zh: 长序列, en: A long series}\n")
    alone, code, err = _timed([sys.executable, "-m", "builder", "diagram", str(chart), "--out",
                               str(work / f"long-{count}.pdf")])
    if code != 0:
        raise SystemExit(f"diagram of {count} points: exit {code}\n{err[-2000:]}")
    return alone, _build(report, work, f"{count} points")


def paragraph(work: Path, chars: int) -> float:
    report = _report(work, f"paragraph-{chars}")
    zh = ("GPU算力市场正经历前所未有的增长，预计将从2023年的31.7亿美元增长到2032年的472.4亿美元。"
          * (chars // 48 + 1))[:chars]
    en = ("The GPU compute market grows faster than ever, from USD 3.17 billion in 2023 "
          "towards USD 47.24 billion in 2032. " * (chars // 110 + 1))[:chars]
    _append(report, "\n  - paragraph: long\n    zh: " + json.dumps(zh, ensure_ascii=False)
            + "\n    en: " + json.dumps(en) + "\n")
    return _build(report, work, f"paragraph of {chars} characters", "--docx-pages", "estimate")


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
    parser.add_argument("--blocks", default="1250,2500,5000", help="paragraph counts")
    parser.add_argument("--points", default="1250,2500,5000", help="xychart lengths")
    parser.add_argument("--chars", default="250000,500000,1000000", help="paragraph lengths")
    parser.add_argument("--only", default="table,blocks,points,paragraph,bomb",
                        help="which rows, comma separated")
    args = parser.parse_args()
    only = set(args.only.split(","))
    with tempfile.TemporaryDirectory(prefix="report-builder-long-") as folder:
        work = Path(folder)
        print(f"{'input':<48} {'seconds':>8} {'growth':>7}")

        def rows(name: str, sizes: str, run, label) -> None:
            if name not in only:
                return
            previous = None
            for size in (int(n) for n in sizes.split(",")):
                seconds = run(work, size)
                extra = ""
                if isinstance(seconds, tuple):
                    extra = f"   diagram --out pdf alone: {seconds[0]:.2f} s"
                    seconds = seconds[1]
                growth = f"{seconds / previous:7.2f}" if previous else "      -"
                print(f"{label(size):<48} {seconds:>8.2f} {growth}{extra}", flush=True)
                previous = seconds

        rows("table", args.rows, table, lambda n: f"table {n} x 24, all outputs")
        rows("blocks", args.blocks, blocks, lambda n: f"{n} paragraphs, all outputs")
        rows("points", args.points, points, lambda n: f"xychart line of {n} points, all outputs")
        rows("paragraph", args.chars, paragraph,
             lambda n: f"one paragraph of {n:,} characters, all outputs")
        if "bomb" in only:
            seconds, message = alias_bomb(work)
            print(f"{'YAML alias bomb, check (refused)':<48} {seconds:>8.2f}        "
                  f"{message[:60]}")


if __name__ == "__main__":
    main()
