"""Punctuation as a typesetter sets it, applied at layout time (the content stays as written).

Every rule replaces one character by one character, so a caller can keep per-character
attributes (font, colour, link) aligned with the text.

- Chinese text (W3C clreq, GB/T 15834): ASCII parentheses and straight double quotes that touch
  a Han character, inside or out, become full-width （） and curly “”; a hyphen between two
  numbers (2023-2032年, 2-4秒) becomes the en dash the report uses for ranges (2024–2026年).
- English text: straight quotes and apostrophes become curly (“ ” ‘ ’).
"""

from __future__ import annotations

import re

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
# a hyphen between two numbers that are not part of a code (H100-80GB) or an ISO date
_RANGE = re.compile(r"(?<![A-Za-z\d.])(\d+(?:\.\d+)?)-(?=\d+(?:\.\d+)?(?![\d-]))")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _han(text: str, index: int) -> bool:
    return 0 <= index < len(text) and bool(_HAN.match(text[index]))


def chinese(text: str) -> str:
    """Return `text` (Chinese prose) with brackets, quotes and range connectors set by clreq."""
    if "(" not in text and '"' not in text and "-" not in text:
        return text  # no rule has anything to set
    chars = list(text)
    stack: list[int] = []
    for i, char in enumerate(text):
        if char == "(":
            stack.append(i)
        elif char == ")" and stack:
            start = stack.pop()
            if any(_han(text, k) for k in (start - 1, start + 1, i - 1, i + 1)):
                chars[start], chars[i] = "（", "）"
    quotes = [i for i, char in enumerate(text) if char == '"']
    for start, end in zip(quotes[::2], quotes[1::2], strict=False):
        if any(_han(text, k) for k in (start - 1, start + 1, end - 1, end + 1)):
            chars[start], chars[end] = "“", "”"
    dates = [range(m.start(), m.end()) for m in _ISO_DATE.finditer(text)]
    for match in _RANGE.finditer(text):
        hyphen = match.end(1)
        if not any(hyphen in span for span in dates):
            chars[hyphen] = "–"
    return "".join(chars)


def english(text: str) -> str:
    """Return `text` (English prose) with curly quotes and apostrophes."""
    if '"' not in text and "'" not in text:
        return text
    chars = list(text)
    for i, char in enumerate(text):
        if char not in "\"'":
            continue
        before = text[i - 1] if i else " "
        opening = before.isspace() or before in "([{—–-/“‘"
        if char == '"':
            chars[i] = "“" if opening else "”"
        else:
            chars[i] = "‘" if opening and i + 1 < len(text) and not text[i + 1].isspace() \
                else "’"
    return "".join(chars)


def typeset_pieces(pieces: list[tuple[str, bool]], zh: bool) -> list[str]:
    """Return the texts of `pieces` (text, is code) set by the rules of `chinese` or `english`
    over the whole run of text, code pieces left as written."""
    raw = "".join(text for text, _ in pieces)
    typeset = chinese(raw) if zh else english(raw)
    out, at = [], 0
    for text, code in pieces:
        out.append(text if code else typeset[at:at + len(text)])
        at += len(text)
    return out
