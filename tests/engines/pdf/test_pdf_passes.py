"""The PDF engine's layout passes: the layout-only first pass changes nothing in the output."""

from __future__ import annotations

from pathlib import Path

import pytest

import builder.engines.pdf as pdf_engine
from builder.engines.pdf.blocks import collect_anchors
from builder.engines.pdf.pages import LayoutState
from builder.engines.pdf.styles import build_styles
from builder.model.document import Document
from builder.themes import load_theme
from tests.engines.pdf.test_pdf_render import make_chart
from tests.sample_document import sample_document

THEME = load_theme("default")


def render_every_pass_in_full(document: Document) -> bytes:
    """Return the PDF as the engine made it before the dry pass: every pass drawn and saved."""
    styles = build_styles(THEME)
    anchors = collect_anchors(document.blocks)
    known = LayoutState()
    data = b""
    for _ in range(4):
        state, data = pdf_engine._layout(document, styles, anchors, known, "stacked", False)
        if state.pages == known.pages and state.total_pages == known.total_pages:
            break
        known = state
    return data


@pytest.mark.parametrize("edition", ["zh", "en", "bilingual"])
def test_the_dry_first_pass_gives_the_same_bytes_as_full_passes(edition: str, tmp_path: Path):
    document = sample_document(edition, make_chart(tmp_path))
    assert pdf_engine.render(document, THEME) == render_every_pass_in_full(document)


def test_a_dry_pass_skips_drawing_but_still_records_pages(tmp_path: Path):
    document = sample_document("zh", make_chart(tmp_path))
    styles = build_styles(THEME)
    anchors = collect_anchors(document.blocks)
    dry_state, dry_bytes = pdf_engine._layout(document, styles, anchors, LayoutState(),
                                              "stacked", True)
    full_state, full_bytes = pdf_engine._layout(document, styles, anchors, LayoutState(),
                                                "stacked", False)
    assert dry_bytes == b"" and full_bytes.startswith(b"%PDF")
    assert dry_state.pages == full_state.pages and dry_state.pages
    assert dry_state.total_pages == full_state.total_pages
