"""Shared fixtures for chart tests: the theme, the market-size table and figure inspection."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import matplotlib
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from builder.charts import read_chart_file
from builder.charts.render import draw_figure
from builder.charts.style import chart_style
from builder.model.charts import ChartSpec
from builder.themes import Theme, load_theme

SPECS = Path(__file__).parent / "specs"
MARKET_SIZE = {"market_size": [{"year": 2023, "usd_billion": 3.17},
                               {"year": 2025, "usd_billion": 4.96},
                               {"year": 2032, "usd_billion": 47.24}]}


@pytest.fixture(scope="session")
def theme() -> Theme:
    return load_theme("default")


def read_spec(name: str, lang: str) -> ChartSpec:
    """Return the test spec `specs/<name>.yaml` localized to `lang`."""
    return read_chart_file(SPECS / f"{name}.yaml", lang, MARKET_SIZE)


def drawn(spec: ChartSpec, theme: Theme, lang: str) -> Figure:
    """Return the figure of `spec`, drawn (so text extents are final)."""
    style = chart_style(theme, lang)
    with matplotlib.rc_context(style.rc()):
        fig = draw_figure(spec, style)
        fig.canvas.draw()
    return fig


def texts(fig: Figure) -> list[Text]:
    """Return every text of `fig` that is drawn: visible, non-empty, ticks inside the view."""
    hidden = set()
    for ax in fig.axes:
        for axis in ax._axis_map.values():
            shown = {id(t) for t in axis._update_ticks()}
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if id(tick) not in shown or not ax.axison:
                    hidden.update((id(tick.label1), id(tick.label2)))
    return [t for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip() and id(t) not in hidden]


def text_strings(fig: Figure) -> list[str]:
    return [t.get_text() for t in texts(fig)]


def overlapping_texts(fig: Figure) -> Iterator[tuple[str, str]]:
    """Yield pairs of texts whose drawn boxes overlap (by more than a pixel)."""
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer).expanded(1.0, 1.0).padded(-1))
             for t in texts(fig)]
    for (a, ba), (b, bb) in itertools.combinations(boxes, 2):
        if ba.overlaps(bb):
            yield a, b


def clipped_texts(fig: Figure) -> list[str]:
    """Return the texts that reach outside the figure."""
    renderer = fig.canvas.get_renderer()
    page = fig.bbox.padded(1)
    out = []
    for t in texts(fig):
        box = t.get_window_extent(renderer)
        if box.x0 < page.x0 or box.y0 < page.y0 or box.x1 > page.x1 or box.y1 > page.y1:
            out.append(t.get_text())
    return out


def mermaid_error(text: str) -> str:
    """Return `line: message` of the one error reading mermaid `text` gives."""
    from builder.diagnostics import BuildError
    from builder.readers.mermaid import read_mermaid

    with pytest.raises(BuildError) as caught:
        read_mermaid(text, Path("doc.mmd"))
    d = caught.value.diagnostics[0]
    return f"{d.line}: {d.message}"


def yaml_spec(text: str, data: dict | None = None, lang: str = "en") -> ChartSpec:
    """Return the spec of the YAML chart spec `text`, read from a file of its own."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "c.yaml"
        path.write_text(text, encoding="utf-8")
        return read_chart_file(path, lang, data or {})


def yaml_error(text: str) -> str:
    """Return `line: message` of the one error reading the YAML chart spec `text` gives."""
    from builder.diagnostics import BuildError

    with pytest.raises(BuildError) as caught:
        yaml_spec(text)
    d = caught.value.diagnostics[0]
    return f"{d.line}: {d.message}"
