"""Located problems (`path:line: error: message`) collected by every stage, and the build error.

Stages append `Diagnostic`s to a `Diagnostics` list instead of raising on the first problem, so a
user sees every problem of a run at once. `BuildError` carries them out of the pipeline; the CLI
prints one line each and exits 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    """One problem at `path:line`. `line` is 1-based; 0 means the whole file."""

    path: str
    line: int
    severity: Severity
    message: str
    hint: str = ""

    def format(self) -> str:
        """Return the one-line form `path:line: severity: message (hint)`."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.severity}: {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text


def display_path(path: Path | str) -> str:
    """Return `path` relative to the working directory when it lies below it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


@dataclass
class Diagnostics:
    """An ordered collection of diagnostics."""

    items: list[Diagnostic] = field(default_factory=list)

    def error(self, path: Path | str, line: int, message: str, hint: str = "") -> None:
        """Record an error at `path:line`."""
        self.items.append(Diagnostic(display_path(path), line, "error", message, hint))

    def warning(self, path: Path | str, line: int, message: str, hint: str = "") -> None:
        """Record a warning at `path:line`."""
        self.items.append(Diagnostic(display_path(path), line, "warning", message, hint))

    def extend(self, other: Diagnostics) -> None:
        """Append every diagnostic of `other`."""
        self.items.extend(other.items)

    @property
    def errors(self) -> list[Diagnostic]:
        """Return the errors only."""
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        """Return the warnings only."""
        return [d for d in self.items if d.severity == "warning"]

    def failed(self, strict: bool = False) -> bool:
        """Return True when there is an error, or any diagnostic at all in strict mode."""
        return bool(self.errors) or (strict and bool(self.items))


class BuildError(Exception):
    """Raised by a stage that cannot go on; carries the located diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(d.format() for d in diagnostics))
        self.diagnostics = diagnostics

    @classmethod
    def at(cls, path: Path | str, line: int, message: str, hint: str = "") -> BuildError:
        """Return a BuildError holding a single error at `path:line`."""
        return cls([Diagnostic(display_path(path), line, "error", message, hint)])
