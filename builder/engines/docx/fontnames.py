"""Font family names as Word and LibreOffice know them, read from a font file's `name` table."""

from __future__ import annotations

import struct
from functools import lru_cache
from pathlib import Path

from builder.themes import FontFace


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
def _family_from_file(path: Path) -> str:
    """Return the family name stored in a TrueType file (typographic family first)."""
    try:
        names = _names(path.read_bytes())
    except (OSError, struct.error):
        names = {}
    return names.get(16) or names.get(1) or path.stem.split("-")[0]


def family_name(face: FontFace) -> str:
    """Return the family name Word and LibreOffice know `face` by, e.g. `Noto Sans SC`."""
    return _family_from_file(face.regular)
