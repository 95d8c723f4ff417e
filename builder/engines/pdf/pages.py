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

from builder.engines.pdf.figures import FigureFloat
from builder.engines.pdf.richtext import RichParagraph, draw_text_line
from builder.engines.pdf.styles import Styles
from builder.model.document import Document, Span


@dataclass
class LayoutState:
    """What one layout pass learnt: page of every anchor, total pages, section per page."""

    pages: dict[str, int] = field(default_factory=dict)
    total_pages: int = 0
    section: str = ""  # the chapter running at the current point
    page_section: str | None = None  # a chapter that starts at the very top of the current page
    frame_top: float = 0.0  # the y of the top of the text area, in points from the page foot
    notes: dict[int, list[int]] = field(default_factory=dict)  # page -> footnotes marked there

    def note_on(self, page: int, number: int) -> None:
        """Record that footnote `number`'s mark was set on `page`."""
        numbers = self.notes.setdefault(page, [])
        if number not in numbers:
            numbers.append(number)


class MeasuredFrame(Frame):
    """A frame whose copy is one level deep.

    reportlab measures a KeepTogether's content on a deep copy of the current frame, once per
    wrap, so that what the content generates stays out of the real frame. A frame holds
    numbers, strings and lists of generated content: copying its attributes and its lists is
    the same copy, without following every object they name (a third of a long bilingual
    PDF's layout, which keeps each short pair together).
    """

    def __deepcopy__(self, memo: dict[int, object]) -> MeasuredFrame:
        twin = object.__new__(type(self))
        twin.__dict__ = {key: list(value) if isinstance(value, list) else value
                         for key, value in self.__dict__.items()}
        return twin


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
            # The running header names the chapter in force at the top of the page: this one
            # only when it starts on the page's first line, else the one it interrupts.
            self.state.section = self.section
            _, y = canvas.absolutePosition(0, 0)
            if self.state.page_section is None and y >= self.state.frame_top - 1.0:
                self.state.page_section = self.section


class FlushFloats(Flowable):
    """A mark before a heading: figures still waiting to float are placed here, so a figure
    never leaves its section."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """Take no space."""
        return 0.0, 0.0

    def draw(self) -> None:
        """Draw nothing (the document template acts on it before it is drawn)."""


#: The space between the text and a page's footnotes (a short rule sits in it).
NOTE_RULE_SPACE = 10.0


#: Pages before the first numbered page: the cover. Page 1 is the one after it (the contents).
COVER_PAGES = 1


def printed_page(physical: int) -> int:
    """Return the number a page prints (and the contents shows) for its place in the file."""
    return physical - COVER_PAGES


def page_label(document: Document, page: int, total: int) -> str:
    """Return the footer's page text from the terms: "第 X 页 / 共 Y 页" or "Page X of Y"."""
    return document.terms.page_format.format(page=page, total=total)


