"""Readable snapshots of a build: the Document of each edition as JSON, the DOCX parts as
indented XML, and each PDF as `pdftotext -layout` text. Compared with tests/golden/<case>/."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from builder.model.document import ChartImage, Document

_CACHE_NAME = re.compile(r"\b([a-z]+)-[0-9a-f]{20}\.png")
DOCX_PARTS = ("word/document.xml", "word/styles.xml", "word/numbering.xml", "word/comments.xml")


def _plain(value: Any) -> Any:
    if isinstance(value, ChartImage):
        # Cache file names hash the tool's own code; the size is what the document says.
        return {"chart_image": {"width_pt": round(value.width_pt, 2),
                                "height_pt": round(value.height_pt, 2)}}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {type(value).__name__: fields}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, Path):
        return value.name
    if isinstance(value, float):
        return round(value, 4)
    return value


def document_json(document: Document) -> str:
    """Return `document` as indented JSON, one field per line."""
    return json.dumps(_plain(document), ensure_ascii=False, indent=1) + "\n"


_WPG = "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup"
_WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _summarise(group: etree._Element) -> None:
    """Replace a chart's drawing group by its lines of lettering (its shapes and coordinates
    follow matplotlib's version, which is not pinned)."""
    shapes = group.findall(f"{{{_WPS}}}wsp")
    texts = ["".join(t.text or "" for t in shape.iter(f"{{{_W}}}t")) for shape in shapes
             if shape.find(f"{{{_WPS}}}txbx") is not None]
    for child in list(group):
        group.remove(child)
    for text in texts:
        etree.SubElement(group, "lettering").text = text


def docx_xml(path: Path) -> dict[str, str]:
    """Return the parts of DOCX_PARTS the file has, re-indented (one element per line)."""
    parts = {}
    with zipfile.ZipFile(path) as package:
        for name in DOCX_PARTS:
            if name in package.namelist():
                root = etree.fromstring(package.read(name))
                for group in root.iter(f"{{{_WPG}}}wgp"):
                    _summarise(group)
                etree.indent(root, space=" ")
                text = etree.tostring(root, encoding="unicode") + "\n"
                # Chart pictures are named by their pixels, which move with matplotlib and fonts.
                parts[name] = _CACHE_NAME.sub(r"\1.png", text)
    return parts


def pdf_text(path: Path) -> str:
    """Return `pdftotext -layout` of the PDF."""
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def snapshot(folder: Path, report_id: str, documents: dict[str, Document]) -> dict[str, str]:
    """Return `file name -> text` for every edition's Document, DOCX parts and PDF."""
    files: dict[str, str] = {}
    for edition, document in sorted(documents.items()):
        files[f"{edition}.document.json"] = document_json(document)
        for part, text in docx_xml(folder / f"{report_id}.{edition}.docx").items():
            files[f"{edition}.docx.{Path(part).stem}.xml"] = text
        files[f"{edition}.pdf.txt"] = pdf_text(folder / f"{report_id}.{edition}.pdf")
    return files


def compare(expected_dir: Path, files: dict[str, str], update: bool) -> list[str]:
    """Return the names of files that differ from `expected_dir` (rewriting them with `update`)."""
    if update:
        expected_dir.mkdir(parents=True, exist_ok=True)
        for stale in set(p.name for p in expected_dir.iterdir()) - set(files):
            (expected_dir / stale).unlink()
        for name, text in files.items():
            (expected_dir / name).write_text(text, encoding="utf-8")
        return []
    present = {p.name for p in expected_dir.iterdir()} if expected_dir.is_dir() else set()
    differ = sorted(name for name, text in files.items() if name not in present
                    or (expected_dir / name).read_text(encoding="utf-8") != text)
    return differ + sorted(f"{name} (no longer made)" for name in present - set(files))
