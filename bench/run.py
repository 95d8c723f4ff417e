"""Build benchmark: wall time, CPU time and peak memory of the whole build, its stages and charts.

Run `python bench/run.py` (or `--quick` for fewer repetitions, `--no-scaling` to skip the 10x and
50x synthetic reports). It prints a table and writes `bench/results.json`. Every figure is taken
in a fresh subprocess of this checkout (`python -m builder ...` with the repository first on
`PYTHONPATH`), so imports and process start are counted as a user sees them. Wall and CPU times
are medians over the repetitions; "peak" is the highest resident memory of the process tree
(parent and workers summed, sampled every 10 ms), "max proc" the largest single process.

pandoc 3 is the yardstick: the bench installs PyPI's `pypandoc-binary` into a virtualenv of its
own (`~/.cache/report-builder-bench/pandoc3`, or `$REPORT_BUILDER_BENCH_PANDOC`) the first
time, and converts the seed Markdown to one DOCX, in turns with the cold build; every row shows
its wall and CPU time as a multiple of pandoc's. Without it (no network) a system pandoc is used,
or the table says so. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "tests" / "data" / "gpu-market-report.zh.md"
RESULTS = ROOT / "bench" / "results.json"
#: The checkout whose builder is measured (`--root`, e.g. an older commit unpacked elsewhere).
TARGET = ROOT
REPORT = TARGET / "content" / "gpu-market"
#: Extra PYTHONPATH entries put first (`--no-rl-accel` adds a folder hiding reportlab's C helper).
EXTRA_PATH: list[str] = []
BLOCK_KINDS = "heading|paragraph|list|table|callout|kpis|figure|references"


@dataclass
class Run:
    """One process run: wall and CPU seconds, peak memory of its tree and of one process."""

    wall_s: float
    cpu_s: float
    tree_peak_mb: float
    proc_peak_mb: float
    returncode: int
    output: str


@dataclass
class Row:
    """One line of the results table: medians over `reps` runs."""

    name: str
    wall_s: float
    cpu_s: float | None = None
    peak_mb: float | None = None
    proc_peak_mb: float | None = None
    reps: int = 1
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree_rss_kb(root: int) -> int:
    total, stack, seen = 0, [root], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += _rss_kb(pid)
        stack.extend(_children(pid))
    return total


def target_env() -> dict[str, str]:
    """Return the environment that runs the measured checkout's builder."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [*EXTRA_PATH, str(TARGET), *filter(None, [os.environ.get("PYTHONPATH")])]))
    env.pop("PYTHONWARNINGS", None)
    # An installed package has its bytecode compiled (pip does it); a checkout run with
    # PYTHONDONTWRITEBYTECODE would compile every module of the builder in every process.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run(cmd: Sequence[str], cwd: Path | None = None) -> Run:
    """Run `cmd` and return its wall time, CPU time (with reaped workers) and peak memory."""
    env = target_env()
    started = time.perf_counter()
    proc = subprocess.Popen(list(cmd), cwd=cwd or TARGET, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            done.wait(0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert proc.stdout is not None
    output = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(wall, usage.ru_utime + usage.ru_stime, peak / 1024, usage.ru_maxrss / 1024,
               proc.returncode, output)


def measure(name: str, cmd: Callable[[int], Sequence[str]], reps: int,
            setup: Callable[[int], None] | None = None, note: str = "") -> Row:
    """Return the medians of `reps` runs of `cmd(i)`, each after `setup(i)` (not timed)."""
    runs = []
    for i in range(reps):
        if setup:
            setup(i)
        result = run(cmd(i))
        if result.returncode != 0:
            raise SystemExit(f"{name}: exit {result.returncode}\n{result.output[-3000:]}")
        runs.append(result)
    return Row(name, statistics.median(r.wall_s for r in runs),
               statistics.median(r.cpu_s for r in runs), max(r.tree_peak_mb for r in runs),
               max(r.proc_peak_mb for r in runs), reps, note)


def measure_alternating(named: Sequence[tuple[str, Callable[[int], Sequence[str]], str]],
                        reps: int) -> list[Row]:
    """Return one Row per `(name, cmd, note)`, their runs alternating (a, b, a, b, …), so a
    machine that slows down or speeds up during the run touches both alike."""
    runs: dict[str, list[Run]] = {name: [] for name, _, _ in named}
    for i in range(reps):
        for name, cmd, _ in named:
            result = run(cmd(i))
            if result.returncode != 0:
                raise SystemExit(f"{name}: exit {result.returncode}\n{result.output[-3000:]}")
            runs[name].append(result)
    return [Row(name, statistics.median(r.wall_s for r in runs[name]),
                statistics.median(r.cpu_s for r in runs[name]),
                max(r.tree_peak_mb for r in runs[name]),
                max(r.proc_peak_mb for r in runs[name]), reps, note)
            for name, _, note in named]


#: Where the bench keeps its own pandoc 3 (PyPI `pypandoc-binary`), apart from the project.
PANDOC_VENV = Path(os.environ.get("REPORT_BUILDER_BENCH_PANDOC",
                                  Path.home() / ".cache" / "report-builder-bench" / "pandoc3"))


def pandoc3() -> str | None:
    """Return the pandoc binary of PyPI's `pypandoc-binary` (pandoc 3, what a user installs
    today), installing it into the bench's own virtualenv the first time; None if that fails."""
    def found() -> str | None:
        binary = next(PANDOC_VENV.glob("lib/python*/site-packages/pypandoc/files/pandoc*"), None)
        return str(binary) if binary else None

    if found() is None:
        print(f"installing pypandoc-binary into {PANDOC_VENV} (once)", file=sys.stderr)
        try:
            subprocess.run([sys.executable, "-m", "venv", str(PANDOC_VENV)], check=True,
                           capture_output=True)
            subprocess.run([str(PANDOC_VENV / "bin" / "pip"), "install", "-q",
                            "pypandoc-binary"], check=True, capture_output=True, timeout=600)
        except (OSError, subprocess.SubprocessError) as exc:
            print(f"pypandoc-binary could not be installed: {exc}", file=sys.stderr)
            return None
    return found()


def watch_latency(names: tuple[str, str], report: Path, out: Path,
                  reps: int) -> tuple[Row, Row]:
    """Return the median seconds from saving a one-paragraph edit to `watch` reporting the zh
    PDF rebuilt (its preview build) and to it reporting the other outputs rebuilt.

    One `report-builder watch` runs throughout (its first build fills the output folder); each
    repetition edits a paragraph and waits for the two "rebuilt" lines, debounce included.
    """
    env = target_env()
    proc = subprocess.Popen([sys.executable, "-m", "builder", "watch", str(report), "--out",
                             str(out)], cwd=TARGET, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    lines: list[tuple[float, str]] = []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append((time.perf_counter(), line))

    def wait_for(word: str, since: int, timeout: float = 120) -> tuple[float, int]:
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            for i, (stamp, line) in enumerate(lines[since:], start=since):
                if word in line:
                    return stamp, i + 1
            time.sleep(0.005)
        raise SystemExit(f"{names[0]}: no {word!r} from watch:\n"
                         f"{''.join(t for _, t in lines)}")

    threading.Thread(target=read, daemon=True).start()
    try:
        wait_for("watching", 0)
        time.sleep(0.5)
        preview, full = [], []
        for i in range(reps):
            since = len(lines)
            edit_paragraph(report, f"(watch edit {i})")
            saved = time.perf_counter()
            stamp, since = wait_for("rebuilt", since)
            if not lines[since - 1][1].rstrip().endswith(".zh.pdf"):
                raise SystemExit(f"{names[0]}: the first rebuild was not the zh PDF alone: "
                                 f"{lines[since - 1][1]}")
            preview.append(stamp - saved)
            full.append(wait_for("rebuilt", since)[0] - saved)
            time.sleep(0.3)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return (Row(names[0], statistics.median(preview), reps=reps,
                note="edit saved -> the zh PDF's 'rebuilt' line, in one long-running watch"),
            Row(names[1], statistics.median(full), reps=reps,
                note="edit saved -> the other outputs' 'rebuilt' line"))


def build_cmd(report: Path, out: Path, *args: str) -> list[str]:
    """Return the command line of `report-builder build` run from this checkout."""
    return [sys.executable, "-m", "builder", "build", str(report), "--out", str(out), *args]


def child_build_cmd(report: Path, out: Path, jobs: int, *args: str) -> list[str]:
    """Return a command that runs `pipeline.build` with `jobs` workers (no CLI flag for it)."""
    return [sys.executable, str(Path(__file__).resolve()), "--child-build", str(report), str(out),
            str(jobs), *args]


# -- edits and synthetic reports -----------------------------------------------------------

_PARAGRAPH = re.compile(r"^(\s*)- paragraph: \S+\n((?:\1  .*\n)+)", re.MULTILINE)


def edit_paragraph(report: Path, stamp: str) -> Path:
    """Append `stamp` to the zh and en text of the first paragraph of the report's 2nd section."""
    path = sorted((report / "sections").glob("*.yaml"))[1]
    text = path.read_text(encoding="utf-8")
    match = _PARAGRAPH.search(text)
    assert match, f"no paragraph block in {path}"
    body = match.group(2)

    def append(line_match: re.Match[str]) -> str:
        key, value = line_match.group(1), line_match.group(2).rstrip()
        if value[:1] in "\"'" and value[-1:] == value[:1]:
            return f"{key}{value[:-1]} {stamp}{value[-1]}"
        return f"{key}{value} {stamp}"

    new_body = re.sub(r"^(\s+(?:zh|en): )(.+)$", append, body, flags=re.MULTILINE)
    path.write_text(text[:match.start(2)] + new_body + text[match.end(2):], encoding="utf-8")
    return path


def synthetic_report(target: Path, scale: int) -> Path:
    """Write the bundled report repeated `scale` times (sections copied with new ids) to target."""
    shutil.copytree(REPORT, target)
    sections = sorted((target / "sections").glob("*.yaml"))
    order = [f"sections/{p.name}" for p in sections]
    for copy in range(2, scale + 1):
        suffix = f"-x{copy}"
        for path in sections:
            text = path.read_text(encoding="utf-8")
            text = re.sub(r"^id: (\S+)", rf"id: \1{suffix}", text, count=1, flags=re.MULTILINE)
            text = re.sub(rf"^(\s*- (?:{BLOCK_KINDS}): )([\w.-]+)\s*$", rf"\g<1>\g<2>{suffix}",
                          text, flags=re.MULTILINE)
            text = re.sub(r"^(\s*- id: )([\w.-]+)\s*$", rf"\g<1>\g<2>{suffix}", text,
                          flags=re.MULTILINE)
            text = re.sub(r"\]\(#([\w.-]+)\)", rf"](#\1{suffix})", text)
            name = f"{path.stem}{suffix}.yaml"
            (target / "sections" / name).write_text(text, encoding="utf-8")
            order.append(f"sections/{name}")
    report_yaml = target / "report.yaml"
    text = report_yaml.read_text(encoding="utf-8")
    head = text[:text.index("sections:")]
    report_yaml.write_text(head + "sections:\n" + "".join(f"  - {s}\n" for s in order),
                           encoding="utf-8")
    return target


# -- in-process child modes (run in a fresh subprocess by the parent) ------------------------

def child_build(report: str, out: str, jobs: str, *args: str) -> None:
    """Build like the CLI does, with `jobs` workers; args: [--edition E] [--format F] [--force]."""
    from builder.config import FORMATS, BuildConfig
    from builder.pipeline import build

    editions = tuple(args[i + 1] for i, a in enumerate(args) if a == "--edition")
    formats = tuple(args[i + 1] for i, a in enumerate(args) if a == "--format") or FORMATS
    build(BuildConfig(report_dir=Path(report), out_dir=Path(out), editions=editions,
                      formats=formats, force="--force" in args, jobs=int(jobs)))


def child_stages(report: str, cache: str) -> None:
    """Print JSON seconds of each stage, run in order in this one process (serial)."""
    import importlib

    timings: dict[str, float] = {}

    def timed(name: str, func: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        value = func()
        timings[name] = time.perf_counter() - started
        return value

    from builder.charts.stage import ChartStage
    from builder.compose.document import compose_documents
    from builder.pipeline import read_stage
    from builder.themes import load_theme

    record, data, _ = timed("read", lambda: read_stage(Path(report)))
    theme = load_theme("default")
    editions = tuple(record.editions)
    check_charts = ChartStage(data, theme, Path(cache), render=False)
    timed("compose (3 editions, no charts)",
          lambda: compose_documents(record, data, theme, check_charts, editions))
    charts = ChartStage(data, theme, Path(cache), render=True)
    timed("charts (all, cold, drawing + PNG, 1 process)",
          lambda: [charts.image(spec, lang) for spec, lang in charts.uncached(record, editions)])
    documents, _ = compose_documents(record, data, theme, charts, editions)
    for fmt in ("pdf", "docx"):
        engine = timed(f"import {fmt} engine",
                       lambda fmt=fmt: importlib.import_module(f"builder.engines.{fmt}"))
        for edition in editions:
            timed(f"{fmt} {edition}", lambda e=edition, eng=engine: eng.render(documents[e], theme))
    print(json.dumps(timings))


def child_charts(report: str, cache: str) -> None:
    """Print JSON milliseconds to draw, record and save the PNG of each chart, per language."""
    import dataclasses

    from builder.charts import render_chart
    from builder.charts.stage import ChartStage
    from builder.pipeline import read_stage
    from builder.themes import load_theme

    record, data, _ = read_stage(Path(report))
    theme = load_theme("default")
    stage = ChartStage(data, theme, Path(cache), render=True)
    started = time.perf_counter()
    import matplotlib.figure  # noqa: F401 - the import is what this line measures

    result: dict[str, Any] = {"import matplotlib ms": 1000 * (time.perf_counter() - started)}
    rows = []
    first = True
    for spec, lang in stage.uncached(record, ("zh", "en")):
        spec = dataclasses.replace(spec, title="") if getattr(spec, "title", "") else spec
        tag = "zh-CN" if lang == "zh" else "en"
        with tempfile.TemporaryDirectory() as folder:
            t0 = time.perf_counter()
            render_chart(spec, theme, tag, Path(folder), ("png",))
            ms = 1000 * (time.perf_counter() - t0)
        if first:  # the first chart also loads fonts; draw it again for its own figure
            result["first chart (fonts) ms"] = ms
            with tempfile.TemporaryDirectory() as folder:
                t0 = time.perf_counter()
                render_chart(spec, theme, tag, Path(folder), ("png",))
                ms = 1000 * (time.perf_counter() - t0)
            first = False
        rows.append({"kind": spec.kind, "lang": lang, "ms": ms})
    result["charts"] = rows
    print(json.dumps(result))


def child_json(cmd: Sequence[str]) -> Any:
    """Run a child mode and return the JSON it printed last."""
    result = run(cmd)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)}: exit {result.returncode}\n{result.output[-3000:]}")
    return json.loads(result.output.strip().splitlines()[-1])


# -- the benchmark ---------------------------------------------------------------------------

def environment() -> dict[str, Any]:
    """Return what the figures depend on: machine, versions, accelerators present."""
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity")
        else os.cpu_count(),
        "platform": platform.platform(),
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }
    info["measured checkout"] = str(TARGET)
    info["rl_accel"] = run([sys.executable, "-c", "import _rl_accel"]).returncode == 0
    pandoc = pandoc3() or shutil.which("pandoc")
    info["pandoc"] = subprocess.run([pandoc, "--version"], capture_output=True, text=True,
                                    check=False).stdout.splitlines()[0] if pandoc else None
    try:
        info["commit"] = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=TARGET,
                                        capture_output=True, text=True,
                                        check=False).stdout.strip()
    except OSError:
        info["commit"] = None
    return info


