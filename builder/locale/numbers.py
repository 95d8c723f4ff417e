"""Number, percent, currency and date formatting per language, used by text templates and charts.

Chinese uses the 万/亿/万亿 scale (472.4亿美元, 3200万美元, 1.5万亿元); English uses millions,
billions and trillions with the ISO currency code first (USD 47.24 billion, USD 32 million).

The scale words, currency names and long dates come from CLDR through Babel. Our own code stays
where CLDR's strings are wrong for a report, each case tested in tests/locale/test_numbers.py:
English counts below a million stay digits with separators (12,000; CLDR: "12 thousand"),
small numbers are rounded to `digits` like large ones (CLDR leaves 0.004 unrounded), the
Chinese name of CNY is 元 (CLDR: 人民币; reports write 亿元), and English money puts the ISO
code before the amount in words (CLDR has no long compact currency form).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache

from babel import dates as cldr_dates
from babel import numbers as cldr_numbers

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

#: Chinese currency names that differ from CLDR's (which calls CNY 人民币).
ZH_CURRENCY: dict[str, str] = {"CNY": "元"}

_ZH = "zh_Hans_CN"
_EN = "en"
_EN_DATES = "en_GB"  # 30 June 2025: the day-month order of international reports


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


@lru_cache(maxsize=4096)
def _compact(amount: float, digits: int, locale: str, form: str) -> str:
    """Return CLDR's compact form of `amount` (a Babel call takes ~60 µs, so it is cached)."""
    return cldr_numbers.format_compact_decimal(amount, format_type=form, locale=locale,
                                               fraction_digits=digits)


def zh_magnitude(amount: float, digits: int = 2) -> str:
    """Return `amount` written with the Chinese 万 / 亿 / 万亿 units: 4.724e10 -> `472.4亿`."""
    if abs(amount) < 1e4:
        return trim(amount, digits)
    return _compact(float(amount), digits, _ZH, "short")


def en_magnitude(amount: float, digits: int = 2) -> str:
    """Return `amount` written with English scale words: 4.724e10 -> `47.24 billion`."""
    if abs(amount) < 1e6:
        return group(trim(amount, digits))
    return _compact(float(amount), digits, _EN, "long")


#: The units amounts are written in, largest first: Chinese 万亿 / 亿 / 万, English trillion /
#: billion / million (below them, plain numbers).
_ZH_MAGNITUDES = ((1e12, "万亿"), (1e8, "亿"), (1e4, "万"))
_EN_MAGNITUDES = ((1e12, " trillion"), (1e9, " billion"), (1e6, " million"))


def shared_magnitude(amounts: Sequence[float], lang: str, digits: int = 2) -> list[str]:
    """Return `amounts` all written in the unit the largest of them takes (as `axis_unit`
    counts a chart's axis): 1.9e9, 6e8, 3e8 -> `1.9 billion`, `0.6 billion`, `0.3 billion`
    (not `600 million`) and `19亿`, `6亿`, `3亿`. A small amount keeps two significant
    digits (0.032 billion)."""
    largest = max((abs(a) for a in amounts), default=0.0)
    table = _ZH_MAGNITUDES if is_zh(lang) else _EN_MAGNITUDES
    size, word = next(((size, word) for size, word in table if largest >= size), (0.0, ""))
    if not size:  # plain numbers: each as it is written alone
        return [zh_magnitude(a, digits) if is_zh(lang) else en_magnitude(a, digits)
                for a in amounts]
    out = []
    for amount in amounts:
        value = amount / size
        places = digits
        if 0 < abs(value) < 1:
            places = max(digits, 1 - math.floor(math.log10(abs(value))))
        number = trim(value, places)
        out.append((number if is_zh(lang) else group(number)) + word)
    return out


def format_number(value: float, lang: str, scale: str = "one", digits: int = 2) -> str:
    """Return a count in words of scale per language: 1.4e11 -> `1400亿` / `140 billion`."""
    amount = value * SCALES[scale]
    return zh_magnitude(amount, digits) if is_zh(lang) else en_magnitude(amount, digits)


def format_money(value: float, lang: str, currency: str = "USD", scale: str = "one",
                 digits: int = 2) -> str:
    """Return money per language: (47.24, billion) -> `472.4亿美元` / `USD 47.24 billion`."""
    amount = value * SCALES[scale]
    words = zh_magnitude(amount, digits) if is_zh(lang) else en_magnitude(amount, digits)
    return with_currency(words, lang, currency)


