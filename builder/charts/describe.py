"""Alt text for charts: one or two sentences that say what a chart shows, in the edition's language.

Compose stores the result as a figure's `alt`; the DOCX engine writes it as the picture's
description so screen readers and text extraction get the data, not just "image". Each kind
module's `describe(spec, zh)` gives the kind word and the data; this module frames them.
"""

from __future__ import annotations

from builder.locale.numbers import is_zh, trim
from builder.model.charts import ChartSpec

_MAX_ITEMS = 24


def number(value: float) -> str:
    """Return `value` with at most two decimals and no trailing zeros."""
    return trim(value, 2)


def flat(text: str | None) -> str:
    """Return `text` on one line."""
    return " ".join((text or "").split())


def listing(items: list[str], zh: bool) -> str:
    """Return `items` joined, the first 24 only, with how many more there are."""
    shown = items[:_MAX_ITEMS]
    more = len(items) - len(shown)
    sep = "；" if zh else "; "
    text = sep.join(shown)
    if more > 0:
        text += f"{sep}另有{more}项" if zh else f"{sep}and {more} more"
    return text


def describe_chart(spec: ChartSpec, lang: str) -> str:
    """Return alt text for `spec` in `lang`: the kind, the title and the data."""
    from builder.charts.kinds import kind_module

    zh = is_zh(lang)
    title = flat(spec.title)
    kind, data = kind_module(spec.kind).describe(spec, zh)
    if zh:
        head = f"{kind}“{title}”" if title else kind
        return f"{head}：{data}。"
    head = f"{kind} '{title}'" if title else kind
    return f"{head}: {data}."
