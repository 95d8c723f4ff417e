"""Engines: the one registry of output formats, each a module that turns a `Document` into bytes.

An engine module has `render(document, theme, **options) -> bytes` and may have
`prepare(theme)` (set-up a worker runs once before its first output). Every other list of
formats (the CLI's `--format` choices, the chart files a build draws, the order outputs start
in) is derived from `ENGINES`. Adding a format is one package plus one line here; importing
this module imports no engine.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType


@dataclass(frozen=True)
class Engine:
    """One output format."""

    # The module holding `render()` (imported only when an output of this format is built).
    module: str
    # Chart cache files the engine reads besides the recorded vector drawing ("png", "svg").
    chart_files: tuple[str, ...] = ()
    # Relative time one output takes, so the longest outputs of a build start first.
    cost: float = 1.0
    # The output is a PDF, whose page count the manifest records.
    paged: bool = False


ENGINES: dict[str, Engine] = {
    "pdf": Engine("builder.engines.pdf", cost=2.0, paged=True),
    "docx": Engine("builder.engines.docx", chart_files=("png",), cost=1.0),
}


def formats() -> tuple[str, ...]:
    """Return the registered output formats, in registry order."""
    return tuple(ENGINES)


def engine_module(fmt: str) -> ModuleType:
    """Return the engine module of `fmt` (importing it on first use)."""
    return importlib.import_module(ENGINES[fmt].module)
