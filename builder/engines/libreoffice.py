"""The DOCX layout pass: LibreOffice lays the file out, and the contents take its page numbers.

(A module of its own, outside engines/docx, so the pipeline can find LibreOffice and key the
DOCX outputs by its version without importing python-docx.)

A Word file's contents shows the cached results of its `PAGEREF` fields until someone updates
them. Word does not update them on opening (only with `w:updateFields`, which makes it ask
about every file, and not at all in Protected View), so the cached numbers are what an editor
sees. Our own estimate of where Word breaks pages is rough; LibreOffice is a real layout engine
for the same file. The engine writes each DOCX with its estimates (and `w:updateFields`); this
pass (`paginate`) prints copies of all the build's DOCX files to PDF in one LibreOffice run,
with every bookmark exported as a named destination, reads the page each field's bookmark
landed on, and writes those numbers into the fields' cached results. The files' own fonts are
embedded, so LibreOffice sets them in the faces they name.

What LibreOffice lays out is a copy made to cost less and lay out alike:
- each chart's picture fallback stands in for its drawing group (`mc:AlternateContent`
  reduced to its `mc:Fallback`): the picture has the drawing's size, and laying out hundreds
  of shapes and text boxes was a fifth of the pass (2.10 s -> 1.64 s a file, medians of 5);
- every PNG picture is one white pixel: a picture's place comes from its extent, not its
  pixels, and LibreOffice no longer decodes and re-encodes the charts (zh file 1.73 -> 1.39 s);
- only the bookmarks that the page fields name are kept (each block and round-trip anchor
  has one, and LibreOffice's import pays for each);
- one run for all files: starting LibreOffice is about 1.0 s of the 1.2-1.5 s a file takes, so
  three files in one run take 1.6 s of CPU instead of 4.5 s; and that run is started ahead
  (`Office`), while the engines render, so the files wait 0.9 s for their pages, not 2.4 s.
The finished files are byte for byte those of one run per file with full pictures (all three
editions of the bundled report).

LibreOffice runs in a private temporary folder with its own profile and `HOME`, is killed
with every process it started after `TIMEOUT_S` a file, and reads only the copies. A file it
fails on keeps its estimates.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any

from builder.output import write_atomic

#: The seconds LibreOffice may take for each file before the pass gives up.
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


def soffice_version(program: str, cache: Path | None = None) -> str:
    """Return LibreOffice's version line (part of the DOCX's build key: it lays the pages).

    Asking LibreOffice takes 0.1 s, a fifth of a rebuild with nothing to do; with `cache` (a
    JSON file) the answer is kept while the program's files are the same (path, size, times).
    """
    key = _program_key(program)
    if cache is not None and key:
        try:
            kept = json.loads(cache.read_text(encoding="utf-8"))
            if isinstance(kept, dict) and kept.get("key") == key and kept.get("version"):
                return str(kept["version"])
        except (OSError, ValueError):
            pass
    version = _asked_version(program)
    if cache is not None and key and version:
        try:
            write_atomic(cache, json.dumps({"key": key, "version": version}).encode())
        except OSError:
            pass
    return version


def _program_key(program: str) -> str:
    """Return what changes when LibreOffice is replaced: the program's real path, and the size
    and times of it and of the files beside it that hold the build (empty when not found)."""
    try:
        real = Path(program).resolve()
        parts = [str(real)]
        for path in (real, real.with_name("soffice.bin"), real.with_name("versionrc")):
            if path.exists():
                status = path.stat()
                parts.append(f"{path.name}:{status.st_size}:{status.st_mtime_ns}:"
                             f"{status.st_ctime_ns}:{status.st_ino}")
        return "|".join(parts)
    except OSError:
        return ""


@lru_cache(maxsize=4)
def _asked_version(program: str) -> str:
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


def _run(command: list[str], env: dict[str, str], timeout: float) -> bool:
    """Run LibreOffice in a process group of its own; after `timeout` s kill the whole group
    (`soffice` starts `soffice.bin` as a child, which a kill of `soffice` alone would leave
    running). Return whether it ran to its end."""
    process = _start(command, env)
    if process is None:
        return False
    try:
        process.wait(timeout=timeout)
        return True
    except subprocess.TimeoutExpired:
        _kill(process)
        return False


def _start(command: list[str], env: dict[str, str]) -> subprocess.Popen[bytes] | None:
    """Start `command` silent, in a session (and process group) of its own; None when it
    cannot start."""
    try:
        return subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, env=env, start_new_session=True)
    except OSError:
        return None


def _kill(process: subprocess.Popen[bytes]) -> None:
    """Kill `process` and every process of its group, if it still runs; reap it."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            pass
    process.wait()


