"""LibreOffice headless as a test reader: a DOCX printed to PDF with only the bundled fonts added.

The bundled fonts are handed to LibreOffice through a private fontconfig file, so nothing is
installed on the machine and no font of the machine's can stand in for a missing one unnoticed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from builder.themes import FONTS_DIR

HAVE_LIBREOFFICE = shutil.which("soffice") is not None


def libreoffice_pdf(docx_path: Path, work: Path, extra_fonts: tuple[Path, ...] = (),
                    bundled: bool = True) -> Path:
    """Print `docx_path` to a PDF in `work` with LibreOffice and return the PDF's path.

    `extra_fonts` are font files offered beside the bundled ones; without `bundled`, the
    machine's fonts alone (as on a machine that has no Noto fonts).
    """
    work.mkdir(parents=True, exist_ok=True)
    fonts = work / "fonts"
    fonts.mkdir(exist_ok=True)
    for font in (*(FONTS_DIR.glob("*.ttf") if bundled else ()), *extra_fonts):
        shutil.copy(font, fonts)
    config = work / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>'
        f"<dir>{fonts}</dir><cachedir>{work / 'fc-cache'}</cachedir></fontconfig>",
        encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(config), "HOME": str(work)}
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{work / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(work), str(docx_path)],
        check=True, capture_output=True, timeout=180, env=env)
    return work / (docx_path.stem + ".pdf")


def pdf_fonts(pdf: Path) -> list[tuple[str, bool]]:
    """Return (name, embedded) for every font `pdffonts` lists in `pdf`."""
    lines = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    return [(line.split()[0], line.split()[-5] == "yes") for line in lines]


def pdf_text(pdf: Path) -> str:
    """Return the text poppler extracts from `pdf`."""
    return subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout


def text_by_font(pdf: Path) -> dict[str, str]:
    """Return the text of `pdf` drawn with each font (subset prefixes dropped), via pypdf."""
    from pypdf import PdfReader

    out: dict[str, list[str]] = {}

    def visit(text: str, cm: object, tm: object, font: object, size: object) -> None:
        if font is not None and text.strip():
            name = str(font.get("/BaseFont", "")).lstrip("/")  # type: ignore[attr-defined]
            out.setdefault(name.split("+")[-1], []).append(text)

    for page in PdfReader(str(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return {name: "".join(parts) for name, parts in out.items()}


def renamed_font(source: Path, family: str, target: Path) -> Path:
    """Write a copy of the font `source` whose family is `family` (a face no style names)."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(source))
    compact = family.replace(" ", "")
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = family
        elif record.nameID == 4:
            record.string = f"{family} Regular"
        elif record.nameID == 6:
            record.string = f"{compact}-Regular"
    font.save(str(target))
    return target
