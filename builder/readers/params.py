"""Report parameters: `params:` in report.yaml declares them, a build gives their values.

A declaration names each parameter with a type (`text`, `integer`, `number` or `boolean`), a
default, optionally the values allowed and a label in both languages:

    params:
      region:
        type: text
        default: global
        values: [global, APAC, EMEA]
        label: {zh: 地区, en: Region}

Templates see the values as `params` (`{{ params.region }}`); a SQLite query binds them as named
parameters (`WHERE region = :region`), never by formatting them into the SQL text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from builder.diagnostics import BuildError, Diagnostic, display_path
from builder.readers.content import ContentReader, Loc, Text
from builder.readers.yamlsrc import LDict, LList

TYPES = ("text", "integer", "number", "boolean")
FIELDS = {"type", "default", "values", "label"}
NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: The longest text value a parameter may take (it is printed into titles and sentences).
MAX_TEXT = 200

ParamValue = str | int | float | bool


@dataclass(frozen=True)
class Param:
    """One declared parameter."""

    name: str
    type: str
    default: ParamValue
    values: tuple[ParamValue, ...]
    label: Text | None
    loc: Loc


def convert(kind: str, raw: Any) -> ParamValue:
    """Return `raw` (from YAML or the command line) as a value of `kind`; raise ValueError."""
    if kind == "boolean":
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in ("true", "yes", "1"):
            return True
        if word in ("false", "no", "0"):
            return False
        raise ValueError("is not a boolean (true or false)")
    if isinstance(raw, bool):
        raise ValueError(f"is not {'a text' if kind == 'text' else 'a number'}")
    if kind == "integer":
        try:
            return int(str(raw).strip())
        except ValueError:
            raise ValueError("is not an integer") from None
    if kind == "number":
        try:
            value = float(str(raw).strip())
        except ValueError:
            raise ValueError("is not a number") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("is not a finite number")
        return value
    text = str(raw)
    if len(text) > MAX_TEXT:
        raise ValueError(f"is longer than {MAX_TEXT} characters")
    if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in text):
        raise ValueError("holds a control character")
    return text


def read_params(reader: ContentReader, path: Path, node: Any, loc: Loc) -> tuple[Param, ...]:
    """Return the parameters declared by report.yaml's `params:` mapping; report bad ones."""
    if not isinstance(node, LDict):
        reader.error(loc, "params must map parameter names to their declarations")
        return ()
    result = []
    for name, spec in node.items():
        where = reader.loc(path, node, name)
        if not NAME.match(str(name)) or not isinstance(spec, LDict):
            reader.error(where, f"parameter {name!r} must be `name: {{type: …, default: …}}`",
                         hint="names are identifiers (letters, digits, _)")
            continue
        for key in spec:
            if key not in FIELDS:
                reader.error(reader.loc(path, spec, key), f"unknown field {key!r} in parameter "
                             f"{name!r}", hint="allowed: " + ", ".join(sorted(FIELDS)))
        kind = spec.get("type", "text")
        if kind not in TYPES:
            reader.error(reader.loc(path, spec, "type"), f"parameter {name!r} type must be "
                         + ", ".join(TYPES))
            continue
        if "default" not in spec:
            reader.error(where, f"parameter {name!r} needs a default")
            continue
        try:
            default = convert(kind, spec["default"])
            raw_values = spec.get("values")
            if raw_values is not None and not isinstance(raw_values, LList):
                raise ValueError("values must be a list")
            values = tuple(convert(kind, v) for v in raw_values or ())
        except ValueError as exc:
            reader.error(reader.loc(path, spec, "default"), f"parameter {name!r}: {exc}")
            continue
        if values and default not in values:
            reader.error(reader.loc(path, spec, "default"), f"parameter {name!r}: the default "
                         f"{default!r} is not one of its values")
            continue
        label = reader.text(path, spec["label"], reader.loc(path, spec, "label"),
                            f"label of parameter {name!r}") if "label" in spec else None
        result.append(Param(str(name), kind, default, values, label, where))
    return tuple(result)


def resolve(params: tuple[Param, ...], given: Mapping[str, Any],
            where: tuple[Path, int] | None = None) -> dict[str, ParamValue]:
    """Return every parameter's value: `given` over the defaults; raise BuildError on problems.

    `where` locates the given values (a variants file's row); without it problems are located
    at the parameter's declaration in report.yaml.
    """
    declared = {p.name: p for p in params}
    problems = []
    first = params[0].loc if params else None
    for name in given:
        if name not in declared:
            path, line = where or ((first.path, first.line) if first else (Path("report.yaml"),
                                                                           1))
            known = ", ".join(declared) or "none"
            problems.append(Diagnostic(display_path(path), line, "error",
                                       f"unknown parameter {name!r}", f"declared: {known}"))
    values: dict[str, ParamValue] = {}
    for param in params:
        if param.name not in given:
            values[param.name] = param.default
            continue
        path, line = where or (param.loc.path, param.loc.line)
        try:
            value = convert(param.type, given[param.name])
        except ValueError as exc:
            problems.append(Diagnostic(display_path(path), line, "error",
                                       f"parameter {param.name!r}: {given[param.name]!r} {exc}"))
            continue
        if param.values and value not in param.values:
            allowed = ", ".join(str(v) for v in param.values)
            problems.append(Diagnostic(display_path(path), line, "error",
                                       f"parameter {param.name!r}: {value!r} is not one of "
                                       f"{allowed}"))
            continue
        values[param.name] = value
    if problems:
        raise BuildError(problems)
    return values
