"""Output files: names, and atomic writes so a failed build never leaves a half-written file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def output_path(out_dir: Path, report_id: str, edition: str, fmt: str) -> Path:
    """Return `out_dir/<id>/<id>.<edition>.<fmt>`."""
    return out_dir / report_id / f"{report_id}.{edition}.{fmt}"


def remove_stale_temporaries(folder: Path) -> list[Path]:
    """Delete temporary files left by a killed build in `folder`; return what was deleted.

    Call only while holding the build lock, so no running build's temporary file is touched.
    """
    stale = sorted(folder.glob(".*.tmp")) if folder.is_dir() else []
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder and a rename.

    A reader (or a crash) sees either the previous complete file or the new complete file,
    never a partial one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
