"""Chart rendering: a ChartSpec drawn by its kind's renderer and saved once as PDF, PNG and SVG.

This is the only place that creates figures and calls `savefig`. Files are named by a content
hash of everything that changes the picture (spec, theme colours and fonts, language, renderer
version), so a rebuild reuses unchanged charts; bytes are deterministic (no dates, fixed SVG
hash salt) and every file is written to a temporary name and renamed into place.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from builder.charts import flowchart, pie, radar, timeline, xychart
from builder.charts.style import Style, chart_style
from builder.model.charts import ChartSpec
from builder.model.document import ChartImage
from builder.themes import Theme

#: Bump when a renderer changes its drawing, so cached charts are redrawn.
RENDERER_VERSION = "1"
PNG_DPI = 220

#: One line per chart kind: the function that draws a spec onto an empty figure.
DRAWERS: dict[str, Callable[[Figure, Any, Style], None]] = {
    "pie": pie.draw,
    "xychart": xychart.draw,
    "radar": radar.draw,
    "timeline": timeline.draw,
    "flowchart": flowchart.draw,
}


def cache_key(spec: ChartSpec, theme: Theme, lang: str) -> str:
    """Return the content hash that names a chart's files in the cache."""
    fonts = [theme.latin.regular, theme.latin.bold, theme.cjk.regular, theme.cjk.bold]
    payload = {
        "kind": spec.kind,
        "spec": asdict(spec),
        "colors": asdict(theme.colors),
        "fonts": [(p.name, p.stat().st_size) for p in fonts],
        "lang": lang,
        "renderer": RENDERER_VERSION,
        "matplotlib": matplotlib.__version__,
    }
    blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:20]


def draw_figure(spec: ChartSpec, style: Style) -> Figure:
    """Return a new figure with `spec` drawn on it (call inside `matplotlib.rc_context`)."""
    fig = Figure(figsize=(style.width_in, 3.5), layout="constrained")
    FigureCanvasAgg(fig)
    DRAWERS[spec.kind](fig, spec, style)
    return fig


def _write(path: Path, fig: Figure, fmt: str, **kwargs: Any) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            fig.savefig(handle, format=fmt, **kwargs)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def render_chart(spec: ChartSpec, theme: Theme, lang: str, cache_dir: Path) -> ChartImage:
    """Return the rendered chart, drawing it into `cache_dir` unless it is cached already."""
    style = chart_style(theme, lang)
    stem = cache_dir / f"{spec.kind}-{cache_key(spec, theme, lang)}"
    pdf, png, svg, meta = (stem.with_suffix(s) for s in (".pdf", ".png", ".svg", ".json"))
    if all(p.is_file() for p in (pdf, png, svg, meta)):
        size = json.loads(meta.read_text(encoding="utf-8"))
        return ChartImage(pdf, png, svg, float(size["width_pt"]), float(size["height_pt"]))
    cache_dir.mkdir(parents=True, exist_ok=True)
    with matplotlib.rc_context(style.rc()):
        fig = draw_figure(spec, style)
        _write(pdf, fig, "pdf", metadata={"CreationDate": None, "ModDate": None})
        _write(png, fig, "png", dpi=PNG_DPI, metadata={"Software": None})
        _write(svg, fig, "svg", metadata={"Date": None, "Creator": None})
    width_in, height_in = fig.get_size_inches()
    size = {"width_pt": round(float(width_in) * 72, 3),
            "height_pt": round(float(height_in) * 72, 3)}
    tmp = meta.with_name(f".{meta.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(size), encoding="utf-8")
    os.replace(tmp, meta)  # written last: its presence marks a complete cache entry
    return ChartImage(pdf, png, svg, size["width_pt"], size["height_pt"])
