"""Incremental builds: input fingerprints, the manifest of the last build, and the build lock.

Every output has a key: a hash of everything it depends on (content files, data, theme, fonts,
terms, the tool's own code, and the options). `build` skips an output whose key and file hash
match the manifest. The manifest also records what changed since the previous build.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import filelock

from builder.diagnostics import BuildError
from builder.output import write_atomic
from builder.themes import I18N_DIR, Theme
from builder.version import __version__

PACKAGE_DIR = Path(__file__).resolve().parent
MANIFEST = "manifest.json"


def sha256_file(path: Path) -> str:
    """Return the hex SHA-256 of the file at `path`."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


#: `(path, size, mtime, ctime, inode) -> sha256` of the large files a build hashes every time
#: (fonts, logo, reference DOCX): a long-lived watch rehashed 30 MB of fonts on every edit.
_STAT_HASHES: dict[tuple[str, int, int, int, int], str] = {}


def sha256_unchanged(path: Path) -> str:
    """Return the hex SHA-256 of `path`, from this process's cache while its size, times and
    inode are what they were when it was hashed (as git's index and make trust them)."""
    info = path.stat()
    key = (str(path), info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
    if key not in _STAT_HASHES:
        _STAT_HASHES[key] = sha256_file(path)
    return _STAT_HASHES[key]


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()
                  and not any(part.startswith(".") or part == "__pycache__"
                              for part in p.relative_to(folder).parts))