def bench(reps: int, scales: Sequence[int], work: Path, cli_only: bool = False) -> dict[str, Any]:
    """Run every measurement; return the rows and the target checks."""
    rows: list[Row] = []
    say = lambda row: print(f"  {row.name}: {row.wall_s:.3f} s", file=sys.stderr)  # noqa: E731
    counter = iter(range(10_000))

    def fresh() -> Path:
        return work / f"out-{next(counter)}"

    # pandoc 3 (the yardstick) and the whole build, cold (a fresh output folder: no manifest,
    # no chart or font cache), measured in turns
    pandoc = pandoc3() or shutil.which("pandoc")
    cold_name = "cold full build (3 editions x PDF+DOCX, 7 charts)"
    cold_cmd = (cold_name, lambda i: build_cmd(REPORT, fresh(), "--force"),
                "report-builder build --force into a new folder")
    if pandoc:
        rows += measure_alternating([
            ("pandoc seed.md -> docx (yardstick)",
             lambda i: [pandoc, str(SEED), "-o", str(work / f"seed-{i}.docx")], pandoc),
            cold_cmd], max(reps, 3))
        say(rows[-2])
    else:
        rows.append(Row("pandoc seed.md -> docx (yardstick)", float("nan"),
                        note="pandoc is not installed (pypandoc-binary failed)"))
        rows.append(measure(*cold_cmd[:2], reps, note=cold_cmd[2]))
    cold = rows[-1]
    say(cold)
    if not cli_only:
        rows.append(measure("cold full build, 1 process (jobs=1)",
                            lambda i: child_build_cmd(REPORT, fresh(), 1, "--force"), reps))
        say(rows[-1])
    rows.append(measure("full build with every chart cached (manifest removed)",
                        lambda i: build_cmd(REPORT, warm_out), reps,
                        setup=lambda i: (warm_out / REPORT.name / "manifest.json")
                        .unlink(missing_ok=True),
                        note="every output rebuilt, charts from the cache"))
    say(rows[-1])

    # no-op rebuild and one-paragraph edit on a private copy
    report = work / "report"
    shutil.copytree(REPORT, report)
    out = fresh()
    run(build_cmd(report, out))
    rows.append(measure("no-op rebuild", lambda i: build_cmd(report, out), reps))
    noop = rows[-1]
    say(noop)
    rows.append(measure("rebuild after a one-paragraph edit (all 6 outputs)",
                        lambda i: build_cmd(report, out), reps,
                        setup=lambda i: edit_paragraph(report, f"(edit {i})")))
    edit = rows[-1]
    say(edit)
    watch, watch_all = watch_latency(
        ("watch mode: one-paragraph edit until the zh PDF is rebuilt",
         "watch mode: one-paragraph edit until all 6 outputs are rebuilt"),
        report, fresh(), max(reps, 3))
    rows += [watch, watch_all]
    say(watch)
    say(watch_all)
    rows.append(measure("rebuild after a one-paragraph edit, --edition zh --format pdf",
                        lambda i: build_cmd(report, out, "--edition", "zh", "--format", "pdf"),
                        reps, setup=lambda i: edit_paragraph(report, f"(zh edit {i})"),
                        note="what watch mode rebuilds when told one edition and format"))
    say(rows[-1])
    rows.append(measure("one edition in one format, cold (zh PDF)",
                        lambda i: build_cmd(REPORT, fresh(), "--edition", "zh", "--format",
                                            "pdf"), reps))
    say(rows[-1])
    rows.append(measure("one edition in one format, cold (en DOCX)",
                        lambda i: build_cmd(REPORT, fresh(), "--edition", "en", "--format",
                                            "docx"), reps))
    say(rows[-1])
    rows.append(measure("report-builder check", lambda i: [sys.executable, "-m", "builder",
                                                            "check", str(REPORT)], reps))
    say(rows[-1])

    if cli_only:
        return scaling_rows(rows, reps, scales, work, fresh, cold, noop, edit, watch)

    # stages, serial in one process
    stage_runs = [child_json([sys.executable, str(Path(__file__).resolve()), "--child-stages",
                              str(REPORT), str(work / f"stage-cache-{i}")]) for i in range(reps)]
    for name in stage_runs[0]:
        rows.append(Row(f"stage: {name}", statistics.median(r[name] for r in stage_runs),
                        reps=reps))

    # charts per kind and language
    chart_runs = [child_json([sys.executable, str(Path(__file__).resolve()), "--child-charts",
                              str(REPORT), str(work / f"chart-cache-{i}")]) for i in range(reps)]
    rows.append(Row("charts: import matplotlib",
                    statistics.median(r["import matplotlib ms"] for r in chart_runs) / 1000,
                    reps=reps))
    rows.append(Row("charts: first chart of a process (font loading)",
                    statistics.median(r["first chart (fonts) ms"] for r in chart_runs) / 1000,
                    reps=reps))
    per_kind: dict[tuple[str, str], list[float]] = {}
    for result in chart_runs:
        for item in result["charts"]:
            per_kind.setdefault((item["kind"], item["lang"]), []).append(item["ms"])
    for (kind, lang), values in sorted(per_kind.items()):
        rows.append(Row(f"chart {kind} ({lang}), draw + record + PNG",
                        statistics.median(values) / 1000, reps=len(values)))

    return scaling_rows(rows, reps, scales, work, fresh, cold, noop, edit, watch)


