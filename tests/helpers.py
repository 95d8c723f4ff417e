"""Helpers shared by tests: paths of the bundled report and small file edits."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORT = ROOT / "content" / "gpu-market"
# The Chinese source of the bundled report, kept here so tests need nothing outside the repo.
SEED = ROOT / "tests" / "data" / "gpu-market-report.zh.md"


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace `old` by `new` in the file at `path`; fail when `old` is absent."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """Return the 1-based number of the first line of `path` containing `needle`."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


HAN_RE = re.compile(r"[\u3400-\u9fff]")
CLOSING = "，。、；：？！）》」』”’%)"
OPENING = "（《「『“‘"


def seed_texts() -> list[str]:
    """Return the Chinese text units of the seed: paragraphs, list items, table cells, links.

    Markdown markup is stripped (emphasis, link targets, list and heading markers); mermaid
    blocks are skipped (their labels are checked with the charts).
    """
    units: list[str] = []
    in_code = False
    for raw in SEED.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("```"):
            in_code = not in_code
            continue
        if in_code or not line or set(line) <= set("-|: "):
            continue
        line = re.sub(r"^#+\s*", "", line)
        line = re.sub(r"^([-*]|\d+\.)\s+", "", line)
        line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)
        line = line.replace("**", "").strip("*")
        cells = [c.strip() for c in line.strip("|").split("|")] if line.startswith("|") else [line]
        units.extend(c for c in cells if c and HAN_RE.search(c))
    return units


def printed(text: str) -> str:
    """Return content text as the engines set it, squashed: punctuation by the rules
    (locale.typography), and brackets dropped, since an inline source is set in brackets
    ("…35%（来源：Credence Research）") where the content writes none."""
    from builder.locale.typography import chinese

    return unbracketed(chinese(text))


def unbracketed(text: str) -> str:
    """Return `text` squashed and without brackets, for comparing content text with an output
    that sets an inline source in brackets (the DOCX does; it keeps the punctuation)."""
    return re.sub(r"[（）()]", "", squash(text))


def squash(text: str) -> str:
    """Return `text` without any whitespace, for comparing text that was wrapped into lines."""
    return re.sub(r"\s+", "", text)


def docx_text(path: Path) -> str:
    """Return the text of every paragraph of a DOCX body (table cells included), one a line.

    Read from the `w:t` elements: python-docx's `Paragraph.text` skips content controls,
    where the engine puts text generated from data.
    """
    import docx
    from docx.oxml.ns import qn

    body = docx.Document(str(path)).element.body
    return "\n".join("".join(t.text or "" for t in p.iter(qn("w:t")))
                     for p in body.iter(qn("w:p")))


def cli(*args: str) -> tuple[int, str]:
    """Run `report-builder ARGS` in this process; return its exit code and output (never a
    traceback)."""
    from click.testing import CliRunner

    from builder.cli import main

    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def demo_report(folder: Path, blocks: str = "") -> Path:
    """Return a new Chinese-source report `folder/demo` (`report-builder new`), with the YAML
    `blocks` appended to its one section."""
    from builder.authoring.scaffold import scaffold

    root = folder / "demo"
    scaffold(root, "demo", "zh")
    section = root / "sections" / "01-overview.yaml"
    section.write_text(section.read_text(encoding="utf-8") + blocks, encoding="utf-8")
    return root


def logging_soffice(folder: Path) -> tuple[Path, Path]:
    """Write a LibreOffice program into `folder` that logs each command line, then runs the
    real one; return it and its log (point `REPORT_BUILDER_SOFFICE` at the program)."""
    log = folder / "runs.log"
    program = folder / "soffice"
    program.write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec {shutil.which("soffice")} "$@"\n',
                       encoding="utf-8")
    program.chmod(0o755)
    return program, log
