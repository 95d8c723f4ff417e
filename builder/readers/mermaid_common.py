"""Shared parts of the mermaid readers: source lines with their numbers, labels and numbers.

`prepare` turns mermaid text into meaningful lines (front matter read, `%%{init}%%` directives,
`%%` comments and accessibility lines removed); the helpers decode labels and read numbers with
located errors. Used by every `mermaid_<family>.py` reader.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from builder.diagnostics import BuildError
from builder.locale.numbers import MAX_PRINTABLE


@dataclass(frozen=True)
class Line:
    """One meaningful source line: its text without comments, its 1-based line number and how
    far it is indented (in characters, a tab counting as one, as mermaid counts)."""

    number: int
    text: str
    indent: int = 0


class Source:
    """The lines of one diagram and where they came from, for located errors."""

    def __init__(self, path: Path, lines: list[Line], title: str | None) -> None:
        self.path = path
        self.lines = lines
        self.title = title

    def error(self, line: int, message: str, hint: str = "") -> BuildError:
        """Return a BuildError at `line` of the source file."""
        return BuildError.at(self.path, line, message, hint)
_DIRECTIVE = re.compile(r"%%\{.*?\}%%", re.S)
_ENTITY = re.compile(r"#(\w+);")
_BR = re.compile(r"<br\s*/?>", re.I)


def prepare(text: str, path: Path, first_line: int) -> Source:
    """Return the meaningful lines: front matter read, directives and comments removed."""
    raw = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    # Directives may span lines: blank them out but keep the line count.
    raw = _DIRECTIVE.sub(lambda m: "\n" * m.group(0).count("\n"), raw)
    rows = raw.split("\n")
    title: str | None = None
    start = 0
    while start < len(rows) and not rows[start].strip():
        start += 1
    if start < len(rows) and rows[start].strip() == "---":
        end = next((i for i in range(start + 1, len(rows)) if rows[i].strip() == "---"), None)
        if end is None:
            raise BuildError.at(path, first_line + start, "front matter is not closed by '---'")
        try:
            meta = yaml.safe_load("\n".join(rows[start + 1:end]))
        except yaml.YAMLError as exc:
            raise BuildError.at(path, first_line + start, f"invalid front matter: {exc}") from None
        if meta is not None and not isinstance(meta, dict):
            raise BuildError.at(path, first_line + start, "front matter must be a mapping")
        if meta and meta.get("title") is not None:
            title = str(meta["title"])
        start = end + 1
    lines: list[Line] = []
    in_descr = False
    for index in range(start, len(rows)):
        stripped = rows[index].strip()
        if in_descr:
            in_descr = "}" not in stripped
            continue
        if not stripped or stripped.startswith("%%"):
            continue
        if re.match(r"accDescr\s*\{", stripped):
            in_descr = "}" not in stripped
            continue
        if re.match(r"acc(Title|Descr)\s*:", stripped):
            continue
        if any(ord(ch) < 32 and ch != "\t" for ch in stripped):
            raise BuildError.at(path, first_line + index, "control character in mermaid source")
        raw = rows[index]
        lines.append(Line(first_line + index, stripped, len(raw) - len(raw.lstrip())))
    return Source(path, lines, title)


def clean_label(text: str) -> str:
    """Return display text: `<br>` as a newline, mermaid `#quot;` and HTML entities decoded."""
    text = _BR.sub("\n", text)

    def entity(m: re.Match[str]) -> str:
        name = m.group(1)
        if name.isdigit():
            code = int(name)
            return chr(code) if 0 < code < 0x110000 and code >= 32 else ""
        return html.unescape(f"&{name};") if name != "br" else "\n"

    text = _ENTITY.sub(entity, text)
    text = html.unescape(text)
    text = "".join(ch for ch in text if ch == "\n" or ord(ch) >= 32)
    return "\n".join(part.strip() for part in text.split("\n")).strip()


def unquote(text: str) -> str:
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    return text


def markdown_string(text: str) -> str:
    """Return a mermaid markdown string ("`**bold** text`") as plain text."""
    if len(text) >= 2 and text.startswith("`") and text.endswith("`"):
        text = text[1:-1]
        text = re.sub(r"\*\*(.+?)\*\*|__(.+?)__", lambda m: m.group(1) or m.group(2), text)
        text = re.sub(r"\*(.+?)\*|_(.+?)_", lambda m: m.group(1) or m.group(2), text)
    return text


_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def parse_number(src: Source, line: int, text: str, what: str) -> float:
    text = text.strip()
    if not _NUMBER.fullmatch(text):
        raise src.error(line, f"{what} is not a number: {text!r}")
    value = float(text)
    if not math.isfinite(value) or abs(value) >= MAX_PRINTABLE:
        raise src.error(line, f"{what} is outside what a chart can show: {text!r}")
    return value


def split_outside_quotes(text: str, sep: str) -> list[str]:
    parts, buf, quote = [], [], ""
    for ch in text:
        if quote:
            buf.append(ch)
            if ch == quote:
                quote = ""
        elif ch == '"':
            quote = ch
            buf.append(ch)
        elif ch == sep:
            parts.append("".join(buf))
            buf = []
        else:
            buf.append(ch)
    if quote:
        raise ValueError("unclosed quote")
    parts.append("".join(buf))
    return parts


def title_line(src: Source, line: Line) -> str | None:
    """Return the title of a `title …` line, or None when the line is something else."""
    m = re.match(r"title(?:\s+(.*))?$", line.text)
    if not m:
        return None
    return clean_label(unquote(m.group(1) or ""))


def hex_colour(text: str) -> str:
    """Return `#rgb` or `#rrggbb` as `#RRGGBB`."""
    digits = text[1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits.upper()