def scaling_rows(rows: list[Row], reps: int, scales: Sequence[int], work: Path,
                 fresh: Callable[[], Path], cold: Row, noop: Row,
                 edit: Row, watch: Row) -> dict[str, Any]:
    """Add the synthetic-report rows; return every row, the scaling and the target checks."""
    say = lambda row: print(f"  {row.name}: {row.wall_s:.3f} s", file=sys.stderr)  # noqa: E731
    scaling = []
    for scale in scales:
        synthetic = synthetic_report(work / f"synthetic-{scale}x", scale)
        scale_reps = reps if scale <= 10 else max(1, min(reps, 2))
        row = measure(f"scaling: {scale}x report, cold full build",
                      lambda i, s=synthetic: build_cmd(s, fresh(), "--force"), scale_reps)
        latest = max(work.glob(f"out-*/{REPORT.name}/manifest.json"),
                     key=lambda p: int(p.parents[1].name.split("-")[1]))  # out-9 < out-10
        pages = json.loads(latest.read_text(encoding="utf-8"))["outputs"]
        row.extra["pages"] = {k: v.get("pages") for k, v in pages.items() if v.get("pages")}
        rows.append(row)
        scaling.append({"scale": scale, "wall_s": row.wall_s, "cpu_s": row.cpu_s,
                        "peak_mb": row.peak_mb, "pages": row.extra["pages"]})
        say(row)

    targets = check_targets(rows[0], cold, noop, edit, watch, scaling)
    return {"rows": [asdict(r) for r in rows], "scaling": scaling, "targets": targets}


