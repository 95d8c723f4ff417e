"""Page templates of the PDF engine: the cover, the body pages with running header and footer.

`render()` builds the story (from `blocks.py`) into `ReportDocTemplate`; this module owns what is
drawn around the story on each page and the `LayoutState` that records where headings and
anchors landed, which the next layout pass uses for the contents and "page X of Y".
"""

from __future__ import annotations

import calendar
import datetime
import time
from dataclasses import dataclass, field

from reportlab.lib.colors import Color, HexColor, white
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from builder.engines.pdf.richtext import RichParagraph, draw_text_line
from builder.engines.pdf.styles import Styles
from builder.model.document import Document, Span


@dataclass
class LayoutState:
    """What one layout pass learnt: page of every anchor, total pages, section per page."""

    pages: dict[str, int] = field(default_factory=dict)
    total_pages: int = 0
    section: str = ""  # the chapter running at the current point
    page_section: str | None = None  # the first chapter that starts on the current page


class Anchor(Flowable):
    """A zero-height mark: a link destination, an optional outline entry and the running section."""

    def __init__(self, key: str, state: LayoutState, *, outline: str | None = None,
                 level: int = 0, section: str | None = None) -> None:
        super().__init__()
        self.key = key
        self.state = state
        self.outline = outline
        self.level = level
        self.section = section
        self.width = self.height = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """Take no space."""
        return 0.0, 0.0

    def draw(self) -> None:
        """Bookmark this point and record its page."""
        canvas: Canvas = self.canv
        canvas.bookmarkHorizontal(self.key, 0, 0)
        self.state.pages[self.key] = canvas.getPageNumber()
        if self.outline is not None:
            canvas.addOutlineEntry(self.outline, self.key, self.level, closed=False)
        if self.section is not None:
            self.state.section = self.section
            if self.state.page_section is None:
                self.state.page_section = self.section


def page_label(document: Document, page: int, total: int) -> str:
    """Return the footer's page text from the terms: "第 X 页 / 共 Y 页" or "Page X of Y"."""
    return document.terms.page_format.format(page=page, total=total)


