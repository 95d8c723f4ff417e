"""Where the tool's own files are: themes, i18n terms, fonts, logos and the example reports.

In a checkout they are the top-level folders `templates/`, `assets/` and `content/`; the wheel
carries the same folders inside the package as `builder/_bundled/<name>/` (mapped in
pyproject.toml), so an installed tool needs nothing from a checkout. Everything that reads
them asks `bundled()`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

#: The folders a build may read from the tool itself.
BUNDLED = ("templates", "assets", "content")


@cache
def bundled(name: str) -> Path:
    """Return the folder `name` (one of BUNDLED): the installed copy, else the checkout's."""
    if name not in BUNDLED:
        raise ValueError(f"unknown bundled folder {name!r}")
    installed = Path(str(resources.files("builder"))) / "_bundled" / name
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[1] / name


def example_reports() -> dict[str, Path]:
    """Return the example reports shipped with the tool, by name (`gpu-market`)."""
    root = bundled("content")
    return {p.parent.name: p.parent for p in sorted(root.glob("*/report.yaml"))}
