"""Output files: names, and atomic writes so a failed build never leaves a half-written file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


def output_folder(out_dir: Path, report_id: str, variant: str | None = None) -> Path:
    """Return `out_dir/<id>/[<variant>/]`: where a build's outputs, manifest and lock live."""
    return out_dir / report_id / variant if variant else out_dir / report_id


def output_path(out_dir: Path, report_id: str, edition: str, fmt: str,
                variant: str | None = None) -> Path:
    """Return `out_dir/<id>/[<variant>/]<id>.<edition>.<fmt>`."""
    return output_folder(out_dir, report_id, variant) / f"{report_id}.{edition}.{fmt}"


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete temporary files left by a killed build in `folder`; return what was deleted.

    Call only while holding the build lock, so no running build's temporary file is touched.
    """
    stale = sorted(folder.glob(".*.tmp")) if folder.is_dir() else []
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


class PartialReplaceError(OSError):
    """Some outputs of a build were replaced and others were not; `replaced` names the new ones."""

    def __init__(self, cause: OSError, failed: Path, replaced: Sequence[Path]) -> None:
        super().__init__(cause.errno, cause.strerror, str(failed))
        self.cause = cause
        self.failed = failed
        self.replaced = list(replaced)


@contextmanager
def naming_failures(path: Path) -> Iterator[None]:
    """Re-raise an OSError that names no file as one naming `path`.

    A failed write() (a full disk, a file-size limit) names no file; the one being written is
    what a user needs to hear about.
    """
    try:
        yield
    except OSError as exc:
        if exc.filename:
            raise
        raise OSError(exc.errno, exc.strerror, str(path)) from exc


def _write_temporary(path: Path, data: bytes) -> Path:
    """Return a fully written, synced temporary file beside `path` holding `data`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with naming_failures(path), os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    A reader (or a crash) sees either the previous complete file or the new complete file,
    never a partial one.
    """
    replace_together([(path, data)])


def replace_together(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write every file's temporary first, then rename them all into place.

    A full disk or a write error while the temporaries are written leaves every previous file
    untouched. Only a rename can then fail (rarely: renames in one folder need no space); if
    one does, PartialReplaceError says which files are already new.
    """
    temporaries: list[tuple[Path, Path]] = []
    try:
        for path, data in files:
            temporaries.append((_write_temporary(path, data), path))
    except BaseException:
        for tmp, _ in temporaries:
            tmp.unlink(missing_ok=True)
        raise
    replaced: list[Path] = []
    for index, (tmp, path) in enumerate(temporaries):
        try:
            os.replace(tmp, path)
        except OSError as exc:
            for rest, _ in temporaries[index:]:
                rest.unlink(missing_ok=True)
            raise PartialReplaceError(exc, path, replaced) from exc
        replaced.append(path)
