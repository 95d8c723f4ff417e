"""Glyph coverage: the direct cmap reader agrees with fontTools on every bundled font, and the
theme's fallback chain covers the symbols and emoji real reports use."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from builder.compose.coverage import theme_codepoints, uncovered
from builder.themes import FONTS_DIR, THEMES_DIR, load_theme
from builder.themes.glyphs import _fast_codepoints


@pytest.mark.parametrize("path", sorted(FONTS_DIR.glob("*.ttf")), ids=lambda p: p.name)
def test_the_direct_cmap_reader_matches_fonttools(path: Path):
    font = TTFont(str(path))
    assert _fast_codepoints(path) == set(font.getBestCmap())


def test_the_chinese_faces_cover_names_beyond_gb2312():
    from builder.compose.coverage import theme_codepoints, uncovered
    from builder.themes import load_theme

    covered = theme_codepoints(load_theme("default"))
    assert uncovered("张喆、李珺、王䶮", covered) == []


def test_uncovered_lists_each_missing_character_once_in_order():
    covered = theme_codepoints(load_theme("default"))
    assert uncovered("GPU算力𓀀市场𓀀\u0378x\n", covered) == ["𓀀", "\u0378"]
    assert uncovered("472.4亿美元，35%（2023–2032年）", covered) == []


@pytest.mark.parametrize("theme", ["default", "classic"])
def test_symbols_arrows_math_and_emoji_are_covered_by_the_fallback_chain(theme: str):
    covered = theme_codepoints(load_theme(theme))
    text = "✅ ⭐ 🚀 ⇑ ⇓ ❌ ✔ ✘ ⚠️ 💡 🔥 🎯 📈 📉 ∑ √ ∞ ≈ ⟹ ① ☑ ☐ ➤ 👨‍💻"
    assert uncovered(text, covered) == []


def test_joiners_and_selectors_need_no_glyph():
    covered = theme_codepoints(load_theme("default"))
    assert uncovered("\u200d\ufe0f\ufe0e\U000e0067", covered) == []


def test_a_theme_can_put_its_own_fallback_first(tmp_path: Path):
    theme = tmp_path / "theme"
    theme.mkdir()
    source = THEMES_DIR / "default" / "theme.yaml"
    text = source.read_text(encoding="utf-8").replace(
        "fonts:", "fonts:\n  fallback: [NotoSansMath-Regular.ttf]", 1)
    (theme / "theme.yaml").write_text(text, encoding="utf-8")
    chain = load_theme(str(theme)).fallbacks
    assert [p.name for p in chain] == ["NotoSansMath-Regular.ttf", "NotoEmoji-Regular.ttf",
                                       "NotoSansSymbols2-Regular.ttf", "NotoSansSymbols-Regular.ttf"]
