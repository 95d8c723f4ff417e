"""Inline Markdown (bold, italic, code, links) to model spans; used by compose for every text.

Supported: `**bold**`, `__bold__`, `*italic*`, `_italic_` (not inside words), `` `code` ``,
`[label](target)`, and backslash escapes. Anything else is literal text, so a stray `*` or `[`
prints as itself instead of failing the build.
"""

from __future__ import annotations

import re

from builder.model.document import Inline, InlineMath, Span

_LINK = re.compile(r"\[((?:[^\[\]\\]|\\.)*)\]\(\s*<?([^()\s>]*(?:\([^()\s]*\))?[^()\s>]*)>?\s*\)")
_ESCAPABLE = set("\\`*_[]()#+-.!{}<>|~^$")


def _closing(text: str, start: int, marker: str) -> int:
    """Return the index of the marker closing an emphasis opened before `start`, or -1."""
    i = start
    while True:
        i = text.find(marker, i)
        if i < 0:
            return -1
        if text[i - 1] == "\\":
            i += len(marker)
            continue
        run_start = i
        while run_start > start and text[run_start - 1] == marker[0]:
            run_start -= 1
        if i == start or run_start == start or text[run_start - 1].isspace():
            # Not right-flanking (CommonMark): a closer never follows white space.
            i += len(marker)
            continue
        if len(marker) == 1 and text[i + 1:i + 2] == marker:  # `**` is not a closing `*`
            i += 2
            continue
        return i


def _emphasis(text: str, i: int) -> tuple[str, int] | None:
    """Return (marker, closing index) when an emphasis opens at `i`, else None."""
    n = len(text)
    for marker in ("**", "__", "*", "_"):
        if not text.startswith(marker, i):
            continue
        after = text[i + len(marker):i + len(marker) + 1]
        if not after or after.isspace():
            return None
        if marker[0] == "_" and i > 0 and text[i - 1].isalnum():
            return None  # snake_case words stay literal
        end = _closing(text, i + len(marker), marker)
        if end < 0:
            if len(marker) == 2:
                continue  # `**x*` may still open a single `*`
            return None
        if marker[0] == "_" and end + len(marker) < n and text[end + len(marker)].isalnum():
            return None
        return marker, end
    return None


def math_end(text: str, i: int) -> int:
    """Return the index of the `$` closing inline math opened by the `$` at `i`, or -1.

    pandoc's rule: the opening `$` has a non-space character right after it, the closing one
    a non-space character right before it and no digit right after it. And, so that prices
    read as prices, math that starts with a digit holds no space: `$98 to $34` and
    `$5 and x$` are text, `$10^6$` and `$x^2$` are math. `$$` is never inline math.
    """
    n = len(text)
    if text.startswith("$$", i) or i > 0 and text[i - 1] == "$" or i + 1 >= n \
            or text[i + 1].isspace():
        return -1
    j = i + 1
    while (j := text.find("$", j)) >= 0:
        if text[j - 1] == "\\" or text[j - 1].isspace() or (
                j + 1 < n and (text[j + 1].isdigit() or text[j + 1] == "$")):
            j += 1
            continue
        inner = text[i + 1:j]
        if not inner or "$" in inner.replace("\\$", "") or (
                inner[0].isdigit() and any(c.isspace() for c in inner)):
            return -1
        return j
    return -1


