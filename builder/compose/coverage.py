"""Glyph coverage: which characters the theme's fonts can print, checked before anything renders.

A character that no bundled font covers would print as an empty box, so compose reports it with
its location instead.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

from builder.themes import Theme

# Characters that are layout, not glyphs: engines turn them into breaks or spaces.
_LAYOUT = {"\n", "\t", "\r", "\u00a0"}


@lru_cache(maxsize=16)
def font_codepoints(path: Path) -> frozenset[int]:
    """Return the code points mapped by the font file at `path`."""
    font = TTFont(str(path), lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


@lru_cache(maxsize=8)
def theme_codepoints(theme: Theme) -> frozenset[int]:
    """Return every code point that some font of `theme` (Latin or CJK) covers."""
    covered: set[int] = set()
    for face in (theme.latin, theme.cjk):
        covered |= font_codepoints(face.regular)
    return frozenset(covered)


def uncovered(text: str, covered: frozenset[int]) -> list[str]:
    """Return the distinct characters of `text` not in `covered`, in order of appearance."""
    missing: list[str] = []
    for ch in text:
        if ord(ch) not in covered and ch not in _LAYOUT and ch not in missing:
            missing.append(ch)
    return missing