def with_currency(amount: str, lang: str, currency: str = "USD") -> str:
    """Return the written `amount` as money: `472.4亿` -> `472.4亿美元`, `47.24 billion` ->
    `USD 47.24 billion`."""
    return amount + zh_currency_name(currency) if is_zh(lang) else f"{currency} {amount}"


@lru_cache(maxsize=64)
def zh_currency_name(currency: str) -> str:
    """Return the Chinese name of an ISO currency code (美元, 欧元, 韩元, 元); the code itself
    when CLDR does not know it."""
    if currency in ZH_CURRENCY:
        return ZH_CURRENCY[currency]
    name = cldr_numbers.get_currency_name(currency, locale=_ZH)
    return currency if name == currency else name


def format_date(value: object, lang: str) -> str:
    """Return a date per language: 2025-06-30 -> `2025年6月30日` / `30 June 2025`.

    `value` is a `datetime.date` or an ISO date text; raise ValueError for anything else.
    """
    day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value).strip())
    return cldr_dates.format_date(day, "long", locale=_ZH if is_zh(lang) else _EN_DATES)


def format_percent(value: float, lang: str, digits: int = 1, ratio: bool = False) -> str:
    """Return a percentage: 35 -> `35%`; with `ratio=True` the value is a fraction (0.35)."""
    del lang  # both languages write 35% the same way
    amount = value * 100 if ratio else value
    return f"{trim(amount, digits)}%"


# The unit a value axis counts in, per language: Chinese counts in 万 and 亿, English in
# thousand, million, billion. Factor = how many of the language's unit one scale unit is.
_ZH_UNITS: dict[str, tuple[float, str]] = {
    "one": (1.0, ""), "thousand": (0.1, "万"), "million": (100.0, "万"),
    "billion": (10.0, "亿"), "trillion": (1.0, "万亿"),
}
_ZH_EN_SCALES = {"one": "", "thousand": "千", "million": "百万", "billion": "十亿",
                 "trillion": "万亿"}


_SCALE_FACTORS = {"one": 1.0, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
#: Chinese axis units by size: the largest one the data reach is the unit (4000百万 -> 40亿).
def axis_unit(lang: str, number_format: str, scale: str, same_scale: bool = False,
              largest: float | None = None) -> tuple[float, str]:
    """Return (factor, unit) for a value axis whose data are in `scale` units.

    Chinese: billions count as 亿 (×10): "亿美元" for money, "亿" for numbers, so the axis
    and the value labels (472.4亿美元) name one unit. English: "USD billion", "billion".
    `same_scale` keeps the data's own scale and names it in Chinese (十亿美元): a spec's axis
    title that only names that scale is replaced by the unit. With `largest` (the largest
    absolute value, in `scale` units) Chinese counts in the largest of 万/亿/万亿 the data
    reach: 4,000 million is 40亿, and English in the largest of million/billion/trillion:
    4,000 million is 4 billion.
    """
    money = number_format == "usd"
    if is_zh(lang):
        if same_scale:
            return 1.0, _ZH_EN_SCALES[scale] + ("美元" if money else "")
        factor, word = _ZH_UNITS[scale]
        if largest is not None and largest > 0:
            # the largest unit the data reach, so ticks stay short: 4,000 million is 0–40亿
            amount = largest * _SCALE_FACTORS[scale]
            size, word = next(((size, w) for size, w in _ZH_MAGNITUDES if amount >= size),
                              (1.0, ""))
            factor = _SCALE_FACTORS[scale] / size
        return factor, word + ("美元" if money else "")
    word, factor = ("" if scale == "one" else scale), 1.0
    if largest is not None and largest > 0 and scale != "one" and not same_scale:
        # the largest of million/billion/trillion the data reach, as the value labels say:
        # 552 and 4,000 million are drawn on 0–4 USD billion
        amount = largest * _SCALE_FACTORS[scale]
        size, word = next(((size, w.strip()) for size, w in _EN_MAGNITUDES if amount >= size),
                          (1.0, ""))
        factor = _SCALE_FACTORS[scale] / size
    return factor, " ".join(part for part in ("USD" if money else "", word) if part)
