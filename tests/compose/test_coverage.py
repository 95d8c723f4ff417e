"""Glyph coverage: the direct cmap reader agrees with fontTools on every bundled font."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from builder.compose.coverage import _fast_codepoints, theme_codepoints, uncovered
from builder.themes import FONTS_DIR, load_theme


@pytest.mark.parametrize("path", sorted(FONTS_DIR.glob("*.ttf")), ids=lambda p: p.name)
def test_the_direct_cmap_reader_matches_fonttools(path: Path):
    font = TTFont(str(path))
    fast = _fast_codepoints(path)
    if fast is None:  # characters beyond the BMP: the general (fontTools) way is taken
        assert font["cmap"].getcmap(3, 10) is not None
    else:
        assert fast == set(font.getBestCmap())


def test_the_chinese_faces_cover_names_beyond_gb2312():
    from builder.compose.coverage import theme_codepoints, uncovered
    from builder.themes import load_theme

    covered = theme_codepoints(load_theme("default"))
    assert uncovered("张喆、李珺、王䶮", covered) == []


def test_uncovered_lists_each_missing_character_once_in_order():
    covered = theme_codepoints(load_theme("default"))
    assert uncovered("GPU算力🚀市场🚀\u0378x\n", covered) == ["🚀", "\u0378"]
    assert uncovered("472.4亿美元，35%（2023–2032年）", covered) == []
