"""Number formats per language: Chinese 万/亿 units, English scale words with the currency code."""

from __future__ import annotations

import pytest

from builder.locale.numbers import format_money, format_number, format_percent, trim


@pytest.mark.parametrize(("value", "scale", "zh", "en"), [
    (3.17, "billion", "31.7亿美元", "USD 3.17 billion"),
    (4.96, "billion", "49.6亿美元", "USD 4.96 billion"),
    (47.24, "billion", "472.4亿美元", "USD 47.24 billion"),
    (32, "million", "3200万美元", "USD 32 million"),
    (0.552, "billion", "5.52亿美元", "USD 552 million"),
    (254.98, "billion", "2549.8亿美元", "USD 254.98 billion"),
    (98, "one", "98美元", "USD 98"),
    (2.85, "one", "2.85美元", "USD 2.85"),
])
def test_money_is_written_per_language(value, scale, zh, en):
    assert format_money(value, "zh-CN", scale=scale) == zh
    assert format_money(value, "en", scale=scale) == en


def test_counts_use_yi_in_chinese_and_billion_in_english():
    assert format_number(140, "zh", "billion") == "1400亿"
    assert format_number(140, "en", "billion") == "140 billion"
    assert format_number(34, "zh", "million") == "3400万"
    assert format_number(1234, "en") == "1,234"


def test_percent_and_trimming():
    assert format_percent(35, "zh") == "35%"
    assert format_percent(0.255, "en", ratio=True) == "25.5%"
    assert trim(3.10) == "3.1"
    assert trim(2.0) == "2"
    assert trim(-0.001) == "0"