_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_PAGEREF = re.compile(r"\s*PAGEREF\s+(\S+)")
#: The parts whose fields show page numbers: the body, and the running headers and footers.
_FIELD_PARTS = re.compile(r"word/(document|header\d*|footer\d*)\.xml")
#: A 1x1 white PNG: a picture's place on the page comes from its extent, not its pixels.
_PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415478"
    "9c63f8ffff3f0005fe02fe0dc6d0920000000049454e44ae426082")


def _parse(xml: bytes) -> Any:
    from lxml import etree

    return etree.fromstring(xml, etree.XMLParser(resolve_entities=False, huge_tree=True))


def _serialize(root: Any) -> bytes:
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _pictures_for_drawings(root: Any) -> None:
    """Replace every `mc:AlternateContent` under `root` by what its `mc:Fallback` holds."""
    for choice in list(root.iter(f"{{{_MC}}}AlternateContent")):
        fallback = choice.find(f"{{{_MC}}}Fallback")
        parent = choice.getparent()
        if fallback is None or parent is None:
            continue
        at = parent.index(choice)
        for offset, child in enumerate(list(fallback)):
            parent.insert(at + offset, child)
        parent.remove(choice)


def _only_bookmarks(root: Any, kept: set[str]) -> None:
    """Remove from `root` every bookmark whose name is not in `kept`, start and end.

    Each block and each round-trip anchor carries a bookmark, and LibreOffice's DOCX import
    spends time on every one (a bilingual file of 5,000 blocks: 15,000 bookmarks, 7.4 s to
    lay out with them, 5.3 s without); only those the page fields name are read back.
    """
    dropped: set[str | None] = set()
    for start in list(root.iter(f"{{{_W}}}bookmarkStart")):
        if start.get(f"{{{_W}}}name") not in kept:
            dropped.add(start.get(f"{{{_W}}}id"))
            _remove(start)
    if dropped:
        for end in list(root.iter(f"{{{_W}}}bookmarkEnd")):
            if end.get(f"{{{_W}}}id") in dropped:
                _remove(end)


def _remove(node: Any) -> None:
    """Remove `node` from its parent, keeping the text that follows it (its tail)."""
    parent = node.getparent()
    if parent is None:
        return
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def _page_fields(root: Any) -> dict[str, list[list[Any]]]:
    """Return, for each bookmark a `PAGEREF` field under `root` names, the `w:t` elements of
    each such field's cached result (a field may sit inside another, like the TOC's)."""
    fields: dict[str, list[list[Any]]] = {}
    stack: list[tuple[list[str], list[Any], list[bool]]] = []  # instruction, texts, in result
    for node in root.iter(f"{{{_W}}}fldChar", f"{{{_W}}}instrText", f"{{{_W}}}t"):
        if node.tag == f"{{{_W}}}fldChar":
            kind = node.get(f"{{{_W}}}fldCharType")
            if kind == "begin":
                stack.append(([], [], [False]))
            elif kind == "separate" and stack:
                stack[-1][2][0] = True
            elif kind == "end" and stack:
                instruction, texts, _ = stack.pop()
                named = _PAGEREF.match("".join(instruction))
                if named and texts:
                    fields.setdefault(named.group(1), []).append(texts)
        elif stack and not stack[-1][2][0]:
            if node.tag == f"{{{_W}}}instrText":
                stack[-1][0].append(node.text or "")
        elif stack and node.tag == f"{{{_W}}}t":
            stack[-1][1].append(node)
    return fields


def _bookmarks_beside(body: Any, wanted: Iterable[str]) -> dict[str, list[str]]:
    """Return, for each wanted bookmark the body has, it and the others that start in its
    paragraph (LibreOffice drops some bookmarks from its PDF, e.g. one spanning a heading pair
    right after a table; a bookmark in the same paragraph marks the same page)."""
    wanted = set(wanted)
    names: dict[str, list[str]] = {}
    for start in body.iter(f"{{{_W}}}bookmarkStart"):
        name = start.get(f"{{{_W}}}name")
        if name in wanted and name not in names:
            paragraph = start.getparent()
            names[name] = [name] + [
                other for b in paragraph.iter(f"{{{_W}}}bookmarkStart")
                if (other := b.get(f"{{{_W}}}name")) != name]
    return names


