"""The DOCX layout pass: LibreOffice lays the file out, and the contents take its page numbers.

(A module of its own, outside engines/docx, so the pipeline can find LibreOffice and key the
DOCX outputs by its version without importing python-docx.)

A Word file's contents shows the cached results of its `PAGEREF` fields until someone updates
them. Word does not update them on opening (only with `w:updateFields`, which makes it ask
about every file, and not at all in Protected View), so the cached numbers are what an editor
sees. Our own estimate of where Word breaks pages is rough; LibreOffice is a real layout engine
for the same file. This pass prints the finished file to PDF with LibreOffice headless, with
every bookmark exported as a named destination, reads the page each heading's bookmark (and
the last-page bookmark) landed on, and the engine writes those numbers into the cached
results. The file's own fonts are embedded, so LibreOffice sets it in the faces it names.

The copy LibreOffice lays out has each chart's picture fallback in place of its drawing group
(`mc:AlternateContent` reduced to its `mc:Fallback`): the picture has the drawing's size, so
the pages are the same (all 251 bookmarks of the bundled zh file land on the same pages), and
laying out hundreds of shapes and text boxes was a fifth of the pass (2.10 s -> 1.64 s a file,
medians of 5).

LibreOffice runs on a copy in a private temporary folder with its own profile and `HOME`, is
killed with every process it started after `TIMEOUT_S`, and reads only that copy. Any failure
leaves the estimate in place.
"""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import tempfile
import zipfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

#: The seconds LibreOffice may take for one file before the pass gives up.
TIMEOUT_S = 60
#: The PDF export filter with Writer bookmarks exported as named destinations.
_FILTER = ('pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":'
           '{"type":"boolean","value":"true"}}')


#: How the DOCX contents get their page numbers: LibreOffice's layout when it is installed
#: (`auto`, the default), always LibreOffice (an error without it), or the engine's estimate.
DOCX_PAGES = ("auto", "libreoffice", "estimate")


class LayoutPassError(ValueError):
    """The DOCX page numbers were asked of LibreOffice, which cannot be found (a usage error)."""


def layout_program(mode: str | None) -> str | None:
    """Return the LibreOffice program the DOCX layout pass runs, or None for estimates.

    `mode` is one of `DOCX_PAGES`; None takes `REPORT_BUILDER_DOCX_PAGES`, else `auto`.
    """
    mode = mode or os.environ.get("REPORT_BUILDER_DOCX_PAGES") or "auto"
    if mode not in DOCX_PAGES:
        raise LayoutPassError(f"DOCX page numbers: {mode!r} is not one of "
                              + ", ".join(DOCX_PAGES) + " (REPORT_BUILDER_DOCX_PAGES)")
    if mode == "estimate":
        return None
    program = find_soffice()
    if program is None and mode == "libreoffice":
        raise LayoutPassError("DOCX page numbers from LibreOffice: soffice is not installed "
                              "(or set REPORT_BUILDER_SOFFICE to its program)")
    return program


def find_soffice() -> str | None:
    """Return the LibreOffice program (`REPORT_BUILDER_SOFFICE`, else `soffice` on PATH)."""
    named = os.environ.get("REPORT_BUILDER_SOFFICE")
    if named:
        return shutil.which(named)
    return shutil.which("soffice") or shutil.which("libreoffice")


@lru_cache(maxsize=4)
def soffice_version(program: str) -> str:
    """Return LibreOffice's version line (part of the DOCX's build key: it lays the pages)."""
    try:
        done = subprocess.run([program, "--version"], capture_output=True, text=True,
                              timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip()


def _destination_name(bookmark: str) -> str:
    """Return the name LibreOffice gives `bookmark`'s PDF destination.

    It escapes every character but ASCII letters and digits as its UTF-8 bytes in hex (the
    `%` of URL escaping is dropped): `market_size` becomes `market5Fsize`.
    """
    return "".join(c if c.isascii() and c.isalnum() else c.encode("utf-8").hex().upper()
                   for c in bookmark)


def pages_estimated(docx: bytes) -> bool:
    """Whether a DOCX still asks Word to update its fields on opening: its contents' page
    numbers are the engine's estimates (the layout pass did not run to its end)."""
    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as package:
            return b"updateFields" in package.read("word/settings.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


def _run(command: list[str], env: dict[str, str]) -> bool:
    """Run LibreOffice in a process group of its own; after TIMEOUT_S kill the whole group
    (`soffice` starts `soffice.bin` as a child, which a kill of `soffice` alone would leave
    running). Return whether it ran to its end."""
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    except OSError:
        return False
    try:
        process.wait(timeout=TIMEOUT_S)
        return True
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            pass
        process.wait()
        return False


_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _pictures_for_drawings(data: bytes) -> bytes:
    """Return the DOCX `data` with every `mc:AlternateContent` of its body replaced by what
    its `mc:Fallback` holds; the file as it is when anything cannot be read."""
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            body = package.read("word/document.xml")
            if b"AlternateContent" not in body:
                return data
            root = etree.fromstring(body, etree.XMLParser(resolve_entities=False))
            for choice in list(root.iter(f"{{{_MC}}}AlternateContent")):
                fallback = choice.find(f"{{{_MC}}}Fallback")
                parent = choice.getparent()
                if fallback is None or parent is None:
                    continue
                at = parent.index(choice)
                for offset, child in enumerate(list(fallback)):
                    parent.insert(at + offset, child)
                parent.remove(choice)
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
                for item in package.infolist():
                    copy.writestr(item, etree.tostring(root, xml_declaration=True,
                                                       encoding="UTF-8", standalone=True)
                                  if item.filename == "word/document.xml"
                                  else package.read(item.filename))
            return out.getvalue()
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return data


def laid_out_pages(data: bytes, bookmarks: Iterable[str], program: str) -> dict[str, int]:
    """Return the page index (0 = first page) LibreOffice lays each of `bookmarks` on.

    Bookmarks it did not export are left out; a failed run returns an empty dict.
    """
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    with tempfile.TemporaryDirectory(prefix="report-builder-layout-") as work:
        folder = Path(work)
        source = folder / "layout.docx"
        source.write_bytes(_pictures_for_drawings(data))
        env = {**os.environ, "HOME": str(folder)}
        if not _run([program, f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                     "--headless", "--norestore", "--convert-to", _FILTER,
                     "--outdir", str(folder), str(source)], env):
            return {}
        pdf = folder / "layout.pdf"
        if not pdf.is_file():
            return {}
        try:
            reader = PdfReader(str(pdf))
            named = reader.named_destinations
            pages: dict[str, int] = {}
            for bookmark in bookmarks:
                destination = named.get("/" + _destination_name(bookmark))
                if destination is not None:
                    index = reader.get_destination_page_number(destination)
                    if index is not None and index >= 0:
                        pages[bookmark] = index
            return pages
        except (PdfReadError, ValueError, KeyError):
            return {}
