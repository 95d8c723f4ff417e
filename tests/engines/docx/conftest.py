"""Fixtures for the DOCX engine tests: a small chart PNG and rendered sample documents."""

from __future__ import annotations

import pytest

from builder.engines.docx import render
from builder.model.document import ChartImage
from builder.themes import load_theme
from tests.sample_document import sample_document


@pytest.fixture(scope="session")
def chart(tmp_path_factory: pytest.TempPathFactory) -> ChartImage:
    """Return a small rendered bar chart (PNG only; the DOCX engine never reads the PDF)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    folder = tmp_path_factory.mktemp("chart")
    fig = Figure(figsize=(4, 2.4))
    fig.add_subplot().bar(["a", "b", "c"], [98, 34, 2.85])
    png = folder / "cost.png"
    fig.savefig(png, dpi=100)
    return ChartImage(folder / "cost.pdf", png, None, 288.0, 172.8)


@pytest.fixture(scope="session")
def docx_bytes(chart: ChartImage) -> dict[str, bytes]:
    """Return the rendered zh, en and bilingual samples (default theme, with the chart)."""
    theme = load_theme("default")
    return {edition: render(sample_document(edition, chart), theme)
            for edition in ("zh", "en", "bilingual")}

