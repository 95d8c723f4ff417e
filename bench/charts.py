"""Chart rendering benchmark: prints the time per kind to read, draw and save (PDF+PNG+SVG).

"draw ms" is the figure drawn on a canvas, "pdf ms" `render_chart` asked for the PDF only (what
the PDF edition needs: draw and save), "render ms" the same for PDF, PNG and SVG.

Run `python bench/charts.py [repeats]`. Timings are printed, never asserted. The first figure
of a process also pays for font loading; it is measured separately as "warm-up".
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


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
