"""Batch builds: N variants of the bundled report, serially, with the local worker pool and on a
2-worker Dask LocalCluster. Prints variants per minute, CPU seconds and the peak memory of the
largest process (the batch's own children included).

    python bench/batch.py [--variants 50] [--modes serial,pool,dask,dask-shared]

`dask` sends the report to the workers and writes the bytes they return; `dask-shared` lets
them read and write the shared folders themselves (`--shared-out`).

Each variant differs in one parameter (`client`, printed in the executive summary), so its
Document and outputs differ while its charts come from the shared chart cache, as in a weekly
batch of client variants. Each mode starts from an empty output folder (a cold cache), in its
own `report-builder batch` process.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PARAM = "params:\n  client: {type: text, default: Internal, label: {zh: 客户, en: Client}}\n"


def _report(work: Path) -> Path:
    report = work / "gpu-market"
    shutil.copytree(ROOT / "content" / "gpu-market", report)
    meta = report / "report.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("data:", PARAM + "data:", 1),
                    encoding="utf-8")
    section = report / "sections" / "01-executive-summary.yaml"
    text = section.read_text(encoding="utf-8")
    section.write_text(text.replace("blocks:\n", "blocks:\n  - paragraph: prepared-for\n"
                                    "    zh: '为{{ params.client }}编写'\n"
                                    "    en: 'Prepared for {{ params.client }}'\n\n", 1),
                       encoding="utf-8")
    return report


def _run(cmd: list[str], tmp: Path) -> tuple[float, float, float, str]:
    """Return wall seconds, CPU seconds and peak RSS (MB) of `cmd` and its children.

    `tmp` is their temporary folder (TMPDIR), where Dask workers keep the report they were sent
    and their chart cache: a fresh one per mode keeps every mode cold.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    tmp.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "TMPDIR": str(tmp)})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{result.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss / 1024, result.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--variants", type=int, default=50)
    parser.add_argument("--modes", default="serial,pool,dask,dask-shared")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rb-batch-"))
    try:
        report = _report(work)
        table = work / "variants.csv"
        table.write_text("id,client\n" + "".join(f"v{i:03d},Client {i}\n"
                                                 for i in range(args.variants)),
                         encoding="utf-8")
        modes = {"serial": ["--jobs", "1"], "pool": ["--jobs", "2"],
                 "dask": ["--scheduler", "local", "--jobs", "2"],
                 "dask-shared": ["--scheduler", "local", "--jobs", "2", "--shared-out"]}
        print(f"{args.variants} variants of the bundled report (6 outputs each), "
              f"{os.cpu_count()} cores")
        print(f"{'mode':<8} {'wall s':>8} {'variants/min':>13} {'CPU s':>8} {'peak MB':>8}")
        for mode in args.modes.split(","):
            out = work / f"dist-{mode}"
            wall, cpu, peak, _ = _run([sys.executable, "-m", "builder", "batch", str(table),
                                       str(report), "--out", str(out), "-q", *modes[mode]],
                                      work / f"tmp-{mode}")
            print(f"{mode:<8} {wall:8.1f} {args.variants / wall * 60:13.1f} {cpu:8.1f} "
                  f"{peak:8.0f}")
        rerun = work / "dist-serial"
        if rerun.exists():
            wall, _, _, _ = _run([sys.executable, "-m", "builder", "batch", str(table),
                                  str(report), "--out", str(rerun), "-q", "--jobs", "1"],
                                 work / "tmp-rerun")
            print(f"no-op rerun (serial): {wall:.1f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
