"""Font family names as Word and LibreOffice know them, read from a font file's `name` table,
and the fallback faces a run needs for characters the theme's Latin and CJK faces lack."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from builder.themes import FontFace, Theme
from builder.themes.glyphs import font_codepoints, is_ignorable


def _names(data: bytes) -> dict[int, str]:
    """Return the Windows Unicode names (name id -> text) of a TrueType/OpenType file.

    Read straight from the `name` table: importing and opening the file with fontTools took
    longer than the rest of the style set-up.
    """
    tables = struct.unpack_from(">H", data, 4)[0]
    offset = next((struct.unpack_from(">I", data, 12 + 16 * i + 8)[0] for i in range(tables)
                   if data[12 + 16 * i:16 + 16 * i] == b"name"), None)
    if offset is None:
        return {}
    _, count, strings = struct.unpack_from(">HHH", data, offset)
    found: dict[int, tuple[bool, str]] = {}
    for i in range(count):
        platform, encoding, language, name_id, length, at = struct.unpack_from(
            ">HHHHHH", data, offset + 6 + 12 * i)
        if platform != 3 or encoding not in (0, 1, 10):
            continue
        start = offset + strings + at
        text = data[start:start + length].decode("utf-16-be", errors="replace")
        english = language == 0x409
        if name_id not in found or (english and not found[name_id][0]):
            found[name_id] = (english, text)
    return {name_id: text for name_id, (_, text) in found.items()}


@lru_cache(maxsize=16)
def family_of_file(path: Path) -> str:
    """Return the family name stored in a TrueType file (typographic family first)."""
    try:
        names = _names(path.read_bytes())
    except (OSError, struct.error):
        names = {}
    return names.get(16) or names.get(1) or path.stem.split("-")[0]


def family_name(face: FontFace) -> str:
    """Return the family name Word and LibreOffice know `face` by, e.g. `Noto Sans SC`."""
    return family_of_file(face.regular)


@dataclass(frozen=True)
class Fallbacks:
    """Which characters need a fallback face in Word, and the family name of each face."""

    primary: frozenset[int]
    faces: tuple[tuple[frozenset[int], str], ...]

    def split(self, text: str) -> list[tuple[str, str | None]]:
        """Return `text` as pieces, each with the fallback family it needs (None: the styles').

        An invisible joiner or selector stays with the piece before it, so an emoji keeps its
        presentation selector and Word shapes the sequence.
        """
        if set(map(ord, text)) <= self.primary:  # the usual case: the styles' fonts have all
            return [(text, None)]
        pieces: list[tuple[str, str | None]] = []
        for char in text:
            code = ord(char)
            family = None
            if pieces and is_ignorable(char):
                family = pieces[-1][1]
            elif code not in self.primary:
                family = next((name for codes, name in self.faces if code in codes), None)
            if pieces and pieces[-1][1] == family:
                pieces[-1] = (pieces[-1][0] + char, family)
            else:
                pieces.append((char, family))
        return pieces


@lru_cache(maxsize=8)
def fallbacks(theme: Theme) -> Fallbacks:
    """Return the fallback chain of `theme` as Word sees it."""
    primary = font_codepoints(theme.latin.regular) | font_codepoints(theme.cjk.regular)
    faces = tuple((font_codepoints(path), family_of_file(path)) for path in theme.fallbacks)
    return Fallbacks(primary=primary, faces=faces)
