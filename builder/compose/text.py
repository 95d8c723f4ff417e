"""Localized text: jinja2 data expressions rendered per language, then inline Markdown to spans.

Templates run in a sandbox with `StrictUndefined`: a mistyped name or a missing data row is a
located error, never an empty string. Filters format numbers per language (see numbers.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from builder.compose.numbers import (
    SCALES,
    format_date,
    format_money,
    format_number,
    format_percent,
)
from builder.readers.data import MissingDataError

_TEMPLATE_MARK = re.compile(r"\{\{|\{%")


class TextError(Exception):
    """A template problem; `line_offset` is the line inside the text (0 for the first)."""

    def __init__(self, message: str, line_offset: int = 0) -> None:
        super().__init__(message)
        self.line_offset = line_offset


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TextError(f"{what} expects a number, got {value!r}")
    return float(value)


def _scale(scale: str) -> str:
    if scale not in SCALES:
        raise TextError(f"unknown scale {scale!r} (use one of {', '.join(SCALES)})")
    return scale


@lru_cache(maxsize=4)
def environment(lang: str) -> SandboxedEnvironment:
    """Return the sandboxed jinja2 environment whose filters format for `lang`."""
    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False,
                               keep_trailing_newline=False)
    env.filters["usd"] = lambda v, scale="one", digits=2: format_money(
        _number(v, "usd"), lang, "USD", _scale(scale), digits)
    env.filters["money"] = lambda v, currency="USD", scale="one", digits=2: format_money(
        _number(v, "money"), lang, str(currency), _scale(scale), digits)
    env.filters["number"] = lambda v, scale="one", digits=2: format_number(
        _number(v, "number"), lang, _scale(scale), digits)
    env.filters["percent"] = lambda v, digits=1, ratio=False: format_percent(
        _number(v, "percent"), lang, digits, ratio)
    env.filters["date"] = lambda v: format_date(v, lang)
    return env


@lru_cache(maxsize=2048)
def _template(lang: str, text: str) -> jinja2.Template:
    """Return `text` compiled once per process (a watch rebuild compiles only what changed)."""
    return environment(lang).from_string(text)


def has_template(text: str) -> bool:
    """Return True when `text` holds a jinja2 expression or statement."""
    return bool(_TEMPLATE_MARK.search(text))


def render_text(text: str, lang: str, data: Mapping[str, Any]) -> str:
    """Return `text` with its data expressions rendered for `lang`; raise TextError on a problem."""
    if not has_template(text):
        return text
    try:
        return _template(lang, text).render(dict(data))
    except jinja2.TemplateSyntaxError as exc:
        raise TextError(f"template syntax error: {exc.message}", (exc.lineno or 1) - 1) from None
    except jinja2.UndefinedError as exc:
        raise TextError(f"unknown name in template: {exc.message}") from None
    except jinja2.exceptions.SecurityError as exc:
        raise TextError(f"template not allowed: {exc}") from None
    except MissingDataError as exc:
        raise TextError(str(exc)) from None
    except TextError:
        raise
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise TextError(f"template error: {exc}") from None
