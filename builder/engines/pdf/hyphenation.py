"""Where an English word may be hyphenated at a line end: pyphen's patterns (LibreOffice's
British English dictionary, as the English edition spells), with the rules a report needs.

Never split: words with a capital letter (product, company and people's names: Fireworks,
HuggingFace, Neoclouds), words with digits or dots (H100, Fireworks.ai), words shorter than
six letters, and anything that is not a plain run of letters; a split leaves two letters before
the hyphen and three after it.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

_WORD = re.compile(r"[a-z]+(?:[’'][a-z]+)?")
_EDGE = "“‘(\"'[”’),.;:!?"


@cache
def _dictionary() -> Any:
    import pyphen  # loaded on the first English line that needs it (~0.15 s)

    return pyphen.Pyphen(lang="en_GB", left=2, right=3)


@lru_cache(maxsize=8192)
def _positions(word: str) -> tuple[int, ...]:
    return tuple(_dictionary().positions(word))


def hyphenation_points(text: str, start: int, end: int) -> list[int]:
    """Return the positions inside `text[start:end]` (one word, with any punctuation glued to
    it) where a hyphen may go, in order; empty when the word must not be split."""
    head = start
    while head < end and text[head] in _EDGE:
        head += 1
    tail = end
    while tail > head and text[tail - 1] in _EDGE:
        tail -= 1
    word = text[head:tail]
    if len(word) < 6 or not _WORD.fullmatch(word):
        return []
    return [head + position for position in _positions(word)]