class ReportDocTemplate(BaseDocTemplate):
    """A document with a cover template and a body template with running header and footer."""

    def __init__(self, buffer: object, document: Document, styles: Styles,
                 state: LayoutState) -> None:
        theme = styles.theme
        page = theme.page
        super().__init__(
            buffer,
            pagesize=(page.width_pt, page.height_pt),
            leftMargin=page.margin_left_mm * mm,
            rightMargin=page.margin_right_mm * mm,
            topMargin=page.margin_top_mm * mm,
            bottomMargin=page.margin_bottom_mm * mm,
            title=document.title,
            author=", ".join(document.authors) or document.organisation,
            subject=document.subtitle,
            keywords=list(document.keywords),
            creator="report-builder",
            producer="report-builder",
            lang=document.lang,
            invariant=1,
            initialFontName=styles.fonts.latin,
            initialFontSize=theme.type.body_pt,
            displayDocTitle=1,
        )
        self.document = document
        self.styles = styles
        self.state = state
        self._section_at_page_start = ""
        body = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        cover = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="cover",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([
            PageTemplate("cover", [cover], onPage=self._draw_cover),
            PageTemplate("body", [body], onPage=self._begin_page, onPageEnd=self._end_page),
        ])

    def beforeDocument(self) -> None:  # noqa: N802
        """Stamp the PDF's creation date with the document's date, never the clock."""
        try:
            day = datetime.date.fromisoformat(self.document.date[:10])
        except ValueError:
            return  # keep reportlab's invariant date
        stamp = self.canv._doc._timeStamp
        moment = calendar.timegm(day.timetuple())
        stamp.t = moment
        stamp.lt = time.gmtime(moment)
        stamp.YMDhms = tuple(stamp.lt)[:6]
        stamp.dhh = stamp.dmm = 0

    # -- cover -------------------------------------------------------------------------------
    def _draw_cover(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        document, styles = self.document, self.styles
        theme, fonts = styles.theme, styles.fonts
        width, height = self.pagesize
        zh = document.lang == "zh-CN"
        band = height * 0.46
        canvas.saveState()
        canvas.setFillColor(styles.primary)
        canvas.rect(0, height - band, width, band, stroke=0, fill=1)
        canvas.setFillColor(styles.accent)
        canvas.rect(0, height - band - 5, width, 5, stroke=0, fill=1)
        left, text_width = self.leftMargin, self.width
        # title and subtitle sit at the bottom of the band, wrapped by our own breaker
        t = theme.type
        title_style = styles.h1.but(size=t.title_pt, leading=t.title_pt * 1.25, color=white,
                                    align="left", space_before=0, space_after=0)
        subtitle_style = styles.body.but(size=t.subtitle_pt, leading=t.subtitle_pt * 1.45,
                                         color=HexColor("#DDE6EE"), align="left")
        title = RichParagraph((Span(document.title),), title_style, fonts, zh=zh,
                              link_color=white)
        subtitle = RichParagraph((Span(document.subtitle),), subtitle_style, fonts, zh=zh,
                                 link_color=white)
        _, title_h = title.wrap(text_width, height)
        _, subtitle_h = subtitle.wrap(text_width, height)
        y = height - band + 16 * mm
        subtitle.drawOn(canvas, left, y)
        title.drawOn(canvas, left, y + subtitle_h + 4 * mm)
        _ = title_h
        y = height - band - 18 * mm
        if document.secondary_title:
            sec = RichParagraph((Span(document.secondary_title),),
                                styles.h2.but(size=t.h1_pt, leading=t.h1_pt * 1.3,
                                              color=styles.primary, bold=False),
                                fonts, zh=False, link_color=white)
            _, h = sec.wrap(text_width, height)
            y -= h
            sec.drawOn(canvas, left, y)
        if document.secondary_subtitle:
            sec = RichParagraph((Span(document.secondary_subtitle),),
                                styles.body.but(size=t.subtitle_pt * 0.85, color=styles.muted,
                                                align="left"),
                                fonts, zh=False, link_color=white)
            _, h = sec.wrap(text_width, height)
            y -= h + 2 * mm
            sec.drawOn(canvas, left, y)
        # organisation and date at the foot of the page, above an accent rule
        foot = self.bottomMargin + 10 * mm
        canvas.setStrokeColor(styles.accent)
        canvas.setLineWidth(1.2)
        canvas.line(left, foot + 14 * mm, left + 40 * mm, foot + 14 * mm)
        draw_text_line(canvas, left, foot + 7 * mm, document.organisation, t.subtitle_pt * 0.8,
                       styles.primary, fonts, zh=zh, bold=True)
        draw_text_line(canvas, left, foot, document.date_display or document.date, t.body_pt,
                       styles.muted, fonts, zh=zh)
        if theme.logo is not None and theme.logo.is_file():
            # The logo sits in the top margin of the band, at most 16 mm high and 60 mm wide.
            image = ImageReader(str(theme.logo))
            logo_w, logo_h = image.getSize()
            scale = min(16 * mm / logo_h, 60 * mm / logo_w)
            canvas.drawImage(image, left, height - self.topMargin - logo_h * scale,
                             logo_w * scale, logo_h * scale, mask="auto")
        if document.confidentiality:
            draw_text_line(canvas, left + text_width, foot, document.confidentiality,
                           t.small_pt, styles.muted, fonts, zh=zh, align="right")
        canvas.restoreState()

    # -- body pages ----------------------------------------------------------------------
    def _begin_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        self.state.page_section = None
        self._section_at_page_start = self.state.section

    def _end_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        document, styles = self.document, self.styles
        fonts, t = styles.fonts, styles.theme.type
        zh = document.lang == "zh-CN"
        width, height = self.pagesize
        left, right = self.leftMargin, self.leftMargin + self.width
        muted: Color = styles.muted
        canvas.saveState()
        top = height - self.topMargin + 9 * mm
        section = self.state.page_section or self._section_at_page_start
        title_w = draw_text_line(canvas, left, top, document.title, t.small_pt, muted, fonts,
                                 zh=zh, max_width=self.width * 0.48)
        if section:
            draw_text_line(canvas, right, top, section, t.small_pt, styles.primary, fonts, zh=zh,
                           align="right", max_width=self.width - title_w - 12 * mm, bold=True)
        canvas.setStrokeColor(styles.rule)
        canvas.setLineWidth(0.5)
        canvas.line(left, top - 2.5 * mm, right, top - 2.5 * mm)
        bottom = self.bottomMargin - 11 * mm
        canvas.line(left, bottom + 4.5 * mm, right, bottom + 4.5 * mm)
        if document.confidentiality:
            draw_text_line(canvas, left, bottom, document.confidentiality, t.small_pt, muted,
                           fonts, zh=zh, max_width=self.width * 0.6)
        total = max(self.state.total_pages, canvas.getPageNumber())
        draw_text_line(canvas, right, bottom, page_label(document, canvas.getPageNumber(), total),
                       t.small_pt, muted, fonts, zh=zh, align="right")
        canvas.restoreState()