class ReportDocTemplate(BaseDocTemplate):
    """A document with a cover template and a body template with running header and footer."""

    def __init__(self, buffer: object, document: Document, styles: Styles,
                 state: LayoutState, reserve: dict[int, set[int]] | None = None) -> None:
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
        self._waiting: list[FigureFloat] = []  # figures floated past the text after them
        # Footnotes: each page keeps room for the notes earlier passes marked on it (all of
        # them: a note that moves between two pages keeps its room on both, so the layout
        # settles); it prints the notes marked on it in this pass.
        self.reserve = reserve or {}
        self.footnotes = {note.number: note for note in document.footnotes}
        state.frame_top = self.bottomMargin + self.height
        body = MeasuredFrame(self.leftMargin, self.bottomMargin, self.width, self.height,
                             id="body", leftPadding=0, rightPadding=0, topPadding=0,
                             bottomPadding=0)
        cover = MeasuredFrame(self.leftMargin, self.bottomMargin, self.width, self.height,
                              id="cover", leftPadding=0, rightPadding=0, topPadding=0,
                              bottomPadding=0)
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

    # -- floating figures -------------------------------------------------------------------
    def handle_flowable(self, flowables: list[Flowable]) -> None:
        """Place the next flowable; a figure that does not fit what is left of the page (even
        shrunk) waits for the top of the next page while the text after it fills this one."""
        frame = getattr(self, "frame", None)
        if frame is None:  # before the first page begins
            super().handle_flowable(flowables)
            return
        if self._waiting and frame._atTop and frame.id == "body":
            flowables[0:0] = self._waiting  # the top of a new page: the waiting figures first
            self._waiting = []
        first = flowables[0]
        if isinstance(first, FlushFloats) or (isinstance(first, FigureFloat) and self._waiting):
            # A heading, or a second figure: the waiting figure goes first, so text passes at
            # most one figure and no figure leaves its section.
            if isinstance(first, FlushFloats):
                del flowables[0]
            flowables[0:0] = self._waiting
            self._waiting = []
            return
        if isinstance(first, FigureFloat) and first.may_float and not frame._atTop:
            room = frame._y - frame._y1p - first.getSpaceBefore()
            if first.fitted_height(frame._getAvailableWidth(), room) > room:
                first.may_float = False  # it floats once
                self._waiting.append(first)
                del flowables[0]
                return
        super().handle_flowable(flowables)

    # -- cover -------------------------------------------------------------------------------
    def _draw_cover(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        document, styles = self.document, self.styles
        theme, fonts = styles.theme, styles.fonts
        width, height = self.pagesize
        zh = document.lang == "zh-CN"
        band = height * 0.46
        # A viewer's page box shows what the footers print: the cover by name, then 1, 2, …
        canvas.addPageLabel(0, prefix=document.terms.cover)
        canvas.addPageLabel(COVER_PAGES, style="D", start=1)
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
        if theme.logo is not None and theme.logo.is_file():
            # The logo sits in the top margin of the band, at most 16 mm high and 60 mm wide.
            image = ImageReader(str(theme.logo))
            logo_w, logo_h = image.getSize()
            scale = min(16 * mm / logo_h, 60 * mm / logo_w)
            canvas.drawImage(image, left, height - self.topMargin - logo_h * scale,
                             logo_w * scale, logo_h * scale, mask="auto")
        self._draw_cover_facts(canvas, zh)
        canvas.restoreState()

    def _draw_cover_facts(self, canvas: Canvas, zh: bool) -> None:
        """Draw who made the report, when, and for whom, as a row of labelled facts in the
        lower third of the cover (the authors under it), above an accent rule."""
        document, styles = self.document, self.styles
        fonts, t, terms = styles.fonts, styles.theme.type, document.terms
        facts = [(terms.prepared_by, document.organisation),
                 (terms.date, document.date_display or document.date),
                 (terms.classification, document.confidentiality)]
        facts = [(label, value) for label, value in facts if value]
        if document.authors:
            facts.append((terms.authors, "、".join(document.authors) if zh
                          else ", ".join(document.authors)))
        if not facts:
            return
        left, width = self.leftMargin, self.width
        top = self.pagesize[1] * 0.24
        canvas.setStrokeColor(styles.accent)
        canvas.setLineWidth(1.2)
        canvas.line(left, top + 8 * mm, left + width, top + 8 * mm)
        columns = min(len(facts), 3)
        cell = (width - 6 * mm * (columns - 1)) / columns
        value_style = styles.body.but(size=t.subtitle_pt * 0.85, leading=t.subtitle_pt * 1.15,
                                      color=styles.primary, bold=True, align="left",
                                      space_before=0, space_after=0)
        y = top
        for row in range(0, len(facts), columns):
            tallest = 0.0
            for index, (label, value) in enumerate(facts[row:row + columns]):
                x = left + index * (cell + 6 * mm)
                draw_text_line(canvas, x, y, label, t.caption_pt, styles.muted, fonts, zh=zh,
                               max_width=cell)
                paragraph = RichParagraph((Span(value),), value_style, fonts, zh=zh,
                                          link_color=styles.link)
                _, h = paragraph.wrap(cell, 100 * mm)
                paragraph.drawOn(canvas, x, y - 2.5 * mm - h)
                tallest = max(tallest, h)
            y -= tallest + 10 * mm

    # -- body pages ----------------------------------------------------------------------
    def _begin_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        self.state.page_section = None
        self._section_at_page_start = self.state.section
        canvas.__dict__["footnote_pages"] = self.state.note_on
        # The page's footnotes take the foot of the text area; the body frame ends above them.
        used = sum(h for _, h in self._notes_of(sorted(self.reserve.get(self.page, ()))))
        if used:
            used += NOTE_RULE_SPACE
        frame = self.pageTemplates[1].frames[0]
        frame._y1 = self.bottomMargin + used
        frame._height = self.height - used
        frame._geom()

    def _notes_of(self, numbers: list[int]) -> list[tuple[RichParagraph, float]]:
        """Return the paragraphs of footnotes `numbers` with their heights."""
        styles = self.styles
        t = styles.theme.type
        style = styles.source.but(size=t.small_pt, leading=t.small_pt * 1.4,
                                  color=styles.body.color, left_indent=t.small_pt * 1.6,
                                  align="justify", space_after=1.5)
        out = []
        for number in numbers:
            note = self.footnotes.get(number)
            if note is None:
                continue
            para = RichParagraph(note.text, style, styles.fonts, zh=note.lang == "zh-CN",
                                 link_color=styles.link, bullet=str(number), bullet_x=0)
            _, height = para.wrap(self.width, self.height)
            out.append((para, height + style.space_after))
        return out

    def _draw_notes(self, canvas: Canvas) -> None:
        """Draw the footnotes marked on this page at the foot of the text area, under a short
        rule (the marks are all drawn when the page ends)."""
        notes = self._notes_of(self.state.notes.get(self.page, []))
        if not notes or getattr(canvas, "dry", False):
            return
        y = self.bottomMargin + sum(h for _, h in notes)
        canvas.saveState()
        canvas.setStrokeColor(self.styles.rule)
        canvas.setLineWidth(0.5)
        canvas.line(self.leftMargin, y + NOTE_RULE_SPACE * 0.55,
                    self.leftMargin + self.width * 0.3, y + NOTE_RULE_SPACE * 0.55)
        canvas.restoreState()
        for para, height in notes:
            y -= height
            para.drawOn(canvas, self.leftMargin, y + para.style.space_after)

    def _end_page(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        self._draw_notes(canvas)
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
        label = page_label(document, printed_page(canvas.getPageNumber()), printed_page(total))
        draw_text_line(canvas, right, bottom, label,
                       t.small_pt, muted, fonts, zh=zh, align="right")
        canvas.restoreState()