@cache
def tool_fingerprint() -> str:
    """Return a hash of the tool: its version and its source files, so code changes rebuild.

    Once per process: the code a process runs is the code it loaded.
    """
    digest = hashlib.sha256(__version__.encode())
    for path in _files(PACKAGE_DIR):
        if path.suffix == ".py":
            digest.update(str(path.relative_to(PACKAGE_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def input_hashes(report_dir: Path, theme: Theme, reference_docx: Path | None) -> dict[str, str]:
    """Return `name -> sha256` for every file a build of `report_dir` depends on."""
    hashes: dict[str, str] = {}
    for path in _files(report_dir):
        hashes[f"content/{path.relative_to(report_dir).as_posix()}"] = sha256_file(path)
    for path in _files(theme.path.parent):
        hashes[f"theme/{path.relative_to(theme.path.parent).as_posix()}"] = sha256_file(path)
    for path in _files(I18N_DIR):
        hashes[f"i18n/{path.name}"] = sha256_file(path)
    fonts = {theme.latin.regular, theme.latin.bold, theme.latin.italic, theme.latin.bold_italic,
             theme.cjk.regular, theme.cjk.bold, *theme.fallbacks}
    if theme.mono is not None:
        fonts |= {theme.mono.regular, theme.mono.bold}
    for path in sorted(fonts):
        hashes[f"fonts/{path.name}"] = sha256_unchanged(path)
    if theme.logo and theme.logo.is_file():
        hashes[f"assets/{theme.logo.name}"] = sha256_unchanged(theme.logo)
    if reference_docx:
        hashes["reference.docx"] = sha256_unchanged(reference_docx)
    hashes["tool"] = tool_fingerprint()
    return hashes


#: The field names of each dataclass `_plain` met (None: not a dataclass), found once a type.
_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}
_PLAIN_TYPES = (str, int, float, bool, type(None))


def _plain(value: Any) -> Any:
    """Return `value` (a model dataclass tree) as JSON-ready data, class names kept."""
    kind = type(value)
    if kind in _PLAIN_TYPES:
        return value
    try:
        names = _FIELD_NAMES[kind]
    except KeyError:
        names = _FIELD_NAMES[kind] = tuple(f.name for f in dataclasses.fields(value)) \
            if dataclasses.is_dataclass(value) and not isinstance(value, type) else None
    if names is not None:
        return {kind.__name__: {name: _plain(getattr(value, name)) for name in names}}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, Path):
        return str(value)
    return value


def document_digest(document: object) -> str:
    """Return a hash of a composed Document (every field, recursively)."""
    payload = json.dumps(_plain(document), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def document_key(digest: str, inputs: dict[str, str], fmt: str, theme: str) -> str:
    """Return the key of one output by what it shows: the `document_digest` of its edition's
    Document, plus every input that is not content (theme, fonts, terms, reference, the tool).

    Content reaches an output only through its Document (texts, rendered data, chart images
    named by the hash of what they draw), so an edit the Document does not show (the other
    language, a YAML comment) leaves the key as it was and the output is not rendered again.
    """
    rest = {name: value for name, value in inputs.items() if not name.startswith("content/")}
    payload = json.dumps({"document": digest, "inputs": rest, "format": fmt, "theme": theme},
                         sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def output_key(inputs: dict[str, str], edition: str, fmt: str, theme: str) -> str:
    """Return the cache key of one output: its inputs and what is built from them."""
    payload = json.dumps({"inputs": inputs, "edition": edition, "format": fmt, "theme": theme},
                         sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


_PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def count_pdf_pages(data: bytes) -> int:
    """Return the number of page objects in a PDF (the engine leaves object dicts unpacked)."""
    return len(_PAGE_OBJECT.findall(data))


@dataclass
class Manifest:
    """The record of the last build of a report: `dist/<id>/manifest.json`."""

    path: Path
    data: dict[str, Any]

    @classmethod
    def load(cls, folder: Path) -> Manifest:
        """Return the manifest in `folder`, or an empty one when there is none or it is broken."""
        path = folder / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                data = {}
        except (OSError, ValueError):
            data = {}
        return cls(path, data)

    def output(self, name: str) -> dict[str, Any]:
        """Return the record of output `name` (empty when it was never built)."""
        return dict(self.data.get("outputs", {}).get(name, {}))

    def up_to_date(self, name: str, key: str, path: Path, elsewhere: bool = False) -> bool:
        """Return True when output `name` was built from `key` and the file is still intact.

        With `elsewhere` the file is not here to check (its holder checked it): the key decides.
        """
        record = self.output(name)
        if record.get("key") != key:
            return False
        if elsewhere:
            return True
        if not path.is_file():
            return False
        stat = path.stat()
        if record.get("size") != stat.st_size:
            return False
        if record.get("mtime_ns") == stat.st_mtime_ns:
            return True
        return record.get("sha256") == sha256_file(path)

    def shows(self, name: str, document_key: str, path: Path, elsewhere: bool = False) -> bool:
        """Return True when output `name` shows the Document of `document_key` and is intact."""
        record = self.output(name)
        if record.get("document_key") != document_key:
            return False
        return self.up_to_date(name, record.get("key", ""), path, elsewhere)

    def save(self) -> None:
        """Write the manifest atomically."""
        text = json.dumps(self.data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        write_atomic(self.path, text.encode("utf-8"))


@contextmanager
def build_lock(folder: Path, wait: bool = True) -> Iterator[bool]:
    """Hold the build lock of a report's output folder; wait for it, or fail with `wait=False`.
    Yield whether another build held it first (so this one waited).

    An OS-level file lock (filelock: flock on Linux and macOS, LockFileEx on Windows), so it
    is released when the holder ends, however it ends.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError.at(folder, 0, f"cannot create the output folder: "
                                       f"{exc.strerror or exc}") from None
    lock = filelock.FileLock(folder / ".build.lock", thread_local=False)
    waited = False
    try:
        lock.acquire(timeout=0)
    except filelock.Timeout:
        if not wait:
            raise BuildError.at(folder, 0, "another build of this report is running",
                                hint="wait for it, or drop --no-wait to queue") from None
        waited = True
        lock.acquire(timeout=-1)
    try:
        yield waited
    finally:
        lock.release()


def now() -> float:
    """Return a monotonic clock reading for timings."""
    return time.perf_counter()
