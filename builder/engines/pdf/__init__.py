"""The PDF engine: `render(document, theme)` turns one finished `Document` edition into PDF bytes.

It sits at the end of the pipeline, after compose. Layout runs in passes: each pass records the
page of every heading and the page count, and the next pass prints them in the contents and the
footer; it stops when nothing moved. Output is byte-identical for the same input (invariant mode,
no clock dates).
"""

from __future__ import annotations

import io

from builder.engines.pdf.blocks import BilingualLayout, Context, build_story, collect_anchors
from builder.engines.pdf.pages import LayoutState, ReportDocTemplate
from builder.engines.pdf.styles import build_styles
from builder.model.document import Document
from builder.themes import Theme

__all__ = ["render"]

_MAX_PASSES = 4


def render(document: Document, theme: Theme, *,
           bilingual_layout: BilingualLayout = "stacked") -> bytes:
    """Return the PDF of `document` set in `theme`.

    `bilingual_layout` chooses how a bilingual `Pair` is set: "stacked" (the English under the
    Chinese in a smaller muted style, the default) or "columns" (side by side).
    """
    styles = build_styles(theme)
    anchors = collect_anchors(document.blocks)
    known = LayoutState()
    data = b""
    for _ in range(_MAX_PASSES):
        # this pass prints the pages the previous pass found, and records where things land now
        state = LayoutState(total_pages=known.total_pages)
        ctx = Context(document, styles, state, anchors, dict(known.pages), bilingual_layout)
        buffer = io.BytesIO()
        doc = ReportDocTemplate(buffer, document, styles, state)
        doc.build(build_story(ctx))
        state.total_pages = doc.page
        data = buffer.getvalue()
        if state.pages == known.pages and state.total_pages == known.total_pages:
            break
        known = state
    return data