warm_out = Path()  # set in main: an output folder whose chart cache is filled


def check_targets(pandoc: Row, cold: Row, noop: Row, edit: Row, watch: Row,
                  scaling: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the speed issues' targets with the measured figure and whether each holds."""
    targets = []
    if pandoc.wall_s == pandoc.wall_s:  # not NaN: pandoc ran
        limit = 3 * pandoc.wall_s
        targets.append({"target": "cold full build <= 3x pandoc",
                        "measured": f"{cold.wall_s:.2f} s vs {limit:.2f} s "
                                    f"({cold.wall_s / pandoc.wall_s:.1f}x pandoc)",
                        "holds": cold.wall_s <= limit})
    else:
        targets.append({"target": "cold full build <= 3x pandoc",
                        "measured": f"{cold.wall_s:.2f} s; pandoc not installed", "holds": None})
    targets.append({"target": "no-op rebuild < 0.15x cold build",
                    "measured": f"{noop.wall_s:.2f} s = {noop.wall_s / cold.wall_s:.2f}x",
                    "holds": noop.wall_s < 0.15 * cold.wall_s})
    targets.append({"target": "one-paragraph edit rebuild < 1 s",
                    "measured": f"{edit.wall_s:.2f} s", "holds": edit.wall_s < 1.0})
    targets.append({"target": "watch shows an edit in the zh PDF < 0.3 s after the save",
                    "measured": f"{watch.wall_s:.2f} s from save to the rebuilt zh PDF",
                    "holds": watch.wall_s < 0.3})
    if scaling:
        big = max(scaling, key=lambda s: s["scale"])
        targets.append({"target": f"{big['scale']}x report peak memory < 1 GB",
                        "measured": f"{big['peak_mb']:.0f} MB (process tree)",
                        "holds": big["peak_mb"] < 1024})
        if len(scaling) > 1:
            small = min(scaling, key=lambda s: s["scale"])
            growth = (big["cpu_s"] / small["cpu_s"]) / (big["scale"] / small["scale"])
            targets.append({"target": "time grows no faster than linearly",
                            "measured": f"CPU {small['cpu_s']:.1f} s at {small['scale']}x -> "
                                        f"{big['cpu_s']:.1f} s at {big['scale']}x "
                                        f"(x{big['cpu_s'] / small['cpu_s']:.1f} for "
                                        f"x{big['scale'] // small['scale']} the content)",
                            "holds": growth <= 1.0})
    return targets


def compare(other: Path, reps: int, work: Path) -> dict[str, Any]:
    """Measure cold build, no-op and one-paragraph edit of `other` and of this checkout, taking
    turns run by run, so both see the same load on a shared machine. Return medians per side."""
    global TARGET
    sides = {"before": other.resolve(), "after": ROOT}
    figures: dict[str, dict[str, list[float]]] = {side: {} for side in sides}
    copies = {}
    for side, root in sides.items():
        copies[side] = work / f"compare-{side}"
        shutil.copytree(REPORT, copies[side] / "report")
        TARGET = root
        run(build_cmd(copies[side] / "report", copies[side] / "out"))
    try:
        for i in range(reps):
            for side, root in sides.items():
                TARGET = root
                folder = copies[side]

                def add(name: str, result: Run, side: str = side) -> None:
                    figures[side].setdefault(name, []).append(result.wall_s)
                    figures[side].setdefault(name + " (cpu)", []).append(result.cpu_s)

                add("cold full build", run(build_cmd(REPORT, folder / f"cold-{i}", "--force")))
                add("no-op rebuild", run(build_cmd(folder / "report", folder / "out")))
                edit_paragraph(folder / "report", f"(compare {i})")
                add("one-paragraph edit", run(build_cmd(folder / "report", folder / "out")))
            print(f"  compare round {i + 1}/{reps} done", file=sys.stderr)
    finally:
        TARGET = ROOT
    return {side: {name: statistics.median(values) for name, values in named.items()}
            for side, named in figures.items()} | {"before_root": str(sides["before"])}


def print_table(result: dict[str, Any], env: dict[str, Any]) -> None:
    """Print the rows and the targets as a plain-text table."""
    load = f", load average {env['load_average'][0]:.2f}" if env["load_average"] else ""
    print(f"report-builder benchmark — {env['cores']} cores, Python {env['python']}, "
          f"rl_accel {'yes' if env['rl_accel'] else 'no'}, "
          f"pandoc {env['pandoc'] or 'NOT INSTALLED (apt-get install pandoc)'}{load}")
    pandoc = result["rows"][0]
    base_wall = pandoc["wall_s"] if pandoc["wall_s"] == pandoc["wall_s"] else None
    base_cpu = pandoc["cpu_s"] if base_wall else None
    print(f"{'measurement':<64} {'wall s':>8} {'x pandoc':>8} {'cpu s':>7} {'x pandoc':>8} "
          f"{'peak MB':>8} {'reps':>4}")
    for row in result["rows"]:
        wall = "n/a" if row["wall_s"] != row["wall_s"] else f"{row['wall_s']:.3f}"
        cpu = "" if row["cpu_s"] is None else f"{row['cpu_s']:.2f}"
        peak = "" if row["peak_mb"] is None else f"{row['peak_mb']:.0f}"
        ratio = f"{row['wall_s'] / base_wall:.1f}x" if base_wall and wall != "n/a" else ""
        cpu_ratio = f"{row['cpu_s'] / base_cpu:.1f}x" if base_cpu and cpu else ""
        print(f"{row['name'][:64]:<64} {wall:>8} {ratio:>8} {cpu:>7} {cpu_ratio:>8} "
              f"{peak:>8} {row['reps']:>4}"
              + (f"  {row['note']}" if row["note"] and row["wall_s"] != row["wall_s"] else ""))
    print("\ntargets:")
    for target in result["targets"]:
        mark = {True: "holds", False: "MISSED", None: "n/a"}[target["holds"]]
        print(f"  [{mark:>6}] {target['target']}: {target['measured']}")


def main(argv: Sequence[str] | None = None) -> None:
    """Parse options and run the benchmark (or one child mode)."""
    args = list(sys.argv[1:] if argv is None else argv)
    for mode, func in (("--child-build", child_build), ("--child-stages", child_stages),
                       ("--child-charts", child_charts)):
        if args[:1] == [mode]:
            func(*args[1:])
            return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one repetition, scaling 1x and 10x")
    parser.add_argument("--reps", type=int, default=5, help="repetitions per figure")
    parser.add_argument("--scales", default="1,10,50", help="synthetic report sizes")
    parser.add_argument("--no-scaling", action="store_true", help="skip the synthetic reports")
    parser.add_argument("--json", type=Path, default=RESULTS, help="where to write the results")
    parser.add_argument("--root", type=Path, default=ROOT,
                        help="measure the builder of another checkout (command-line rows only)")
    parser.add_argument("--compare", type=Path, metavar="DIR",
                        help="only compare cold, no-op and edit builds with another checkout, "
                             "run by run in turns")
    parser.add_argument("--no-rl-accel", action="store_true",
                        help="hide reportlab's C accelerator, to measure without it")
    options = parser.parse_args(args)
    global TARGET, REPORT
    TARGET = options.root.resolve()
    REPORT = TARGET / "content" / "gpu-market"
    cli_only = TARGET != ROOT
    reps = 1 if options.quick else options.reps
    scales = [] if options.no_scaling else [int(s) for s in options.scales.split(",")]
    if options.quick and not options.no_scaling and options.scales == "1,10,50":
        scales = [1, 10]
    global warm_out
    with tempfile.TemporaryDirectory(prefix="report-builder-bench-") as folder:
        work = Path(folder)
        if options.no_rl_accel:
            hide = work / "no-rl-accel"
            hide.mkdir()
            (hide / "_rl_accel.py").write_text("raise ImportError('hidden by bench')\n")
            EXTRA_PATH.append(str(hide))
        env = environment()
        if options.compare:
            result = compare(options.compare, reps, work)
            print(f"{'median of ' + str(reps) + ' turns':<40} {'before':>10} {'after':>10}")
            for name in result["after"]:
                print(f"{name:<40} {result['before'][name]:>10.3f} {result['after'][name]:>10.3f}")
            print(f"before: {result['before_root']}")
            return
        warm_out = work / "warm"
        run(build_cmd(REPORT, warm_out))  # fills the chart cache for the "charts cached" row
        result = bench(reps, scales, work, cli_only)
    result["environment"] = env
    print_table(result, env)
    options.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n",
                            encoding="utf-8")
    print(f"\nwrote {options.json}")


if __name__ == "__main__":
    main()
