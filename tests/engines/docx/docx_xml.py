"""Helpers for the DOCX engine tests: read parts of a .docx as XML."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
}


def w(name: str) -> str:
    """Return the Clark name of a w: attribute or element."""
    return f"{{{W}}}{name}"


def part(data: bytes, name: str) -> str:
    """Return one part of a .docx as text."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode("utf-8")


def xml(data: bytes, name: str) -> etree._Element:
    """Return one XML part of a .docx parsed."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return etree.fromstring(archive.read(name))


def instructions(root: etree._Element) -> list[str]:
    """Return every field instruction below `root`, stripped."""
    return [t.text.strip() for t in root.iter(w("instrText"))]
