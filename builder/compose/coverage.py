"""Glyph coverage: which characters the theme's fonts can print, checked before anything renders.

A character that no bundled font covers would print as an empty box, so compose reports it with
its location instead.
"""

from __future__ import annotations

import struct
from functools import lru_cache
from pathlib import Path

from builder.themes import Theme

# Characters that are layout, not glyphs: engines turn them into breaks or spaces.
_LAYOUT = {"\n", "\t", "\r", "\u00a0"}


def _format4_codepoints(data: bytes, offset: int) -> set[int]:
    """Return the code points a cmap format-4 subtable at `offset` maps to a real glyph."""
    seg_count = struct.unpack_from(">H", data, offset + 6)[0] // 2
    ends_at = offset + 14
    starts_at = ends_at + 2 * seg_count + 2
    deltas_at = starts_at + 2 * seg_count
    ranges_at = deltas_at + 2 * seg_count
    ends = struct.unpack_from(f">{seg_count}H", data, ends_at)
    starts = struct.unpack_from(f">{seg_count}H", data, starts_at)
    deltas = struct.unpack_from(f">{seg_count}h", data, deltas_at)
    range_offsets = struct.unpack_from(f">{seg_count}H", data, ranges_at)
    covered: set[int] = set()
    for i, (start, end, delta, range_offset) in enumerate(
            zip(starts, ends, deltas, range_offsets, strict=True)):
        if start == 0xFFFF:
            continue
        if range_offset == 0:
            covered.update(cp for cp in range(start, end + 1) if (cp + delta) & 0xFFFF)
            continue
        base = ranges_at + 2 * i + range_offset
        for cp in range(start, end + 1):
            glyph = struct.unpack_from(">H", data, base + 2 * (cp - start))[0]
            if glyph and (glyph + delta) & 0xFFFF:
                covered.add(cp)
    return covered


def _fast_codepoints(path: Path) -> set[int] | None:
    """Return the BMP code points of a font with a (3, 1) format-4 cmap, or None otherwise.

    Reading the one subtable directly takes ~3 ms where a full cmap decode takes ~60 ms; fonts
    with characters beyond the BMP (a (3, 10) subtable) go the general way.
    """
    data = path.read_bytes()
    tables = struct.unpack_from(">H", data, 4)[0]
    cmap = next((struct.unpack_from(">I", data, 12 + 16 * i + 8)[0] for i in range(tables)
                 if data[12 + 16 * i:16 + 16 * i] == b"cmap"), None)
    if cmap is None:
        return None
    found = None
    for i in range(struct.unpack_from(">H", data, cmap + 2)[0]):
        platform, encoding, sub = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
        if (platform, encoding) == (3, 10):
            return None
        if (platform, encoding) == (3, 1) and struct.unpack_from(">H", data, cmap + sub)[0] == 4:
            found = cmap + sub
    return _format4_codepoints(data, found) if found is not None else None


@lru_cache(maxsize=16)
def font_codepoints(path: Path) -> frozenset[int]:
    """Return the code points mapped by the font file at `path`."""
    fast = _fast_codepoints(path)
    if fast is not None:
        return frozenset(fast)
    from fontTools.ttLib import TTFont

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
