"""Chart rendering benchmark: prints the time per kind to read, draw and save (PDF+PNG+SVG).

"draw ms" is the figure drawn on a canvas, "pdf ms" `render_chart` asked for the PDF only (what
the PDF edition needs: draw and save), "render ms" the same for PDF, PNG and SVG.

Run `python bench/charts.py [repeats]`. Timings are printed, never asserted. The first figure
of a process also pays for font loading; it is measured separately as "warm-up".

Then the flowchart scaling rows: seeded random flowcharts of 125 to 1,000 nodes (a tree with
one cross link per ten nodes, the shape of a large org or dependency chart), each read from
mermaid source, laid out and drawn to PDF in this process, with the growth against the row
before (2.0 is linear when the size doubles); and `report-builder diagram --out x.svg` of the
500-node chart in a fresh process, as a user runs it.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import matplotlib

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from builder.charts import read_chart_file, render_chart  # noqa: E402
from builder.charts.render import draw_figure  # noqa: E402
from builder.charts.style import chart_style  # noqa: E402
from builder.themes import load_theme  # noqa: E402

SPECS = ROOT / "tests" / "charts" / "specs"
DATA = {"market_size": [{"year": 2023, "usd_billion": 3.17}, {"year": 2025, "usd_billion": 4.96},
                        {"year": 2032, "usd_billion": 47.24}]}
CASES = {"xychart": "market-size.yaml", "pie": "demand-share.yaml",
         "radar": "fireworks-radar.yaml", "timeline": "competition.yaml",
         "flowchart (tree)": "participants.yaml", "flowchart (LR)": "modal.yaml",
         "flowchart (26, 2 sg)": "gpu-platform.mmd"}


def main(repeats: int = 5) -> None:
    theme = load_theme("default")
    started = time.perf_counter()
    warm = read_chart_file(SPECS / "demand-share.yaml", "zh-CN", DATA)
    with tempfile.TemporaryDirectory() as cache:
        render_chart(warm, theme, "zh-CN", Path(cache))
    print(f"warm-up (fonts, first figure): {1000 * (time.perf_counter() - started):.0f} ms\n")
    header = ("kind", "lang", "read ms", "draw ms", "pdf ms", "render ms", "cached ms")
    print(f"{header[0]:<21} {header[1]:<6} {header[2]:>8} {header[3]:>8} {header[4]:>8} "
          f"{header[5]:>10} {header[6]:>10}")
    for kind, name in CASES.items():
        for lang in ("zh-CN", "en"):
            reads, draws, pdfs, renders, cached = [], [], [], [], []
            for _ in range(repeats):
                t0 = time.perf_counter()
                spec = read_chart_file(SPECS / name, lang, DATA)
                t1 = time.perf_counter()
                style = chart_style(theme, lang)
                with matplotlib.rc_context(style.rc()):
                    fig = draw_figure(spec, style)
                    fig.canvas.draw()
                draws.append(time.perf_counter() - t1)
                with tempfile.TemporaryDirectory() as cache:
                    t = time.perf_counter()
                    render_chart(spec, theme, lang, Path(cache), formats=("pdf",))
                    pdfs.append(time.perf_counter() - t)
                t2 = time.perf_counter()
                with tempfile.TemporaryDirectory() as cache:
                    render_chart(spec, theme, lang, Path(cache))
                    t3 = time.perf_counter()
                    render_chart(spec, theme, lang, Path(cache))
                    t4 = time.perf_counter()
                reads.append(t1 - t0)
                renders.append(t3 - t2)
                cached.append(t4 - t3)
            ms = [1000 * statistics.median(x) for x in (reads, draws, pdfs, renders, cached)]
            print(f"{kind:<21} {lang:<6} {ms[0]:>8.1f} {ms[1]:>8.0f} {ms[2]:>8.0f} {ms[3]:>10.0f} "
                  f"{ms[4]:>10.2f}")
    print("\nrender = draw + save PDF, PNG (220 dpi) and SVG; cached = files already present")
    flowchart_scaling(theme)


def random_flowchart(nodes: int, seed: int = 7) -> str:
    """Return mermaid source of a random tree of `nodes` nodes plus a cross link per ten."""
    import random

    rng = random.Random(seed)
    lines = ["flowchart TD", "    n0[Start]"]
    for i in range(1, nodes):
        lines.append(f"    n{rng.randrange(max(0, i - 40), i)} --> n{i}[Task {i}]")
    for _ in range(nodes // 10):
        a = rng.randrange(nodes - 1)
        b = rng.randrange(a + 1, nodes)
        lines.append(f"    n{a} -.-> n{b}")
    return "\n".join(lines) + "\n"


def flowchart_scaling(theme) -> None:
    import subprocess

    from builder.readers.mermaid import read_mermaid

    print(f"\n{'flowchart':<34} {'read s':>7} {'draw+pdf s':>11} {'growth':>7}")
    previous = None
    with tempfile.TemporaryDirectory() as folder:
        for nodes in (125, 250, 500, 1000):
            source = random_flowchart(nodes)
            reads, draws = [], []
            for turn in range(3):  # medians of three: the machine is shared
                t0 = time.perf_counter()
                spec = read_mermaid(source, Path(f"random-{nodes}.mmd"))
                t1 = time.perf_counter()
                render_chart(spec, theme, "en", Path(folder) / f"{nodes}-{turn}",
                             formats=("pdf",))
                reads.append(t1 - t0)
                draws.append(time.perf_counter() - t1)
            read_s, draw_s = statistics.median(reads), statistics.median(draws)
            growth = f"{(read_s + draw_s) / previous:7.2f}" if previous else "      -"
            previous = read_s + draw_s
            print(f"{f'{nodes} nodes, {len(spec.edges)} edges':<34} {read_s:>7.2f} "
                  f"{draw_s:>11.2f} {growth}")
        path = Path(folder) / "random-500.mmd"
        path.write_text(random_flowchart(500), encoding="utf-8")
        walls = []
        for turn in range(3):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "builder", "diagram", str(path), "--out",
                            str(Path(folder) / f"random-500-{turn}.svg")], cwd=ROOT,
                           check=True, capture_output=True)
            walls.append(time.perf_counter() - start)
        print(f"{'diagram --out svg, 500 nodes':<34} {statistics.median(walls):>7.2f} s wall "
              "(median of 3), fresh process")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
