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


def test_chinese_trillions_use_wan_yi_as_cldr_and_the_press_write_them():
    # Before CLDR: 15000亿 for anything but a round trillion.
    assert format_number(1.5, "zh", "trillion") == "1.5万亿"
    assert format_money(23.5, "zh", scale="trillion") == "23.5万亿美元"
    assert format_number(1, "zh", "trillion") == "1万亿"


def test_a_rounded_amount_takes_the_next_scale_word():
    # 999.995 billion rounds to 1000 billion; CLDR moves it to the next word as a reader expects.
    assert format_number(999.995, "en", "billion") == "1 trillion"


def test_english_counts_below_a_million_stay_digits_where_cldr_writes_words():
    # CLDR's long compact form gives "12 thousand"; a report writes 12,000.
    assert format_number(12000, "en") == "12,000"
    assert format_number(999_999, "en", digits=0) == "999,999"
    assert format_number(12000, "zh") == "1.2万"


def test_small_numbers_round_to_the_digits_asked_for():
    # CLDR's compact form leaves numbers below its first unit unrounded (0.004).
    assert format_number(0.004, "en") == "0"
    assert format_number(0.004, "zh") == "0"
    assert format_number(3.14159, "zh") == "3.14"


@pytest.mark.parametrize(("code", "zh"), [
    ("USD", "美元"), ("EUR", "欧元"), ("JPY", "日元"), ("GBP", "英镑"), ("KRW", "韩元"),
    ("HKD", "港元"), ("CNY", "元"), ("XYZ", "XYZ"),
])
def test_chinese_currency_names_come_from_cldr_except_the_yuan(code, zh):
    # CLDR calls CNY 人民币; reports write 472.4亿元. An unknown code is printed as it is.
    assert format_money(2, "zh", currency=code, scale="billion") == f"20亿{zh}"


def test_long_dates_come_from_cldr():
    import datetime as dt

    from builder.locale.numbers import format_date

    assert format_date(dt.date(2025, 6, 30), "zh-CN") == "2025年6月30日"
    assert format_date("2025-06-30", "en") == "30 June 2025"
    assert format_date(dt.date(2026, 1, 5), "en") == "5 January 2026"
