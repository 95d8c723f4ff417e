"""Number, percent, currency and date formatting per language, used by text templates and charts.

Chinese uses the 万/亿 scale (472.4亿美元, 3200万美元); English uses thousands, millions and
billions with the ISO currency code first (USD 47.24 billion, USD 32 million).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_EVEN, Decimal

#: The largest magnitude a report prints, and so the largest a data file, chart spec or
#: template may hold: past it a figure is a mistake, and float arithmetic stops being exact.
MAX_PRINTABLE = 1e18

SCALES: dict[str, float] = {
    "one": 1.0,
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
}

ZH_CURRENCY: dict[str, str] = {
    "USD": "美元", "CNY": "元", "EUR": "欧元", "JPY": "日元", "GBP": "英镑",
}


def is_zh(lang: str) -> bool:
    """Return True when `lang` is a Chinese language tag (`zh`, `zh-CN`, …)."""
    return lang.lower().startswith("zh")


def trim(value: float, digits: int = 2) -> str:
    """Return `value` with at most `digits` decimals and no trailing zeros (3.10 -> 3.1)."""
    quantum = Decimal(1).scaleb(-digits)
    text = format(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_EVEN), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def group(text: str) -> str:
    """Return a plain decimal string with thousands separators in its integer part."""
    sign = "-" if text.startswith("-") else ""
    body = text.lstrip("-")
    whole, _, frac = body.partition(".")
    whole = f"{int(whole):,}"
    return sign + whole + (f".{frac}" if frac else "")


def zh_magnitude(amount: float, digits: int = 2) -> str:
    """Return `amount` written with the Chinese 万 / 亿 units: 4.724e10 -> `472.4亿`."""
    size = abs(amount)
    if size >= 1e12 and size % 1e12 == 0:
        return f"{trim(amount / 1e12, digits)}万亿"
    if size >= 1e8:
        return f"{trim(amount / 1e8, digits)}亿"
    if size >= 1e4:
        return f"{trim(amount / 1e4, digits)}万"
    return trim(amount, digits)


def en_magnitude(amount: float, digits: int = 2) -> str:
    """Return `amount` written with English scale words: 4.724e10 -> `47.24 billion`."""
    size = abs(amount)
    for word, factor in (("trillion", 1e12), ("billion", 1e9), ("million", 1e6)):
        if size >= factor:
            return f"{trim(amount / factor, digits)} {word}"
    return group(trim(amount, digits))


def format_number(value: float, lang: str, scale: str = "one", digits: int = 2) -> str:
    """Return a count in words of scale per language: 1.4e11 -> `1400亿` / `140 billion`."""
    amount = value * SCALES[scale]
    return zh_magnitude(amount, digits) if is_zh(lang) else en_magnitude(amount, digits)


def format_money(value: float, lang: str, currency: str = "USD", scale: str = "one",
                 digits: int = 2) -> str:
    """Return money per language: (47.24, billion) -> `472.4亿美元` / `USD 47.24 billion`."""
    amount = value * SCALES[scale]
    if is_zh(lang):
        return zh_magnitude(amount, digits) + ZH_CURRENCY.get(currency, currency)
    return f"{currency} {en_magnitude(amount, digits)}"


def format_date(value: object, lang: str) -> str:
    """Return a date per language: 2025-06-30 -> `2025年6月30日` / `30 June 2025`.

    `value` is a `datetime.date` or an ISO date text; raise ValueError for anything else.
    """
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value).strip())
    if is_zh(lang):
        return f"{day.year}年{day.month}月{day.day}日"
    months = ("January", "February", "March", "April", "May", "June", "July", "August",
              "September", "October", "November", "December")
    return f"{day.day} {months[day.month - 1]} {day.year}"


def format_percent(value: float, lang: str, digits: int = 1, ratio: bool = False) -> str:
    """Return a percentage: 35 -> `35%`; with `ratio=True` the value is a fraction (0.35)."""
    del lang  # both languages write 35% the same way
    amount = value * 100 if ratio else value
    return f"{trim(amount, digits)}%"
