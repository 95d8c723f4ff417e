"""The report reader: `report.yaml` (metadata, editions, data, section order) -> ReportRecord.

The first reader the pipeline calls; it reads each section file through `content.py`'s
per-block schema and collects every problem as a located diagnostic.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

from builder.diagnostics import BuildError, Diagnostics
from builder.locale import EDITIONS, LANGS
from builder.readers.content import (
    ID_PATTERN,
    ContentReader,
    DataSourceRecord,
    Loc,
    ParamRef,
    ReportRecord,
    Text,
    inside_folder,
)
from builder.readers.params import read_params
from builder.readers.yamlsrc import LDict, LList, load_yaml
from builder.resources import bundled

REPORT_FIELDS = {"id", "source_lang", "title", "subtitle", "date", "organisation", "authors",
                 "keywords", "confidentiality", "editions", "data", "sections", "theme",
                 "params"}


def read_report(root: Path) -> tuple[ReportRecord | None, Diagnostics]:
    """Return the records of the report folder `root` and the problems found reading it."""
    root = root.resolve()
    reader = ContentReader(root)
    path = root / "report.yaml"
    if not path.is_file():
        reader.error(Loc(path, 0), "no report.yaml in the report folder")
        return None, reader.diag
    try:
        node = load_yaml(path)
    except BuildError as exc:
        reader.diag.items.extend(exc.diagnostics)
        return None, reader.diag
    if not isinstance(node, LDict):
        reader.error(Loc(path, 1), "report.yaml must be a mapping")
        return None, reader.diag
    for key in node:
        if key not in REPORT_FIELDS:
            reader.error(reader.loc(path, node, key), f"unknown field {key!r} in report.yaml",
                         hint="allowed: " + ", ".join(sorted(REPORT_FIELDS)))
    for key in ("id", "title", "sections"):
        if key not in node:
            reader.error(Loc(path, node.line), f"report.yaml has no {key!r}")
    if reader.diag.errors:
        return None, reader.diag
    report_id = str(node["id"])
    if not ID_PATTERN.match(report_id):
        reader.error(reader.loc(path, node, "id"), f"invalid report id {report_id!r}")
    source_lang = str(node.get("source_lang", "zh"))
    if source_lang not in LANGS:
        reader.error(reader.loc(path, node, "source_lang"), "source_lang must be zh or en")
        source_lang = "zh"

    def opt_text(key: str) -> Text | None:
        if key not in node:
            return None
        return reader.text(path, node[key], reader.loc(path, node, key), key)

    title = opt_text("title")
    editions = node.get("editions", list(EDITIONS))
    if not isinstance(editions, list) or any(e not in EDITIONS for e in editions) or not editions:
        reader.error(reader.loc(path, node, "editions"), "editions must list zh, en or bilingual")
        editions = list(EDITIONS)
    authors = node.get("authors", [])
    if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
        reader.error(reader.loc(path, node, "authors"), "authors must be a list of names")
        authors = []
    keywords = _keywords(reader, path, node)
    date = _date(reader, path, node)
    params = read_params(reader, path, node["params"], reader.loc(path, node, "params")) \
        if "params" in node else ()
    data = []
    raw_data = node.get("data") or LDict()  # a report without data declares none
    if not isinstance(raw_data, LDict):
        reader.error(reader.loc(path, node, "data"), "data must map names to files")
    else:
        for name, spec in raw_data.items():
            loc = reader.loc(path, raw_data, name)
            file, query = (spec.get("file"), spec.get("query")) if isinstance(spec, LDict) \
                else (spec, None)
            if isinstance(spec, LDict):
                for key in spec:
                    if key not in ("file", "query", "where"):
                        reader.error(reader.loc(path, spec, key),
                                     f"unknown field {key!r} in data source {name!r}",
                                     hint="allowed: file, query, where")
            if not isinstance(file, str) or not re.match(r"^[A-Za-z_][A-Za-z0-9_]*$", str(name)):
                reader.error(loc, f"data source {name!r} must be `name: relative/file.csv` or "
                                  f"`name: {{file: data.sqlite, query: SELECT …}}`",
                             hint="names are identifiers (letters, digits, _)")
                continue
            if name == "params":
                reader.error(loc, "a data source cannot be named 'params': templates see the "
                                  "report's parameters by that name")
                continue
            if query is not None and not isinstance(query, str):
                reader.error(reader.loc(path, spec, "query"), "query must be an SQL text")
                continue
            target = (root / file).resolve()
            if not inside_folder(target, root):
                reader.error(loc, f"data file {file!r} is outside the report folder")
            elif not target.is_file():
                reader.error(loc, f"data file not found: {file}")
            else:
                where = reader.loc(path, spec, "query") if query is not None else loc
                conditions, where_loc = (), None
                if isinstance(spec, LDict) and "where" in spec:
                    where_loc = reader.loc(path, spec, "where")
                    conditions = _where(reader, path, spec["where"], where_loc, str(name),
                                        {p.name for p in params})
                data.append(DataSourceRecord(str(name), target, where, query, conditions,
                                             where_loc))
    sections = []
    raw_sections = node["sections"]
    if not isinstance(raw_sections, LList) or not raw_sections:
        reader.error(reader.loc(path, node, "sections"), "sections must list section files")
    else:
        for index, file in enumerate(raw_sections):
            loc = Loc(path, raw_sections.line_of(index))
            target = (root / str(file)).resolve()
            if not inside_folder(target, root):
                reader.error(loc, f"section file {file!r} is outside the report folder")
            elif not target.is_file():
                reader.error(loc, f"section file not found: {file}")
            else:
                section = reader.section(target)
                if section:
                    sections.append(section)
    if title is None:
        return None, reader.diag
    record = ReportRecord(
        root=root, id=report_id, source_lang=source_lang, title=title,
        subtitle=opt_text("subtitle"), date=date,
        organisation=opt_text("organisation"), authors=tuple(authors), keywords=keywords,
        confidentiality=opt_text("confidentiality"), editions=tuple(editions), data=tuple(data),
        sections=tuple(sections), loc=Loc(path, 1), all_ids=dict(reader.ids),
        editions_line=reader.loc(path, node, "editions").line if "editions" in node else 1,
        params=params, param_values={p.name: p.default for p in params})
    return record, reader.diag


_PARAM_REF = re.compile(r"^\{\{\s*params\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$")


def _where(reader: ContentReader, path: Path, node: Any, loc: Loc, source: str,
           declared: set[str]) -> tuple[tuple[str, Any], ...]:
    """Return the `where:` conditions of data source `source`: column -> literal or ParamRef."""
    if not isinstance(node, LDict) or not node:
        reader.error(loc, f"where of data source {source!r} must map columns to values",
                     hint="e.g. where: {region: '{{ params.region }}'}")
        return ()
    conditions: list[tuple[str, Any]] = []
    for column, value in node.items():
        at = reader.loc(path, node, column)
        if isinstance(value, str) and "{{" in value:
            match = _PARAM_REF.match(value.strip())
            if not match:
                reader.error(at, f"where value {value!r} must be a literal or "
                                 f"'{{{{ params.NAME }}}}'")
                continue
            if match[1] not in declared:
                reader.error(at, f"where names the undeclared parameter {match[1]!r}",
                             hint="declared: " + (", ".join(sorted(declared)) or "none"))
                continue
            conditions.append((str(column), ParamRef(match[1])))
        elif isinstance(value, str | int | float | bool):
            conditions.append((str(column), value))
        else:
            reader.error(at, f"where value of column {column!r} must be a number or a text")
    return tuple(conditions)


def _keywords(reader: ContentReader, path: Path, node: LDict) -> dict[str, tuple[str, ...]]:
    """Return the keywords per language: `[…]` for both, or `{zh: […], en: […]}`."""
    raw = node.get("keywords", [])
    loc = reader.loc(path, node, "keywords")
    hint = "write keywords: [a, b] or keywords: {zh: [甲, 乙], en: [a, b]}"

    def words(value: Any) -> tuple[str, ...] | None:
        if isinstance(value, list) and all(isinstance(k, str | int | float)
                                           and not isinstance(k, bool) for k in value):
            return tuple(str(k) for k in value)
        return None

    if isinstance(raw, LDict):
        result: dict[str, tuple[str, ...]] = {}
        for lang in LANGS:
            found = words(raw.get(lang, []) or [])
            if found is None:
                reader.error(reader.loc(path, raw, lang), f"keywords.{lang} must be a list of "
                                                          f"words", hint=hint)
                found = ()
            result[lang] = found
        return result
    found = words(raw)
    if found is None:
        reader.error(loc, "keywords must be a list of words", hint=hint)
        found = ()
    return {lang: found for lang in LANGS}


def _date(reader: ContentReader, path: Path, node: LDict) -> str:
    """Return the report date as an ISO text, reporting one that is not a real date."""
    if "date" not in node:
        return ""
    raw = node["date"]
    text = raw.isoformat() if isinstance(raw, datetime.date) else str(raw)
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        reader.error(reader.loc(path, node, "date"), f"date {text!r} is not a date",
                     hint="write it as YYYY-MM-DD, e.g. 2025-06-30")
        return ""
    return text


def report_theme(root: Path) -> str | None:
    """Return the `theme:` of `root`/report.yaml (None when it names none); raise BuildError
    when it is not a text, or names a folder outside the report folder.

    Read before the rest of the report, since the build hashes the theme's files first. A
    theme chosen by the content may only be a bundled name or a folder inside the report.
    """
    path = root / "report.yaml"
    node = load_yaml(path)
    if not isinstance(node, LDict) or "theme" not in node:
        return None
    value = node["theme"]
    line = node.line_of("theme")
    if not isinstance(value, str) or not value.strip():
        raise BuildError.at(path, line, "theme must be a theme name or a folder in the report",
                            hint="e.g. theme: classic, or theme: theme/ with theme/theme.yaml")
    if "/" not in value and (bundled("templates") / "themes" / value / "theme.yaml").is_file():
        return value
    if not inside_folder((root / value).resolve(), root.resolve()):
        raise BuildError.at(path, line, f"theme folder {value!r} is outside the report folder")
    return value
