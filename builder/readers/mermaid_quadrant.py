"""The mermaid `quadrantChart`: title, axis texts, quadrant names, points and their styles.

One mermaid diagram family of `readers/mermaid.py`'s `READERS`; its errors are located
`BuildError`s. As mermaid 11's grammar: a coordinate is `0`, `0.x` or `1` (`1.0` or `1.5` is
refused); `x-axis Low -->` with no right text ends the left one with " ⟶ "; a point takes
`:::class` and the styles `color`, `radius`, `stroke-color` and `stroke-width` (`classDef`
gives a class's, a point's own win).
"""

from __future__ import annotations

import re

from builder.model.charts import QuadrantPoint, QuadrantSpec
from builder.readers.mermaid_common import (
    Line,
    Source,
    clean_label,
    hex_colour,
    title_line,
    unquote,
)

_AXIS = re.compile(r"([xy])-axis\s+(.*?)\s*$")
_ARROW = re.compile(r"\s*--+>\s*")
_QUADRANT = re.compile(r"quadrant-([1-4])(?:\s+(.*))?$")
_COORD = r"\s*(1|0(?:\.\d+)?)\s*"
_POINT = re.compile(r"(.+?)(?::::([\w-]+))?\s*:\s*\[" + _COORD + "," + _COORD + r"\]\s*(.*)$")
_CLASSDEF = re.compile(r"classDef\s+([\w-]+)\s+(.*)$")
_HEX = re.compile(r"#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}")
_STYLE_KEYS = ("color", "radius", "stroke-color", "stroke-width")


def _text(raw: str) -> str:
    return clean_label(unquote(raw))


def _styles(src: Source, line: Line, text: str) -> dict[str, str | float]:
    """Return `color: #f00, radius: 10, stroke-width: 2px` as a dict; anything else is an error."""
    result: dict[str, str | float] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, colon, value = (s.strip() for s in item.partition(":"))
        if not colon or key not in _STYLE_KEYS:
            raise src.error(line.number, f"cannot read point style {item!r}",
                            hint="styles: color, radius, stroke-color, stroke-width")
        if key in ("color", "stroke-color"):
            if not _HEX.fullmatch(value):
                raise src.error(line.number, f"{key} must be a colour like #ff3300, "
                                f"not {value!r}")
            result[key] = hex_colour(value)
        else:
            m = re.fullmatch(r"(\d+(?:\.\d+)?)(px)?", value)
            if not m or (key == "radius" and m.group(2)):
                raise src.error(line.number, f"{key} must be a number"
                                + (" of pixels, like 2px" if key == "stroke-width" else "")
                                + f", not {value!r}")
            number = float(m.group(1))
            if not 0 < number <= 40:
                raise src.error(line.number, f"{key} must be more than 0 and at most 40")
            result[key] = number
    return result


def read_quadrant(src: Source) -> QuadrantSpec:
    """Read `quadrantChart` and its statements."""
    head = src.lines[0]
    if head.text != "quadrantChart":
        raise src.error(head.number, f"cannot read quadrantChart header {head.text!r}")
    title = src.title
    axes = {"x": ("", ""), "y": ("", "")}
    names = ["", "", "", ""]
    classes: dict[str, dict[str, str | float]] = {}
    raw_points: list[tuple[Line, str, str | None, float, float, dict[str, str | float]]] = []
    for line in src.lines[1:]:
        found = title_line(src, line)
        if found is not None:
            title = found
        elif (m := _AXIS.match(line.text)):
            parts = _ARROW.split(m.group(2), maxsplit=1)
            low = _text(parts[0])
            high = _text(parts[1]) if len(parts) > 1 else ""
            if len(parts) > 1 and not high:
                low += " ⟶ "
            axes[m.group(1)] = (low, high)
        elif (m := _QUADRANT.match(line.text)):
            names[int(m.group(1)) - 1] = _text(m.group(2) or "")
        elif (m := _CLASSDEF.match(line.text)):
            classes[m.group(1)] = _styles(src, line, m.group(2))
        elif (m := _POINT.match(line.text)):
            raw_points.append((line, _text(m.group(1)), m.group(2), float(m.group(3)),
                               float(m.group(4)), _styles(src, line, m.group(5))))
        elif re.match(r"[^:]+:\s*\[", line.text):
            raise src.error(line.number, f"cannot read point {line.text!r}",
                            hint="write Name: [x, y] with x and y 0, 0.x or 1")
        else:
            raise src.error(line.number, f"cannot read quadrantChart line {line.text!r}")
    points = []
    for line, label, cls, x, y, own in raw_points:
        if cls is not None and cls not in classes:
            raise src.error(line.number, f"unknown class {cls!r}", hint="define it with classDef")
        look = {**classes.get(cls or "", {}), **own}
        points.append(QuadrantPoint(
            label, x, y, look.get("color"), look.get("radius"),  # type: ignore[arg-type]
            look.get("stroke-color"), look.get("stroke-width")))  # type: ignore[arg-type]
    return QuadrantSpec(title, axes["x"], axes["y"],
                        (names[0], names[1], names[2], names[3]), tuple(points))