def _note_end(text: str, start: int) -> int:
    """Return the index of the `]` closing a note whose text starts at `start`, or -1."""
    depth, i = 0, start
    while i < len(text):
        ch = text[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    return -1


def parse_inline(text: str, bold: bool = False, italic: bool = False,
                 href: str | None = None, in_note: bool = False) -> list[Span]:
    """Return the spans of `text`, with the given attributes inherited by every span.

    `^[text]` is a footnote (pandoc's inline note): a span with no text whose `note` holds
    the note's spans. A note inside a note or a link stays literal.
    """
    spans: list[Span] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            spans.append(Span("".join(buf), bold=bold, italic=italic, href=href))
            buf.clear()

    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n and text[i + 1] in _ESCAPABLE:
            buf.append(text[i + 1])
            i += 2
            continue
        if ch == "`":
            end = text.find("`", i + 1)
            if end > i:
                flush()
                spans.append(Span(text[i + 1:end], bold=bold, italic=italic, code=True, href=href))
                i = end + 1
                continue
        if ch == "$" and (end := math_end(text, i)) > 0:
            flush()
            spans.append(Span("", bold=bold, italic=italic, href=href,
                              math=InlineMath(text[i + 1:end])))
            i = end + 1
            continue
        if ch == "^" and text.startswith("^[", i) and href is None and not in_note:
            end = _note_end(text, i + 2)
            if end > i + 2:
                flush()
                note = parse_inline(text[i + 2:end], in_note=True)
                spans.append(Span("", note=tuple(note)))
                i = end + 1
                continue
        if ch == "[" and href is None:
            match = _LINK.match(text, i)
            if match:
                flush()
                label, target = match.group(1), match.group(2)
                inner = parse_inline(label, bold, italic, href=target, in_note=in_note)
                spans.extend(inner or [Span("", bold=bold, italic=italic, href=target)])
                i = match.end()
                continue
        if ch in "*_" and (handled := _emphasis(text, i)) is not None:
            marker, end = handled
            flush()
            strong = len(marker) == 2
            spans.extend(parse_inline(text[i + len(marker):end], bold or strong,
                                      italic or not strong, href, in_note))
            i = end + len(marker)
            continue
        buf.append(ch)
        i += 1
    flush()
    return _merge(spans)


def _merge(spans: list[Span]) -> list[Span]:
    """Return `spans` with neighbours of identical attributes joined."""
    merged: list[Span] = []
    for span in spans:
        if span.note is not None or span.math is not None:
            merged.append(span)
        elif merged and merged[-1].note is None and merged[-1].math is None and (
                merged[-1].bold, merged[-1].italic, merged[-1].code, merged[-1].href) == (
                span.bold, span.italic, span.code, span.href) and span.text:
            merged[-1] = Span(merged[-1].text + span.text, merged[-1].bold, merged[-1].italic,
                              merged[-1].code, merged[-1].href)
        elif span.text or span.href:
            merged.append(span)
    return merged


def to_inline(text: str) -> Inline:
    """Return the inline Markdown `text` as a tuple of spans."""
    return tuple(parse_inline(text))


def strip_markup(text: str) -> str:
    """Return the plain text of inline Markdown `text`."""
    return "".join(span.text for span in parse_inline(text))


def _escape(text: str) -> str:
    """Return `text` with what inline Markdown would read as markup escaped."""
    out = []
    for i, ch in enumerate(text):
        if ch in "\\`*[]" or ch == "^" and text[i + 1:i + 2] == "[" \
                or ch == "$" and math_end(text, i) > 0:
            out.append("\\" + ch)
        elif ch == "_" and not (0 < i < len(text) - 1 and text[i - 1].isalnum()
                                and text[i + 1].isalnum()):
            out.append("\\_")  # snake_case stays as written; a `_` that could emphasise not
        else:
            out.append(ch)
    return "".join(out)


def _wrap(text: str, marker: str) -> str:
    """Return `text` between emphasis markers, its outer white space (and escaped backslashes
    at its end, which would hide the closing marker) kept outside them."""
    core = text.strip()
    while core.endswith("\\\\"):
        core = core[:-2]
    if not core.strip():
        return text
    core = core.strip()
    start = text.index(core[0])
    return f"{text[:start]}{marker}{core}{marker}{text[start + len(core):]}"


def _writable_code(span: Span) -> bool:
    """Return True when `span` can be written as a code span that reads back as code."""
    text = span.text
    return span.code and bool(text) and "`" not in text and text.strip() == text and not (
        span.href is not None and ("[" in text or "]" in text))  # a link label ends at `]`


def _emphasised(text: str, bold: bool, italic: bool, asterisks: bool) -> str:
    star, under = ("*", "_") if asterisks else ("_", "*")
    if bold and italic:
        return _wrap(_wrap(text, under), star * 2)
    if bold:
        return _wrap(text, star * 2)
    if italic:
        return _wrap(text, star)
    return text


def _span_markdown(span: Span, asterisks: bool) -> str:
    if span.note is not None:
        return f"^[{to_markdown(span.note)}]"
    if span.math is not None:
        return f"${span.math.tex}$"
    bold, italic = span.bold, span.italic
    if _writable_code(span):
        text = f"`{span.text}`"
        if any(ch in span.text for ch in "*_"):
            bold = italic = False  # a marker inside code would close the emphasis
    else:
        text = _escape(span.text)
    text = _emphasised(text, bold, italic, asterisks)
    return f"[{text}]({span.href})" if span.href is not None else text


def _seen(spans: Inline | list[Span]) -> list[tuple[str, bool, bool, bool, str | None]]:
    # what a reader sees of each character: white space carries no emphasis
    return [(ch, s.bold and not ch.isspace(), s.italic and not ch.isspace(), s.code, s.href)
            for s in spans for ch in s.text]


def to_markdown(spans: Inline | list[Span]) -> str:
    """Return inline Markdown that `to_inline` reads back as `spans` (the inverse of it).

    Used when text comes back from an edited Word file. Emphasis is written with `*` or,
    where a neighbouring marker would make that ambiguous (`*a***b**`), with `_`; each choice
    is read back to be sure. Code holding a backtick (or space at its ends) cannot be
    written as code and comes back as escaped text; bold or italic code holding `*` or `_`
    comes back as plain code; code holding a bracket in a link, as text.
    """
    out = ""
    done: list[Span] = []
    spellings: list[tuple[str, str]] = []  # each span's first choice and its other spelling
    for span in _merge(list(spans)):
        if _writable_code(span) and any(ch in span.text for ch in "*_"):
            span = Span(span.text, code=True, href=span.href)  # what can be written of it
        done.append(span)
        first = _span_markdown(span, True)
        other = _span_markdown(span, False) if span.bold or span.italic else first
        if not (span.bold or span.italic) or not out or out[-1] not in "*_\\":
            out += first
            spellings.append((first, other))
            continue
        # after a marker: take the first spelling that reads back right
        expected = _seen(done)
        for candidate in (first, other):
            if _seen(parse_inline(out + candidate)) == expected:
                out += candidate
                spellings.append((candidate, other if candidate == first else first))
                break
        else:
            out += first
            spellings.append((first, other))
    return out if _seen(parse_inline(out)) == _seen(done) else _respelled(spellings, done, out)


def _respelled(spellings: list[tuple[str, str]], done: list[Span], out: str) -> str:
    """Return the Markdown of `done` with one or two neighbouring spans spelled the other way
    (`_a_**a**a`, not `*a*__a__a`, whose `__` cannot close before a letter), when the first
    choices together do not read back right; else `out`, the best there is."""
    expected = _seen(done)
    chosen = [first for first, _ in spellings]
    flippable = [i for i, (first, other) in enumerate(spellings) if first != other]
    trials = [[i] for i in flippable] + [[i, j] for i, j in zip(flippable, flippable[1:],
                                                                 strict=False)]
    for flips in trials:
        text = "".join(spellings[i][1] if i in flips else chosen[i]
                       for i in range(len(chosen)))
        if _seen(parse_inline(text)) == expected:
            return text
    return out
