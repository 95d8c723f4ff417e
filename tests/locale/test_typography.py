"""Punctuation set by the rules: clreq in Chinese text, curly quotes in English; one character
for one, so per-character attributes stay aligned."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.locale.typography import chinese, english


@pytest.mark.parametrize(("text", "expected"), [
    ("新云(Neoclouds)相比", "新云（Neoclouds）相比"),
    ("提供商(Hyperscalers)可节省", "提供商（Hyperscalers）可节省"),
    ("增速最快(25.5% CAGR)", "增速最快（25.5% CAGR）"),
    ('专注于"复合AI系统"', "专注于“复合AI系统”"),
    ("从2023-2032年", "从2023–2032年"),
    ("冷启动时间2-4秒", "冷启动时间2–4秒"),
])
def test_chinese_text_gets_full_width_brackets_curly_quotes_and_en_dash_ranges(text, expected):
    assert chinese(text) == expected


@pytest.mark.parametrize("text", [
    "(see AWS) and (GPT-4)",  # brackets that touch no Han character
    "H100-80GB", "GPT-4比较", "2025-06-30发布",  # codes, a model name, an ISO date
    'say "hello" to AWS',
])
def test_what_is_not_chinese_punctuation_stays(text):
    assert chinese(text) == text


@pytest.mark.parametrize(("text", "expected"), [
    ('focuses on "compound AI systems"', "focuses on “compound AI systems”"),
    ("Fireworks.ai's valuation", "Fireworks.ai’s valuation"),
    ("'quoted' words", "‘quoted’ words"),
    ("(\"nested\")", "(“nested”)"),
])
def test_english_text_gets_curly_quotes_and_apostrophes(text, expected):
    assert english(text) == expected


@given(st.text(alphabet=st.sampled_from(list('ab1-2"\'() 云市场。年'))))
def test_one_character_for_one(text):
    assert len(chinese(text)) == len(text)
    assert len(english(text)) == len(text)
    assert '"' not in english(text) and "'" not in english(text)


@pytest.mark.parametrize(("word", "points"), [
    ("technologies", ["tech", "no", "lo", "gies"]),
    ("infrastructure,", ["in", "fra", "struc", "ture,"]),
])
def test_english_words_hyphenate_at_dictionary_points(word, points):
    from builder.engines.pdf.hyphenation import hyphenation_points

    cuts = hyphenation_points(word, 0, len(word))
    pieces = [word[a:b] for a, b in zip([0, *cuts], [*cuts, len(word)], strict=True)]
    assert pieces == points


@pytest.mark.parametrize("word", ["Fireworks", "HuggingFace", "H100s", "Fireworks.ai", "cloud",
                                  "self-serve"])
def test_names_codes_and_short_words_are_never_hyphenated(word):
    from builder.engines.pdf.hyphenation import hyphenation_points

    assert hyphenation_points(word, 0, len(word)) == []
