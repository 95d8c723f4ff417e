"""The mermaid `radar-beta` and the seed reports' own `radar` dialect.

One mermaid diagram family of `readers/mermaid.py`'s `READERS`; its errors are located
`BuildError`s.
"""

from __future__ import annotations

import re

from builder.model.charts import (
    RadarAxis,
    RadarSeries,
    RadarSpec,
)
from builder.readers.mermaid_common import (
    Line,
    Source,
    clean_label,
    parse_number,
    split_outside_quotes,
    title_line,
    unquote,
)

_RADAR_ITEM = re.compile(r'\s*([^\s,\["{]+)\s*(?:\[\s*"([^"]*)"\s*\])?\s*')


def read_radar_beta(src: Source) -> RadarSpec:
    """Read `radar-beta`: title, `axis` and `curve` lines and the documented options."""
    title = src.title
    axes: list[RadarAxis] = []
    curves: list[tuple[int, str, str, str]] = []  # line, id, label, value body
    options: dict[str, str] = {}
    for line in _join_curve_bodies(src.lines[1:]):
        t = line.text
        found = title_line(src, line)
        if found is not None:
            title = found
        elif t.startswith("axis ") or t == "axis":
            rest, pos = t[4:], 0
            while pos < len(rest):
                m = _RADAR_ITEM.match(rest, pos)
                if not m or not m.group(1):
                    raise src.error(line.number, f"cannot read axis list {rest.strip()!r}")
                ident = m.group(1)
                if any(a.id == ident for a in axes):
                    raise src.error(line.number, f"duplicate radar axis {ident!r}")
                axes.append(RadarAxis(ident, clean_label(m.group(2)) if m.group(2) else ident))
                pos = m.end()
                if pos < len(rest) and rest[pos] == ",":
                    pos += 1
                elif pos < len(rest):
                    raise src.error(line.number, f"cannot read axis list {rest.strip()!r}")
        elif t.startswith("curve"):
            rest, pos = t[5:], 0
            while pos < len(rest):
                m = _RADAR_ITEM.match(rest, pos)
                if not m or not m.group(1) or m.end() >= len(rest) or rest[m.end()] != "{":
                    raise src.error(line.number, f"cannot read curve {rest.strip()!r}",
                                    hint='write curve id["Label"]{1, 2, 3}')
                close = rest.find("}", m.end())
                if close < 0:
                    raise src.error(line.number, "curve values are not closed by '}'")
                label = clean_label(m.group(2)) if m.group(2) else m.group(1)
                curves.append((line.number, m.group(1), label, rest[m.end() + 1:close]))
                pos = close + 1
                while pos < len(rest) and rest[pos] in " ,":
                    pos += 1
        elif (m := re.match(r"(showLegend|max|min|graticule|ticks|tickLabels\w*)\b\s*(.*)$", t)):
            options[m.group(1)] = m.group(2).strip()
            if m.group(1) in ("max", "min", "ticks"):
                parse_number(src, line.number, m.group(2), m.group(1))
        else:
            raise src.error(line.number, f"cannot read radar line {t!r}",
                            hint="expected title, axis, curve or an option")
    if len(axes) < 3:
        raise src.error(src.lines[0].number, "a radar chart needs at least 3 axes")
    series = []
    for number, ident, label, body in curves:
        series.append(RadarSeries(ident, label, _curve_values(src, number, body, axes)))
    return _radar_spec(src, title, axes, series, options)


def _join_curve_bodies(lines: list[Line]) -> list[Line]:
    """Return the lines with a `curve …{` body that spans lines joined onto its first line."""
    out: list[Line] = []
    for line in lines:
        if out and out[-1].text.startswith("curve") and \
                out[-1].text.count("{") > out[-1].text.count("}"):
            out[-1] = Line(out[-1].number, out[-1].text + " " + line.text)
        else:
            out.append(line)
    return out


_ENTRY = re.compile(r"\s*([^\s:,]+)\s*(?::\s*|\s+)(\S+)\s*$")


def _curve_values(src: Source, line: int, body: str, axes: list[RadarAxis]) -> tuple[float, ...]:
    items = [p.strip() for p in body.split(",") if p.strip()]
    if items and all(_ENTRY.match(p) for p in items):  # `axis: value` or `axis value`
        by_axis: dict[str, float] = {}
        for item in items:
            m = _ENTRY.match(item)
            assert m is not None
            key, value = m.group(1), m.group(2)
            if key.strip() not in {a.id for a in axes}:
                raise src.error(line, f"curve names unknown axis {key.strip()!r}")
            by_axis[key.strip()] = parse_number(src, line, value, "curve value")
        missing = [a.id for a in axes if a.id not in by_axis]
        if missing:
            raise src.error(line, f"curve has no value for axis {missing[0]!r}")
        return tuple(by_axis[a.id] for a in axes)
    values = tuple(parse_number(src, line, p, "curve value") for p in items)
    if len(values) != len(axes):
        raise src.error(line, f"curve has {len(values)} values for {len(axes)} axes")
    return values


def _radar_spec(src: Source, title: str | None, axes: list[RadarAxis],
                series: list[RadarSeries], options: dict[str, str]) -> RadarSpec:
    head = src.lines[0].number
    if not series:
        raise src.error(head, "radar chart has no curves")
    low = float(options["min"]) if "min" in options else 0.0
    high = float(options["max"]) if "max" in options else max(max(s.values) for s in series)
    if high <= low:
        raise src.error(head, "radar max must be above min")
    graticule = options.get("graticule", "circle")
    return RadarSpec(title, tuple(axes), tuple(series), low, high,
                     "polygon" if graticule == "polygon" else "circle",
                     max(1, min(int(float(options.get("ticks", "5"))), 10)),
                     options.get("showLegend", "true") != "false")


def read_radar_seed(src: Source) -> RadarSpec:
    """Read the seed reports' `radar` dialect: `label NAME` axes and `data NAME, v1, v2…` rows."""
    title = src.title
    axes: list[RadarAxis] = []
    series: list[RadarSeries] = []
    options: dict[str, str] = {}
    for line in src.lines[1:]:
        t = line.text
        found = title_line(src, line)
        if found is not None:
            title = found
        elif (m := re.match(r"label\s+(.+)$", t)):
            name = clean_label(unquote(m.group(1)))
            axes.append(RadarAxis(name, name))
        elif (m := re.match(r"data\s+(.+)$", t)):
            try:
                parts = split_outside_quotes(m.group(1), ",")
            except ValueError:
                raise src.error(line.number, "unclosed quote in data line") from None
            name = clean_label(unquote(parts[0]))
            values = tuple(parse_number(src, line.number, p, "data value") for p in parts[1:])
            if len(values) != len(axes):
                raise src.error(line.number, f"data {name!r} has {len(values)} values for "
                                f"{len(axes)} labels")
            series.append(RadarSeries(name, name, values))
        elif (m := re.match(r"(max|min)\s+(\S+)$", t)):
            options[m.group(1)] = str(parse_number(src, line.number, m.group(2), m.group(1)))
        else:
            raise src.error(line.number, f"cannot read radar line {t!r}",
                            hint="expected title, label or data")
    if len(axes) < 3:
        raise src.error(src.lines[0].number, "a radar chart needs at least 3 labels")
    if "max" not in options and series:
        top = max(max(s.values) for s in series)
        options["max"] = "100" if 0 < top <= 100 else str(top)  # scores out of 100
    return _radar_spec(src, title, axes, series, options)