class _File:
    """One DOCX of a layout pass: its parsed field parts, and the copy LibreOffice lays out."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.roots: dict[str, Any] = {}
        self.fields: dict[str, list[list[Any]]] = {}
        self.names: dict[str, list[str]] = {}
        self.copy = b""
        self.weight = 0  # the copy's body in bytes: what its layout costs, roughly
        self.bookmarks: list[str] = []
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            for item in package.infolist():
                if _FIELD_PARTS.fullmatch(item.filename):
                    root = _parse(package.read(item.filename))
                    found = _page_fields(root)
                    if found:
                        self.roots[item.filename] = root
                        for name, results in found.items():
                            self.fields.setdefault(name, []).extend(results)
            body = _parse(package.read("word/document.xml"))
            # only fields that name a bookmark of the body (and all of them must be found)
            self.names = _bookmarks_beside(body, self.fields)
            self.fields = {name: self.fields[name] for name in self.names}
            if not self.fields:
                return
            _pictures_for_drawings(body)
            # every bookmark the pages are read from: each field's own and its neighbours
            self.bookmarks = [n for names in self.names.values() for n in names]
            _only_bookmarks(body, set(self.bookmarks))
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
                for item in package.infolist():
                    name = item.filename
                    if name == "word/document.xml":
                        part = _serialize(body)
                        self.weight = len(part)
                    elif name == "word/settings.xml":
                        part = _without_update_fields(package.read(name))
                    elif name.startswith("word/media/") and name.lower().endswith(".png"):
                        part = _PIXEL
                    else:
                        part = package.read(name)
                    copy.writestr(item, part, compresslevel=1)
            self.copy = out.getvalue()

    def with_pages(self, pages: dict[str, int]) -> bytes | None:
        """Return the file with each field showing its bookmark's page, or None when LibreOffice
        placed some bookmark nowhere."""
        found = {name: next((pages[n] for n in self.names[name] if n in pages), None)
                 for name in self.fields}
        if not found or None in found.values():
            return None
        for name, results in self.fields.items():
            for texts in results:  # the cover is page 0, so an index is the number it prints
                texts[0].text = str(found[name])
                for extra in texts[1:]:
                    extra.text = ""
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(self.data)) as package, \
                zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as done:
            for item in package.infolist():
                name = item.filename
                if name in self.roots:
                    part = _serialize(self.roots[name])
                elif name == "word/settings.xml":
                    part = _without_update_fields(package.read(name))
                else:
                    part = package.read(name)
                done.writestr(item, part, compresslevel=9)
        return out.getvalue()


def _without_update_fields(settings: bytes) -> bytes:
    """Return `word/settings.xml` without `w:updateFields` (Word need not ask to update)."""
    root = _parse(settings)
    for node in root.findall(f"{{{_W}}}updateFields"):
        root.remove(node)
    return _serialize(root)


class Office:
    """A LibreOffice started before the files it is to lay out exist: its start-up (about 1 s
    of the 2 s one file takes) overlaps the rest of the build.

    It runs headless with no document and its own profile, `HOME` and folder. The layout
    pass's `soffice --convert-to` with that profile hands its files to the running program
    (LibreOffice's one-instance pipe), which converts them and exits; the command returns
    when they are done. If the started program is gone by then, the command does the work
    itself, as without an office. `close` kills whatever is left; a `timeout` wrapper kills
    the program after `limit_s` seconds even when the build that started it is killed first.
    """

    def __init__(self, program: str, files: int, start: bool = True) -> None:
        self.program = program
        self.limit_s = 30 + TIMEOUT_S * max(files, 1)
        self._work = tempfile.TemporaryDirectory(prefix="report-builder-layout-")
        self.folder = Path(self._work.name)
        self.used = False
        self.process: subprocess.Popen[bytes] | None = None
        if not start:
            return
        command = [program, self.profile, "--headless", "--norestore", "--nologo",
                   "--nodefault"]
        wrapper = shutil.which("timeout")
        if wrapper:
            command = [wrapper, "-s", "KILL", str(self.limit_s), *command]
        self.process = _start(command, self.env)

    @property
    def profile(self) -> str:
        """The command-line setting of the private profile."""
        return f"-env:UserInstallation={(self.folder / 'profile').as_uri()}"

    @property
    def env(self) -> dict[str, str]:
        """LibreOffice's environment: this process's, with the private folder as `HOME`."""
        return {**os.environ, "HOME": str(self.folder)}

    def stop(self) -> None:
        """Kill the started program and every process it started, if any is left."""
        if self.process is not None:
            _kill(self.process)
            self.process = None

    def close(self) -> None:
        """Stop the program and remove its folder."""
        self.stop()
        self._work.cleanup()

    def __enter__(self) -> Office:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


#: Bytes of body a LibreOffice run can lay out in the time another run takes to start (about
#: 1.3 s; 2.4-3.7 s a MB): long files are split between two runs when a second core is there.
START_BYTES = 500_000


def _runs(weights: dict[int, int], runs: int, ahead: int = 1) -> list[list[int]]:
    """Share the files (index: weight) out among at most `runs` LibreOffice runs, heaviest first
    to the run that would finish first; every run but the first `ahead` (started ahead) pays
    for its start. A run that would get no file is not made."""
    runs = max(runs, 1)
    ahead = min(max(ahead, 1), runs)
    loads = [0] * ahead + [START_BYTES] * (runs - ahead)
    groups: list[list[int]] = [[] for _ in loads]
    for i in sorted(weights, key=lambda i: -weights[i]):
        least = min(range(len(loads)), key=loads.__getitem__)
        loads[least] += weights[i]
        groups[least].append(i)
    return [group for group in groups if group]


def paginate(files: Sequence[bytes], program: str, offices: Sequence[Office] = (),
             runs: int = 1) -> list[bytes]:
    """Return each DOCX of `files` with its page fields showing the pages LibreOffice lays it
    out on, and without `w:updateFields`; one LibreOffice run lays out every file, or up to
    `runs` at once when the files are long (`START_BYTES`).

    The fields are the `PAGEREF`s of the body, headers and footers that name a bookmark of the
    body (the contents' entries, the footer's page total). A file whose bookmarks LibreOffice
    did not all place, or that it failed on, is returned unchanged (its estimates stand).
    `offices`, started earlier for `program`, do the layout when they are there (once each;
    the first runs).
    """
    workers = max(runs, len(offices), 1)
    with ThreadPoolExecutor(max_workers=workers) as threads:  # lxml and zlib let go of the GIL
        prepared = list(threads.map(_prepared, files))
        todo = {i: f for i, f in enumerate(prepared) if f is not None and f.copy}
        groups = _runs({i: f.weight for i, f in todo.items()}, workers, len(offices))
        laid = [threads.submit(_paginated, {i: todo[i] for i in group}, program,
                               offices[k] if k < len(offices) else None)
                for k, group in enumerate(groups)]
        done = list(files)
        for future in laid:
            for i, result in future.result().items():
                done[i] = result
    return done


def _prepared(data: bytes) -> _File | None:
    """Return the file read for the layout pass, or None when it is no DOCX it can read."""
    from lxml import etree

    try:
        return _File(data)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None


def _paginated(files: dict[int, _File], program: str,
               office: Office | None) -> dict[int, bytes]:
    """Lay `files` out in one LibreOffice run; return those that got all their pages, done."""
    pages = _laid_out({i: f.copy for i, f in files.items()},
                      {i: f.bookmarks for i, f in files.items()}, program, office)
    done = {}
    for i, found in pages.items():
        try:
            result = files[i].with_pages(found)
        except (OSError, KeyError, ValueError, zipfile.BadZipFile):
            result = None
        if result is not None:
            done[i] = result
    return done


def _laid_out(copies: dict[int, bytes], bookmarks: dict[int, list[str]], program: str,
              office: Office | None = None) -> dict[int, dict[str, int]]:
    """Return, per copy, the page index (0 = first page) LibreOffice lays each bookmark on;
    copies it laid out nowhere (a failed or timed-out run) are left out."""
    if office is None or office.used or office.program != program:
        # no program started ahead: the command starts LibreOffice itself
        with Office(program, len(copies), start=False) as own:
            return _converted(copies, bookmarks, own)
    return _converted(copies, bookmarks, office)


def _converted(copies: dict[int, bytes], bookmarks: dict[int, list[str]],
               office: Office) -> dict[int, dict[str, int]]:
    """Lay `copies` out with `office`'s profile and folder; read each bookmark's page."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    office.used = True
    folder = office.folder / "files"
    folder.mkdir()
    sources = {}
    for i, data in copies.items():
        sources[i] = folder / f"layout-{i}.docx"
        sources[i].write_bytes(data)
    if not _run([office.program, office.profile, "--headless", "--norestore", "--convert-to",
                 _FILTER, "--outdir", str(folder), *map(str, sources.values())], office.env,
                TIMEOUT_S * len(sources)):
        office.stop()  # a started program may still be converting: stop it before reading
    result: dict[int, dict[str, int]] = {}
    for i, source in sources.items():
        pdf = source.with_suffix(".pdf")
        if not pdf.is_file():
            continue
        try:
            reader = PdfReader(str(pdf))
            named = reader.named_destinations
            pages: dict[str, int] = {}
            for bookmark in bookmarks[i]:
                destination = named.get("/" + _destination_name(bookmark))
                if destination is not None:
                    index = reader.get_destination_page_number(destination)
                    if index is not None and index >= 0:
                        pages[bookmark] = index
            result[i] = pages
        except (PdfReadError, ValueError, KeyError):
            continue
    return result


def laid_out_pages(data: bytes, bookmarks: Iterable[str], program: str) -> dict[str, int]:
    """Return the page index (0 = first page) LibreOffice lays each of `bookmarks` of the DOCX
    `data` on (as it is, pictures and all). Bookmarks it did not export are left out; a failed
    run returns an empty dict."""
    return _laid_out({0: data}, {0: list(bookmarks)}, program).get(0, {})
