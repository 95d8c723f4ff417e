"""The PDF engine: `render(document, theme)` turns one finished `Document` edition into PDF bytes.

It sits at the end of the pipeline, after compose. Layout runs in passes: each pass records the
page of every heading and the page count, and the next pass prints them in the contents and the
footer; it stops when nothing moved. Output is byte-identical for the same input (invariant mode,
no clock dates).
"""

from __future__ import annotations

import io

from reportlab.pdfgen.canvas import Canvas

from builder.engines.pdf.blocks import BilingualLayout, Context, build_story, collect_anchors
from builder.engines.pdf.pages import LayoutState, ReportDocTemplate
from builder.engines.pdf.richtext import MEASURED
from builder.engines.pdf.styles import Styles, build_styles
from builder.model.document import Document
from builder.themes import Theme

__all__ = ["prepare", "render"]

_MAX_PASSES = 4


class DryCanvas(Canvas):
    """A canvas for a pass whose bytes are thrown away: it only has to find where things land.

    Flowables skip drawing that cannot move anything (`dry` is True: contents leader dots,
    imported chart forms), and the document is never serialized.
    """

    dry = True

    def save(self) -> None:
        """Write nothing: this pass's PDF is never used."""


def _layout(document: Document, styles: Styles, anchors: frozenset[str], known: LayoutState,
            bilingual_layout: BilingualLayout, dry: bool,
            reserve: dict[int, set[int]] | None = None) -> tuple[LayoutState, bytes]:
    """Run one layout pass printing the pages `known` found; return where things land now."""
    state = LayoutState(total_pages=known.total_pages)
    ctx = Context(document, styles, state, anchors, dict(known.pages), bilingual_layout)
    buffer = io.BytesIO()
    doc = ReportDocTemplate(buffer, document, styles, state, reserve)
    doc.build(build_story(ctx), canvasmaker=DryCanvas if dry else Canvas)
    state.total_pages = doc.page
    return state, buffer.getvalue()


def prepare(theme: Theme) -> None:
    """Do now the once-per-process set-up of `render` for `theme` (parse and register fonts).

    Build workers call it before any document arrives, so the first render is not slower.
    """
    build_styles(theme)


def render(document: Document, theme: Theme, *,
           bilingual_layout: BilingualLayout = "stacked") -> bytes:
    """Return the PDF of `document` set in `theme`.

    `bilingual_layout` chooses how a bilingual `Pair` is set: "stacked" (the English under the
    Chinese in a smaller muted style, the default) or "columns" (side by side).
    """
    styles = build_styles(theme)
    MEASURED.start_render()
    anchors = collect_anchors(document.blocks)
    known = LayoutState()
    data = b""
    # Footnotes take room at the foot of their pages, which can move text: allow more passes.
    passes = _MAX_PASSES + (4 if document.footnotes else 0)
    reserve: dict[int, set[int]] = {}  # page -> footnotes it keeps room for
    dry = True
    for _ in range(passes):
        # this pass prints the pages the previous pass found, and records where things land
        # now. A pass whose bytes are unlikely to be the answer runs dry: the first (it knows
        # no page yet) and one after footnotes took new room (that moves the text below them).
        state, data = _layout(document, styles, anchors, known, bilingual_layout, dry, reserve)
        fits = all(set(numbers) <= reserve.get(page, set())
                   for page, numbers in state.notes.items())
        if state.pages == known.pages and state.total_pages == known.total_pages and fits:
            if dry:
                state, data = _layout(document, styles, anchors, known, bilingual_layout, False,
                                      reserve)
            break
        dry = not fits
        for page, numbers in state.notes.items():
            reserve.setdefault(page, set()).update(numbers)
        known = state
    return data
