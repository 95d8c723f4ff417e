"""The line breaker obeys the QUALITY.md rules at every width, for Chinese, English and mixes."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.engines.pdf.fonts import char_width, register_fonts
from builder.engines.pdf.linebreak import CLOSING, OPENING, break_lines, fill, segment
from builder.themes import load_theme
from tests.engines.pdf.texts import SEED_EN, SEED_ZH

FONTS = register_fonts(load_theme("default"))
SIZE = 10.5


def width(text: str) -> float:
    return sum(char_width(FONTS.font_for(c, bold=False, italic=False, zh=True), c) * SIZE
               for c in text)


def units_of(text: str) -> list[str]:
    return [text[u.start:u.end] for u in segment(text)]


def test_closing_punctuation_sticks_to_the_unit_before():
    assert units_of("增长，预计")[:2] == ["增", "长，"]
    assert units_of("达35%。在")[1] == "35%。"


def test_opening_punctuation_sticks_to_the_unit_after():
    assert units_of("专注于“复合")[3] == "“复"
    assert units_of("获（由")[1] == "（由"


def test_spaces_are_breaks_but_a_no_break_space_is_text():
    assert units_of("GPU 与\u3000CPU") == ["GPU", "与", "CPU"]  # U+3000 is a break, not Han
    assert units_of("中\u00a0文") == ["中", "\u00a0", "文"]
    # a no-break space alone before a scale word is no number: nothing to bind (it raised)
    assert units_of("\u00a0 million") == ["\u00a0", "million"]
    assert units_of("\u00a0\t字") == ["\u00a0", "字"]


def test_numbers_stay_with_their_units():
    assert "472.4亿" in units_of("到2032年的472.4亿美元")
    assert "2032年" in units_of("到2032年的")
    assert "2-4周" in units_of("从2-4周缩短")
    assert "$98/小" in units_of("$98/小时")


def test_english_amounts_are_not_broken():
    assert "USD 32 million," in units_of("raised USD 32 million, and")
    assert "USD 4 billion;" in units_of("to USD 4 billion; it")


def test_latin_words_are_units_and_keep_apostrophes():
    assert units_of("Fireworks.ai’s valuation") == ["Fireworks.ai’s", "valuation"]
    assert units_of("和Modal等") == ["和", "Modal", "等"]


def test_english_breaks_only_at_spaces():
    lines = break_lines(SEED_EN[0], 120, width)
    assert all(not line.startswith(" ") and not line.endswith(" ") for line in lines)
    assert " ".join(lines) == SEED_EN[0]


def test_an_over_long_word_is_cut_only_when_it_alone_is_too_wide():
    lines = break_lines("Supercalifragilistic", 40, width)
    assert len(lines) > 1 and "".join(lines) == "Supercalifragilistic"
    assert all(width(line) <= 40 for line in lines)


def _pieces() -> st.SearchStrategy[str]:
    chunks = [s[i:i + n] for s in SEED_ZH for n in (3, 7, 12) for i in range(0, len(s), n)]
    chunks += [w + " " for s in SEED_EN for w in s.split()]
    chunks += list("，。、；：？！）》」』”%（《「『“") + ["35%", "2-4周", "$98", " "]
    return st.lists(st.sampled_from(chunks), min_size=1, max_size=60).map("".join)


def check_rules(text: str, max_width: float) -> list[str]:
    """Return the rule violations of breaking `text` at `max_width` (empty when all hold)."""
    units = segment(text)
    lines = fill(text, units, max_width, lambda a, b: width(text[a:b]))
    wide = [u for u in units if width(text[u.start:u.end]) > max_width]

    def forced(pos: int) -> bool:  # a boundary inside a unit that alone is wider than the line
        return any(u.start < pos < u.end for u in wide)

    problems = []
    for i, line in enumerate(lines):
        piece = text[line.start:line.end]
        if i and piece[0] in CLOSING and not forced(line.start):
            problems.append(f"starts with closing punctuation: {piece!r}")
        if i < len(lines) - 1 and piece[-1] in OPENING and not forced(line.end):
            problems.append(f"ends with opening punctuation: {piece!r}")
        if width(piece) > max_width + 1e-6 and not forced(line.end) and not forced(line.start):
            problems.append(f"too wide: {piece!r}")
        if i and line.start == lines[i - 1].end and not forced(line.start):
            before, after = text[line.start - 1], text[line.start]
            if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
                problems.append(f"Latin word split at {line.start}: {piece!r}")
    # the lines are the text in order; only break spaces were dropped
    position = 0
    for line in lines:
        assert text[position:line.start].strip() == "", "non-space text dropped"
        position = line.end
    assert text[position:].strip() == ""
    assert re.sub(r"\s", "", "".join(text[ln.start:ln.end] for ln in lines)) == re.sub(
        r"\s", "", text)
    return problems


@settings(max_examples=300, deadline=None)
@given(_pieces(), st.floats(40, 500))
def test_rules_hold_for_random_mixes_at_random_widths(text: str, max_width: float):
    assert check_rules(text, max_width) == []


def test_rules_hold_for_the_seed_at_every_width_from_40_to_500_pt():
    text = "".join(SEED_ZH) + " ".join(SEED_EN)
    problems = [p for w in range(40, 501, 3) for p in check_rules(text, float(w))]
    assert problems == []


def test_the_justification_gaps_are_found_as_the_character_rules_say():
    import random

    from builder.engines.pdf.linebreak import is_cjk
    from builder.engines.pdf.richtext import _gap_flags

    alphabet = "ab 1.，。中文字\u3000\u00a0\n\U00020001\uac01\uff01\u2e80\u9fff\ua000-"
    pick = random.Random(7)
    for _ in range(300):
        text = "".join(pick.choice(alphabet) for _ in range(pick.randrange(0, 30)))
        cjk, space = _gap_flags(text, "cjk"), _gap_flags(text, "space")
        assert len(cjk) == len(space) == len(text) and _gap_flags(text, "") == bytes(len(text))
        for i in range(1, len(text)):
            assert cjk[i] == (is_cjk(text[i - 1]) and is_cjk(text[i])), (text, i)
            assert space[i] == (text[i - 1] == " " and text[i] != " "), (text, i)
        assert not text or (cjk[0] == 0 and space[0] == 0)
