"""The rich-paragraph flowable of the PDF engine: styled spans laid out with our own line breaker.

`blocks.py` turns model text (`Inline`) into `RichParagraph`s; this module measures every
character in the face that will draw it (CJK or Latin, bold/italic), breaks lines with
`linebreak.py`, justifies Chinese lines by spacing CJK characters (never the gaps around Latin
words), draws links and bookmarks, and splits across frames without orphan or widow lines.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from builder.engines.pdf.fonts import CLOSING_MARKS, FontSet, char_width, half_width
from builder.engines.pdf.hyphenation import hyphenation_points
from builder.engines.pdf.linebreak import CJK_RUN, Line, Unit, fill, segment
from builder.engines.pdf.styles import TextStyle
from builder.locale import typography
from builder.model.document import Inline, InlineMath, Span
from builder.themes.glyphs import IGNORABLE

# Largest extra space per gap, as a fraction of the font size, before a line is left ragged:
# a justified English word space stays under about 0.6 em (Noto Sans' space is 0.26 em).
_MAX_CJK_STRETCH = 0.3
_MAX_SPACE_STRETCH = 0.35
# An English line is hyphenated when, without the next word, it lacks more than this much per
# word space (as a fraction of the font size).
_HYPHENATE_ABOVE = 0.12
# Baseline below the top of a line box as a fraction of the font size (em box centred in leading).
_ASCENT = 0.86


_DROPPED = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f{IGNORABLE}]")


def _clean(text: str) -> str:
    """Return `text` with newlines and tabs as spaces, and control characters and invisible
    joiners and selectors removed (reportlab draws glyph by glyph, without shaping)."""
    text = text.replace("\n", " ").replace("\t", " ").replace("\r", " ")
    return _DROPPED.sub("", text)


_OPENING_MARKS = frozenset("（《「『“‘【〔")


_HAN_CLASS = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_WESTERN_CLASS = "A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
# the character before a Han/Latin boundary, in either order
_BOUNDARY = re.compile(f"[{_HAN_CLASS}](?=[{_WESTERN_CLASS}])|[{_WESTERN_CLASS}](?=[{_HAN_CLASS}])")


def _gaps(text: str, size: float, han_latin: float) -> list[float]:
    """Return the extra space after each character of Chinese text: `han_latin` em between a
    Han character and a Latin letter or digit."""
    gaps = [0.0] * len(text)
    if han_latin:
        for match in _BOUNDARY.finditer(text):
            gaps[match.start()] = han_latin * size
    return gaps


def _compressed(text: str) -> list[int]:
    """Return the closing marks followed by another mark (）。 ，“): 标点挤压 sets each in half an
    em, so two marks in a row take 1.5 em, not 2."""
    return [i for i in range(len(text) - 1) if text[i] in CLOSING_MARKS
            and (text[i + 1] in CLOSING_MARKS or text[i + 1] in _OPENING_MARKS)]


def _typeset(pieces: list[tuple[str, bool, bool, bool]], zh: bool) -> str:
    """Return the text of `pieces` with punctuation set by the rules, code left as written
    (every rule replaces one character by one, so the pieces keep their places)."""
    return "".join(typography.typeset_pieces([(p[0], p[3]) for p in pieces], zh))


#: The size of a footnote mark, as a share of its text's, and how far it is raised.
SUPERSCRIPT = 0.62
RISE = 0.38


OBJECT = "\ufffc"  # the place of an inline formula in the text


def draw_inline_math(canvas: Canvas, math: InlineMath, x: float, baseline: float, size: float,
                     font: str) -> None:
    """Draw an inline formula at `x`, its baseline on `baseline`, scaled to text of `size`."""
    from reportlab.graphics import renderPDF

    from builder.engines.pdf.figures import formula_drawing

    drawing = formula_drawing(math.svg)
    drawing.__dict__["initialFontName"] = font
    scale = math.width * size / drawing.width
    canvas.saveState()
    canvas.translate(x, baseline - math.depth * size)
    canvas.scale(scale, scale)
    renderPDF.draw(drawing, canvas, 0, 0)
    canvas.restoreState()


def _glue_marks(units: list[Unit], marks: set[int]) -> list[Unit]:
    """Return `units` with each footnote mark joined to the unit before it: a line never
    starts with a mark."""
    out: list[Unit] = []
    for unit in units:
        if out and unit.start in marks and unit.space_start is None:
            out[-1] = Unit(out[-1].start, unit.end, out[-1].space_start)
        else:
            out.append(unit)
    return out


@lru_cache(maxsize=256)
def _fonts_of(fonts: FontSet, bold: bool, italic: bool, zh: bool, code: bool) -> dict[str, str]:
    """Return the face found so far for each character set in this style (`FontSet.font_for`
    asked once per character and style, not once per character of every paragraph)."""
    return {}


class RichText:
    """Text of one paragraph with a font, colour and link per character, measured at `size`."""

    def __init__(self, spans: Iterable[Span], style: TextStyle, fonts: FontSet, *, zh: bool,
                 link_color: Color, anchors: frozenset[str]) -> None:
        pieces: list[tuple[str, bool, bool, bool]] = []  # text, bold, italic, code
        self.color: list[Color] = []
        self.link: list[str | None] = []  # "url:<href>" or "dest:<id>" or None
        self.notes: dict[int, int] = {}  # index of a footnote mark's first digit -> its number
        self.maths: dict[int, InlineMath] = {}  # index of an inline formula's placeholder
        marks: set[int] = set()  # indexes of footnote mark digits (set superscript)
        at = 0
        for span in spans:
            if span.math is not None and span.math.svg:
                self.maths[at] = span.math
                pieces.append((OBJECT, False, False, True))
                self.color.append(style.color)
                self.link.append(None)
                at += 1
                continue
            if span.note is not None:
                number = str(span.note_number or "*")
                self.notes[at] = span.note_number
                marks.update(range(at, at + len(number)))
                pieces.append((number, False, False, True))  # code: no typography rule
                self.color.extend([style.color] * len(number))
                self.link.extend([None] * len(number))
                at += len(number)
                continue
            text = _clean(span.text)
            at += len(text)
            italic = (span.italic or style.italic) and not span.code
            if zh and CJK_RUN.search(text):
                italic = False  # Han has no italic; slanting only the digits looks broken
            link = None
            if span.href and span.href.startswith("#"):
                if span.href[1:] in anchors:
                    link = "dest:" + span.href[1:]
            elif span.href:
                link = "url:" + span.href
            pieces.append((text, span.bold or style.bold, italic, span.code))
            self.color.extend([link_color if link else style.color] * len(text))
            self.link.extend([link] * len(text))
        self.text = _typeset(pieces, zh) if style.punctuation else "".join(p[0] for p in pieces)
        self.font: list[str] = []
        at = 0
        for text, bold, italic, code in pieces:
            # a footnote mark's digits are set as code (no typography rule), in the text's face
            mono = code and at not in marks
            chosen = _fonts_of(fonts, bold, italic, zh, mono)
            for char in self.text[at:at + len(text)]:
                font = chosen.get(char)
                if font is None:
                    font = chosen[char] = fonts.font_for(char, bold=bold, italic=italic, zh=zh,
                                                         code=mono)
                self.font.append(font)
            at += len(text)
        self.size = style.size
        # Space after each character beyond its advance: a quarter em between Han and Latin
        # letters or digits, half an em less between two full-width punctuation marks (clreq).
        self.gap_after = _gaps(self.text, style.size, style.han_latin_space) if zh \
            else [0.0] * len(self.text)
        if zh and style.compress_punctuation:
            for i in _compressed(self.text):
                self.font[i] = half_width(self.font[i])
        # A footnote mark is set small and raised, with no Han–Latin space around it.
        self.scale = [1.0] * len(self.text)
        for i in marks:
            self.scale[i] = SUPERSCRIPT
            self.gap_after[i] = 0.0
            if i > 0:
                self.gap_after[i - 1] = 0.0
        size = style.size
        advances = [char_width(font, char) * scale * size + gap for char, font, gap, scale
                    in zip(self.text, self.font, self.gap_after, self.scale, strict=True)]
        for index, math in self.maths.items():
            advances[index] = math.width * size + self.gap_after[index]
        self.prefix = list(accumulate(advances, initial=0.0))
        self.units = _glue_marks(segment(self.text), marks)
        # the whole text's lines per (width, hyphenated): see RichParagraph._layout
        self.layouts: dict[tuple[float, bool], tuple[list[Line], list[int]]] = {}
        self._gaps: dict[str, bytes] = {}

    def gaps(self, mode: str) -> bytes:
        """Return, per character, 1 when the gap before it takes justification space in
        `mode` ("cjk": between two CJK characters; "space": after a space, before a non-space;
        else never). Found once per text: drawing asks it of every character of every line."""
        found = self._gaps.get(mode)
        if found is None:
            found = self._gaps[mode] = _gap_flags(self.text, mode)
        return found

    def measure(self, a: int, b: int) -> float:
        """Return the width of characters `a`..`b` in points (without the gap after `b - 1`)."""
        if b <= a:
            return 0.0
        return self.prefix[b] - self.prefix[a] - self.gap_after[b - 1]

    def offset(self, a: int, i: int) -> float:
        """Return how far character `i` starts after character `a`, in points."""
        return self.prefix[i] - self.prefix[a]

    def units_from(self, start: int) -> list[Unit]:
        """Return the units at or after character `start` (for a continuation after a split)."""
        first = bisect_left(self.units, start, key=lambda u: u.start)
        units = self.units[first:]
        if first and self.units[first - 1].end > start:  # the rest of a hyphenated word
            units.insert(0, Unit(start, self.units[first - 1].end, start))
        elif units and units[0].space_start < start:
            units[0] = Unit(units[0].start, units[0].end, units[0].start)
        return units

    def min_width(self) -> float:
        """Return the width of the widest unbreakable unit."""
        return max((self.measure(u.start, u.end) for u in self.units), default=0.0)

    def natural_width(self) -> float:
        """Return the width of the whole text on one line."""
        return self.measure(0, len(self.text))


class _MeasuredTexts:
    """The measured paragraphs of this process, least recently used first.

    It keeps at least every paragraph the current render has used (`start_render`), however
    many: a layout pass goes through the paragraphs in order, so a fixed-size LRU smaller than
    the document misses on every lookup of every pass (a 10,000-paragraph edition measured each
    paragraph anew per pass). Beyond that, `spare` more are kept for the next render (the zh
    text again in the bilingual edition; a watch's next build).
    """

    def __init__(self, spare: int) -> None:
        self.spare = spare
        self.texts: OrderedDict[tuple[object, ...], RichText] = OrderedDict()
        self.used: set[tuple[object, ...]] = set()

    def start_render(self) -> None:
        """Begin a render: the paragraphs the last one used may go when room is needed."""
        self.used = set()

    def get(self, spans: tuple[Span, ...], style: TextStyle, fonts: FontSet, zh: bool,
            link_color: Color, anchors: frozenset[str]) -> RichText:
        key = (spans, style, fonts, zh, link_color, anchors)
        text = self.texts.get(key)
        if text is None:
            text = self.texts[key] = RichText(spans, style, fonts, zh=zh,
                                              link_color=link_color, anchors=anchors)
            while len(self.texts) > max(self.spare, len(self.used) + 1):
                self.texts.popitem(last=False)
        else:
            self.texts.move_to_end(key)
        self.used.add(key)
        return text


#: about 10 KB a paragraph
MEASURED = _MeasuredTexts(spare=8192)


def rich_text(spans: tuple[Span, ...], style: TextStyle, fonts: FontSet, zh: bool,
              link_color: Color, anchors: frozenset[str]) -> RichText:
    """Return the measured text of `spans` (shared: its text and widths never change once
    made; it only gains the cached lines of each width it is laid out at).

    Every layout pass rebuilds the story, and the Chinese text of the zh edition comes again in
    the bilingual one; measuring and segmenting each paragraph once per process saves both.
    """
    return MEASURED.get(spans, style, fonts, zh, link_color, anchors)


class RichParagraph(Flowable):
    """A paragraph of spans; `bullet` is drawn in the hanging indent of the first line."""

    def __init__(self, spans: Iterable[Span] | RichText, style: TextStyle, fonts: FontSet, *,
                 zh: bool, link_color: Color, anchors: frozenset[str] = frozenset(),
                 bullet: str | None = None, bullet_x: float = 0.0, start: int = 0,
                 final: bool = True, max_lines: int | None = None) -> None:
        super().__init__()
        self.style = style
        self.fonts = fonts
        self.zh = zh
        self.link_color = link_color
        self.anchors = anchors
        self.rich = spans if isinstance(spans, RichText) else rich_text(
            tuple(spans), style, fonts, zh, link_color, anchors)
        self.bullet = bullet if start == 0 else None
        self.bullet_x = bullet_x
        self.start = start
        self.final = final  # False for the head of a split: its last line is justified
        self.max_lines = max_lines  # the head of a split keeps only the lines that fitted
        self.lines: list[Line] = []
        self._wrapped_for: float | None = None
        self.width = self.height = 0.0

    # -- layout ----------------------------------------------------------------------------
    def _layout(self, avail_width: float) -> list[Line]:
        """Return the lines of this paragraph (or of its part from `start`) at `avail_width`.

        The whole text is filled once per width and kept with the measured text: greedy fill
        from a line start gives the same lines as the rest of the whole layout, so each part
        of a paragraph split over many pages takes its lines from there instead of filling
        the rest of the text again (which made a long paragraph quadratic in its length).
        """
        if self._wrapped_for != avail_width:
            text_width = max(avail_width - self.style.left_indent, self.style.size)
            hyphenate = None
            if self.style.hyphenate and not self.zh and self.style.align == "justify":
                hyphenate = self._hyphenate
            key = (text_width, hyphenate is not None)
            layout = self.rich.layouts.get(key)
            if layout is None:
                lines = fill(self.rich.text, self.rich.units, text_width, self.rich.measure,
                             hyphenate=hyphenate)
                layout = self.rich.layouts[key] = (lines, [line.start for line in lines])
            lines, starts = layout
            index = bisect_left(starts, self.start)
            if index < len(lines) and starts[index] == self.start:
                lines = lines[index:]
            else:  # not a line start of the whole layout: fill the rest on its own
                lines = fill(self.rich.text, self.rich.units_from(self.start), text_width,
                             self.rich.measure, hyphenate=hyphenate)
            self.lines = lines[:self.max_lines]
            self._wrapped_for = avail_width
        return self.lines

    def _hyphenate(self, start: int, end: int, room: float, line_start: int,
                   line_end: int) -> int | None:
        """Return where to hyphenate the word `start..end` so its head fills `room`, or None
        when the line is already full enough or the word may not be split."""
        rich, size = self.rich, self.style.size
        gaps = rich.text.count(" ", line_start, line_end)
        slack = room + rich.measure(line_end, start)  # what the line lacks without the word
        if slack <= _HYPHENATE_ABOVE * size * max(gaps, 1):
            return None
        hyphen = char_width(rich.font[start], "-") * size
        for cut in reversed(hyphenation_points(rich.text, start, end)):
            if rich.measure(start, cut) + hyphen <= room:
                return cut
        return None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        """Return the size of the paragraph set `availWidth` wide."""
        lines = self._layout(availWidth)
        self.width = availWidth
        self.height = len(lines) * self.style.leading
        return self.width, self.height

    def getSpaceBefore(self) -> float:  # noqa: N802
        """Return the space above the paragraph (none for a continuation)."""
        return self.style.space_before if self.start == 0 else 0.0

    def getSpaceAfter(self) -> float:  # noqa: N802
        """Return the space below the paragraph (none for the head of a split)."""
        return self.style.space_after if self.final else 0.0

    def _clone(self, start: int, final: bool, max_lines: int | None = None) -> RichParagraph:
        return RichParagraph(self.rich, self.style, self.fonts, zh=self.zh,
                             link_color=self.link_color, anchors=self.anchors,
                             bullet=self.bullet, bullet_x=self.bullet_x, start=start, final=final,
                             max_lines=max_lines)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        """Return a head that fits `availHeight` and the rest; [] rather than an orphan line."""
        lines = self._layout(availWidth)
        fits = int((availHeight + 1e-6) // self.style.leading)
        if fits >= len(lines):
            return [self]
        if len(lines) - fits == 1 and fits >= 3:
            fits -= 1  # no widow: carry two lines over
        if fits < 2:
            return []  # no orphan: move the whole paragraph on
        head = self._clone(self.start, final=False, max_lines=fits)
        tail = self._clone(lines[fits].start, final=self.final)
        return [head, tail]

    # -- queries used by tables and the contents ------------------------------------------
    def last_line_width(self) -> float:
        """Return the natural width of the last line after `wrap`."""
        if not self.lines:
            return 0.0
        last = self.lines[-1]
        return self.rich.measure(last.start, last.end)

    # -- drawing -----------------------------------------------------------------------------
    def baseline(self, index: int) -> float:
        """Return the y of line `index`'s baseline, measured up from the flowable's bottom."""
        style = self.style
        return (self.height - index * style.leading
                - (style.leading - style.size) / 2 - _ASCENT * style.size)

    def draw(self) -> None:
        """Draw every line, its links and the bullet."""
        canvas: Canvas = self.canv
        record = getattr(canvas, "footnote_pages", None)
        if record is not None and self.rich.notes:  # the page each footnote's mark lands on
            for line in self.lines:
                for index in range(line.start, line.end):
                    if index in self.rich.notes:
                        record(canvas.getPageNumber(), self.rich.notes[index])
        if getattr(canvas, "dry", False):
            return  # a layout-only pass: where the paragraph lands is all that matters
        style, rich = self.style, self.rich
        text_width = self.width - style.left_indent
        if self.bullet and self.lines:
            draw_text_line(canvas, self.bullet_x, self.baseline(0), self.bullet, style.size,
                           style.color, self.fonts, zh=self.zh, bold=style.bold)
        for index, line in enumerate(self.lines):
            last = self.final and index == len(self.lines) - 1
            y = self.baseline(index)
            natural = rich.measure(line.start, line.end) + self._hyphen_width(line)
            x0 = style.left_indent
            stretch, mode = 0.0, ""
            if style.align == "justify" and not last:
                stretch, mode = _stretch(rich, line, text_width - natural, style.size,
                                         zh=self.zh)
            elif style.align == "center":
                x0 += (text_width - natural) / 2
            elif style.align == "right":
                x0 += text_width - natural
            self._draw_line(canvas, line, x0, y, stretch, mode)

    def _draw_line(self, canvas: Canvas, line: Line, x0: float, y: float, stretch: float,
                   mode: str) -> None:
        rich, size = self.rich, self.style.size
        text = rich.text
        gap = rich.gaps(mode)
        # x of each character: natural advance plus `stretch` for every stretchable gap before it
        xs: list[float] = []
        gaps = 0
        for i in range(line.start, line.end):
            if i > line.start and gap[i]:
                gaps += 1
            xs.append(x0 + rich.offset(line.start, i) + gaps * stretch)
        xs.append(x0 + rich.measure(line.start, line.end) + gaps * stretch)
        tx = canvas.beginText()
        formulas: list[tuple[float, InlineMath]] = []
        # the text state set last: a chunk sets only what differs (a justified English line
        # is a chunk per word, each with the same font, size and colour)
        state: list[object] = [None, None, None, None]  # font and size, rise, colour, spacing
        i = line.start
        while i < line.end:
            j = i + 1
            if i in rich.maths:  # an inline formula: drawn after the text, in its place
                formulas.append((xs[i - line.start], rich.maths[i]))
                i += 1
                continue
            while (j < line.end and rich.font[j] == rich.font[i]
                   and rich.scale[j] == rich.scale[i] and j not in rich.maths
                   and (rich.color[j] is rich.color[i] or rich.color[j] == rich.color[i])
                   and not rich.gap_after[j - 1]
                   and not (mode == "space" and gap[j])
                   and (mode != "cjk" or gap[j] == gap[i + 1])):
                j += 1
            chunk = text[i:j]
            tx.setTextOrigin(xs[i - line.start], y)
            inner = mode == "cjk" and j - i > 1 and bool(gap[i + 1])
            wanted = ((rich.font[i], size * rich.scale[i]),
                      size * RISE if rich.scale[i] != 1.0 else 0, rich.color[i],
                      stretch if inner else 0)
            if wanted[0] != state[0]:
                tx.setFont(*wanted[0])
            if wanted[1] != state[1]:
                tx.setRise(wanted[1])
            if wanted[2] is not state[2] and wanted[2] != state[2]:
                tx.setFillColor(wanted[2])
            if wanted[3] != state[3]:
                tx.setCharSpace(wanted[3])
            state = list(wanted)
            tx.textOut(chunk)
            i = j
        tx.setCharSpace(0)
        tx.setRise(0)
        if line.hyphen:
            tx.setTextOrigin(xs[-1], y)
            tx.setFont(rich.font[line.end - 1], size)
            tx.setFillColor(rich.color[line.end - 1])
            tx.textOut("-")
        canvas.drawText(tx)
        for x, math in formulas:
            draw_inline_math(canvas, math, x, y, size, self.fonts.latin)
        self._draw_links(canvas, line, xs, y, size)

    def _hyphen_width(self, line: Line) -> float:
        """Return the width of the hyphen a hyphenated line ends with (else 0)."""
        if not line.hyphen:
            return 0.0
        return char_width(self.rich.font[line.end - 1], "-") * self.style.size

    def _draw_links(self, canvas: Canvas, line: Line, xs: list[float], y: float,
                    size: float) -> None:
        rich = self.rich
        i = line.start
        while i < line.end:
            link = rich.link[i]
            j = i + 1
            while j < line.end and rich.link[j] == link:
                j += 1
            if link:
                rect = (xs[i - line.start], y - size * 0.25, xs[j - line.start], y + size * 0.9)
                kind, target = link.split(":", 1)
                if kind == "url":
                    canvas.linkURL(target, rect, relative=1, thickness=0)
                else:
                    canvas.linkRect("", target, rect, relative=1, thickness=0)
            i = j


#: A non-space character right after a space: a word gap that justification widens.
_WORD_GAP = re.compile(r"(?<= )[^ ]")


def _gap_flags(text: str, mode: str) -> bytes:
    """Return `RichText.gaps(mode)` of `text`."""
    flags = bytearray(len(text))
    if mode == "cjk":
        for run in CJK_RUN.finditer(text):  # every character of a run but its first
            flags[run.start() + 1:run.end()] = b"\x01" * (run.end() - run.start() - 1)
    elif mode == "space":
        for found in _WORD_GAP.finditer(text):
            flags[found.start()] = 1
    return bytes(flags)


def _stretch(rich: RichText, line: Line, slack: float, size: float, *,
             zh: bool) -> tuple[float, str]:
    """Return (extra space per gap, mode) to justify `line`; mode "" leaves it ragged."""
    if slack <= 0.01:
        return 0.0, ""
    cjk_gaps = sum(rich.gaps("cjk")[line.start + 1:line.end])
    space_gaps = sum(rich.gaps("space")[line.start + 1:line.end])
    order = [("cjk", cjk_gaps, _MAX_CJK_STRETCH), ("space", space_gaps, _MAX_SPACE_STRETCH)]
    if not zh:
        order.reverse()
    for mode, gaps, limit in order:
        if gaps and slack / gaps <= limit * size:
            return slack / gaps, mode
    return 0.0, ""


def draw_text_line(canvas: Canvas, x: float, y: float, text: str, size: float, color: Color,
                   fonts: FontSet, *, zh: bool, bold: bool = False, align: str = "left",
                   max_width: float | None = None) -> float:
    """Draw one unbroken line of mixed-script text at baseline `y`; return its width.

    `align` is relative to `x` (left edge, centre or right edge). With `max_width` the text is
    cut at the last character that fits and an ellipsis added.
    """
    text = _clean(text)
    runs: list[tuple[str, str]] = []
    for char in text:
        font = fonts.font_for(char, bold=bold, italic=False, zh=zh)
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + char)
        else:
            runs.append((font, char))
    width = sum(char_width(f, c) * size for f, s in runs for c in s)
    if max_width is not None and width > max_width:
        kept: list[tuple[str, str]] = []
        budget = max_width - char_width(fonts.cjk, "…") * size
        for font, run in runs:
            part = ""
            for char in run:
                budget -= char_width(font, char) * size
                if budget < 0:
                    break
                part += char
            kept.append((font, part))
            if budget < 0:
                break
        runs = [*kept, (fonts.cjk, "…")]
        width = max_width
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    tx = canvas.beginText(x, y)
    tx.setFillColor(color)
    for font, run in runs:
        tx.setFont(font, size)
        tx.textOut(run)
    canvas.drawText(tx)
    return width


def rich_width(spans: Inline, style: TextStyle, fonts: FontSet, *, zh: bool) -> tuple[float, float]:
    """Return (widest unit, whole text on one line) of `spans` in `style`, for column widths
    (measured once per process like a paragraph: every layout pass sizes every table again)."""
    rich = MEASURED.get(tuple(spans), style, fonts, zh, style.color, frozenset())
    return rich.min_width(), rich.natural_width()
