"""Localized text: jinja2 data expressions rendered per language, then inline Markdown to spans.

Templates run in `sandbox.ReportSandbox` with `StrictUndefined`: a mistyped name or a missing data
row is a located error, never an empty string, and a template sees plain values only (data
tables become `TemplateTable`s). Filters format numbers per language (see numbers.py).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import lru_cache
from typing import Any

import jinja2

from builder.compose.sandbox import GENERATED_CLOSE, GENERATED_OPEN, ReportSandbox, TemplateTable
from builder.locale.numbers import (
    MAX_PRINTABLE,
    SCALES,
    format_date,
    format_money,
    format_number,
    format_percent,
)
from builder.model.document import Span
from builder.readers.data import DataTable, MissingDataError

_TEMPLATE_MARK = re.compile(r"\{\{|\{%")


class TextError(Exception):
    """A template problem; `line_offset` is the line inside the text (0 for the first)."""

    def __init__(self, message: str, line_offset: int = 0) -> None:
        super().__init__(message)
        self.line_offset = line_offset


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TextError(f"{what} expects a number, got {value!r}")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number) or abs(number) >= MAX_PRINTABLE:
        raise TextError(f"{what}: {value if isinstance(value, float) else number:.6g} is "
                        f"outside what a report prints (at most ±{MAX_PRINTABLE:.0e})")
    return number


def _scale(scale: str) -> str:
    if scale not in SCALES:
        raise TextError(f"unknown scale {scale!r} (use one of {', '.join(SCALES)})")
    return scale


def _digits(digits: Any) -> int:
    if isinstance(digits, bool) or not isinstance(digits, int) or not 0 <= digits <= 6:
        raise TextError(f"digits must be a whole number from 0 to 6, got {digits!r}")
    return digits


@lru_cache(maxsize=4)
def environment(lang: str) -> ReportSandbox:
    """Return the sandboxed jinja2 environment whose filters format for `lang`."""
    return ReportSandbox({
        "usd": lambda v, scale="one", digits=2: format_money(
            _number(v, "usd"), lang, "USD", _scale(scale), _digits(digits)),
        "money": lambda v, currency="USD", scale="one", digits=2: format_money(
            _number(v, "money"), lang, str(currency)[:8], _scale(scale), _digits(digits)),
        "number": lambda v, scale="one", digits=2: format_number(
            _number(v, "number"), lang, _scale(scale), _digits(digits)),
        "percent": lambda v, digits=1, ratio=False: format_percent(
            _number(v, "percent"), lang, _digits(digits), ratio),
        "date": lambda v: format_date(v, lang),
    })


@lru_cache(maxsize=2048)
def _template(lang: str, text: str, mark: bool = False) -> jinja2.Template:
    """Return `text` compiled once per process (a watch rebuild compiles only what changed)."""
    return environment(lang).compile_checked(text, mark)


def template_values(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return `data` as templates may see it: each data table as a `TemplateTable`."""
    return {name: TemplateTable(name, value.rows, value.__getitem__)
            if isinstance(value, DataTable) else value for name, value in data.items()}


def text_renderer(data: Mapping[str, Any], params: Mapping[str, Any],
                  ) -> Callable[[str, str], str]:
    """Return `render(text, lang)`: `text` with its data expressions rendered as body text's
    are (data tables and `params`); a problem raises ValueError with its message. Chart texts
    are rendered with it."""
    values = template_values({**data, "params": dict(params)})

    def render(text: str, lang: str) -> str:
        try:
            return render_text(text, lang, values)
        except TextError as exc:
            raise ValueError(str(exc)) from None

    return render


def has_template(text: str) -> bool:
    """Return True when `text` holds a jinja2 expression or statement."""
    return bool(_TEMPLATE_MARK.search(text))


def render_text(text: str, lang: str, data: Mapping[str, Any], mark: bool = False) -> str:
    """Return `text` with its data expressions rendered for `lang`; raise TextError on a problem.

    With `mark`, each expression's output stands between `GENERATED_OPEN` and
    `GENERATED_CLOSE` (see `generated_spans`).
    """
    if not has_template(text):
        return text
    try:
        return environment(lang).render(_template(lang, text, mark), template_values(data))
    except jinja2.TemplateSyntaxError as exc:
        raise TextError(f"template syntax error: {exc.message}", (exc.lineno or 1) - 1) from None
    except jinja2.UndefinedError as exc:
        raise TextError(f"unknown name in template: {exc.message}") from None
    except jinja2.exceptions.SecurityError as exc:
        raise TextError(f"template not allowed: {exc}") from None
    except RecursionError:
        raise TextError("template error: nested too deeply") from None
    except MissingDataError as exc:
        raise TextError(str(exc)) from None
    except TextError:
        raise
    except (TypeError, ValueError, ArithmeticError, jinja2.TemplateError) as exc:
        raise TextError(f"template error: {exc}") from None


_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.S)
_MARKS = re.compile(f"[{GENERATED_OPEN}{GENERATED_CLOSE}]")


def template_expressions(source: str) -> list[str]:
    """Return the `{{ … }}` expressions of the template `source`, as written, in order."""
    return _EXPRESSION.findall(source)


def unmarked(text: str) -> str:
    """Return marked rendered text without its marks."""
    return _MARKS.sub("", text)


def generated_spans(spans: tuple[Span, ...], source: str) -> tuple[Span, ...]:
    """Return `spans` of marked rendered text split into written and generated spans.

    Each generated span carries the expression of `source` (the template) that printed it,
    when that is certain: the template has no statements and prints each expression once.
    """
    expressions = template_expressions(source)
    known = "{%" not in source
    out: list[Span] = []
    inside = False
    count = 0
    for span in spans:
        if span.math is not None:
            out.append(span)
            continue
        if span.note is not None:  # a footnote: its own text is unmarked, its place kept
            out.append(replace(span, note=tuple(replace(s, text=unmarked(s.text))
                                                for s in span.note)))
            continue
        href = unmarked(span.href) if span.href is not None else None
        for index, part in enumerate(_MARKS.split(span.text)):
            if index:
                inside = not inside
                if inside:
                    count += 1
            if not part:
                continue
            expression = None
            if inside:
                expression = expressions[count - 1] if known and count <= len(expressions) \
                    else ""
            out.append(Span(part, span.bold, span.italic, span.code, href, expression))
        if not span.text and span.href is not None:
            out.append(Span("", span.bold, span.italic, span.code, href))
    return tuple(out)
