"""The Chinese/English line breaker of the PDF engine: pure text segmentation and greedy fill.

It sits under `richtext.py` (which measures with real fonts) and knows nothing of reportlab. Text is
cut into unbreakable units (a Han character, a Latin word, a number with its unit), closing
punctuation is glued to the unit before and opening punctuation to the unit after, so that the
QUALITY.md rules hold by construction; `fill()` then packs units greedily into lines.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

#: Characters that must never start a line: they attach to the unit before them.
CLOSING = frozenset("，。、；：？！）》」』”’%％,.;:?!)]}〕】〉｝］…—～·・〗〙〛")
#: Characters that must never end a line: they attach to the unit after them.
OPENING = frozenset("（《「『“‘([{〔【〈｛［〖〘〚")
_OPENING_CHARS = "".join(sorted(OPENING))  # for str.lstrip
_CLOSING_CHARS = "".join(sorted(CLOSING))

# A Latin run that reads as a number (or a price, range or ratio): it stays with the Han unit
# that follows it, so "472.4亿", "2023年" and "2-4周" never break between number and unit.
_NUMBER = re.compile(r"[$¥€£+\-]?\d[\d.,\-–~/:]*")
# In English a space inside "USD 47.24 billion" is not a break: currency + number + scale word.
_CURRENCY = frozenset({"USD", "US$", "EUR", "RMB", "CNY", "GBP", "JPY", "HKD"})
_SCALE = frozenset({"million", "billion", "trillion", "thousand", "percent", "bn", "m"})


def is_cjk(char: str) -> bool:
    """Return True for Han characters, kana, hangul and CJK or full-width punctuation."""
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF  # radicals, CJK symbols and punctuation, kana, ideographs
        or 0xAC00 <= code <= 0xD7AF  # hangul
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0xFE30 <= code <= 0xFE4F  # CJK compatibility forms
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x20000 <= code <= 0x3FFFF  # supplementary ideographs
    )


#: A run of the characters `is_cjk` counts (the same ranges: keep the two together), for
#: finding them all in a long text at once.
CJK_RUN = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
                     "\U00020000-\U0003ffff]+")


class Unit(NamedTuple):
    """An unbreakable stretch `text[start:end]`; `text[space_start:start]` is the space before it.

    When `space_start == start` the unit follows its predecessor directly (a CJK boundary), and a
    line may still break there. A space inside a unit is not a break opportunity. (A named
    tuple: a paragraph has one per Han character, and a tuple is made in a third of the time.)
    """

    start: int
    end: int
    space_start: int


@dataclass(frozen=True)
class Line:
    """One output line `text[start:end]`; break spaces at either end are not included.

    `hyphen` is True when the line ends inside a word, which is then drawn with a hyphen.
    """

    start: int
    end: int
    hyphen: bool = False


#: Called when a unit does not fit the rest of a line: `(unit_start, unit_end, room,
#: line_start, line_end)` -> a cut inside the unit whose head (with its hyphen) fits `room`,
#: or None to move the whole unit to the next line.
Hyphenate = Callable[[int, int, float, int, int], int | None]


def _class(chars: Iterable[str]) -> str:
    """Return `chars` escaped for a regular expression's character class."""
    return "".join(re.escape(c) for c in sorted(chars))


_CJK_CLASS = CJK_RUN.pattern[1:CJK_RUN.pattern.index("]")]
_SPACE = r"[^\S\u00a0]"  # a breakable space (str.isspace), but not the no-break U+00A0
# A Latin run goes on through an apostrophe inside a word (Fireworks.ai’s); through ASCII . , :
# with more of the run after them (Fireworks.ai, 3,200, 10:30; at its end they close it); and
# through anything that is no space, CJK, opening mark or other closing mark.
_LATIN_ON = (f"(?:[’'](?=[^\\W_])|[.,:](?=[^\\s{_CJK_CLASS}]|\u00a0)"
             f"|[^\\s{_CJK_CLASS}{_class(OPENING)}{_class(CLOSING - set('/'))}]|\u00a0)")
# A run of CJK characters goes on through any but a space (U+3000) or a mark.
_CJK_ON = f"(?![\\s{_class(OPENING | CLOSING)}])[{_CJK_CLASS}]"
#: The atoms `segment` reads, tried in this order at each place: a space run, an opening or
#: closing mark, a run of other CJK characters (each its own unit), else a Latin run.
_ATOM = re.compile(f"(?P<space>{_SPACE}+)|(?P<open>[{_class(OPENING)}])"
                   f"|(?P<close>[{_class(CLOSING)}])|(?P<cjk>[{_CJK_CLASS}](?:{_CJK_ON})*)"
                   f"|(?P<latin>.{_LATIN_ON}*)", re.DOTALL)


