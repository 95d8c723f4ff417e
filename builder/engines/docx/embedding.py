"""Fonts that travel with the DOCX: the theme's faces embedded, subset and obfuscated.

As ECMA-376 Part 1 §17.8 describes and Word does with "Embed fonts in the file" and "Embed only
the characters used": each face (Latin regular, bold, italic, bold italic; Chinese regular and
bold) is subset to the characters the document holds, its first 32 bytes XORed with a key
made from a GUID (`w:fontKey`), stored as `/word/fonts/fontN.odttf` and named by
`w:embedRegular`/`w:embedBold`/… in the font table; settings say `w:embedTrueTypeFonts` and
`w:saveSubsetFonts`. The Chinese face also gets the alternative name other machines know it by
(`Noto Sans CJK SC` on Linux). Keys derive from the face's name, so the bytes stay repeatable.
"""

from __future__ import annotations

import hashlib
import os
import string
import uuid
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.part import Part
from lxml import etree

from builder.engines.docx.fontnames import family_name
from builder.engines.docx.ooxml import qn
from builder.themes import FontFace, Theme
from builder.themes.glyphs import font_codepoints

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
# Names the same faces go by elsewhere: Word substitutes by them when a font is missing.
ALT_NAMES = {"Noto Sans SC": "Noto Sans CJK SC", "Noto Serif SC": "Noto Serif CJK SC"}
_ALWAYS = string.digits + string.ascii_letters + string.punctuation + " \u00a0"
KEEP_SUBSETS = 36  # subsets kept in a font cache folder (six faces, six recent texts)
_SLOTS = (("embedRegular", "regular"), ("embedBold", "bold"), ("embedItalic", "italic"),
          ("embedBoldItalic", "bold_italic"))


def font_key(name: str) -> str:
    """Return the `w:fontKey` GUID of the face `name` (derived, so builds repeat)."""
    digest = hashlib.sha256(f"report-builder font key {name}".encode()).digest()[:16]
    return "{" + str(uuid.UUID(bytes=digest)).upper() + "}"


def obfuscate(data: bytes, key: str) -> bytes:
    """Return font `data` obfuscated with the GUID `key` (§17.8.1): its first 32 bytes XORed
    with the key's 16 bytes read from the last hex pair to the first. The same call undoes it."""
    raw = bytes.fromhex(key.strip("{}").replace("-", ""))[::-1]
    head = bytes(b ^ raw[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def subset(path: Path, characters: Iterable[str]) -> bytes:
    """Return the TrueType font at `path` reduced to `characters` (layout features kept)."""
    return _subset(path, frozenset(characters))


@lru_cache(maxsize=32)  # editions and rebuilds in one process share most characters
def _subset(path: Path, characters: frozenset[str]) -> bytes:
    # HarfBuzz's subsetter, not fontTools': the same tables and glyphs (every layout feature
    # and its closure, every name, the .notdef outline), in about 2 ms instead of 0.5 s for a
    # Chinese face; the head table's timestamp is left as it is, so builds repeat byte for byte
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(path)))
    wanted = hb.SubsetInput()
    wanted.unicode_set.update(ord(c) for c in characters)
    for kept in (hb.SubsetInputSets.LAYOUT_FEATURE_TAG, hb.SubsetInputSets.NAME_ID,
                 hb.SubsetInputSets.NAME_LANG_ID):
        every = wanted.sets(kept)
        every.clear()
        every.invert()  # an empty set inverted: all of them
    wanted.flags = hb.SubsetFlags.NOTDEF_OUTLINE
    result = hb.subset(face, wanted)
    if result is None:
        raise ValueError(f"{path.name}: the font could not be subset")
    return bytes(result.blob.data)


def document_characters(doc: DocxDocument) -> set[str]:
    """Return every character the document's text parts show, and what fields print."""
    chars = set(_ALWAYS)
    for part in doc.part.package.iter_parts():
        if not str(part.partname).startswith("/word/") or not str(part.partname).endswith(".xml"):
            continue
        blob = part.blob if not hasattr(part, "_element") else etree.tostring(part._element)
        try:
            root = etree.fromstring(blob)
        except etree.XMLSyntaxError:
            continue
        for node in root.iter(qn("w:t"), qn("w:delText")):
            chars.update(node.text or "")
        for node in root.iter(qn("w:lvlText")):
            chars.update(node.get(qn("w:val")) or "")
    return chars


