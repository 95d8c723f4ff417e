"""A chart's recorded drawing (`charts/vector.py`) as the engines read it back from the cache.

Both the PDF engine (which replays it) and the DOCX engine (which turns it into Word shapes)
load it here: parsed once per process while the file is unchanged, with no engine's imports.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any


@lru_cache(maxsize=64)
def _load(path: Path, stamp: int) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "ops" not in data:
        raise ValueError(f"{path} is not a chart drawing")
    return data


def load_drawing(path: Path) -> dict[str, Any]:
    """Return the drawing saved at `path` (parsed once per process while the file is unchanged).

    Raise OSError when it cannot be read, ValueError when it is not a drawing."""
    return _load(path, path.stat().st_mtime_ns)