def segment(text: str) -> list[Unit]:
    """Return the unbreakable units of `text` in order.

    Every non-space character belongs to exactly one unit; spaces between units are break
    opportunities, recorded as the unit's `space_start`.
    """
    units: list[Unit] = []
    pending_open: int | None = None  # start of opening punctuation waiting for its unit
    space_start: int | None = None  # start of a break-space run before the next unit
    last_kind = ""
    spaced = False  # a break space was seen (only then can `_bind_amounts` bind anything)
    for match in _ATOM.finditer(text):
        kind, start, end = match.lastgroup or "latin", match.start(), match.end()
        run_end = 0  # the end of a run of CJK characters, after this one
        if kind == "cjk" and end - start > 1:
            run_end, end = end, start + 1
        if kind == "space":
            spaced = True
            if pending_open is None:
                space_start = start
            continue
        if kind == "open":
            if pending_open is None:
                pending_open = start
            last_kind = kind
            continue
        if kind == "close" and pending_open is None and units:
            # glue to the unit before, swallowing any space in between: no break there
            prev = units[-1]
            units[-1] = Unit(prev.start, end, prev.space_start)
            space_start = None
            last_kind = kind
            continue
        begin = pending_open if pending_open is not None else start
        glue = (
            kind == "cjk"
            and units
            and space_start is None
            and pending_open is None
            and last_kind == "latin"
            and _NUMBER.fullmatch(text[units[-1].start:units[-1].end].lstrip(_OPENING_CHARS))
        )
        if glue:
            prev = units[-1]
            units[-1] = Unit(prev.start, end, prev.space_start)
        else:
            before = space_start if space_start is not None else begin
            units.append(Unit(begin, end, before))
        if run_end:  # each further character of the run is a unit, with a break before it
            new = tuple.__new__  # Unit(...) without its Python-level __new__: half the time
            units.extend([new(Unit, (i, i + 1, i)) for i in range(end, run_end)])
        pending_open = None
        space_start = None
        last_kind = kind
    if pending_open is not None:
        # opening punctuation at the very end: keep it with the last unit (or alone)
        if units:
            prev = units[-1]
            units[-1] = Unit(prev.start, len(text.rstrip()), prev.space_start)
        else:
            units.append(Unit(pending_open, len(text.rstrip()), pending_open))
    return _bind_amounts(text, units) if spaced else units


def _bind_amounts(text: str, units: list[Unit]) -> list[Unit]:
    """Return `units` with the spaces in "USD 32 million" made unbreakable."""
    out: list[Unit] = []
    for unit in units:
        if out and unit.space_start < unit.start:
            prev = text[out[-1].start:out[-1].end]
            word = text[unit.start:unit.end].rstrip(_CLOSING_CHARS)
            number = _NUMBER.fullmatch(word) is not None
            last = prev.split()[-1:]  # none when the unit is a no-break space alone
            if (prev in _CURRENCY and number) or (
                    last and _NUMBER.fullmatch(last[0]) and word.lower() in _SCALE):
                out[-1] = Unit(out[-1].start, unit.end, out[-1].space_start)
                continue
        out.append(unit)
    return out


Measure = Callable[[int, int], float]


def _hard_split(text: str, start: int, end: int, max_width: float, measure: Measure) -> list[int]:
    """Return cut positions inside a unit wider than the line, at least one character apart."""
    cuts: list[int] = []
    line_start = start
    i = start + 1
    while i < end:
        if measure(line_start, i + 1) > max_width:
            cut = i
            # never start a piece with closing punctuation if we can help it
            while cut - 1 > line_start and text[cut] in CLOSING:
                cut -= 1
            cuts.append(cut)
            line_start = cut
            i = cut + 1
        else:
            i += 1
    return cuts


def fill(
    text: str,
    units: list[Unit],
    max_width: float,
    measure: Measure,
    first_width: float | None = None,
    hyphenate: Hyphenate | None = None,
) -> list[Line]:
    """Return lines packed greedily from `units`, each no wider than `max_width` where possible.

    `measure(a, b)` is the width of `text[a:b]` in points. `first_width` narrows the first line
    (for a first-line indent). A unit wider than a whole line is cut at character boundaries;
    apart from that, a word is split only where `hyphenate` (English text) says so.
    """
    lines: list[Line] = []
    line_start: int | None = None
    line_end = 0
    eps = 1e-6

    def limit() -> float:
        if not lines and first_width is not None:
            return first_width
        return max_width

    for unit in units:
        unit_width = measure(unit.start, unit.end)
        if line_start is not None:
            # measured from the line start, so spacing between units (a quarter em between
            # Han and Latin, compressed punctuation) counts as `measure` gives it
            if measure(line_start, unit.end) <= limit() + eps:
                line_end = unit.end
                continue
            room = limit() - (measure(line_start, unit.start) if unit.start > line_start else 0)
            cut = hyphenate(unit.start, unit.end, room, line_start,
                            line_end) if hyphenate is not None else None
            if cut is not None and unit.start < cut < unit.end:
                lines.append(Line(line_start, cut, hyphen=True))
                unit = Unit(cut, unit.end, cut)
                unit_width = measure(unit.start, unit.end)
            else:
                lines.append(Line(line_start, line_end))
            line_start = None
        if unit_width <= limit() + eps:
            line_start, line_end = unit.start, unit.end
            continue
        cuts = _hard_split(text, unit.start, unit.end, limit(), measure)
        bounds = [unit.start, *cuts, unit.end]
        for a, b in zip(bounds[:-2], bounds[1:-1], strict=True):
            lines.append(Line(a, b))
        line_start, line_end = bounds[-2], bounds[-1]
    if line_start is not None:
        lines.append(Line(line_start, line_end))
    return lines


def break_lines(text: str, max_width: float, width: Callable[[str], float]) -> list[str]:
    """Return `text` broken into lines no wider than `max_width` under the `width` function."""
    lines = fill(text, segment(text), max_width, lambda a, b: width(text[a:b]))
    return [text[line.start:line.end] for line in lines]