def _faces(theme: Theme, chars: set[str], code: bool = False) -> list[FontFace]:
    """Return the faces to embed: the Latin one, the Chinese one when the text has a
    character only it draws (an English edition's "■" bullets, not its letters: 1 s of
    subsetting saved when there is none), and the monospaced one when there is code."""
    faces = [theme.latin]
    if family_name(theme.cjk) != family_name(theme.latin):
        latin = font_codepoints(theme.latin.regular)
        if any(ord(ch) not in latin for ch in chars if not ch.isspace()):
            faces.append(theme.cjk)
    if code and theme.mono is not None and family_name(theme.mono) not in {
            family_name(f) for f in faces}:
        faces.append(theme.mono)
    return faces


def _has_code(doc: DocxDocument) -> bool:
    """Return True when a paragraph or run of the body is in a code style."""
    ids = {s.style_id for s in doc.styles if s.name in ("Source Code", "Inline Code")}
    return any(e.get(qn("w:val")) in ids for e in doc.element.body.iter(qn("w:pStyle"),
                                                                         qn("w:rStyle")))


@lru_cache(maxsize=32)
def embeddable(path: Path) -> bool:
    """Return True when the font's licence flags (OS/2 `fsType`) allow embedding a subset:
    not "restricted licence" (0x0002) and not "no subsetting" (0x0100), as Word checks."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(str(path), lazy=True) as font:
            fs_type = font["OS/2"].fsType if "OS/2" in font else 0
    except Exception:  # noqa: BLE001 - an unreadable file is simply not embedded
        return False
    return not fs_type & 0x0002 and not fs_type & 0x0100


def _cached_subset(path: Path, chars: set[str], cache: Path | None) -> bytes:
    """Return the subset of `path` for `chars`, from `cache` when an earlier build made it."""
    if cache is None:
        return subset(path, chars)
    stat = path.stat()
    key = hashlib.sha256(f"{path.name}|{stat.st_size}|{stat.st_mtime_ns}|".encode()
                         + "".join(sorted(chars)).encode("utf-8")).hexdigest()[:24]
    file = cache / f"{path.stem}-{key}.ttf"
    try:
        return file.read_bytes()
    except OSError:
        pass
    data = subset(path, chars)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        temporary = file.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(data)
        temporary.replace(file)  # whole or not at all, even with two builds at once
        kept = sorted(cache.glob("*.ttf"), key=lambda f: f.stat().st_mtime, reverse=True)
        for old in kept[KEEP_SUBSETS:]:  # subsets of older texts: the cache stays small
            old.unlink(missing_ok=True)
    except OSError:
        pass  # a cache that cannot be written only costs time
    return data


def embed_fonts(doc: DocxDocument, theme: Theme, cache: Path | None = None) -> int:
    """Embed the theme's faces, subset to the document's characters; return the bytes added.

    `cache` is a folder where subsets are kept between builds."""
    table = doc.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(table.blob)
    package = doc.part.package
    chars = document_characters(doc)
    added = 0
    for face in _faces(theme, chars, _has_code(doc)):
        name = family_name(face)
        entry = next((f for f in root.iter(qn("w:font")) if f.get(qn("w:name")) == name), None)
        if entry is None:
            entry = etree.SubElement(root, qn("w:font"))
            entry.set(qn("w:name"), name)
        if name in ALT_NAMES and entry.find(qn("w:altName")) is None:
            alt = etree.Element(qn("w:altName"))
            alt.set(qn("w:val"), ALT_NAMES[name])
            entry.insert(0, alt)
        seen: set[Path] = set()
        for slot, attr in _SLOTS:
            path = getattr(face, attr)
            if path in seen:  # a CJK face has no italic: Word slants the regular one
                continue
            if not embeddable(path):  # its licence says no: the file names it only
                continue
            seen.add(path)
            key = font_key(f"{name} {attr}")
            payload = obfuscate(_cached_subset(path, chars, cache), key)
            part = Part(package.next_partname("/word/fonts/font%d.odttf"), OBFUSCATED_FONT,
                        payload, package)
            rid = table.relate_to(part, RT.FONT)
            embed = etree.SubElement(entry, qn(f"w:{slot}"))
            embed.set(qn("r:id"), rid)
            embed.set(qn("w:fontKey"), key)
            embed.set(qn("w:subsetted"), "1")
            added += len(payload)
    table._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    settings = doc.settings.element
    zoom = settings.find(qn("w:zoom"))
    for tag in ("w:saveSubsetFonts", "w:embedTrueTypeFonts"):
        if settings.find(qn(tag)) is None:
            element = etree.Element(qn(tag))
            if zoom is not None:
                zoom.addnext(element)
            else:
                settings.insert(0, element)
    return added
