"""Glyph coverage: which characters the theme's fonts can print, checked before anything renders.

A character that no font of the theme's chain (Latin, CJK, then the fallback faces) covers would
print as an empty box, so compose reports it with its location instead.
"""

from __future__ import annotations

from functools import lru_cache

from builder.themes import Theme
from builder.themes.glyphs import font_codepoints, is_ignorable

# Characters that are layout, not glyphs: engines turn them into breaks or spaces.
_LAYOUT = {"\n", "\t", "\r", "\u00a0"}


@lru_cache(maxsize=8)
def theme_codepoints(theme: Theme) -> frozenset[int]:
    """Return every code point that some font of `theme` covers (Latin, CJK or a fallback)."""
    covered: set[int] = set()
    mono = (theme.mono.regular,) if theme.mono else ()
    for path in (theme.latin.regular, theme.cjk.regular, *mono, *theme.fallbacks):
        covered |= font_codepoints(path)
    return frozenset(covered)


def uncovered(text: str, covered: frozenset[int]) -> list[str]:
    """Return the distinct characters of `text` not in `covered`, in order of appearance."""
    missing: list[str] = []
    for ch in text:
        if (ord(ch) not in covered and ch not in _LAYOUT and not is_ignorable(ch)
                and ch not in missing):
            missing.append(ch)
    return missing
